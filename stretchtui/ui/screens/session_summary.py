"""After a session: what was done, and an optional pain score and note.

``SessionSummaryScreen(doc)`` takes the session document (as the recorder
wrote it) and dismisses with ``{"pain_before", "pain_after", "note"}`` when
the user saves, or ``None`` when they close it without adding anything. (How
the last stretch felt is asked before it, in the player's own dialog: here
digits type the pain, and nothing else.) The pain scores are answered as they
are typed (``session_rules.pain_answer``), in rows kept for that answer from
the start, so nothing under the pointer moves when it appears.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Input, Label, Static

from ...core.domain.player import parse_pain
from ...core.domain.session import RESPONSES, session_title
from ...core.domain.session_rules import pain_answer
from ...core.domain.timeline import format_duration
from ...core.text import clean_text, display
from .dialogs import Dialog

#: The layout of this module's screens, beside it (read when one is first shown).
CSS_FILE = Path(__file__).with_name("session_summary.tcss")


#: Rows kept for the items and a pain answer (one answer wraps to 4 lines in the dialog, plus an item line).
BODY_MIN_ROWS = 5


def _sides(counts: dict) -> str:
    if set(counts) == {"both"}:
        return ""
    return " · ".join(f"{side} {n}" for side, n in counts.items())


def item_line(item: dict) -> Text:
    """One line per item: a mark, the name, what was done and skipped."""
    done = item.get("done") or {}
    skipped = item.get("skipped") or {}
    per_side = max(1, int(item.get("reps") or 1))
    planned = per_side * max(1, len(done))
    total_done = sum(done.values())
    total_skipped = sum(skipped.values())
    mark = "✓" if total_done >= planned else ("–" if total_done or total_skipped else "·")
    text = Text(f"{mark} ")
    text.append(str(item.get("name", item.get("stretch", "?"))), style="bold")
    text.append(f"  {total_done}/{planned} done")
    sides = _sides(done)
    if sides and total_done:
        text.append(f" ({sides})")
    if total_skipped:
        text.append(f", {total_skipped} skipped")
    response = item.get("response")
    if response in RESPONSES:  # how it felt, answered in the rest after it
        text.append(f" · felt {response}" if response != "spreading" else " · symptoms spreading",
                    style="bold red" if response == "spreading" else "")
    return text


class SessionSummaryScreen(Dialog["dict | None"]):
    """Time, items done and skipped, pain before/after and a note."""

    CSS_PATH = [CSS_FILE]

    BINDINGS = [
        Binding("escape", "close", "Close", id="summary.close"),
        Binding("ctrl+s", "save", "Save", id="summary.save"),
    ]

    def __init__(self, doc: dict, *, saved: bool = True) -> None:
        super().__init__()
        self.doc = doc
        self._saved = saved

    def compose(self) -> ComposeResult:
        doc = self.doc
        status = str(doc.get("status", "completed"))
        if status == "symptoms":
            self.add_class("-symptoms")
        with Vertical():
            yield Label(
                Content(f"{session_title(status, doc.get('steps_done'))} · {display(doc.get('routine', ''))}"),
                id="summary-title",
            )
            time_line = (
                f"{format_duration(float(doc.get('active_seconds') or 0))} of "
                f"{format_duration(float(doc.get('planned_seconds') or 0))} planned · "
                f"{doc.get('steps_done', 0)} of {doc.get('steps_total', 0)} steps done · "
                f"{doc.get('steps_skipped', 0)} skipped"
            )
            if doc.get("counted") is False:
                time_line += " · not counted"
            if not self._saved:
                time_line += " · NOT SAVED (see the message)"
            yield Label(time_line, id="summary-time", markup=False)
            with Vertical(id="summary-body"):
                with VerticalScroll(id="summary-items", can_focus=False):
                    for item in doc.get("items", []):
                        yield Static(item_line(item), classes="summary-item")
                yield Static("", id="summary-pain-answer", markup=False)
            with Horizontal(classes="summary-row"):
                yield Label("Pain before", markup=False)
                value = doc.get("pain_before")
                yield Input(
                    "" if value is None else str(value),
                    id="summary-pain-before",
                    classes="pain",
                    restrict=r"[0-9]{0,2}",
                    max_length=2,
                    placeholder="0-10",
                )
                yield Label("after", markup=False)
                yield Input(
                    id="summary-pain-after", classes="pain", restrict=r"[0-9]{0,2}", max_length=2, placeholder="0-10"
                )
            with Horizontal(classes="summary-row"):
                yield Label("Note", markup=False)
                yield Input(id="summary-note", max_length=500, placeholder="optional, e.g. how it felt")
            yield Label("", id="summary-error", markup=False)
            with Horizontal(id="summary-buttons"):
                yield Button("Save", id="summary-save", variant="primary")
                yield Button("Close", id="summary-close")

    def on_mount(self) -> None:
        # Room for the items, and at least for a pain answer (up to 8 rows: the buttons stay on an 80x24 screen).
        self.query_one("#summary-body").styles.height = max(BODY_MIN_ROWS, min(8, len(self.doc.get("items", []))))
        self.query_one("#summary-pain-after", Input).focus()
        self._show_pain_answer()

    def _show_pain_answer(self) -> None:
        """Answer the scores as they are typed (high before; a rise of 2 or more after)."""
        scores = []
        for wid in ("#summary-pain-before", "#summary-pain-after"):
            try:
                scores.append(parse_pain(self.query_one(wid, Input).value))
            except ValueError:
                scores.append(None)
        answer = pain_answer(*scores)
        box = self.query_one("#summary-pain-answer", Static)
        box.update("\n".join(answer.lines))
        box.set_class(bool(answer), "-shown")

    @on(Input.Changed, ".pain")
    def _pain_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._show_pain_answer()

    def _values(self) -> dict[str, Any] | None:
        result: dict[str, Any] = {}
        for key, wid in (("pain_before", "#summary-pain-before"), ("pain_after", "#summary-pain-after")):
            field = self.query_one(wid, Input)
            try:
                result[key] = parse_pain(field.value)
            except ValueError as exc:
                self.query_one("#summary-error", Label).update(Content(f"Pain {key[5:]}: {exc}."))
                field.focus()
                return None
        result["note"] = clean_text(self.query_one("#summary-note", Input).value).strip()
        return result

    def action_save(self) -> None:
        values = self._values()
        if values is not None:
            self.dismiss(values)

    def action_close(self) -> None:
        """Close; anything typed is still kept (closing must not lose a note)."""
        values = self._values()
        if values is None:
            return
        before = self.doc.get("pain_before")
        if values["pain_after"] is None and not values["note"] and values["pain_before"] == before:
            self.dismiss(None)
        else:
            self.dismiss(values)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "summary-note":
            self.action_save()
        else:
            self.focus_next()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "summary-save":
            self.action_save()
        else:
            self.action_close()
