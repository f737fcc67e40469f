"""One recorded session: when, how it ended, pain, and every item's sides.

Pushed by the History screen; Escape (or q) goes back. Everything shown
comes from the session document and is displayed literally, never as markup.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, Label, Static

from ...core.domain.session import Session, SessionItem
from ...core.domain.session_rules import PAIN_FLAG_TEXT, pain_flagged
from ...core.reports import history as h
from ...core.text import clean_text
from ..widgets.app_modebar import ModeFooter
from .base import AppModalScreen

if TYPE_CHECKING:  # pragma: no cover
    from ...core.domain.catalog import Catalog

#: The layout of this module's screens, beside it (read when one is first shown).
CSS_FILE = Path(__file__).with_name("session_detail.tcss")


STOP_REASONS = {
    "user": "stopped by you",
    "symptoms": "stopped because symptoms spread",
    "ctrl-c": "stopped with Ctrl+C",
    "signal:SIGHUP": "the terminal closed",
    "signal:SIGTERM": "the app was asked to quit",
}


def describe(doc: Session) -> str:
    """The lines above the item table, as plain text."""
    lines = []
    when = h.started_at(doc)
    started = when.strftime("%a %d %b %Y, %H:%M") if when else "unknown date"
    offset = when.strftime(" (UTC%z)") if when else ""
    ended = doc.ended
    end_text = ""
    if ended:
        try:
            from datetime import datetime

            end_text = f", ended {datetime.fromisoformat(ended).strftime('%H:%M')}"
        except ValueError:
            end_text = ""
    lines.append(f"Started {started}{offset}{end_text}")
    status = h.status_label(doc)
    reason = doc.stop_reason
    if reason:
        status += f" — {STOP_REASONS.get(reason, clean_text(reason, multiline=False))}"
    lines.append(f"Status: {status}")
    planned = doc.planned_seconds
    time_text = f"Time: {h.format_clock(h.active_seconds(doc))}"
    if planned is not None and planned > 0:
        time_text += f" of {h.format_clock(planned)} planned"
    done = h.steps_done(doc)
    skipped = doc.steps_skipped
    total = doc.steps_total
    steps = f"{done} done"
    if skipped is not None:
        steps += f", {skipped} skipped"
    if total is not None:
        steps += f" of {total}"
    lines.append(f"{time_text} · steps {steps}")
    lines.append(f"Pain before → after: {h.format_pain(doc)}")
    if pain_flagged(doc.extra):
        lines.append(f"▲ {PAIN_FLAG_TEXT}")
    checkin = doc.checkin
    if checkin is not None:  # the day-after check-in (core/domain/checkin.py)
        said = "the same as" if checkin.answer == "same" else f"{checkin.answer} than"
        lines.append(f"Day after: {said} before the session (answered {checkin.at[:16].replace('T', ' ')})")
    note = doc.note
    if note.strip():
        lines.append(f"Note: {clean_text(note).strip()}")
    return "\n".join(lines)


def dose_text(item: SessionItem) -> str:
    reps, hold, mode = item.reps, item.hold, item.mode
    if reps is not None and hold is not None:
        unit = "s hold" if mode == "hold" else "s"
        return f"{reps} × {hold:g} {unit}"
    return "–"


class SessionDetailScreen(AppModalScreen[None]):
    """The items of one session with their sides done and skipped."""

    CSS_PATH = [CSS_FILE]

    BINDINGS = [
        Binding("escape,q", "close", "Back", id="session.close"),
    ]

    def __init__(self, session: Session, catalog: Catalog | None = None) -> None:
        super().__init__()
        self.session = session
        self.catalog = catalog

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Content(h.routine_name(self.session)), id="detail-title")
            yield Static(describe(self.session), id="detail-info", markup=False)
            yield DataTable(id="detail-items", cursor_type="row", zebra_stripes=True)
        yield ModeFooter()

    def on_mount(self) -> None:
        table = self.query_one("#detail-items", DataTable)
        for label, key in (("#", "n"), ("Stretch", "name"), ("Dose", "dose"), ("Side", "side"),
                           ("Done", "done"), ("Skipped", "skipped")):
            table.add_column(label, key=key)
        items = h.items_of(self.session)
        if not items:
            table.add_row("", Text("No items recorded."), "", "", "", "")
        for number, item in enumerate(items, 1):
            name = h.stretch_name(item.stretch, item, self.catalog)
            done = h.side_counts(item, "done")
            skipped = h.side_counts(item, "skipped")
            sides = [s for s in h.SIDES if s in done or s in skipped] or ["both"]
            for i, side in enumerate(sides):
                table.add_row(
                    Text(str(number) if i == 0 else ""),
                    Text(name if i == 0 else ""),
                    Text(dose_text(item) if i == 0 else ""),
                    Text(side),
                    Text(str(done.get(side, 0)), justify="right"),
                    Text(str(skipped.get(side, 0)), justify="right"),
                )
        table.focus()

    def action_close(self) -> None:
        self.dismiss(None)
