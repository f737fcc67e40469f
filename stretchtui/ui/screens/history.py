"""The History screen (the app's ``history`` mode): past sessions and progress.

Four tabs under one filter bar (routine, date range):

* **Sessions** — newest first; Enter opens :class:`SessionDetailScreen`.
* **Progress** — streaks, minutes per week (12 weeks), a heat map of the last
  16 weeks, the pain trend and, when the profile has PSFS activities, their
  ratings over time (from the profile, not the filters).
* **Stretches** — adherence per stretch and side, and time held.
* **Summary** — the plain-text clinician summary; ``c`` sends it to the
  local clipboard (OSC 52, works over SSH when the terminal allows it; the
  toast says what was sent and, inside tmux, how to let it through); ``w``
  saves it to a text file (asks where, reports the absolute path).

All figures come from :func:`stretchtui.core.reports.history.compute_stats`, run
once per filter change in a thread worker, never per render. The session
table is filled a page at a time so 10,000 sessions open quickly. The data
is reloaded from the store whenever the screen is shown again, because the
player adds sessions while the screen sits in the background; the database
is only re-parsed when its file changed (the app's one sessions cache,
:mod:`stretchtui.core.storage.sessions_cache`), and one read at a time. Measured with ``python -m bench.bench_history``.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import (
    Button,
    DataTable,
    Label,
    Select,
    Static,
    TabbedContent,
    TabPane,
    Tabs,
)

from ...core.domain.models import LIMITS, Profile
from ...core.domain.session import Session
from ...core.reports import history as h
from ...core.reports.aggregates import NewestFirst
from ..background import store_call
from ..widgets.app_modebar import ModeBar, ModeFooter
from ..widgets.history_charts import PSFS_LEGEND, HeatMapGrid, PainChart, PsfsChart, WeeklyBars
from .base import AppScreen

#: The layout of this module's screens, beside it (read when one is first shown).
CSS_FILE = Path(__file__).with_name("history.tcss")


#: Select value meaning "every routine" (names are cleaned, so no name has a NUL).
ALL_ROUTINES = "\x00all"
#: (label, days) for the date-range filter; 0 means all time.
RANGES = (("All time", 0), ("Last 7 days", 7), ("Last 30 days", 30), ("Last 90 days", 90), ("Last 12 months", 365))
#: Select value of the "Custom range…" entry (opens :class:`DateRangeDialog`).
CUSTOM_RANGE = -1
#: Width of the "When" Select while it shows a custom range (22 otherwise).
CUSTOM_RANGE_WIDTH = 30
#: (label, weeks) for the clinician summary.
SUMMARY_WEEKS = (("Last 2 weeks", 2), ("Last 4 weeks", 4), ("Last 8 weeks", 8), ("Last 12 weeks", 12))
#: Rows added to the session table at a time.
PAGE = 300
#: Seconds of "Loading…" after which the status line says why it takes a while.
SLOW_LOAD_NOTICE = 1.5
#: ... and what it says (one line at 80 columns: the per-year figures are rebuilt after an update).
SLOW_LOAD_TEXT = "Still reading… the first time after an update takes a few seconds."
#: Rows the first view of History reads at least before it shows (more than a screen holds): the
#: newest year file usually holds them; the year before is read when the rows reach it.
FIRST_ROWS = 100
#: Longest routine name shown in the sessions table before it is cut with "…", at 80 columns;
#: wider terminals give the names the extra width (up to the longest name allowed).
NAME_WIDTH = 24
#: The same for stretch names in the Stretches tab.
STRETCH_NAME_WIDTH = 20
#: Columns the other cells of each table take (with their padding) beside the name.
SESSIONS_OTHER_COLUMNS = 66
STRETCHES_OTHER_COLUMNS = 56


def short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def name_width(screen_width: int, others: int, least: int) -> int:
    """Room for a name column: what the other columns leave, never less than ``least`` (80 columns' room)."""
    return max(least, min(LIMITS["name"], screen_width - others))


def _redraw_rows(table: DataTable) -> None:
    """Draw ``table``'s rows again at the column widths of the rows just added.

    Filled again (a filter, the first view then the full one), a DataTable could
    keep rows drawn at the widths of the column labels alone ("2026" for
    "2026-03-15 12:10", "comple" for "completed") until something else
    redrew them; DataTable has no public call for this, so its own cache
    reset is used.
    """
    table._clear_caches()
    table.refresh()


def session_stamp(doc: Session) -> str:
    """``2026-03-02 08:00`` in the session's own (local at the time) offset."""
    when = h.started_at(doc)
    return when.strftime("%Y-%m-%d %H:%M") if when else "unknown date"


def held_text(seconds: float) -> str:
    """Compact time held for the adherence table: ``45s``, ``12m``, ``3h05m``."""
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds}s"
    minutes = seconds // 60
    return f"{minutes}m" if minutes < 60 else f"{minutes // 60}h{minutes % 60:02d}m"


def table_status(doc: Session) -> str:
    """Status for the session table (short enough for 80 columns)."""
    if not doc.counted:
        return "not counted"
    return doc.status_info.label


#: Theme variable and text style of each status in the session table. A
#: symptom stop stands out in bold (also under NO_COLOR, where colours go).
STATUS_STYLES = {
    "completed": ("text-success", ""),
    "stopped": ("", ""),
    "symptoms": ("text-error", "bold"),
    "interrupted": ("text-warning", ""),
    "running": ("text-warning", ""),
    "not counted": ("", "dim"),
}


def status_text(doc: Session, colours: Mapping[str, str]) -> Text:
    """The table's status cell, coloured with the theme's ``colours`` (its CSS variables)."""
    if h.is_symptom_stop(doc):
        key = "symptoms"
        label = "symptoms" if doc.counted else "symptoms, not counted"
    else:
        label = table_status(doc)
        key = doc.status if doc.counted else "not counted"
    variable, style = STATUS_STYLES.get(key, ("", ""))
    colour = colours.get(variable, "") if variable else ""
    return Text(label, style=" ".join(part for part in (style, colour) if part))


#: The day-after check-in answers, coloured like the statuses they echo.
CHECKIN_STYLES = {"better": ("text-success", ""), "same": ("", ""), "worse": ("text-warning", "bold")}


def checkin_text(doc: Session, colours: Mapping[str, str]) -> Text:
    """The "Next day" cell: the day-after check-in's answer, or "–" when none was given."""
    checkin = doc.checkin
    if checkin is None:
        return Text("–", style="dim")
    variable, style = CHECKIN_STYLES.get(checkin.answer, ("", ""))
    colour = colours.get(variable, "") if variable else ""
    return Text(checkin.answer, style=" ".join(part for part in (style, colour) if part))


@dataclass(frozen=True)
class _Result:
    generation: int
    stats: h.HistoryStats
    summary: str
    sessions: list | None  # set when the worker re-read the store
    fingerprint: tuple | None
    routines: list | None  # routine names in the whole history, with ``sessions``
    filters: tuple = ()  # (routine, when, weeks) the figures were computed for
    view: bool = False  # the first view, from the store's per-year aggregates (no session list held)


class HistoryScreen(AppScreen[None]):
    """Past sessions, progress charts, adherence and the clinician summary."""

    CSS_PATH = [CSS_FILE]

    AUTO_FOCUS = "#history-table"

    BINDINGS = [
        Binding("c", "copy_summary", "Copy summary", tooltip="Copy the clinician summary to your clipboard", id="history.copy"),
        Binding("w", "save_summary", "Save summary", tooltip="Save the clinician summary to a text file",
                show=False, id="history.save-summary"),
        Binding("f", "focus_filter", "Filter", tooltip="Filter by routine", id="history.filter"),
        Binding("r", "reload", "Reload", show=False, id="history.reload"),
        Binding("s", "show_tab('tab-sessions')", "Sessions", show=False, id="history.sessions"),
        Binding("p", "show_tab('tab-progress')", "Progress", show=False, id="history.progress"),
        Binding("t", "show_tab('tab-stretches')", "Stretches", show=False, id="history.stretches"),
        Binding("m", "show_tab('tab-summary')", "Summary", show=False, id="history.summary"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._sessions: list[Session] = []
        self._fingerprint: tuple | None = None
        self._generation = 0
        self._stats: h.HistoryStats | None = None
        self._load_failed = False  # a read failed before anything was shown (see _unreadable)
        self._filled_widths: tuple[int, int] = (0, 0)  # the name widths the tables were filled for
        self._summary = ""
        self._shown = 0  # session rows currently in the table
        #: The first row of the page being read for the table (None: none), see :meth:`_more_rows`.
        self._rows_pending: int | None = None
        self._routines: list[str] = []
        # The date filter in force: days (0 = all time) or an inclusive (start, end).
        self._when: int | tuple[date, date] = 0
        self._reload_pending = False
        self._requested: tuple | None = None  # filters of the newest computation started
        self._applied: tuple | None = None  # filters of the figures shown
        # One read at a time (the app's sessions cache reads the store only when it changed).
        self._load_lock = threading.Lock()
        # Whether self._sessions holds every session (False while the first view, from the
        # aggregates, is shown: a filter then reads the whole history).
        self._full = False

    # ----------------------------------------------------------------- layout

    def compose(self) -> ComposeResult:
        yield ModeBar("history")
        with Horizontal(id="history-filters"):
            yield Label("Routine")
            yield Select([(Content("All routines"), ALL_ROUTINES)], value=ALL_ROUTINES, allow_blank=False,
                         compact=True, id="history-routine")
            yield Label("When")
            yield Select(self._range_options(), value=0, allow_blank=False, compact=True, id="history-range")
        yield Static("Loading…", id="history-status", markup=False)
        with TabbedContent(id="history-tabs"):
            with TabPane("[u]S[/u]essions", id="tab-sessions"):
                yield DataTable(id="history-table", cursor_type="row", zebra_stripes=True)
            with TabPane("[u]P[/u]rogress", id="tab-progress"):
                with VerticalScroll(id="history-progress"):
                    yield Static("Minutes per week, last 12 weeks", classes="chart-title", markup=False)
                    yield WeeklyBars(id="history-weekly")
                    with Horizontal(id="history-lower"):
                        with Vertical(id="history-heat-box"):
                            yield Static("Daily minutes, last 16 weeks", classes="chart-title", markup=False)
                            yield HeatMapGrid(id="history-heat")
                        with Vertical(id="history-pain-box"):
                            yield Static("Pain (0–10), oldest → newest", classes="chart-title", markup=False)
                            yield PainChart(id="history-pain")
                            yield Static(
                                "One column per session: ▁ is 0 (no pain), █ is 10. Compare the two rows to see how a session changed things.",
                                id="history-pain-note",
                                markup=False,
                            )
                    with Vertical(id="history-psfs-box"):
                        yield Static("Activities (PSFS 0–10), oldest → newest", classes="chart-title", markup=False)
                        yield PsfsChart(id="history-psfs")
                        yield Static(PSFS_LEGEND, id="history-psfs-note", markup=False)
            with TabPane("S[u]t[/u]retches", id="tab-stretches"):
                yield DataTable(id="history-adherence", cursor_type="row", zebra_stripes=True)
            with TabPane("Su[u]m[/u]mary", id="tab-summary"):
                with Horizontal(id="history-summary-bar"):
                    yield Select([(Content(label), weeks) for label, weeks in SUMMARY_WEEKS], value=4,
                                 allow_blank=False, compact=True, id="history-summary-weeks")
                    yield Button(Content("Copy (c)"), id="history-copy", compact=True)
                    yield Button(Content("Save to file (w)"), id="history-save", compact=True)
                with VerticalScroll(id="history-summary-scroll"):
                    yield Static("", id="history-summary", markup=False)
        yield ModeFooter()

    def on_mount(self) -> None:
        table = self.query_one("#history-table", DataTable)
        table.add_column("Date", key="date")
        table.add_column("Routine", key="routine")
        table.add_column("Time", key="time")
        table.add_column("Status", key="status")
        table.add_column("Pain", key="pain")
        table.add_column("Next day", key="checkin")
        adherence = self.query_one("#history-adherence", DataTable)
        for label, key in (("Stretch", "name"), ("Sess", "sessions"), ("Done", "done"), ("Skip", "skipped"),
                           ("%", "pct"), ("Left d/s", "left"), ("Right d/s", "right"), ("Held", "held")):
            adherence.add_column(label, key=key)
        self.watch(self.app, "profile", self._show_psfs)
        self.watch(table, "scroll_y", self._table_scrolled, init=False)
        self.set_timer(SLOW_LOAD_NOTICE, self._still_loading)

    def _still_loading(self) -> None:
        """Nothing to show yet: say why (a user might think the screen hung)."""
        if self._stats is None and not self._load_failed:
            self.query_one("#history-status", Static).update(SLOW_LOAD_TEXT)

    def _show_psfs(self, profile: Profile) -> None:
        """The Progress tab's PSFS chart: the profile's activities (hidden when there are none)."""
        self.query_one("#history-psfs", PsfsChart).activities = tuple(profile.psfs)
        self.query_one("#history-psfs-box").display = bool(profile.psfs)

    def on_screen_resume(self) -> None:
        self.reload()

    # ----------------------------------------------------------------- data

    @property
    def today(self) -> date:
        return self.app.clock.now().date()

    @property
    def stats(self) -> h.HistoryStats | None:
        """The figures currently shown (None until the first computation ends)."""
        return self._stats

    @property
    def summary_text(self) -> str:
        return self._summary

    def reload(self, *, force: bool = False) -> None:
        """Read the sessions from the store again (in the worker); recompute when anything changed."""
        self._reload_pending = True
        self._start(reload=True, force=force)

    def recompute(self) -> None:
        """Recompute the figures for the current filters (in a worker)."""
        self._start(reload=self._reload_pending, force=False)

    def _start(self, *, reload: bool, force: bool) -> None:
        self._generation += 1
        routine, when, weeks = self._requested = self._filters()
        args = (self._generation, reload or not self._full, force, self._sessions, routine, when, weeks, self.today)
        store_call(self, "history-stats", lambda: self._compute(*args), self._computed, self._unreadable,
                   exclusive=False)

    def _read_sessions(self, generation: int, force: bool) -> list[Session] | None:
        """The store's sessions; re-parsed only when the database file changed (or ``force``).

        None when a newer request came in meanwhile (it reads instead). Reads
        are serialised, so requests made while one is under way (the filters
        announce their values when the screen mounts) wait for it and reuse
        its list instead of parsing the same 8 MB again.
        """
        with self._load_lock:
            if generation != self._generation:
                return None
            return self.app.sessions.sessions(force=force)

    @staticmethod
    def _fingerprint_of(sessions: list[Session], today: date) -> tuple:
        if not sessions:
            return (0, None, None, None, today)
        last = sessions[-1]
        return (len(sessions), last.number, last.status, last.ended, today)

    def _compute(self, generation: int, reload: bool, force: bool, sessions: list[Session],
                 routine: str | None, when: int | tuple[date, date], weeks: int, today: date) -> _Result | int | None:
        """Load (optionally) and compute everything (in a thread worker, see :meth:`_start`).

        Returns the figures, or ``generation`` when the sessions did not change
        since the figures shown, or None when a newer request is on its way.
        """
        fingerprint = self._fingerprint
        if reload and routine is None and when == 0 and not self._full:
            view = self._first_view(generation, today, weeks)
            if view is not None:
                return view
        if reload:
            loaded = self._read_sessions(generation, force)
            if loaded is None:
                return None  # a newer request is on its way
            sessions = loaded
            fingerprint = self._fingerprint_of(sessions, today)
            unchanged = fingerprint == self._fingerprint and self._applied == (routine, when, weeks)
            if not force and unchanged and self._stats is not None:
                return generation
        if generation != self._generation:
            return None  # a newer request is on its way
        catalog = self.app.catalog
        mine = h.filter_sessions(sessions, routine=routine) if routine is not None else sessions
        start: date | None
        end: date | None
        if isinstance(when, tuple):
            start, end = when
        else:
            start = h.range_start(today, when) if when else None
            end = today if start else None
        stats = h.compute_stats(mine, today, catalog, start=start, end=end)
        summary = h.clinician_summary(sessions, catalog, today, weeks=weeks, psfs=self.app.profile.psfs,
                                      profile=self.app.profile)
        routines = h.routine_names(sessions) if reload else None
        return _Result(generation, stats, summary, sessions if reload else None, fingerprint, routines,
                       (routine, when, weeks))

    def _computed(self, answer: _Result | int | None) -> None:
        if isinstance(answer, _Result):
            self._apply(answer)
        elif answer is not None:
            self._loaded_unchanged(answer)

    def _unreadable(self, exc: BaseException) -> None:
        # StoreError and friends: say so, keep what we had
        self._load_failed = True
        self.notify(f"Could not read the history: {exc}", markup=False, severity="error", timeout=10)
        if self._stats is None:
            self.query_one("#history-status", Static).update("Could not read the history (ctrl+l shows why).")

    def _first_view(self, generation: int, today: date, weeks: int) -> _Result | None:
        """Every figure of the unfiltered view from the store's per-year aggregates (worker thread).

        No session list is held: the table reads its pages a group of years
        at a time (the newest group is read here, off the UI thread). None
        when the store has no aggregates (the old single-file layout, a test
        double): the whole history is read instead.
        """
        from datetime import timedelta

        from ...core.reports import aggregates

        store = self.app.store
        if not hasattr(store, "aggregates_available"):
            return None
        with self._load_lock:
            if generation != self._generation:
                return None
            stamp_of = getattr(store, "sessions_stamp", None)
            stamp = stamp_of() if stamp_of is not None else None
            merged = aggregates.history(store)
            if merged is None:
                return None
            catalog = self.app.catalog
            stats = aggregates.history_stats(merged, store, today, catalog)
            sessions = stats.sessions
            assert isinstance(sessions, aggregates.NewestFirst)
            sessions.prefetch(FIRST_ROWS, PAGE)  # the table's first rows, read here rather than on the UI thread
            docs, earlier = aggregates.summary_sessions(store, today - timedelta(days=7 * weeks - 1), merged,
                                                        read=sessions.year_sessions)
        summary = h.clinician_summary(
            docs, catalog, today, weeks=weeks, psfs=self.app.profile.psfs, profile=self.app.profile,
            earlier_days=earlier.days if earlier else (), earlier_doses=earlier.doses if earlier else None,
        )
        return _Result(generation, stats, summary, None, ("view", stamp, today), aggregates.routine_names(merged),
                       (None, 0, weeks), view=True)

    def _loaded_unchanged(self, generation: int) -> None:
        if generation == self._generation:
            self._reload_pending = False

    def _apply(self, result: _Result) -> None:
        if result.generation != self._generation:
            return  # a newer request is on its way (it reloads too if this one did)
        if result.sessions is not None:
            self._sessions = result.sessions
            self._full = True
            self._fingerprint = result.fingerprint
            self._reload_pending = False
            self._update_routine_options(result.routines or [])
        elif result.view:
            self._sessions, self._full = [], False  # the full list is not kept
            self._fingerprint = result.fingerprint
            self._reload_pending = False
            self._update_routine_options(result.routines or [])
        stats = self._stats = result.stats
        self._applied = result.filters
        self._summary = result.summary
        self._fill_sessions(stats)
        self._fill_status(stats)
        self.query_one("#history-weekly", WeeklyBars).weeks = tuple(stats.weekly)
        self.query_one("#history-heat", HeatMapGrid).heat = stats.heat
        self.query_one("#history-pain", PainChart).points = tuple(stats.pain)
        self._fill_adherence(stats)
        self.query_one("#history-summary", Static).update(self._summary)

    def _update_routine_options(self, routines: list[str]) -> None:
        if routines == self._routines:
            return
        self._routines = routines
        select = self.query_one("#history-routine", Select)
        current = select.value
        with self.prevent(Select.Changed):
            select.set_options([(Content("All routines"), ALL_ROUTINES)] + [(Content(n), n) for n in routines])
            select.value = current if current in routines else ALL_ROUTINES
        if current not in routines and current != ALL_ROUTINES:
            self.recompute()  # the routine shown is gone: show everything

    def _filters(self) -> tuple[str | None, int | tuple[date, date], int]:
        routine = self.query_one("#history-routine", Select).value
        weeks = self.query_one("#history-summary-weeks", Select).value
        return (
            None if routine in (ALL_ROUTINES, Select.NULL) else str(routine),
            self._when,  # "Custom range…" only counts once its dialog gave a range
            int(weeks) if isinstance(weeks, int) else 4,
        )

    @staticmethod
    def _range_options(custom: tuple[date, date] | None = None) -> list:
        options: list = [(Content(label), days) for label, days in RANGES]
        if custom is not None:
            options.append((Content(h.range_label(*custom)), custom))
        options.append((Content("Custom range…"), CUSTOM_RANGE))
        return options

    def _show_when(self, when: int | tuple[date, date]) -> None:
        """Put the "When" Select on ``when`` without announcing it (a custom range gets its own entry)."""
        select = self.query_one("#history-range", Select)
        custom = when if isinstance(when, tuple) else None
        with self.prevent(Select.Changed):
            select.set_options(self._range_options(custom))
            select.value = when
        select.styles.width = CUSTOM_RANGE_WIDTH if custom is not None else None

    def _ask_custom_range(self) -> None:
        from .date_range import DateRangeDialog

        today = self.today
        start: date | None
        if isinstance(self._when, tuple):
            start, end = self._when
        else:
            start, end = h.range_start(today, self._when or 30), today

        def chosen(result: tuple[date, date] | None) -> None:
            if result is not None:
                self._when = result
            self._show_when(self._when)   # cancelled: back to the previous choice
            self.query_one("#history-range", Select).focus()
            if self._filters() != self._requested:
                self.recompute()

        self.app.push_screen(DateRangeDialog(start, end), chosen)

    def _fill_status(self, stats: h.HistoryStats) -> None:
        status = self.query_one("#history-status", Static)
        if not self._sessions and not stats.total:
            status.update("No sessions yet. Play a routine from the library (3) and it will show up here.")
            return
        text = (
            f"{h.plural(stats.total, 'session')} · {h.format_minutes(stats.total_seconds)}"
            f" · streak {h.plural(stats.current_streak, 'day')} (best {stats.longest_streak})"
        )
        if stats.symptom_stops:
            stops = "stop" if stats.symptom_stops == 1 else "stops"
            text += f" · {stats.symptom_stops:,} symptom {stops}"
        status.update(text)

    @property
    def _name_widths(self) -> tuple[int, int]:
        """Routine and stretch name widths for this screen's width."""
        width = self.size.width or 80
        return (name_width(width, SESSIONS_OTHER_COLUMNS, NAME_WIDTH),
                name_width(width, STRETCHES_OTHER_COLUMNS, STRETCH_NAME_WIDTH))

    def on_resize(self, _event: events.Resize) -> None:
        # Wider or narrower: names get the new room (only when it changes what is shown).
        if self._stats is not None and self._name_widths != self._filled_widths:
            self._fill_sessions(self._stats)
            self._fill_adherence(self._stats)

    def _fill_sessions(self, stats: h.HistoryStats) -> None:
        self._filled_widths = self._name_widths
        table = self.query_one("#history-table", DataTable)
        table.clear()
        self._shown = 0
        self._rows_pending = None
        self._add_session_rows()
        if not stats.sessions and self._sessions:
            table.add_row(Text("No sessions match these filters.", style="italic"), "", "", "", "", "", key="empty")

    def _add_session_rows(self, docs: list[Session] | None = None) -> None:
        """The next page of rows: ``docs`` as read by :meth:`_more_rows`' worker, or read here (the
        first page, which the worker that built the view has read already)."""
        stats = self._stats
        if stats is None:
            return
        table = self.query_one("#history-table", DataTable)
        if docs is None:  # the first rows: those in memory already (the view's worker read them)
            sessions = stats.sessions
            end = min(len(sessions), self._shown + PAGE)
            if isinstance(sessions, NewestFirst):
                end = min(end, max(sessions.ready, self._shown))
            docs = [sessions[index] for index in range(self._shown, end)]
        else:
            end = self._shown + len(docs)
        colours = self.app.theme_variables
        routine_width = self._filled_widths[0]  # set by _fill_sessions for this width
        rows = []
        for doc in docs:
            rows.append(
                (
                    Text(session_stamp(doc)),
                    Text(short(h.routine_name(doc), routine_width)),
                    Text(h.format_clock(h.active_seconds(doc)), justify="right"),
                    status_text(doc, colours),
                    Text(h.format_pain(doc)),
                    checkin_text(doc, colours),
                )
            )
        for offset, row in enumerate(rows):
            table.add_row(*row, key=str(self._shown + offset))
        self._shown = end
        self.call_after_refresh(_redraw_rows, table)

    def _fill_adherence(self, stats: h.HistoryStats) -> None:
        table = self.query_one("#history-adherence", DataTable)
        table.clear()
        self.call_after_refresh(_redraw_rows, table)

        def side(row: h.StretchAdherence, name: str) -> Text:
            if name not in row.done and name not in row.skipped:
                return Text("–")
            return Text(f"{row.done.get(name, 0)}/{row.skipped.get(name, 0)}")

        stretch_width = self._name_widths[1]
        for row in stats.adherence:
            pct = row.percent
            table.add_row(
                Text(short(row.name, stretch_width)),
                Text(str(row.sessions), justify="right"),
                Text(str(row.total_done), justify="right"),
                Text(str(row.total_skipped), justify="right"),
                Text("–" if pct is None else f"{pct}%", justify="right"),
                side(row, "left"),
                side(row, "right"),
                Text(held_text(row.hold_seconds), justify="right"),
                key=row.stretch,
            )

    # ----------------------------------------------------------------- events

    @on(Select.Changed, "#history-range")
    def _range_changed(self, event: Select.Changed) -> None:
        event.stop()
        value = event.value
        if value == CUSTOM_RANGE:
            self._ask_custom_range()
            return
        if isinstance(value, int) and value != self._when:
            self._show_when(value)  # drops an earlier custom entry
            self._when = value
        elif isinstance(value, tuple):
            self._when = value
        if self._filters() != self._requested:
            self.recompute()

    @on(Select.Changed, "#history-routine")
    @on(Select.Changed, "#history-summary-weeks")
    def _filters_changed(self, event: Select.Changed) -> None:
        event.stop()
        if self._filters() != self._requested:  # the Selects also announce their first value
            self.recompute()

    @on(DataTable.RowHighlighted, "#history-table")
    def _maybe_more_rows(self, event: DataTable.RowHighlighted) -> None:
        stats = self._stats
        if stats is None or self._shown >= len(stats.sessions):
            return
        if event.cursor_row >= self._shown - 20:
            self._more_rows(stats)

    def _table_scrolled(self, scroll_y: float) -> None:
        """Scrolled near the last row (the mouse wheel moves no cursor): the next page."""
        stats = self._stats
        if stats is None or self._shown >= len(stats.sessions):
            return
        table = self.query_one("#history-table", DataTable)
        if scroll_y >= table.max_scroll_y - 20:
            self._more_rows(stats)

    def _more_rows(self, stats: h.HistoryStats) -> None:
        """The next page of rows, read in a worker: a page may start in a year file not read yet
        (about 0.1 s for a thousand sessions), which the UI thread does not wait for."""
        start = self._shown
        if self._rows_pending == start:
            return  # asked for already
        self._rows_pending = start
        end = min(len(stats.sessions), start + PAGE)

        def read() -> list[Session]:
            return [stats.sessions[index] for index in range(start, end)]

        def got(docs: list[Session]) -> None:
            if self._rows_pending == start:
                self._rows_pending = None
            if stats is self._stats and self._shown == start:  # else the view changed meanwhile
                self._add_session_rows(docs)

        def failed(exc: BaseException) -> None:
            if self._rows_pending == start:
                self._rows_pending = None
            self._unreadable(exc)

        store_call(self, "history-rows", read, got, failed)

    @on(DataTable.RowSelected, "#history-table")
    def _open_session(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value
        stats = self._stats
        if stats is None or key is None or not key.isdigit() or int(key) >= len(stats.sessions):
            return
        from .session_detail import SessionDetailScreen

        self.app.push_screen(SessionDetailScreen(stats.sessions[int(key)], self.app.catalog))

    @on(Button.Pressed, "#history-copy")
    def _copy_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_copy_summary()

    # ----------------------------------------------------------------- actions

    def action_copy_summary(self) -> None:
        """Send the clinician summary to the local clipboard (OSC 52) and say what was sent."""
        from ...core.storage.files import clipboard_report

        if not self._summary:
            self.notify("The summary is still being prepared.", severity="warning")
            return
        self.app.copy_to_clipboard(self._summary)
        text, warn = clipboard_report(len(self._summary))
        self.notify(text, markup=False, timeout=12 if warn else 6)

    @on(Button.Pressed, "#history-save")
    def _save_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_save_summary()

    @work(exclusive=True, group="history-save")
    async def action_save_summary(self) -> None:
        """Save the clinician summary to a text file (asks where; reports the absolute path)."""
        from ...core.reports.handout import write_handout
        from ...core.storage.files import export_file_name
        from .path_dialog import PathDialog

        summary = self._summary
        if not summary:
            self.notify("The summary is still being prepared.", severity="warning")
            return
        name = export_file_name(f"stretch summary {self.app.clock.now():%Y-%m-%d}", ".txt")
        path = await self.app.push_screen_wait(PathDialog(
            "Save the clinician summary", self.app.files_folder(), value=name, suffix=".txt", what="summary"))
        if path is None or isinstance(path, str):  # cancelled (a save dialog never returns a share code)
            return
        try:  # the dialog asked before replacing a file
            written = write_handout(summary if summary.endswith("\n") else summary + "\n", path,
                                    force=path.exists())
        except Exception as exc:
            self.app.report_problem("Summary not saved", str(exc))
            return
        self.notify(f"Summary saved to {written.absolute()}", markup=False, timeout=8)

    def action_focus_filter(self) -> None:
        self.query_one("#history-routine", Select).focus()

    def action_reload(self) -> None:
        self.reload(force=True)

    def action_show_tab(self, tab: str) -> None:
        """Show a tab (s, p, t, m) and put the keyboard in it."""
        self.query_one("#history-tabs", TabbedContent).active = tab
        self._focus_tab(tab)

    @on(TabbedContent.TabActivated, "#history-tabs")
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id and not isinstance(self.focused, (Select, Tabs)):
            self._focus_tab(event.pane.id)

    def _focus_tab(self, tab: str) -> None:
        target = {
            "tab-sessions": "#history-table",
            "tab-progress": "#history-progress",
            "tab-stretches": "#history-adherence",
            "tab-summary": "#history-summary-scroll",
        }.get(tab)
        if target:
            self.query_one(target).focus()
