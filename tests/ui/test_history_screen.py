"""History screen, driven with Pilot at 80x24 over a store seeded with sessions."""

from __future__ import annotations

import re
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import datetime, timezone
from typing import Any

from textual.widgets import DataTable, Input, Select

from stretchtui.core.clock import FakeClock
from stretchtui.core.reports import history as h
from stretchtui.ui.screens.history import HistoryScreen
from stretchtui.ui.screens.session_detail import SessionDetailScreen

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=timezone.utc)
EVIL = "[bold]Evil[/bold] [@click=app.quit]x[/] [L]"


def doc(started, routine="Morning", *, status="completed", counted=True, active=300, before=None,
        after=None, items=None):
    items = items or [
        {"stretch": "knee-to-chest", "name": "Knee to Chest", "mode": "hold", "hold": 20, "reps": 3,
         "sides": "each", "rest": 10, "done": {"left": 3, "right": 2}, "skipped": {"left": 0, "right": 1}},
    ]
    return {"schema": 1, "routine": routine, "started": started, "ended": None, "status": status,
            "counted": counted, "stop_reason": "symptoms" if status == "symptoms" else None,
            "active_seconds": active, "planned_seconds": 400, "items": items, "steps_done": 5,
            "steps_skipped": 1, "steps_total": 6, "pain_before": before, "pain_after": after, "note": ""}


SEED = [
    doc("2026-03-08T08:00:00+00:00", "Morning", before=5, after=3, active=600),
    doc("2026-03-10T07:30:00+00:00", "Evening wind-down", before=4, after=2, active=900, items=[
        {"stretch": "cat-cow", "name": "Cat-Cow", "mode": "reps", "hold": 5, "reps": 8, "sides": "none",
         "rest": 0, "done": {"both": 6}, "skipped": {"both": 2}}]),
    doc("2026-02-20T08:00:00+00:00", "Morning", status="symptoms", active=120, before=4, after=6),
    doc("2026-03-09T21:00:00-05:00", "Morning", active=1500, before=3, after=1),   # Mar 10 02:00 UTC
]


def make(make_test_app, sessions=SEED):
    app = make_test_app(clock=FakeClock(NOW))
    for d in sessions:
        app.store.append_session(d)
    return app


async def open_history(pilot):
    await pilot.press("5")
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, HistoryScreen)
    return screen


async def test_next_day_column_shows_the_check_in(make_test_app):
    """The day-after check-in answer is a column of the sessions list; "worse" stands out."""
    seed = [dict(d) for d in SEED]
    seed[0]["checkin"] = {"answer": "worse", "at": "2026-03-09T09:00:00+00:00"}
    seed[1]["checkin"] = {"answer": "better", "at": "2026-03-11T09:00:00+00:00"}
    app = make(make_test_app, seed)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(pilot)
        table = screen.query_one("#history-table", DataTable)
        cells = {str(table.get_row_at(i)[0]): table.get_row_at(i)[-1] for i in range(table.row_count)}
        assert str(cells["2026-03-08 08:00"]) == "worse" and "bold" in str(cells["2026-03-08 08:00"].style)
        assert str(cells["2026-03-10 07:30"]) == "better"
        assert str(cells["2026-02-20 08:00"]) == "–"


def routines_in_table(screen) -> list[str]:
    table = screen.query_one("#history-table", DataTable)
    return [str(table.get_row_at(i)[1]) for i in range(table.row_count)]


async def test_sessions_newest_first_with_pain_and_status(make_test_app, screen_text):
    app = make(make_test_app)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(pilot)
        assert routines_in_table(screen) == ["Evening wind-down", "Morning", "Morning", "Morning"]
        table = screen.query_one("#history-table", DataTable)
        first = [str(c) for c in table.get_row_at(0)]
        assert first == ["2026-03-10 07:30", "Evening wind-down", "15:00", "completed", "4 → 2", "–"]
        # The New York session keeps its local date and time.
        assert next(str(c) for c in table.get_row_at(1)) == "2026-03-09 21:00"
        text = await screen_text(pilot)
        # The symptom stop had work done and was kept, so it counts (see core.history).
        assert "4 sessions · 52 min · streak 3 days (best 3) · 1 symptom stop" in text
        # status has a colour; the symptom stop stands out in bold red
        cells = {str(table.get_row_at(i)[3]): table.get_row_at(i)[3] for i in range(table.row_count)}
        colours = app.theme_variables
        assert cells["symptoms"].style == f"bold {colours['text-error']}"
        assert cells["completed"].style == colours["text-success"]


async def test_enter_opens_session_with_items_and_sides(make_test_app, screen_text):
    app = make(make_test_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_history(pilot)
        await pilot.press("down")   # second newest: Morning, Mar 9 in New York
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SessionDetailScreen)
        text = await screen_text(pilot)
        assert "Knee to Chest" in text
        assert "left" in text and "right" in text
        assert "Mon 09 Mar 2026, 21:00 (UTC-0500)" in text
        table = app.screen.query_one("#detail-items", DataTable)
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        assert rows[0][3:] == ["left", "3", "0"]
        assert rows[1][3:] == ["right", "2", "1"]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        # From another tab, s comes back to the list with the keyboard in it.
        await pilot.press("t", "s", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SessionDetailScreen)


async def test_filter_by_routine_and_date_range_narrows_the_list(make_test_app):
    app = make(make_test_app)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(pilot)
        routine = screen.query_one("#history-routine", Select)
        assert [str(p) for p, _ in routine._options] == ["All routines", "Evening wind-down", "Morning"]
        routine.value = "Evening wind-down"
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert routines_in_table(screen) == ["Evening wind-down"]
        assert [r.stretch for r in screen.stats.adherence] == ["cat-cow"]

        routine.value = "Morning"
        screen.query_one("#history-range", Select).value = 7
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert routines_in_table(screen) == ["Morning", "Morning"]   # Feb 20 is outside the last 7 days


async def pick_custom_range(pilot, screen):
    """Keyboard only: f, Tab to "When", open it, go to "Custom range…" (last) and choose it."""
    from stretchtui.ui.screens.date_range import DateRangeDialog

    await pilot.press("f", "tab")
    assert pilot.app.focused is screen.query_one("#history-range", Select)
    await pilot.press("enter", "end", "enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, DateRangeDialog)
    return pilot.app.screen


async def type_range(pilot, start, end):
    await pilot.press("ctrl+a", "ctrl+k", *start, "tab", "ctrl+a", "ctrl+k", *end, "enter")
    await pilot.pause()


async def test_custom_date_range_from_the_keyboard(make_test_app, screen_text):
    app = make(make_test_app, [*SEED, doc("2026-03-01T08:00:00+00:00", "Lunch break", before=6, after=5)])
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(pilot)
        await pick_custom_range(pilot, screen)
        await type_range(pilot, "2026-02-15", "2026-03-08")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is screen
        # Feb 20, Mar 1 and Mar 8 are in; Mar 9 (New York) and Mar 10 are out.
        assert routines_in_table(screen) == ["Morning", "Lunch break", "Morning"]
        assert screen.stats.total == 3
        assert [p.before for p in screen.stats.pain] == [4, 6, 5]
        text = await screen_text(pilot)
        assert "2026-02-15 → 2026-03-08" in text
        assert "3 sessions · 17 min" in text
        # A preset replaces the custom range again.
        screen.query_one("#history-range", Select).value = 0
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(routines_in_table(screen)) == 5
        assert "2026-02-15 →" not in await screen_text(pilot)


async def test_invalid_custom_range_keeps_the_dialog_open(make_test_app, screen_text):
    app = make(make_test_app)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(pilot)
        dialog = await pick_custom_range(pilot, screen)
        await type_range(pilot, "2026-03-08", "2026-02-15")
        assert app.screen is dialog
        assert "is after To" in await screen_text(pilot)
        await type_range(pilot, "2026-3-8", "2026-03-09")
        assert app.screen is dialog
        assert "not a date" in dialog.error and "YYYY-MM-DD" in dialog.error
        await type_range(pilot, "2026-03-08", "2026-03-09")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is screen
        assert routines_in_table(screen) == ["Morning", "Morning"]   # Mar 8 and Mar 9 (New York)


async def test_escape_in_custom_range_restores_the_previous_choice(make_test_app):
    app = make(make_test_app)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(pilot)
        when = screen.query_one("#history-range", Select)
        when.value = 7
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(routines_in_table(screen)) == 3
        await pick_custom_range(pilot, screen)
        await pilot.press("escape")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is screen
        assert when.value == 7
        assert len(routines_in_table(screen)) == 3


async def test_progress_tab_draws_charts(make_test_app, screen_text):
    app = make(make_test_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_history(pilot)
        await pilot.press("p")
        await pilot.pause()
        text = await screen_text(pilot)
        assert "Minutes per week" in text
        assert "Mar2  9" in text         # the weeks of Monday March 2 and Monday 9
        assert " 40 " in text            # 15 + 25 minutes that week (Sunday the 8th was the week before)
        assert "█" in text               # the tallest bar / the busiest day
        assert "Daily minutes" in text and "Mon" in text and "Sun" in text
        assert "before" in text and "after" in text
        # Monochrome reading: the heat map uses density characters, not only colour.
        assert any(ch in text for ch in "░▒▓")


async def test_stretches_tab_shows_adherence(make_test_app, screen_text):
    app = make(make_test_app)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(pilot)
        await pilot.press("t")
        await pilot.pause()
        table = screen.query_one("#history-adherence", DataTable)
        rows = {str(table.get_row_at(i)[0]): [str(c) for c in table.get_row_at(i)] for i in range(table.row_count)}
        assert rows["Knee to Chest"][1:] == ["3", "15", "3", "83%", "9/0", "6/3", "5m"]
        assert rows["Cat-Cow"][1:] == ["1", "6", "2", "75%", "–", "–", "30s"]   # no sides: totals only
        text = await screen_text(pilot)
        assert "Right d/s" in text and "Held" in text   # the whole table fits 80 columns


async def test_copy_summary_sends_it_to_the_clipboard(make_test_app, real_catalog, screen_text):
    app = make(make_test_app)
    copied: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        app.copy_to_clipboard = copied.append   # what OSC 52 would receive
        await open_history(pilot)
        await pilot.press("m")
        await pilot.pause()
        assert "Stretching summary from stretchtui" in await screen_text(pilot)
        await pilot.press("c")
        await pilot.pause()
        expected = h.clinician_summary(app.store.list_sessions(), real_catalog, NOW.date(), weeks=4,
                                       profile=app.profile)
        assert copied == [expected]
        assert any(f"Sent {len(expected)} characters to the terminal clipboard (OSC 52)" in n.message
                   for n in app._notifications)


async def test_copy_summary_inside_tmux_says_how_to_let_it_through(make_test_app, monkeypatch):
    monkeypatch.setenv("TMUX", "/tmp/tmux-1000/default,1234,0")
    app = make(make_test_app)
    async with app.run_test(size=(80, 24)) as pilot:
        app.copy_to_clipboard = lambda text: None
        await open_history(pilot)
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("set -s set-clipboard on" in m for m in messages)
        assert not any("copied" in m.lower() for m in messages)  # never claims it arrived


async def test_save_summary_to_a_file_reports_the_absolute_path(make_test_app, real_catalog, tmp_path):
    from stretchtui.ui.screens.path_dialog import PathDialog

    app = make(make_test_app)
    folder = tmp_path / "exports"
    folder.mkdir()
    app.settings = replace(app.settings, export_folder=folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_history(pilot)
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("w")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, PathDialog)
        assert dialog.query_one(Input).value == "stretch-summary-2026-03-10.txt"
        await pilot.press("enter")
        await pilot.pause()
        target = folder / "stretch-summary-2026-03-10.txt"
        expected = h.clinician_summary(app.store.list_sessions(), real_catalog, NOW.date(), weeks=4,
                                       profile=app.profile)
        assert target.read_text(encoding="utf-8").rstrip("\n") == expected.rstrip("\n")
        assert any(f"Summary saved to {target}" in n.message for n in app._notifications)


async def test_injection_named_routine_renders_literally(make_test_app, screen_text):
    app = make(make_test_app, [doc("2026-03-10T08:00:00+00:00", EVIL)])
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(pilot)
        text = await screen_text(pilot)
        assert "[bold]Evil[/bold] [@cli…" in text   # cut at 24 characters, not parsed
        await pilot.click("#history-table", offset=(22, 1))
        await pilot.pause()
        assert app.is_running
        screen.query_one("#history-table", DataTable).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert EVIL in await screen_text(pilot)


async def test_new_sessions_show_up_when_the_screen_is_shown_again(make_test_app):
    app = make(make_test_app)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(pilot)
        assert len(routines_in_table(screen)) == 4
        await pilot.press("1")
        await pilot.pause()
        app.store.append_session(doc("2026-03-10T11:00:00+00:00", "Lunch break"))
        await open_history(pilot)
        assert routines_in_table(screen)[0] == "Lunch break"


async def test_empty_history_says_how_to_start(make_test_app, screen_text):
    app = make(make_test_app, [])
    async with app.run_test(size=(80, 24)) as pilot:
        await open_history(pilot)
        assert "No sessions yet" in await screen_text(pilot)


# ---------------------------------------------------------------- weekly bars line up with their weeks

BAR_GLYPHS = "▁▂▃▄▅▆▇█"


def week_columns(lines: list[str], label_row: int, weeks: int) -> list[tuple[int, int]]:
    """(start, end) column of each week, read from where its label starts on the label row."""
    row = lines[label_row]
    starts = [i for i, ch in enumerate(row) if ch != " " and (i == 0 or row[i - 1] == " ")]
    starts = starts[:weeks]
    assert len(starts) == weeks, row
    return list(zip(starts, [*starts[1:], starts[-1] + (starts[1] - starts[0])], strict=True))


def assert_bars_under_labels(lines: list[str], label_row: int, minutes: list[int], height: int = 5) -> None:
    columns = week_columns(lines, label_row, len(minutes))
    numbers = lines[label_row - 1]
    bars = lines[label_row - 1 - height : label_row - 1]
    for (start, end), expected in zip(columns, minutes, strict=True):
        assert numbers[start:end].strip() == str(expected), (numbers, start, end)
        bottom = bars[-1][start:end]
        if expected:
            # The bar begins in the label's first column and stays inside the week's cell.
            assert bottom[0] in BAR_GLYPHS, (bars[-1], start)
            assert bottom.strip() and all(ch in BAR_GLYPHS for ch in bottom.strip())
        else:
            # A week without minutes keeps its column: a dotted baseline, no bar anywhere above it.
            assert bottom.strip() and set(bottom.strip()) == {"·"}, (bars[-1], start)
            assert all(not any(ch in BAR_GLYPHS for ch in row[start:end]) for row in bars)


def test_bar_lines_give_every_week_its_own_column():
    from datetime import date

    from stretchtui.ui.widgets.history_charts import bar_lines

    weeks = [(date(2026, 2, 16), 10.0), (date(2026, 2, 23), 0.0), (date(2026, 3, 2), 5.0), (date(2026, 3, 9), 20.0)]
    lines = bar_lines(weeks, height=5, cell=6)
    assert lines[-1] == "Feb16 23    Mar2  9"
    assert_bars_under_labels(lines, len(lines) - 1, [10, 0, 5, 20])
    assert lines[0][18:22] == "████" and lines[4][6:10] == "····"


async def test_weekly_bars_line_up_with_labels_on_screen(make_test_app, screen_text):
    # Weeks of Feb 16 (10 min), Feb 23 (none), Mar 2 (5 min) and Mar 9 (15 min); earlier weeks empty.
    app = make(make_test_app, [
        doc("2026-02-18T08:00:00+00:00", active=600),
        doc("2026-03-04T08:00:00+00:00", active=300),
        doc("2026-03-10T08:00:00+00:00", active=900),
    ])
    async with app.run_test(size=(80, 24)) as pilot:
        await open_history(pilot)
        await pilot.press("p")
        await pilot.pause()
        lines = (await screen_text(pilot)).splitlines()
        label_row = next(i for i, line in enumerate(lines) if line.lstrip().startswith("Dec22"))
        assert_bars_under_labels(lines, label_row, [0, 0, 0, 0, 0, 0, 0, 0, 10, 0, 5, 15])
        # Screenshots: SVG viewers stretch each text run to its width, and blanks and block
        # glyphs come from different fonts; so no run may mix blanks with bar glyphs, or a
        # bar drifts away from its week (as the 0-minute weeks once made them do).
        svg = app.export_screenshot()
        runs = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
        assert any("█" in run for run in runs)
        charts = [run for run in runs if not any(ch.isalnum() for ch in run.replace("&#160;", ""))]
        assert not [run for run in charts if "&#160;" in run and any(ch in BAR_GLYPHS for ch in run)]


async def test_history_shows_the_app_mode_bar_and_fits_80x24(make_test_app, screen_text):
    from stretchtui.ui.widgets.app_modebar import ModeBar

    app = make(make_test_app)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(pilot)
        assert screen.query_one(ModeBar).mode == "history"
        text = await screen_text(pilot)
        top = text.splitlines()[0]
        assert top.strip().startswith("1 Catalog") and "5 History" in top   # same top line as the other screens
        assert "⭘" not in text
        await pilot.press("p")
        await pilot.pause()
        progress = screen.query_one("#history-progress")
        assert progress.max_scroll_y == 0   # the whole Progress tab is visible, nothing scrolls
        text = await screen_text(pilot)
        assert "Daily minutes" in text and "average" in text


async def test_running_session_left_behind_is_labelled_unfinished(make_test_app):
    # The app was killed (kill -9) mid-session: the document still says "running".
    app = make(make_test_app, [doc("2026-03-09T08:00:00+00:00", status="running", active=90)])
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(pilot)
        table = screen.query_one("#history-table", DataTable)
        assert [str(c) for c in table.get_row_at(0)][3] == "unfinished"


async def test_the_daily_grid_keeps_a_month_starting_in_its_last_week_on_the_month_row():
    """Today 2026-12-06: December starts in the grid's last week; "Dec" stays on the month row."""
    from datetime import date

    from textual.app import App

    from stretchtui.core.reports.history.stats import heatmap
    from stretchtui.ui.widgets.history_charts import HeatMapGrid, heat_lines

    heat = heatmap([], date(2026, 12, 6))
    lines = heat_lines(heat)
    assert lines[0].rstrip().endswith("Dec")

    class One(App):
        def compose(self):
            grid = HeatMapGrid()
            grid.heat = heat
            yield grid

    app = One()
    async with app.run_test(size=(60, 12)) as pilot:
        await pilot.pause()
        grid = app.query_one(HeatMapGrid)
        assert grid.size.width >= len(lines[0])
        rendered = str(grid.render()).splitlines()
        assert rendered[0] == lines[0] and rendered[1].startswith("Mon")


async def test_long_names_get_the_room_a_wider_terminal_has(make_test_app):
    """A narrow terminal cuts long names with "…"; a wide one shows them whole (they were cut beside empty space)."""
    from stretchtui.ui.screens.history import STRETCH_NAME_WIDTH, name_width

    assert name_width(60, 56, STRETCH_NAME_WIDTH) == STRETCH_NAME_WIDTH and name_width(120, 56, 20) == 64
    long_item = {"stretch": "upper-trapezius-stretch", "name": "Upper Trapezius Stretch", "mode": "hold",
                 "hold": 30, "reps": 3, "sides": "each", "rest": 10, "done": {"left": 3, "right": 3},
                 "skipped": {"left": 0, "right": 0}}
    seed = [doc("2026-03-08T08:00:00+00:00", "A routine with a rather long name, for the test", items=[long_item])]
    for size, cut in (((60, 22), True), ((120, 40), False)):
        app = make(make_test_app, seed)
        async with app.run_test(size=size) as pilot:
            screen = await open_history(pilot)
            stretches = screen.query_one("#history-adherence", DataTable)
            sessions = screen.query_one("#history-table", DataTable)
            name, routine = str(stretches.get_row_at(0)[0]), str(sessions.get_row_at(0)[1])
            assert (name == "Upper Trapezius Str…") is cut and (name == "Upper Trapezius Stretch") is not cut
            assert routine.endswith("…") is cut


async def test_first_view_comes_from_the_year_aggregates_and_a_filter_reads_every_session(
        make_test_app, monkeypatch):
    """Opening History reads no whole history: figures from the per-year aggregates, the table a
    group of years at a time; choosing a routine then reads every session, with the same figures."""
    seed = [doc(f"{year}-06-0{1 + k}T08:00:00+00:00", "Morning" if k % 2 else "Desk", before=4, after=k % 4)
            for year in range(2016, 2026) for k in range(3)] + SEED
    app = make(make_test_app, seed)
    store = app.store
    full_stats = h.compute_stats(store.list_sessions(), NOW.date(), app.catalog)
    calls: list[int] = []
    real_list = store.list_sessions

    def list_sessions() -> Any:
        calls.append(1)
        return real_list()

    monkeypatch.setattr(store, "list_sessions", list_sessions)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(pilot)
        assert calls == []  # nothing read the whole history
        stats = screen.stats
        assert stats.total == full_stats.total == len(seed)
        assert (stats.counted, stats.longest_streak, stats.symptom_stops) == (
            full_stats.counted, full_stats.longest_streak, full_stats.symptom_stops)
        status = str(screen.query_one("#history-status").render())
        assert f"{len(seed)} sessions" in status
        table = screen.query_one("#history-table", DataTable)
        assert str(table.get_row_at(0)[0]) == "2026-03-10 07:30"  # the newest first
        assert table.row_count == len(seed)  # one page: every row, read year group by year group
        assert str(table.get_row_at(table.row_count - 1)[0]) == "2016-06-01 08:00"
        assert {"Desk", "Morning", "Evening wind-down"} <= {str(o[0]) for o in
                                                           screen.query_one("#history-routine", Select)._options}
        assert "Stretching summary" in screen.summary_text
        screen.query_one("#history-routine", Select).value = "Desk"
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert calls  # a filter reads every session
        assert set(routines_in_table(screen)) == {"Desk"}
        assert screen.stats.total == sum(1 for d in seed if d["routine"] == "Desk")


async def test_the_history_reads_odd_numbers_as_every_command_does(make_test_app, screen_text):
    """The issue's document: pain 12 (out of range) is missing, 3.0 is 3, steps 2.0 are 2,
    as in `stretchtui history`, --csv, --json and the summary (tests/test_session_reader.py)."""
    odd = doc("2026-03-10T08:00:00+00:00", "Odd numbers")
    odd.update({"pain_before": 12, "pain_after": 3.0, "steps_done": 2.0, "steps_total": 4.0})
    app = make(make_test_app, [odd])
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(pilot)
        table = screen.query_one("#history-table", DataTable)
        assert [str(c) for c in table.get_row_at(0)][4] == "– → 3"
        await pilot.press("enter")
        await pilot.pause()
        text = await screen_text(pilot)
        assert "steps 2 done, 1 skipped of 4" in text and "Pain before → after: – → 3" in text
        assert "12" not in text.split("Pain before")[1].splitlines()[0]


def _count_year_reads(monkeypatch) -> list[tuple[int, bool]]:
    """From now on, every year file the store parses: (year, whether on the UI thread)."""
    import threading

    from stretchtui.core.storage.store import Store

    reads: list[tuple[int, bool]] = []
    year_sessions = Store.year_sessions

    def counted(self: Store, year: int) -> Any:
        reads.append((year, threading.current_thread() is threading.main_thread()))
        return year_sessions(self, year)

    monkeypatch.setattr(Store, "year_sessions", counted)
    return reads


def _sessions_every(start: datetime, hours: float, count: int) -> list[dict]:
    from datetime import timedelta

    return [doc((start + timedelta(hours=hours * k)).isoformat()) for k in range(count)]


async def _settle(pilot) -> None:
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()


@asynccontextmanager
async def _history_counting_reads(make_test_app, monkeypatch, sessions: list[dict]) -> Any:
    """History opened over ``sessions``: (pilot, screen, its sessions table, the year files read
    since it was asked for, see :func:`_count_year_reads`)."""
    app = make(make_test_app, sessions)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        reads = _count_year_reads(monkeypatch)
        screen = await open_history(pilot)
        yield pilot, screen, screen.query_one("#history-table", DataTable), reads


async def test_history_reads_no_year_file_on_the_ui_thread_and_each_once(make_test_app, monkeypatch):
    # 20 sessions this year and 400 in each of the two years before: the first rows (at least
    # FIRST_ROWS, at most a page) run into last year's file. It is read by the worker that builds
    # the view (the UI thread used to parse last year's whole file for the rows past this year's),
    # once. Moving the cursor near the end reads the year before in a worker too.
    from stretchtui.ui.screens.history import PAGE

    sessions = [*_sessions_every(datetime(2024, 1, 1, 8, tzinfo=timezone.utc), 20, 400),
                *_sessions_every(datetime(2025, 1, 1, 8, tzinfo=timezone.utc), 20, 400),
                *_sessions_every(datetime(2026, 1, 1, 8, tzinfo=timezone.utc), 24, 20)]
    async with _history_counting_reads(make_test_app, monkeypatch, sessions) as (pilot, _screen, table, reads):
        assert table.row_count == PAGE  # 20 of this year, 280 of last year's
        assert [year for year, on_ui in reads if on_ui] == []
        assert sorted(year for year, _ in reads) == [2025, 2026]
        table.move_cursor(row=PAGE - 10)  # near the end: the next page
        await _settle(pilot)
        assert table.row_count == 2 * PAGE
        assert str(table.get_row_at(PAGE + 120)[0]).startswith("2024-")  # 120 more of 2025's, then 2024's
        assert [year for year, on_ui in reads if on_ui] == []
        assert sorted(year for year, _ in reads) == [2024, 2025, 2026]


async def test_history_opens_on_the_newest_year_alone_and_scrolling_reads_the_year_before(make_test_app, monkeypatch):
    # 150 sessions this year (more than a screen shows) and 400 last year: History opens without
    # reading last year's file; scrolling to the end of the table (with the mouse wheel, which
    # moves no cursor) reads it in a worker and adds its rows.
    from stretchtui.ui.screens.history import FIRST_ROWS

    sessions = [*_sessions_every(datetime(2025, 1, 1, 8, tzinfo=timezone.utc), 20, 400),
                *_sessions_every(datetime(2026, 1, 1, 8, tzinfo=timezone.utc), 11, 150)]
    assert FIRST_ROWS < 150
    async with _history_counting_reads(make_test_app, monkeypatch, sessions) as (pilot, screen, table, reads):
        assert table.row_count == 150 and [year for year, _ in reads] == [2026]
        assert str(screen.query_one("#history-status").render()).startswith("550 sessions")
        table.scroll_end(animate=False, immediate=True)
        await _settle(pilot)
        assert table.row_count == 450  # a page more: the rest of the 2026 group, then 2025's
        assert str(table.get_row_at(149)[0]).startswith("2026-") and str(table.get_row_at(150)[0]).startswith("2025-")
        assert [year for year, on_ui in reads if on_ui] == [] and sorted(y for y, _ in reads) == [2025, 2026]


async def test_a_slow_first_read_says_why_and_a_failed_one_says_so(make_test_app, monkeypatch):
    # After an update, twenty years of sessions take seconds to read the first time: the status
    # line says so instead of "Loading…" alone; a read that fails says that, not "still reading".
    import asyncio
    import threading

    from stretchtui.core.storage.store import StoreError
    from stretchtui.ui.screens import history as history_screen

    monkeypatch.setattr(history_screen, "SLOW_LOAD_NOTICE", 0.05)
    release = threading.Event()
    failing = {"on": False}
    compute = HistoryScreen._compute

    def slow(self: HistoryScreen, *args: Any) -> Any:
        release.wait(10)
        if failing["on"]:
            raise StoreError("sessions-2026.json: permission denied")
        return compute(self, *args)

    monkeypatch.setattr(HistoryScreen, "_compute", slow)
    app = make(make_test_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("5")
        await asyncio.sleep(0.3)  # (pilot.pause would wait for the screen's blocked read)
        status = pilot.app.screen.query_one("#history-status")
        assert str(status.render()) == history_screen.SLOW_LOAD_TEXT
        release.set()
        await _settle(pilot)
        assert str(status.render()).startswith("4 sessions")

    # the read fails at once; the moment for "still reading" comes after: it does not say that
    monkeypatch.setattr(history_screen, "SLOW_LOAD_NOTICE", 0.5)
    failing["on"] = True
    app = make(make_test_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("5")
        await _settle(pilot)
        status = pilot.app.screen.query_one("#history-status")
        assert "Could not read the history" in str(status.render())
        await asyncio.sleep(0.7)
        assert "Could not read the history" in str(status.render())
