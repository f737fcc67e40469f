"""Small character charts for the History screen.

Each chart draws with density and block characters, so it reads without
colour (monochrome terminals, ``NO_COLOR``); colour only adds emphasis. The
drawing itself is a pure function returning lines of text (tested directly);
the widget wraps it and applies component-class styles.

* :class:`WeeklyBars` — minutes per week, vertical bars in eighth blocks.
* :class:`HeatMapGrid` — days as rows, weeks as columns, ``· ░▒▓█``.
* :class:`PainChart` — pain before and after each session, fixed 0–10 scale
  (unlike Textual's ``Sparkline``, which stretches whatever range it gets and
  would make a 3→4 wobble look like a flare).
* :class:`PsfsChart` — each PSFS activity's ratings over time, one row per
  activity on the same fixed 0–10 scale.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from ...core.domain.psfs import PsfsActivity
from ...core.reports.history import HeatMap, PainPoint, heat_level, plural
from ...core.text import display

EIGHTHS = " ▁▂▃▄▅▆▇█"
HEAT_CELLS = ("· ", "░░", "▒▒", "▓▓", "██")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
DAY_LABELS = ("Mon", "", "Wed", "", "Fri", "", "Sun")


# ---------------------------------------------------------------- pure drawing


#: What a week with no minutes shows on the bottom bar row, so the week visibly keeps its column.
NO_MINUTES = "·"


def bar_pieces(weeks: Sequence[tuple[date, float]], height: int = 5, cell: int = 6) -> list[list[tuple[str, str]]]:
    """The bar chart as rows of ``(text, kind)`` pieces, every week a fixed ``cell``-wide column.

    Rows: ``height`` bar rows (top first), the minutes row, then each week's
    Monday (month name at the first week of a month). Each week contributes
    exactly ``cell`` characters to every row — its glyphs (``kind`` "bar",
    "none", "label") then a plain gap (``kind`` "gap") — so bar, number and
    label of a week always share the same columns, including weeks with 0
    minutes (a row of ``·`` on the baseline). Kinds let the widget style the
    glyphs apart from the gaps.
    """
    peak = max((m for _, m in weeks), default=0.0)
    units_per = height * 8
    bar_w = max(1, cell - 2)
    rows: list[list[tuple[str, str]]] = [[] for _ in range(height + 2)]

    def put(row: int, text: str, kind: str) -> None:
        text = text[:cell].ljust(bar_w) if kind != "gap" else text
        glyphs = text.rstrip(" ")
        lead = len(glyphs) - len(glyphs.lstrip(" "))
        if lead:
            rows[row].append((" " * lead, "gap"))
        if glyphs.strip(" "):
            rows[row].append((glyphs.lstrip(" "), kind))
        rows[row].append((" " * (cell - len(glyphs)), "gap"))

    last_month = None
    for start, minutes in weeks:
        units = 0
        if minutes > 0 and peak > 0:
            units = max(1, round(minutes / peak * units_per))
        for r in range(height):
            level = min(8, max(0, units - (height - 1 - r) * 8))
            if units == 0 and r == height - 1:
                put(r, NO_MINUTES * bar_w, "none")
            else:
                put(r, EIGHTHS[level] * bar_w, "bar")
        put(height, str(round(minutes)).center(bar_w), "label")
        label = str(start.day) if start.month == last_month else f"{MONTHS[start.month - 1]}{start.day}"
        put(height + 1, label[: cell - 1], "label")
        last_month = start.month
    return rows


def bar_lines(weeks: Sequence[tuple[date, float]], height: int = 5, cell: int = 6) -> list[str]:
    """:func:`bar_pieces` as plain lines (trailing blanks removed)."""
    return ["".join(text for text, _ in row).rstrip() for row in bar_pieces(weeks, height, cell)]


def heat_lines(heat: HeatMap) -> list[str]:
    """A month row, seven day rows (Mon..Sun), weeks as 2-character columns."""
    months = [" "] * (len(heat.columns) * 2 + 2)
    starts = []  # (column, month) where a month begins
    for w in range(len(heat.columns)):
        first = next((heat.day(w, d) for d in range(7) if heat.day(w, d).day == 1), None)
        if first is not None:
            starts.append((w, first.month))
    if heat.columns and (not starts or starts[0][0] >= 2):
        starts.insert(0, (0, heat.day(0, 6).month))
    for w, month in starts:
        months[w * 2 : w * 2 + 3] = list(MONTHS[month - 1])
    lines = ["    " + "".join(months).rstrip()]
    for d in range(7):
        row = f"{DAY_LABELS[d]:<4}"
        for column in heat.columns:
            minutes = column[d]
            row += "  " if minutes is None else HEAT_CELLS[heat_level(minutes)]
        lines.append(row.rstrip())
    return lines


HEAT_LEGEND = "· none ░ 1+ ▒ 5+ ▓ 10+ █ 20+ min"


def pain_char(value: int | None) -> str:
    """One column of the pain chart: blank when not recorded, ▁ (0) .. █ (10)."""
    if value is None:
        return " "
    return EIGHTHS[1 + round(max(0, min(10, value)) / 10 * 7)]


def pain_lines(points: Sequence[PainPoint], width: int = 40) -> list[str]:
    """Two rows (before, after), one column per session, newest on the right."""
    if not points:
        return ["No pain scores recorded yet."]
    shown = list(points)[-max(1, width - 8):]
    before = "".join(pain_char(p.before) for p in shown)
    after = "".join(pain_char(p.after) for p in shown)

    def avg(values: list[int]) -> str:
        return f"{sum(values) / len(values):.1f}" if values else "–"

    b = [p.before for p in shown if p.before is not None]
    a = [p.after for p in shown if p.after is not None]
    return [
        f"before {before}",
        f"after  {after}",
        f"       average {avg(b)} → {avg(a)}, {plural(len(shown), 'session')}",
    ]


#: Columns for an activity's name in the PSFS chart: at least this, more on a wide chart
#: (up to a third of it) when the names are longer.
PSFS_NAME_WIDTH = 20
PSFS_LEGEND = "One column per rating: ▁ is 0 (unable), █ is 10 (as before the problem)."


def psfs_name_width(activities: Sequence[PsfsActivity], width: int) -> int:
    """The name column of the PSFS chart: the longest name and a space, within [20, a third of ``width``]."""
    longest = max((len(display(a.activity)) for a in activities), default=0) + 1
    return max(PSFS_NAME_WIDTH, min(longest, width // 3))


def psfs_lines(activities: Sequence[PsfsActivity], width: int = 60) -> list[str]:
    """One row per activity: its name, one column per rating (oldest first,
    the latest on the right, ▁ 0 .. █ 10), then first → latest score."""
    if not activities:
        return ["No activities yet: add them in the Profile screen (4)."]
    name_width = psfs_name_width(activities, width)
    room = max(1, width - name_width - 16)
    lines = []
    for activity in activities:
        name = display(activity.activity)
        if len(name) > name_width - 1:
            name = name[: name_width - 2] + "…"
        shown = activity.ratings[-room:]
        series = "".join(pain_char(r.score) for r in shown)
        first, latest = activity.first, activity.latest
        if first is None or latest is None:
            trend = "not rated"
        elif first.day == latest.day:
            trend = f"{latest.score}"
        else:
            change = latest.score - first.score
            trend = f"{first.score} → {latest.score} ({'+' if change > 0 else ''}{change})"
        lines.append(f"{name:<{name_width}}{series.ljust(len(shown))} {trend}")
    return lines


# ---------------------------------------------------------------- widgets


class WeeklyBars(Widget):
    """Minutes per week as vertical bars."""

    COMPONENT_CLASSES = {"weekly-bars--bar", "weekly-bars--label"}
    DEFAULT_CSS = """
    WeeklyBars { height: 7; width: 1fr; }
    WeeklyBars > .weekly-bars--bar { color: $accent; }
    WeeklyBars > .weekly-bars--label { color: $text-muted; }
    """

    weeks: reactive[tuple[tuple[date, float], ...]] = reactive((), layout=True)

    def render(self) -> Text:
        weeks = list(self.weeks)
        if not weeks:
            return Text("No sessions yet.")
        cell = max(3, min(6, (self.size.width or 72) // max(1, len(weeks))))
        rows = bar_pieces(weeks, height=5, cell=cell)
        styles = {
            "bar": self.get_component_rich_style("weekly-bars--bar"),
            "none": self.get_component_rich_style("weekly-bars--label"),
            "label": self.get_component_rich_style("weekly-bars--label"),
        }
        text = Text(no_wrap=True, overflow="crop")
        for i, row in enumerate(rows):
            # One span per week's glyphs, gaps unstyled: every week stays its own
            # run of cells (also in SVG screenshots, which place each run by column).
            for piece, kind in row:
                text.append(piece, style=styles.get(kind, ""))
            if i < len(rows) - 1:
                text.append("\n")
        return text


class HeatMapGrid(Widget):
    """Minutes per day for the last months, contributions-grid style."""

    COMPONENT_CLASSES = {"heat-map--l0", "heat-map--l1", "heat-map--l2", "heat-map--l3", "heat-map--l4", "heat-map--label"}
    DEFAULT_CSS = """
    HeatMapGrid { height: 9; width: auto; min-width: 37; }
    HeatMapGrid > .heat-map--l0 { color: $text-muted; }
    HeatMapGrid > .heat-map--l1 { color: $success 50%; }
    HeatMapGrid > .heat-map--l2 { color: $success 70%; }
    HeatMapGrid > .heat-map--l3 { color: $success 85%; }
    HeatMapGrid > .heat-map--l4 { color: $success; }
    HeatMapGrid > .heat-map--label { color: $text-muted; }
    """

    heat: reactive[HeatMap | None] = reactive(None, layout=True)

    def get_content_width(self, container, viewport) -> int:
        columns = len(self.heat.columns) if self.heat else 16
        # a month that starts in the last week writes its 3 letters past that week's 2 columns
        return max(len(HEAT_LEGEND), 4 + 2 * columns + 1)

    def render(self) -> Text:
        if self.heat is None:
            return Text("")
        label = self.get_component_rich_style("heat-map--label")
        levels = {cell[0]: self.get_component_rich_style(f"heat-map--l{i}") for i, cell in enumerate(HEAT_CELLS)}
        text = Text(no_wrap=True, overflow="crop")
        lines = [*heat_lines(self.heat), HEAT_LEGEND]
        for i, line in enumerate(lines):
            if i == 0 or i == len(lines) - 1:
                text.append(line, style=label)
            else:
                text.append(line[:4], style=label)
                for ch in line[4:]:
                    text.append(ch, style=levels.get(ch, label))
            if i < len(lines) - 1:
                text.append("\n")
        return text


class PainChart(Widget):
    """Pain before and after each session on a fixed 0–10 scale."""

    COMPONENT_CLASSES = {"pain-chart--before", "pain-chart--after", "pain-chart--label"}
    DEFAULT_CSS = """
    PainChart { height: 3; width: 1fr; }
    PainChart > .pain-chart--before { color: $warning; }
    PainChart > .pain-chart--after { color: $success; }
    PainChart > .pain-chart--label { color: $text-muted; }
    """

    points: reactive[tuple[PainPoint, ...]] = reactive(())

    def render(self) -> Text:
        lines = pain_lines(self.points, width=max(12, self.size.width or 40))
        text = Text(no_wrap=True, overflow="crop")
        label = self.get_component_rich_style("pain-chart--label")
        styles = [self.get_component_rich_style("pain-chart--before"), self.get_component_rich_style("pain-chart--after")]
        for i, line in enumerate(lines):
            if i < 2 and len(lines) == 3:
                text.append(line[:7], style=label)
                text.append(line[7:], style=styles[i])
            else:
                text.append(line, style=label)
            if i < len(lines) - 1:
                text.append("\n")
        return text


class PsfsChart(Widget):
    """PSFS activities: each one's ratings over time on a fixed 0–10 scale."""

    COMPONENT_CLASSES = {"psfs-chart--bar", "psfs-chart--label"}
    DEFAULT_CSS = """
    PsfsChart { height: auto; width: 1fr; }
    PsfsChart > .psfs-chart--bar { color: $accent; }
    PsfsChart > .psfs-chart--label { color: $text-muted; }
    """

    activities: reactive[tuple[PsfsActivity, ...]] = reactive((), layout=True)

    def render(self) -> Text:
        width = max(30, self.size.width or 60)
        lines = psfs_lines(self.activities, width=width)
        label = self.get_component_rich_style("psfs-chart--label")
        bar = self.get_component_rich_style("psfs-chart--bar")
        text = Text(no_wrap=True, overflow="crop")
        name_width = psfs_name_width(self.activities, width)
        for i, line in enumerate(lines):
            if self.activities:
                head, rest = line[:name_width], line[name_width:]
                series, _, trend = rest.partition(" ")
                text.append(head)
                text.append(series, style=bar)
                text.append(" " + trend, style=label)
            else:
                text.append(line, style=label)
            if i < len(lines) - 1:
                text.append("\n")
        return text
