"""A Checkbox whose state shows as a character, not only as a colour.

Textual's Checkbox draws an "X" in both states and tells them apart by
colour, which disappears with ``NO_COLOR`` or a monochrome terminal. This
one draws "X" when ticked and a blank when not.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Checkbox


class MarkCheckbox(Checkbox):
    """Checkbox that reads the same without colour."""

    @property
    def _button(self) -> Content:
        button = super()._button
        if self.value:
            return button
        plain = button.plain
        if len(plain) == 3:
            inner = button[1:2]
            blank = Content(" ")
            for span in inner.spans:
                blank = blank.stylize(span.style, 0, 1)
            return Content.assemble(button[0:1], blank, button[2:3])
        return button
