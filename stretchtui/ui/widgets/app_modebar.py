"""A one-line bar naming the app's screens and their keys, the current one highlighted.

Any mode screen can yield ``ModeBar("builder")`` at the top; the footer then
only needs a compact "1-5 Screens" group. Clicking a name switches to it.
"""

from __future__ import annotations

from itertools import groupby
from typing import Any, NamedTuple

from textual import events
from textual._context import active_app
from textual.binding import Binding
from textual.content import Content
from textual.style import Style
from textual.widget import Widget
from textual.widgets import Static

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


class FooterItem(NamedTuple):
    """One key the footer shows: where it is (``x``, ``width``, in the footer's cells) and what it does."""

    key: str
    key_display: str
    description: str
    action: str
    enabled: bool
    tooltip: str
    x: int
    width: int


class ModeFooter(Widget, can_focus=False):
    """The screen's keys on one line, drawn by one widget.

    It shows what Textual's ``Footer`` shows, as it shows it (the same theme
    colours, spacing, compact groups such as "12345 Screens", the command
    palette's key at the right edge, disabled keys dimmed), and does what its
    keys do: a click presses the key, hovering highlights it and shows its
    tooltip. Textual's footer is a container of one widget per key (13 on
    the catalog: more than half the screen's widgets), each mounted, styled
    and laid out before the first frame and again whenever the keys change;
    this one draws a line of text.

    Below 80 columns the keys sit closer together (Textual's compact footer)
    and the "12345 Screens" group and "? Help" are left out (the mode bar
    above shows both), so a screen's own keys still fit at the 60-column
    minimum; "^p palette" is left out when the keys would run under it
    (ctrl+p works either way).
    """

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"footer-key--key", "footer-key--description", "footer-key--hover", "footer--palette-edge"}
    DEFAULT_CSS = """
    ModeFooter {
        dock: bottom;
        width: 1fr;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        pointer: pointer;
        .footer-key--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .footer-key--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        .footer-key--hover {
            background: $block-hover-background;
        }
        .footer--palette-edge {
            color: $foreground 20%;
        }
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._items: list[FooterItem] = []
        self._hover: int | None = None  # index in _items under the pointer
        self._signature: object = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Any) -> None:
        if self.is_attached and screen is self.screen:
            # Redrawn only when what it shows changes (a focus move usually keeps the keys).
            try:
                shown = self._shown_bindings()
            except Exception:  # pragma: no cover - not on a screen yet
                return
            if self._keys_signature(*shown) != self._signature:
                self.refresh()

    @property
    def compact(self) -> bool:
        return 0 < self.size.width < COMPACT_BELOW

    def _shown_bindings(self) -> tuple[list[tuple[Binding, bool, str]], tuple[Binding, bool, str] | None]:
        """The screen's shown bindings (one per action, as Textual's footer) and the palette's."""
        active = self.screen.active_bindings
        by_action: dict[str, tuple[Binding, bool, str]] = {}
        for _node, binding, enabled, tooltip in active.values():
            if binding.show and binding.action not in by_action:
                by_action[binding.action] = (binding, enabled, tooltip)
        palette = None
        if self.app.ENABLE_COMMAND_PALETTE:
            found = active.get(self.app.COMMAND_PALETTE_BINDING)
            if found is not None:
                palette = (found[1], found[2], found[1].tooltip or found[1].description)
        return list(by_action.values()), palette

    def _keys_signature(self, keys: list[tuple[Binding, bool, str]], palette: tuple[Binding, bool, str] | None) -> object:
        """What the line shows depends on: the keys, the palette's key, the width and the theme."""
        return (
            tuple((b.key, b.action, b.description, b.key_display, b.group, e, t) for b, e, t in keys),
            None if palette is None else (palette[0].key, palette[1]),
            self.size.width, self.app.current_theme.name,
        )

    def render(self) -> Content:
        keys, palette = self._shown_bindings()
        self._signature = self._keys_signature(keys, palette)
        compact = self.compact
        key_style = self.get_visual_style("footer-key--key")
        desc_style = self.get_visual_style("footer-key--description")
        parts: list[Content] = []
        items: list[FooterItem] = []
        x = 0

        def add(text: str, style: Any = None) -> None:
            nonlocal x
            parts.append(Content.styled(text, style) if style is not None else Content(text))
            x += len(text)

        def key_item(binding: Binding, enabled: bool, tooltip: str, description: str, key_pad: str,
                     desc_before: str, desc_after: str) -> None:
            nonlocal x
            start = x
            display = self.app.get_key_display(binding)
            add(f"{key_pad}{display}{key_pad}", key_style if enabled else key_style + Style(dim=True))
            if description:
                add(f"{desc_before}{description}{desc_after}", desc_style if enabled else desc_style + Style(dim=True))
            items.append(FooterItem(binding.key, display, description, binding.action, enabled,
                                    tooltip or binding.tooltip or ("" if description else binding.description),
                                    start, x - start))

        for group, members in groupby(keys, lambda k: k[0].group):
            members_list = list(members)
            if group is not None and len(members_list) > 1:
                # Below 80 columns the mode bar shows the screens: their group is left out.
                if compact and all(b.action.startswith("switch_to(") for b, _e, _t in members_list):
                    continue
                if group.compact:  # " 12345 Screens ": the keys side by side
                    add(" ")
                    for binding, enabled, tooltip in members_list:
                        key_item(binding, enabled, tooltip or binding.description, "", "", "", "")
                    add(" ")
                else:  # " 1  2  3 Screens "
                    for binding, enabled, tooltip in members_list:
                        add(" ")
                        key_item(binding, enabled, tooltip or binding.description, "", "", "", "")
                        add(" ")
                add(group.description, desc_style)
                add(" ")
                continue
            for binding, enabled, tooltip in members_list:
                if compact:  # "k Desc " (the mode bar shows "? help")
                    if binding.action in ("help", "app.help"):
                        continue
                    key_item(binding, enabled, tooltip, binding.description, "", " ", "")
                    add(" ")
                else:  # " k Desc "
                    key_item(binding, enabled, tooltip, binding.description, " ", "", " ")
        if palette is not None:  # "▏^p palette " at the right edge, where the keys leave room
            binding, enabled, tooltip = palette
            width = 1 + len(self.app.get_key_display(binding)) + 1 + len(binding.description) + (0 if compact else 1)
            start = self.size.width - width
            if start >= x:
                add(" " * (start - x))
                parts.append(Content.styled("▏", self.get_visual_style("footer--palette-edge")))
                x += 1
                key_item(binding, enabled, tooltip, binding.description, "", " ", "" if compact else " ")
        self._items = items
        line = Content.assemble(*parts)
        if self._hover is not None and self._hover < len(items):
            hovered = items[self._hover]
            line = line.stylize(self.get_visual_style("footer-key--hover"), hovered.x, hovered.x + hovered.width)
        return line

    # ------------------------------------------------------------ pointer

    def items(self) -> list[FooterItem]:
        """The keys shown now, left to right (the palette's last), with their cells."""
        return list(self._items)

    def _item_at(self, x: int) -> int | None:
        return next((i for i, item in enumerate(self._items) if item.x <= x < item.x + item.width), None)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        index = self._item_at(event.x)
        if index != self._hover:
            self._hover = index
            self.tooltip = (self._items[index].tooltip or None) if index is not None else None
            self.refresh()

    def on_leave(self) -> None:
        if self._hover is not None:
            self._hover = None
            self.tooltip = None
            self.refresh()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        index = self._item_at(event.x)
        if index is None:
            return
        item = self._items[index]
        if item.enabled:
            self.app.simulate_key(item.key)
        else:
            self.app.bell()
