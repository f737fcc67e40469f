"""A whole-number field that the screen's keys cannot edit by surprise.

A plain ``Input`` takes every digit it sees, so on a screen where 1-5 switch
screens, pressing 3 to go to the Library typed a 3 into the field (and the
next Down saved it). :class:`NumberField` shows its value and takes
``+``/``-`` (or right/left) to step it; digits reach it only after Enter
starts typing (Enter again saves, Escape puts the old value back). Outside
that edit mode every other key goes on to the screen and the app.
"""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input


class NumberField(Input):
    """A number in ``[low, high]``: +/- step it; Enter to type, Enter to save, Escape to cancel."""

    DEFAULT_CSS = """
    NumberField.-editing {
        background: $boost;
        text-style: underline;
    }
    """

    BINDINGS = [
        Binding("plus,equals_sign", "step(1)", "+1", show=False, id="number-field.up"),
        Binding("minus", "step(-1)", "-1", show=False, id="number-field.down"),
        Binding("escape", "cancel_edit", "Cancel typing", show=False, id="number-field.cancel-typing"),
    ]

    class Stepped(Message):
        """The value changed with +/- (already in range)."""

        def __init__(self, field: NumberField, value: int) -> None:
            super().__init__()
            self.field = field
            self.value = value

        @property
        def control(self) -> NumberField:
            return self.field

    def __init__(self, value: int, *, low: int, high: int, step: int = 1, **kwargs) -> None:
        # No selection on focus: start_editing selects all itself, and a focus
        # event handled after the first typed digit must not select it away.
        kwargs.setdefault("select_on_focus", False)
        super().__init__(value=str(value), type="integer", **kwargs)
        self.low, self.high, self.step_size = low, high, step
        self.editing = False
        self._before_edit: str | None = None

    # ------------------------------------------------------------ edit mode
    def start_editing(self) -> None:
        self.editing = True
        self._before_edit = self.value
        self.add_class("-editing")
        self.select_all()

    def stop_editing(self) -> None:
        self.editing = False
        self._before_edit = None
        self.remove_class("-editing")

    def check_consume_key(self, key: str, character: str | None) -> bool:
        return self.editing and super().check_consume_key(key, character)

    async def _on_key(self, event: events.Key) -> None:
        if not self.editing:
            # Nothing is typed (Textual would call Input's own handler next
            # without this); the key goes on to the screen's bindings.
            event.prevent_default()

    def _on_blur(self, event: events.Blur) -> None:
        self.stop_editing()
        super()._on_blur(event)

    # ------------------------------------------------------------ actions
    async def action_submit(self) -> None:
        if not self.editing:
            self.start_editing()
            return
        self.stop_editing()
        await super().action_submit()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Outside edit mode Escape belongs to the screen; inside it +/- are typed.
        if action == "cancel_edit":
            return self.editing
        if action == "step":
            return not self.editing
        return True

    def action_cancel_edit(self) -> None:
        if self._before_edit is not None:
            self.value = self._before_edit
        self.stop_editing()

    def action_step(self, delta: int) -> None:
        try:
            current = int(self.value)
        except ValueError:
            current = self.low
        value = max(self.low, min(self.high, current + delta * self.step_size))
        if str(value) != self.value:
            self.value = str(value)
            self.post_message(self.Stepped(self, value))

    def action_cursor_left(self, select: bool = False) -> None:
        if self.editing:
            super().action_cursor_left(select)
        else:
            self.action_step(-1)

    def action_cursor_right(self, select: bool = False) -> None:
        if self.editing:
            super().action_cursor_right(select)
        else:
            self.action_step(1)
