"""The builder's preview: the figure of the stretch in focus (the catalog's
highlighted stretch, or the routine's item under the cursor).

``StretchPreview.preview(stretch, animate=...)``: while its list has focus the
figure moves (a moving stretch goes back and forth; a held one moves into
its position, holds and comes back, over and over); otherwise, with the
Profile's "Still figures" or ``TEXTUAL_ANIMATIONS=none``, it shows the end
position, still. The figure's frames follow :class:`FigureView`: only when
the drawing changes, at most ``MAX_FPS`` a second, none while still.

It takes what height the layout gives it (the builder's left column gives it
about 30 %, between 4 and 14 rows; the name is in its top border) and hides its figure when that leaves
fewer than :data:`MIN_FIGURE_ROWS` rows.
"""

from __future__ import annotations

import time

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content

from ...core.domain.models import Stretch
from ...core.domain.pose import pose_for
from .figure import FigureView, ascii_figures

#: A held stretch's loop: into position, hold, back (seconds).
HELD_LOOP = 6.0
#: Seconds a moving stretch's preview runs before it starts again (one long "keep moving" step).
MOVING_LOOP = 600.0
#: Fewer rows than this for the figure: not drawn (the name stays).
MIN_FIGURE_ROWS = 3


class StretchPreview(Vertical):
    """A title row (the stretch's name) over its figure."""

    DEFAULT_CSS = """
    StretchPreview {
        height: 30%;
        min-height: 4;
        max-height: 14;
        border-top: solid $border-blurred;
        border-title-color: $text-muted;
    }
    StretchPreview > FigureView {
        height: 1fr;
        content-align: center middle;
        color: $text-muted;
    }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.stretch: Stretch | None = None
        self.animated = False
        self._started = 0.0

    def _now(self) -> float:
        clock = getattr(self.app, "clock", None)  # the app's clock (a fake one in tests)
        return clock.monotonic() if clock is not None else time.monotonic()

    def compose(self) -> ComposeResult:
        yield FigureView(id="preview-figure")

    def on_mount(self) -> None:
        self.border_title = "Preview"

    @property
    def title(self) -> str:
        """The name over the figure ("Cat-Cow · moving")."""
        return str(self.border_title or "")

    @property
    def figure(self) -> FigureView:
        return self.query_one("#preview-figure", FigureView)

    def preview(self, stretch: Stretch | None, *, animate: bool) -> None:
        """Show ``stretch`` (``None``: nothing), moving when ``animate`` (and allowed)."""
        if not self.is_mounted:
            return
        still = self._still()
        animate = animate and not still and stretch is not None
        if stretch is self.stretch and animate == self.animated:
            return
        if stretch is not self.stretch:
            self._started = self._now()
        self.stretch, self.animated = stretch, animate
        figure = self.figure
        if stretch is None:
            self.border_title = "Preview"
            figure.play_step(None, "hold", lambda: 0.0, 0.0, still=True)
            return
        pose = pose_for(stretch.id, getattr(self.app, "catalog", None))
        how = "moving" if pose is not None and pose.moves else "held"
        self.border_title = Content(f"{stretch.name} · {how}")  # Content: a name is never markup
        ascii = ascii_figures(self.app)
        fallback = "\n".join(stretch.figure)
        if not animate or pose is None:
            figure.play_step(pose, "hold", lambda: 0.0, 0.0, still=True, ascii=ascii, fallback=fallback)
            return
        started = self._started
        if pose.moves:
            figure.play_step(pose, "move", lambda: self._now() - started, MOVING_LOOP,
                             ascii=ascii, fallback=fallback)
        else:
            figure.play_step(pose, "rep", lambda: (self._now() - started) % HELD_LOOP, HELD_LOOP,
                             ascii=ascii, fallback=fallback)

    def _still(self) -> bool:
        app = self.app
        profile = getattr(app, "profile", None)
        return app.animation_level == "none" or bool(getattr(profile, "still_figures", False))

    def on_resize(self) -> None:
        self.figure.display = self.size.height >= MIN_FIGURE_ROWS
