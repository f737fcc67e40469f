"""The catalog screen: browse stretches by region, search as you type, read the details."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Input, Label, OptionList

from ...core.domain.models import Profile
from ..widgets.app_modebar import ModeBar, ModeFooter
from ..widgets.region_tabs import RegionTabs
from ..widgets.stretch_detail import StretchDetail
from ..widgets.stretch_list import StretchList
from .base import AppScreen

#: Region tabs in order: (tab id, region id for the catalog, label).
REGION_TABS: tuple[tuple[str, str, str], ...] = (
    ("region-all", "all", "All"),
    ("region-lower-back", "lower-back", "Lower back"),
    ("region-upper-back", "upper-back", "Upper back"),
    ("region-neck", "neck", "Neck"),
    ("region-nerves", "nerves", "Nerves"),
)


class CatalogScreen(AppScreen[None]):
    """Browse and search the catalog; add stretches to the builder's routine."""

    BINDINGS = [
        Binding("slash", "focus_search", "Search", key_display="/", id="catalog.search"),
        Binding("a", "add_to_routine", "Add", id="catalog.add"),
        Binding("r", "next_region", "Region", id="catalog.next-region"),
        Binding("R", "previous_region", "Previous region", show=False, id="catalog.previous-region"),
        Binding("escape", "clear_search", "Clear search, back to the list", show=False, id="catalog.clear-search"),
        Binding("down", "cursor('down')", "Next stretch", show=False, id="catalog.down"),
        Binding("up", "cursor('up')", "Previous stretch", show=False, id="catalog.up"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.current_region = "all"
        self._detail_shown: tuple = (False, ())  # (stretch shown, conditions)

    def compose(self) -> ComposeResult:
        yield ModeBar("catalog")
        yield RegionTabs([(tab_id, label) for tab_id, _region, label in REGION_TABS], id="catalog-regions")
        yield Input(placeholder="/ search: a name, an alias or what hurts (sciatica); F2-F6 switch screens", id="catalog-search", compact=True)
        # The list and its status line are filled here, so the screen's first frame has them.
        stretch_list = StretchList(id="catalog-list")
        status = self._fill(stretch_list, "")
        with Horizontal(id="catalog-body"):
            yield stretch_list
            with VerticalScroll(id="catalog-detail-scroll", can_focus=True):
                yield StretchDetail(id="catalog-detail")
        yield Label(status, id="catalog-status")
        yield ModeFooter()

    def on_mount(self) -> None:
        self.watch(self.app, "profile", self._profile_changed, init=False)
        self.query_one("#catalog-detail-scroll").border_title = "Details"
        self.show_detail()
        self.stretch_list.focus()

    def on_screen_resume(self) -> None:
        # Back on top (after the first-run notice, a player, another mode): the details
        # pane's figures, if the first frame went out without them, come after the next frame.
        if not StretchDetail.figures_ready:
            self.call_after_refresh(self.query_one("#catalog-detail", StretchDetail).draw_figures)

    # ------------------------------------------------------------ data

    @property
    def conditions(self) -> tuple[str, ...]:
        return tuple(self.app.profile.conditions)

    @property
    def stretch_list(self) -> StretchList:
        return self.query_one("#catalog-list", StretchList)

    def visible_ids(self) -> list[str]:
        """Ids of the stretches listed now (for tests and the palette)."""
        return self.stretch_list.stretch_ids

    def refresh_list(self) -> None:
        status = self._fill(self.stretch_list, self.query_one("#catalog-search", Input).value)
        # The status line has a fixed size (app.tcss): no layout pass per keystroke.
        self.query_one("#catalog-status", Label).update(status, layout=False)
        self.show_detail()

    def _fill(self, stretch_list: StretchList, text: str) -> Content:
        """List the stretches matching ``text`` in the current region; returns the status line."""
        stretches = self.app.catalog.search(text, self.current_region)
        profile = self.app.profile
        stretch_list.set_stretches(stretches, self.conditions, self.app.catalog, flare=profile.flare,
                                   marks=profile.symptom_marks)
        region_name = dict((r, lbl) for _t, r, lbl in REGION_TABS)[self.current_region]
        marked = sum(1 for lv in stretch_list.levels.values() if lv in ("caution", "avoid"))
        status = f"{len(stretches)} of {len(self.app.catalog.stretches)} shown ({region_name}"
        status += ", search)" if text.strip() else ")"
        if self.conditions or profile.symptom_marks:
            status += f" - {marked} marked for you: ! caution, ✖ avoid"
        else:
            status += " - pick your conditions in Profile (4)"
        return Content(status)

    def show_detail(self) -> None:
        sid = self.stretch_list.highlighted_id
        stretch = self.app.catalog.get(sid) if sid else None
        conditions = (self.conditions, self.app.profile.flare, self.app.profile.symptom_marks)
        last_stretch, last_conditions = self._detail_shown
        if stretch is last_stretch and conditions == last_conditions:
            return  # typing in the search often keeps the same stretch highlighted
        self._detail_shown = (stretch, conditions)
        self.query_one("#catalog-detail", StretchDetail).show_stretch(
            stretch, self.conditions, self.app.catalog, flare=self.app.profile.flare,
            marks=self.app.profile.symptom_marks,
        )
        self.query_one("#catalog-detail-scroll", VerticalScroll).scroll_home(animate=False)

    # ------------------------------------------------------------ events

    @on(Input.Changed, "#catalog-search")
    def _search_changed(self) -> None:
        self.refresh_list()

    @on(Input.Submitted, "#catalog-search")
    def _search_submitted(self) -> None:
        self.stretch_list.focus()

    @on(RegionTabs.Changed, "#catalog-regions")
    def _region_changed(self, event: RegionTabs.Changed) -> None:
        region = next((r for t, r, _l in REGION_TABS if t == event.tab_id), "all")
        if region != self.current_region:
            self.current_region = region
            self.refresh_list()

    @on(OptionList.OptionHighlighted, "#catalog-list")
    def _highlighted(self) -> None:
        self.show_detail()

    @on(OptionList.OptionSelected, "#catalog-list")
    def _selected(self) -> None:
        self.query_one("#catalog-detail-scroll").focus()

    def _profile_changed(self, _profile: Profile) -> None:
        self.refresh_list()

    # ------------------------------------------------------------ actions

    def action_focus_search(self) -> None:
        self.query_one("#catalog-search", Input).focus()

    def action_clear_search(self) -> None:
        """Escape: clear the search and go back to the list, so the next key is a command again."""
        search = self.query_one("#catalog-search", Input)
        if search.value:
            search.value = ""
        self.stretch_list.focus()

    def action_cursor(self, direction: str) -> None:
        if direction == "down":
            self.stretch_list.action_cursor_down()
        else:
            self.stretch_list.action_cursor_up()

    def _set_region(self, step: int) -> None:
        ids = [t for t, _r, _l in REGION_TABS]
        current = next(t for t, r, _l in REGION_TABS if r == self.current_region)
        self.query_one("#catalog-regions", RegionTabs).active = ids[(ids.index(current) + step) % len(ids)]

    def action_next_region(self) -> None:
        self._set_region(1)

    def action_previous_region(self) -> None:
        self._set_region(-1)

    def select_region(self, region: str) -> None:
        """Show ``region`` ("all", "lower-back", ...)."""
        tab = next(t for t, r, _l in REGION_TABS if r == region)
        self.query_one("#catalog-regions", RegionTabs).active = tab

    async def action_add_to_routine(self) -> None:
        sid = self.stretch_list.highlighted_id
        stretch = self.app.catalog.get(sid) if sid else None
        if stretch is None:
            self.notify("No stretch highlighted.", severity="warning")
            return
        if await self.app.add_to_builder(stretch.id):
            self.notify(f"Added {stretch.name} to the routine (Builder: 2)", markup=False, timeout=3)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "add_to_routine":
            try:
                return True if self.stretch_list.highlighted_id is not None else None
            except Exception:
                return None
        return True
