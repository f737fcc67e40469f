"""The builder's catalog pane: search, region filter and a draggable stretch list."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.css.query import NoMatches
from textual.message import Message
from textual.widgets import Input, OptionList, Select
from textual.widgets.option_list import Option

from ...core.domain.models import Stretch
from .drag import DragPayload, DragSourceMixin
from .stretch_list import MARKS
from .stretch_preview import StretchPreview

# The same marks as the catalog screen's list ("✖" avoid, "!" caution).
_LEVEL_MARK = MARKS


class CatalogList(DragSourceMixin, OptionList):
    """Stretches to pick from; drag one onto the routine, or press Enter / a."""

    ALLOW_SELECT = False

    DEFAULT_CSS = """
    CatalogList {
        height: 1fr;
        max-height: 100%;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    CatalogList.-dragging {
        border: tall $accent;
    }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._names: dict[str, str] = {}

    def show(self, stretches: Iterable[Stretch], marks: dict[str, str]) -> None:
        """List ``stretches``; ``marks`` maps ids to the worst warning level for the profile."""
        keep = self.highlighted_option.id if self.highlighted_option is not None else None
        options = []
        self._names = {}
        for stretch in stretches:
            self._names[stretch.id] = stretch.name
            mark, style = _LEVEL_MARK.get(marks.get(stretch.id, ""), (" ", ""))
            prompt = Content.assemble((mark, style), " ", Content(stretch.name))
            options.append(Option(prompt, id=stretch.id))
        self.set_options(options)
        if options:
            ids = [o.id for o in options]
            self.highlighted = ids.index(keep) if keep in ids else 0

    @property
    def highlighted_id(self) -> str | None:
        option = self.highlighted_option
        return option.id if option is not None else None

    def drag_payload(self, option_index: int) -> DragPayload | None:
        option = self.get_option_at_index(option_index)
        if option.id is None:
            return None
        return DragPayload("stretch", option.id, self._names.get(option.id, option.id))

    async def _on_click(self, event: events.Click) -> None:
        # A click highlights; adding is Enter / "a" / a drag.
        event.prevent_default()
        clicked = event.style.meta.get("option")
        if clicked is not None:
            self.highlighted = clicked


class CatalogPicker(Vertical):
    """Search box, region filter, the catalog list and the preview of the stretch in focus."""

    DEFAULT_CSS = """
    CatalogPicker {
        height: 1fr;
    }
    CatalogPicker > Input {
        margin: 0 0 0 0;
    }
    CatalogPicker > Select {
        margin: 0 0 0 0;
    }
    """

    @dataclass
    class AddRequested(Message):
        """The user asked (Enter) to add ``stretch_id`` at the routine cursor."""

        stretch_id: str

    def __init__(self, catalog, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.catalog = catalog
        self._marks: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Input(placeholder="Search stretches…", id="builder-search", compact=True)
        regions = [(Content("All regions"), "all")] + [
            (Content(name), rid) for rid, name in self.catalog.regions.items()
        ]
        yield Select(regions, value="all", allow_blank=False, id="builder-region", compact=True)
        yield CatalogList(id="builder-catalog-list")
        yield StretchPreview(id="builder-preview")

    def on_mount(self) -> None:
        self.refresh_list()

    @property
    def stretch_list(self) -> CatalogList:
        return self.query_one(CatalogList)

    @property
    def preview(self) -> StretchPreview:
        """The figure of the stretch in focus (see the builder)."""
        return self.query_one(StretchPreview)

    @property
    def region_filter(self) -> str:
        value = self.query_one(Select).value
        return value if isinstance(value, str) else "all"

    def set_marks(self, marks: dict[str, str]) -> None:
        self._marks = marks
        try:
            self.refresh_list()
        except NoMatches:  # not composed yet; on_mount shows the list
            pass

    def refresh_list(self) -> None:
        text = self.query_one(Input).value
        self.stretch_list.show(self.catalog.search(text, self.region_filter), self._marks)

    def clear_search(self) -> None:
        """Empty the search box and show the whole list again (after a save)."""
        search = self.query_one("#builder-search", Input)
        if search.value:
            search.value = ""

    def cycle_region(self) -> None:
        select = self.query_one(Select)
        values = ["all", *self.catalog.regions]
        current = self.region_filter
        select.value = values[(values.index(current) + 1) % len(values)] if current in values else "all"

    @on(Input.Changed, "#builder-search")
    def _search_changed(self) -> None:
        self.refresh_list()

    @on(Input.Submitted, "#builder-search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.stretch_list.focus()

    def on_key(self, event: events.Key) -> None:
        if event.key == "down" and self.query_one(Input).has_focus:
            event.stop()
            self.stretch_list.focus()

    @on(Select.Changed, "#builder-region")
    def _region_changed(self, event: Select.Changed) -> None:
        event.stop()
        self.refresh_list()

    @on(OptionList.OptionSelected, "#builder-catalog-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.AddRequested(event.option.id))
