"""A one-line bar naming the app's screens and their keys, the current one highlighted.

Any mode screen can yield ``ModeBar("builder")`` at the top; the footer then
only needs a compact "1-5 Screens" group. Clicking a name switches to it.
"""

from __future__ import annotations

from textual import events
from textual._context import active_app
from textual.content import Content
from textual.widgets import Footer, Static
from textual.widgets._footer import FooterKey, FooterLabel, KeyGroup

from ..modes import MODE_KEYS

#: Narrower than this, the mode bar and the footer draw their keys closer together.
COMPACT_BELOW = 80


class ModeBar(Static):
    """``1 Catalog  2 Builder  3 Library  4 Profile  5 History`` with ``mode`` highlighted."""

    DEFAULT_CSS = """
    ModeBar {
        width: 100%;
        height: 1;
        background: $panel;
        color: $text-muted;
        padding: 0 1;
    }
    """

    def __init__(self, mode: str, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__("", id=id, classes=classes, markup=False)
        self.mode = mode
        # Built now, for the terminal's width, so the screen's first frame has it
        # (built in on_mount it waited for the frame after).
        try:
            width = active_app.get().size.width
        except LookupError:  # made outside a running app
            return
        self._build(0 < width < COMPACT_BELOW)

    _compact: bool | None = None

    def on_mount(self) -> None:
        self._build(0 < self.app.size.width < COMPACT_BELOW)

    def on_resize(self, event: events.Resize) -> None:
        self._build(event.size.width < COMPACT_BELOW)

    def _build(self, compact: bool) -> None:
        """The names, with room around each; below 80 columns closer together so "? help" still fits at 60."""
        if compact == self._compact:
            return
        self._compact = compact
        pad = "" if compact else " "
        parts: list = []
        for mode, key, label, _desc in MODE_KEYS:
            action = f"app.switch_to('{mode}')"
            if mode == self.mode:
                parts.append(Content.from_markup(f"[reverse bold $text]{pad}{key} {label}{pad}[/]"))
            else:
                parts.append(Content.from_markup(f"[@click={action}]{pad}[bold]{key}[/bold] {label}{pad}[/]"))
            parts.append(" ")
        parts.append(Content.from_markup(f"[dim]{pad}? help[/]"))
        self.update(Content.assemble(*parts))


class ModeFooter(Footer):
    """Textual's Footer that rebuilds its keys only when they changed.

    The stock Footer removes and mounts all its keys again every time the
    screen's bindings *may* have changed (focus moved, a dialog opened,
    ...): four times before the first frame of the catalog, each a full
    mount and CSS pass. This one compares what it would show with what it
    shows and skips the rebuild when they are the same. It looks and
    behaves exactly like ``Footer`` (same CSS type, same keys).
    """

    _shown: object = None

    def on_resize(self, event: events.Resize) -> None:
        # Below 80 columns the keys sit closer together (Textual's compact
        # footer) and leave out what the mode bar above already shows, so a
        # screen's own keys still fit at the 60-column minimum.
        self.compact = event.size.width < COMPACT_BELOW
        self._fit_width()

    def _signature(self) -> object:
        screen = self.screen
        active = screen.active_bindings
        keys = tuple(
            (b.key, b.action, b.description, b.key_display, b.group, enabled, tooltip)
            for (_node, b, enabled, tooltip) in active.values()
            if b.show
        )
        palette = active.get(self.app.COMMAND_PALETTE_BINDING)
        palette_key = None if palette is None else (palette[1].key, palette[1].description, palette[2])
        return (
            keys, palette_key, self.show_command_palette, self.app.ENABLE_COMMAND_PALETTE,
            self.combine_groups, self.app.current_theme.name,
        )

    async def recompose(self) -> None:
        if not self._bindings_ready:
            await super().recompose()
            return
        try:
            signature = self._signature()
        except Exception:  # pragma: no cover - never let the optimisation hide the keys
            signature = object()
        if signature == self._shown:
            return
        self._shown = signature
        await super().recompose()
        self._fit_width()

    def _fit_width(self) -> None:
        """Below 80 columns, hide the "1-5 Screens" group and "? Help": the mode bar shows both."""
        narrow = 0 < self.size.width < COMPACT_BELOW
        children = list(self.children)
        for index, child in enumerate(children):
            if isinstance(child, KeyGroup):
                keys = list(child.query(FooterKey))
                hide = narrow and bool(keys) and all(k.action.startswith("switch_to(") for k in keys)
                child.display = not hide
                label = children[index + 1] if index + 1 < len(children) else None
                if isinstance(label, FooterLabel):
                    label.display = not hide
            elif isinstance(child, FooterKey) and child.action in ("help", "app.help"):
                child.display = not narrow
        palette = self._palette_key()
        if palette is not None:
            palette.display = True  # measured again once this width is laid out
            self.call_after_refresh(self._fit_palette)

    def _palette_key(self) -> FooterKey | None:
        return next((c for c in self.children if isinstance(c, FooterKey) and c.has_class("-command-palette")), None)

    def _fit_palette(self) -> None:
        """Hide "^p palette" when the screen's own keys would run under it (ctrl+p works either way).

        Measured on every screen, so no screen needs its own width for it:
        at 80 columns the Profile's Quit was hidden behind the palette key.
        """
        palette = self._palette_key()
        if palette is None or not palette.display or not palette.region:
            return
        right = max((c.region.right for c in self.children if c is not palette and c.display and c.region), default=0)
        if right > palette.region.x:
            palette.display = False
