"""Cue escape sequences: what reaches the user's terminal, and nothing more."""

from stretchtui.core.domain import cues


def test_bell_and_title():
    assert cues.bell() == "\a"
    assert cues.window_title("Knee to Chest 0:20") == "\x1b]2;Knee to Chest 0:20\a"
    assert cues.window_title("x", osc=0) == "\x1b]0;x\a"


def test_text_cannot_escape_the_sequence():
    evil = "Bad\x1b]52;c;aGk=\a\x1b[2J\x9b31m\u202eName"
    seq = cues.window_title(evil)
    inner = seq[len("\x1b]2;") : -1]
    assert "\x1b" not in inner and "\a" not in inner and "\x9b" not in inner and "\u202e" not in inner
    assert seq.count("\a") == 1 and inner.startswith("Bad")


def test_notifications_both_flavours_and_field_separators():
    seq = cues.notification("stretchtui", "Hold; left side")
    assert "\x1b]9;stretchtui: Hold; left side\a" in seq
    assert "\x1b]777;notify;stretchtui;Hold, left side\a" in seq
    # a body that looks like a ConEmu sub-command gets a leading space
    assert cues.notify_osc9("4;1") == "\x1b]9; 4;1\a"


def test_long_text_is_cut():
    assert len(cues.clean_cue_text("x" * 500)) == cues.MAX_CUE_TEXT


def test_tmux_wrap_doubles_escapes():
    wrapped = cues.tmux_wrap("\x1b]9;hi\a")
    assert wrapped == "\x1bPtmux;\x1b\x1b]9;hi\a\x1b\\"
    assert cues.in_tmux({"TMUX": "/tmp/tmux-1/default,1,0"})
    assert not cues.in_tmux({})


def test_flavours_by_terminal():
    assert cues.notification_flavours({"TERM": "xterm-kitty"}) == ("9",)
    assert cues.notification_flavours({"TERM": "xterm-256color", "VTE_VERSION": "7200"}) == ("777",)
    assert cues.notification_flavours({"TERM": "xterm-256color"}) == ("9", "777")


def test_phase_cue_respects_settings():
    quiet = cues.phase_cue(title="t", notify=("a", "b"), ring=False, notifications=False)
    assert quiet == "\x1b]2;t\a"
    loud = cues.phase_cue(title="t", notify=("a", "b"), ring=True, notifications=True, tmux=True)
    assert loud.endswith("\a") and "\x1bPtmux;" in loud and "]777;notify;a;b" in loud
