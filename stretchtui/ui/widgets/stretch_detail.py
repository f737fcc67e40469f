"""The detail pane of one stretch: figure, position, steps, cues, dosage,
who it helps, cautions with reasons (those matching the profile first and
highlighted), and sources.

Everything is assembled as ``Content`` from plain strings, so nothing from
the catalog is parsed as markup.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.content import Content
from textual.widgets import Static

from ...core.domain.clinical import centralize_note
from ...core.domain.models import Stretch
from ...core.text import hang

#: Shown instead of the warnings when the safety rules could not be applied.
RULES_FAILED = "✖ Could not check this stretch against your conditions"
RULES_FAILED_WHY = (
    "The safety rules failed, so warnings that apply to you may be missing. Do not rely on this "
    "page; check the stretch with `stretchtui check` or your clinician, and report the error."
)

_LEVEL_MARK = {"avoid": ("✖ Avoid", "$text-error bold"), "caution": ("! Caution", "$text-warning bold")}


def _cond_name(catalog, condition: str) -> str:
    if catalog is not None and condition in getattr(catalog, "conditions", {}):
        return catalog.conditions[condition].name
    return condition.replace("-", " ").capitalize()


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def dosage_text(stretch: Stretch) -> str:
    """The catalog's dosage in words, e.g. "Hold 20 s (15-30), 3 reps, each side; rest 10 s"."""
    d = stretch.dosage
    h, r = d.hold, d.reps
    if d.mode == "hold":
        first = f"Hold {h.default} s ({h.min}-{h.max} s)"
    elif d.mode == "reps":
        first = f"{h.default} s per repetition"
    else:
        first = f"Keep moving for {h.default} s ({h.min}-{h.max} s)"
    parts = [first]
    if d.mode != "duration" or r.default != 1:
        parts.append(f"{_plural(r.default, 'rep')} ({r.min}-{r.max})")
    parts.append("each side" if d.sides == "each" else "both sides together")
    text = ", ".join(parts)
    if d.rest:
        text += f"; rest {d.rest} s between reps"
    return text


def render_stretch(stretch: Stretch, conditions: Iterable[str] = (), catalog=None, *, flare: bool = False,
                   figure_width: int = 40, ascii_figures: bool = False, width: int = 0,
                   marks: tuple = (), figures: bool = True) -> Content:
    """The whole detail pane as Content (the figure ``figure_width`` cells wide); with a ``width``,
    steps, cues and sources are wrapped to it with a hanging indent. ``figures=False``: without
    the figure (the app's first frame: the figures and their poses load right after it)."""
    conditions = tuple(conditions)
    parts: list = []

    def heading(title: str) -> None:
        parts.append("\n")
        parts.append((title, "bold $text-accent"))
        parts.append("\n")

    parts.append((stretch.name, "bold"))
    parts.append("\n")
    if stretch.summary:
        parts.append(Content(stretch.summary))
        parts.append("\n")

    # Warnings that apply to this user, from the safety rules. When the rules
    # fail, say so where the warnings would be: no warnings must never be
    # mistaken for "nothing to warn about".
    from ...core.domain.rules import warnings_for_stretch

    try:
        warnings = warnings_for_stretch(stretch, conditions, catalog, flare=flare, marks=marks)
    except Exception as exc:
        heading("For you")
        parts.extend([
            (RULES_FAILED, "$text-error bold"), "\n",
            Content(hang("  ", f"{RULES_FAILED_WHY} ({type(exc).__name__}: {exc})", width)), "\n",
        ])
        warnings = []
    if warnings:
        heading("For you")
        for w in warnings:
            label, style = _LEVEL_MARK.get(w.level, ("i Note", "bold"))
            parts.extend([(label, style), ": ", Content(w.message), "\n", Content(hang("  ", w.reason, width)), "\n"])
            if w.alternative and catalog is not None and catalog.get(w.alternative):
                parts.extend(["  Safer option: ", Content(catalog.get(w.alternative).name), "\n"])

    pose = None
    if figures:
        from .figure import pair_content, pose_for_stretch

        pose = pose_for_stretch(stretch.id, catalog)
    if pose is not None:
        parts.append("\n")
        parts.append(pair_content(pose, min(figure_width, 72), ascii=ascii_figures))
        parts.append("\n")
    elif stretch.figure and figures:
        parts.append("\n")
        parts.append(Content("\n".join(stretch.figure)))
        parts.append("\n")

    heading("Position")
    parts.append(Content(stretch.position.capitalize()))
    parts.append("\n")

    heading("Dosage")
    parts.append(dosage_text(stretch))
    parts.append("\n")

    if stretch.steps:
        heading("Steps")
        for n, step in enumerate(stretch.steps, 1):
            parts.extend([Content(hang(f"{n}. ", step, width)), "\n"])
    if stretch.cues:
        heading("Cues")
        for cue in stretch.cues:
            parts.extend([Content(hang("- ", cue, width)), "\n"])
    if stretch.helps:
        heading("May help with")
        parts.append(Content(", ".join(_cond_name(catalog, c) for c in stretch.helps)))
        parts.append("\n")
        centralize = centralize_note(stretch)  # the press-up family: only if it centralizes
        if centralize:
            parts.extend([Content(hang("", centralize, width)), "\n"])
    if stretch.cautions:
        heading("Cautions")
        mine = [c for c in stretch.cautions if c.condition in conditions]
        others = [c for c in stretch.cautions if c.condition not in conditions]
        for caution in mine + others:
            label, style = _LEVEL_MARK.get(caution.level, ("i Note", "bold"))
            parts.append((label, style))
            parts.append(" - ")
            name = _cond_name(catalog, caution.condition)
            if caution in mine:
                parts.append((name + " (in your profile)", "bold reverse"))
            else:
                parts.append(Content(name))
            parts.extend([": ", Content(caution.reason), "\n"])
    if stretch.note:
        heading("Note on the sources")
        parts.append(Content(stretch.note))
        parts.append("\n")
    if stretch.source:
        heading("Sources")
        for ref in stretch.source:
            src = catalog.sources.get(ref) if catalog is not None else None
            if src is None:
                parts.extend([Content(hang("- ", ref, width)), "\n"])
                continue
            line = hang("- ", f"{src.publisher}: {src.title}", width)
            if "\n" not in line[: 2 + len(src.publisher)]:  # the publisher in italics, as before
                parts.append(Content(line).stylize("italic", 2, 2 + len(src.publisher)))
            else:
                parts.append(Content(line))
            parts.append("\n")
            if src.url:
                parts.extend(["  ", (src.url, "dim"), "\n"])
    return Content.assemble(*parts)



class StretchDetail(Static):
    """Shows one stretch; call :meth:`show_stretch`."""

    DEFAULT_CSS = """
    StretchDetail {
        width: 100%;
        height: auto;
        padding: 0 1;
    }
    """

    #: False until the first pane has been on screen: the app's first frame is drawn
    #: without figures (loading the poses and drawing them waits for the frame after).
    figures_ready = False

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__("", id=id, classes=classes, markup=False)
        self.stretch: Stretch | None = None
        self._shown: tuple = ((), None, False, ())  # conditions, catalog, flare, symptom marks
        self._drawn: tuple | None = None  # what the pane shows now (see _draw)
        self._made: dict[tuple, Content] = {}  # panes built, by what they show (see _draw)

    def show_stretch(
        self, stretch: Stretch | None, conditions: Iterable[str] = (), catalog=None, *, flare: bool = False,
        marks: tuple = (),
    ) -> None:
        self.stretch = stretch
        self._shown = (tuple(conditions), catalog, flare, tuple(marks))
        if stretch is None:
            self._drawn = None
            self.update(Content("No stretch matches. Clear the search (Escape) or pick another region."))
        else:
            self._draw()

    def _figure_args(self) -> dict:
        width = self.content_size.width  # _draw waits for the layout, so this is the pane's width
        if not StretchDetail.figures_ready:
            return {"figure_width": width, "width": width, "figures": False}
        from .figure import ascii_figures

        return {"figure_width": width, "width": width, "ascii_figures": ascii_figures(self.app)}

    def draw_figures(self) -> None:
        """Draw the figures now that the first frame is out (a no-op once they are drawn).

        When another screen covers this one (the first-run notice, a player
        started from the command line), nothing happens: its screen calls
        this again when it is back on top (``CatalogScreen.on_screen_resume``).
        Never a retry loop: one that re-armed itself after every refresh
        kept a player at 25 % of a core.
        """
        if StretchDetail.figures_ready or not self.is_attached or self.screen is not self.app.screen:
            return
        if getattr(self.app, "notice_pending", False):  # the first-run notice is coming: it is drawn first
            return
        StretchDetail.figures_ready = True
        self._draw()

    def _draw(self) -> None:
        """Render the stretch for the pane's width, unless that is what it shows already.

        The pane's height follows its text, so a new text brings a resize of
        the same width: that one draws nothing (each drawing renders figures).
        """
        if self.stretch is None or not self.content_size.width:
            return  # not laid out yet: the first resize draws it
        args = self._figure_args()
        key = (self.stretch, self._shown[0], id(self._shown[1]), self._shown[2], self._shown[3], tuple(args.items()))
        if key == self._drawn:
            return
        self._drawn = key
        content = self._made.get(key)
        if content is None:  # each stretch's pane is built once per profile and width, kept for the way back
            conditions, catalog, flare, marks = self._shown
            content = render_stretch(self.stretch, conditions, catalog, flare=flare, marks=marks, **args)
            if len(self._made) >= 64:
                self._made.pop(next(iter(self._made)))
            self._made[key] = content
        self.update(content)
        if not StretchDetail.figures_ready:
            # The first frame goes out without the figure; the poses load and it is drawn right after.
            self.call_after_refresh(self.draw_figures)

    def on_resize(self) -> None:
        # The figure is drawn to the pane's width: redraw when it changes.
        self._draw()
