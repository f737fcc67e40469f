"""The values of the ``cue_method`` setting, in a module of their own.

The config is read at start-up and validates ``cue_method`` against these;
what each method sends lives with the cues (:func:`.cues.method_flavours`),
which the player loads when a session starts, not at start-up.
"""

#: How the players cue: "auto" recognises the terminal; "osc9" (iTerm2, WezTerm,
#: kitty, Ghostty, Windows Terminal), "osc777" (GNOME Terminal and other VTE
#: terminals, foot, urxvt), "both", or "none" (no bell, no tick, no notification).
CUE_METHODS: tuple[str, ...] = ("auto", "osc9", "osc777", "both", "none")
