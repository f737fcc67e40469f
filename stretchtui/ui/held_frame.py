"""The app's first frame is painted whole (a frame rendered during a batch is held, not lost).

Textual suspends painting while the app starts (``App.batch_update`` around
composing and mounting). A mode's screen lays itself out meanwhile and
schedules its repaint for later, but that repaint can still run inside the
batch: the frame is then rendered in full (about 10 ms for the catalog),
``App._display`` drops it, and the compositor counts its lines as painted.
The next frames draw only what changed since, so a line nothing touched
again (the footer) stayed blank until something repainted the whole screen,
50-100 ms later; a user saw the catalog without its keys for that long, and
the start-up benchmark, which waits for the whole first frame, counted it.

Here a screen asked to repaint during the batch marks itself for a full
repaint instead of rendering, and the app, when its batch ends, has the top
screen paint: one full render, and every line reaches the terminal in the
first frame. Work asked for "after the next refresh" (``call_after_refresh``:
the catalog's figures) waits for that frame too; Textual ran it while the
batch held the frame back, so it came before the first paint, not after.

A screen's first resume (right after it was mounted and styled with the
current stylesheet) keeps those styles: Textual styled every widget again. (Textual 8.2.8; ``tests/ui/test_first_frame.py`` checks the
terminal's bytes.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:  # pragma: no cover
    from textual import events
    from textual.app import App


class HoldsFrameInBatch:
    """Mixin for a Screen: a repaint asked for during the app's batch is held until the batch ends."""

    if TYPE_CHECKING:
        app: App[Any]
        _repaint_required: bool
        _callbacks: list[Any]
        is_current: bool

    def _compositor_refresh(self) -> None:
        app = self.app
        if app._batch_count and app.screen is cast(object, self) and not app.is_inline:
            self._repaint_required = True  # the whole screen, when the batch ends
            return
        super()._compositor_refresh()  # type: ignore[misc]

    #: Resumed before (the first resume comes right after the screen was mounted and styled).
    _resumed = False

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        if not self._resumed:
            # Its widgets were styled as they were mounted, a moment ago, with this stylesheet
            # (a theme set since restyles every screen itself): Textual styled them all again.
            self._resumed = True
            event.refresh_styles = False
        super()._on_screen_resume(event)  # type: ignore[misc]

    async def _on_idle(self, event: events.Idle) -> None:
        if self.app._batch_count and self.is_current and self._callbacks:
            event.prevent_default()  # as Screen's: a widget's idle handling is not for a screen
            return  # the callbacks run after the frame the batch holds (Screen._on_timer_update)
        await super()._on_idle(event)  # type: ignore[misc]


class PaintsHeldFrame:
    """Mixin for the App: when its batch ends, the top screen paints what was held."""

    if TYPE_CHECKING:
        _batch_count: int

        @property
        def screen(self) -> Any: ...

    def _end_batch(self) -> None:
        super()._end_batch()  # type: ignore[misc]
        if not self._batch_count:
            try:
                screen = self.screen
            except Exception:  # no screen yet (the app is starting or closing)
                return
            if screen._repaint_required:
                screen.check_idle()
