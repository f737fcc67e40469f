"""A keyboard-friendly list of catalog stretches with safety marks.

Each row shows a mark for the profile's conditions ("✖" avoid, "!" caution,
blank otherwise) and the stretch name. Marks are characters, not only
colours, so they read the same with ``NO_COLOR`` or a monochrome theme.
"""

from __future__ import annotations

from typing import Iterable, Optional, Sequence

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ...core.models import Stretch

MARKS = {"avoid": ("✖", "$text-error bold"), "caution": ("!", "$text-warning bold")}
_RANK = {"info": 0, "caution": 1, "avoid": 2}


def stretch_level(stretch: Stretch, conditions: Iterable[str], catalog=None) -> Optional[str]:
    """The most serious warning level for ``stretch`` given ``conditions`` (None, "info", "caution", "avoid")."""
    conditions = tuple(conditions)
    try:
        from ...core.rules import warnings_for_stretch

        levels = [w.level for w in warnings_for_stretch(stretch, conditions, catalog)]
    except Exception:  # the rules module must never break browsing
        levels = [c.level for c in (stretch.caution_for(x) for x in conditions) if c is not None]
        if stretch.avoid_listed:
            levels.append("avoid")
    return max(levels, key=lambda lv: _RANK.get(lv, 0)) if levels else None


def stretch_row(stretch: Stretch, level: Optional[str]) -> Content:
    """One list row: mark and name (the name is never parsed as markup)."""
    mark, style = MARKS.get(level or "", (" ", ""))
    return Content.assemble((mark, style) if style else mark, " ", Content(stretch.name))


class StretchList(OptionList):
    """Stretches as options whose ids are the stretch ids."""

    DEFAULT_CSS = """
    StretchList {
        height: 1fr;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, markup=False)
        self.levels: dict[str, Optional[str]] = {}

    def set_stretches(self, stretches: Sequence[Stretch], conditions: Iterable[str], catalog=None) -> None:
        """Show ``stretches``, keeping the highlighted one when it is still listed."""
        conditions = tuple(conditions)
        current = self.highlighted_id
        self.levels = {s.id: stretch_level(s, conditions, catalog) for s in stretches}
        self.clear_options()
        self.add_options([Option(stretch_row(s, self.levels[s.id]), id=s.id) for s in stretches])
        ids = [s.id for s in stretches]
        if ids:
            self.highlighted = ids.index(current) if current in ids else 0

    @property
    def highlighted_id(self) -> Optional[str]:
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
