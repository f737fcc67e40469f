"""A one-line bar naming the app's screens and their keys, the current one highlighted.

Any mode screen can yield ``ModeBar("builder")`` at the top; the footer then
only needs a compact "1-5 Screens" group. Clicking a name switches to it.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static


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

    def on_mount(self) -> None:
        from ..app import MODE_KEYS

        parts: list = []
        for mode, key, label, _desc in MODE_KEYS:
            action = f"app.switch_to('{mode}')"
            if mode == self.mode:
                parts.append(Content.from_markup(f"[reverse bold $text] {key} {label} [/]"))
            else:
                parts.append(Content.from_markup(f"[@click={action}] [bold]{key}[/bold] {label} [/]"))
            parts.append(" ")
        parts.append(Content.from_markup("[dim] ? help[/]"))
        self.update(Content.assemble(*parts))
