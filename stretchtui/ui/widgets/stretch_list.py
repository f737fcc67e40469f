"""A keyboard-friendly list of catalog stretches with safety marks.

Each row shows a mark for the profile's conditions ("✖" avoid, "!" caution,
blank otherwise) and the stretch name. Marks are characters, not only
colours, so they read the same with ``NO_COLOR`` or a monochrome theme.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ...core.domain.models import Stretch
from ...core.domain.rules import worst_of_levels
from ...core.text import hang

MARKS = {"avoid": ("✖", "$text-error bold"), "caution": ("!", "$text-warning bold")}


def stretch_level(stretch: Stretch, conditions: Iterable[str], catalog=None, *, flare: bool = False,
                  marks: tuple = ()) -> str | None:
    """The most serious warning level for ``stretch`` given ``conditions``, ``flare`` and the profile's
    symptom ``marks`` (None, "info", "caution", "avoid")."""
    conditions = tuple(conditions)
    try:
        from ...core.domain.rules import warnings_for_stretch

        levels = [w.level for w in warnings_for_stretch(stretch, conditions, catalog, flare=flare, marks=marks)]
    except Exception:  # the rules module must never break browsing
        levels = [c.level for c in (stretch.caution_for(x) for x in conditions) if c is not None]
        if stretch.avoid_listed:
            levels.append("avoid")
    return worst_of_levels(levels)


def stretch_row(stretch: Stretch, level: str | None, width: int = 0) -> Content:
    """One list row: mark and name (the name is never parsed as markup).

    With a ``width``, a name too long for it wraps under itself (a hanging
    indent past the mark), not back at the list's edge.
    """
    mark, style = MARKS.get(level or "", (" ", ""))
    name = stretch.name
    if width and len(name) + 2 > width:  # only a long name is wrapped (search rebuilds thousands of rows)
        name = hang("  ", name, width)[2:]  # continuation lines under the name, past the mark
    return Content.assemble((mark, style) if style else mark, " ", Content(name))


class StretchList(OptionList):
    """Stretches as options whose ids are the stretch ids."""

    DEFAULT_CSS = """
    StretchList {
        height: 1fr;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, markup=False)
        self.levels: dict[str, str | None] = {}
        # Search-as-you-type refills the list on every key; with thousands of
        # stretches, computing marks and building rows again each time was the
        # cost (bench/bench_search.py). Both only depend on the stretch and the
        # conditions, so they are kept until the conditions change.
        self._cache_key: tuple = ()
        self._level_cache: dict[str, tuple[Stretch, str | None]] = {}
        self._option_cache: dict[str, tuple[Stretch, str | None, Option]] = {}
        self._shown: list[tuple[str, str | None]] = []
        self._height_cache: dict[Option, int] = {}  # rows are reused, so is their height at this width
        self._heights_room = -1
        self._prompt_room = 0  # the width the rows were wrapped for (0: not yet laid out)

    def _level(self, stretch: Stretch, conditions: tuple[str, ...], flare: bool = False, marks: tuple = ()) -> str | None:
        cached = self._level_cache.get(stretch.id)
        if cached is not None and cached[0] is stretch:
            return cached[1]
        # The list needs only the level; without the catalog the rules skip
        # looking for safer alternatives (a scan of the whole catalog per warning).
        level = stretch_level(stretch, conditions, flare=flare, marks=marks)
        self._level_cache[stretch.id] = (stretch, level)
        return level

    def _option(self, stretch: Stretch, level: str | None) -> Option:
        cached = self._option_cache.get(stretch.id)
        if cached is not None and cached[0] is stretch and cached[1] == level:
            return cached[2]
        option = Option(stretch_row(stretch, level, self._prompt_room), id=stretch.id)
        self._option_cache[stretch.id] = (stretch, level, option)
        return option

    def _room(self) -> int:
        """Cells for an option's text (0 before the first layout)."""
        region = self.scrollable_content_region
        if not region:
            return 0
        padding = self.get_component_styles("option-list--option").padding
        return region.width - self._get_left_gutter_width() - padding.width

    def _rewrap(self) -> None:
        """Wrap the rows again when the room for them changed (resize, a scrollbar coming or going)."""
        room = self._room()
        if room == self._prompt_room or not room:
            return
        self._prompt_room = room
        self._option_cache.clear()
        stretches = [self._level_cache[sid][0] for sid, _level in self._shown if sid in self._level_cache]
        if not stretches or len(stretches) != len(self._shown):
            return
        current = self.highlighted
        self.set_options([self._option(s, self.levels.get(s.id)) for s in stretches])
        if current is not None and current < self.option_count:
            self.highlighted = current

    def on_resize(self) -> None:
        self.call_after_refresh(self._rewrap)

    def watch_show_vertical_scrollbar(self) -> None:
        self.call_after_refresh(self._rewrap)

    def set_stretches(
        self, stretches: Sequence[Stretch], conditions: Iterable[str], catalog=None, *, flare: bool = False,
        marks: tuple = (),
    ) -> None:
        """Show ``stretches``, keeping the highlighted one when it is still listed (``marks``: the
        profile's symptom marks)."""
        conditions = tuple(conditions)
        if self._cache_key != (conditions, flare, marks):
            self._cache_key = (conditions, flare, marks)
            self._level_cache.clear()
        room = self._room()
        if room and room != self._prompt_room:  # rows wrapped for another width: build them again
            self._prompt_room = room
            self._option_cache.clear()
        current = self.highlighted_id
        cache = self._level_cache
        levels: dict[str, str | None] = {}
        for stretch in stretches:
            cached = cache.get(stretch.id)
            levels[stretch.id] = (
                cached[1] if cached is not None and cached[0] is stretch else self._level(stretch, conditions, flare, marks)
            )
        self.levels = levels
        shown = list(levels.items())
        if shown == self._shown and self.option_count == len(shown):
            return  # the same rows (e.g. more letters after no match): keep the list as it is
        self._shown = shown
        if shown:
            # Not clear_options() + add_options(): the empty list in between
            # hides the scrollbar and shows it again (two layout passes).
            self.set_options([self._option(s, levels[s.id]) for s in stretches])
        else:
            self.clear_options()
        if shown:
            index = next((i for i, (sid, _lv) in enumerate(shown) if sid == current), 0)
            self.highlighted = index

    def _update_lines(self) -> None:
        """Textual's OptionList measures every option's wrapped height when
        options are added (~20 µs each: 100 ms for 5,000 stretches). A row
        whose text fits the width is one line, so only longer rows are
        measured; the scroll size is left to Textual."""
        try:
            cache = self._line_cache
            lines = cache.lines
            options = self.options
            start = lines[-1][0] + 1 if lines else 0
            # Textual calls this for every line it draws: the region is worked out only when rows were added.
            region = self.scrollable_content_region if start < len(options) else None
            if region:
                if start < len(options):
                    room = self._room()
                    if room != self._heights_room:
                        self._heights_room = room
                        self._height_cache.clear()
                    heights = self._height_cache
                    for index in range(start, len(options)):
                        option = options[index]
                        height = heights.get(option)
                        if height is None:
                            prompt = option.prompt
                            if (
                                isinstance(prompt, Content)
                                and "\n" not in prompt.plain
                                and prompt.cell_length <= room
                            ):
                                height = 1
                            else:  # what Textual does for every option
                                # Textual's OptionList passes its styles the same way.
                                height = self._get_visual(option).get_height(self.styles, room)  # type: ignore[arg-type]
                            heights[option] = height
                        height += option._divider
                        cache.index_to_line[index] = len(lines)
                        cache.heights[index] = height
                        lines.extend((index, line) for line in range(height))
        except AttributeError:  # pragma: no cover - a Textual without these internals
            pass
        super()._update_lines()

    @property
    def highlighted_id(self) -> str | None:
        """The id of the highlighted stretch, if any."""
        if self.highlighted is None or self.option_count == 0:
            return None
        try:
            return self.get_option_at_index(self.highlighted).id
        except Exception:
            return None

    @property
    def stretch_ids(self) -> list[str]:
        return [self.get_option_at_index(i).id or "" for i in range(self.option_count)]
