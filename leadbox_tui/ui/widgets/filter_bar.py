"""The filter bar above the table: the active filter in one line with the number of leads it
matches, and (``f``) the choices that make it, applied to the table as they are ticked.

Within a list the choices are alternatives (source Web forms *or* API); the lists, the
predefined filters and a saved filter's conditions must all hold. The bar never reads the
database: the screen hands it the label and user names, the filter's description (read in a
worker) and the count (from the table), and gets ``FilterChosen`` back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import SelectionList
from textual.widgets.selection_list import Selection

from leadbox_tui.services.conditions import ME
from leadbox_tui.services.filters import InboxFilter, Predefined
from leadbox_tui.services.labels import LabelInfo
from leadbox_tui.services.leads import SOURCES
from leadbox_tui.services.users import UserInfo
from leadbox_tui.ui import keymap
from leadbox_tui.ui.literal import one_line
from leadbox_tui.ui.selection import leads_text
from leadbox_tui.ui.widgets.choice_lists import TickList

ANYONE = "anyone"  # the owner list's "no owner filter"
INBOX, ARCHIVED = "inbox", "archived"


class FilterChosen(Message):
    """The seller changed the filter in the bar (or cleared it)."""

    def __init__(self, filter: InboxFilter) -> None:
        super().__init__()
        self.filter = filter


class FilterBarClosed(Message):
    """The seller left the bar (esc): the table takes the keys again."""


def _literal(text: str) -> Content:
    return Content(one_line(text))


class FilterSummary(Widget):
    """The filter in one line; it changes with every filter, so it repaints only itself."""

    DEFAULT_CSS = "FilterSummary { height: 1; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._line = Text()

    def show(self, line: Text) -> None:
        self._line = line
        self.refresh()

    def render(self) -> Text:
        return self._line


class FilterBar(Vertical):
    BINDINGS = keymap.bindings("filterbar")

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.filter = InboxFilter()
        self.name_shown: str | None = None  # the saved filter applied, while unchanged
        self.description = ""
        self.total: int | None = None

    def compose(self) -> ComposeResult:
        yield FilterSummary(id="filter-summary")
        yield Horizontal(id="filter-choices")  # the lists: made when the bar first opens

    def choice_lists(self) -> list[TickList[str]]:
        """The lists of the open bar. Made at the first ``f``, not with the inbox: five lists
        to style were a tenth of its first frame."""
        predefined = [(p.label, p.value) for p in Predefined]
        return [
            self._list("filter-source", "Source", [(s, s) for s in SOURCES]),
            self._list("filter-label", "Label", []),
            self._list("filter-owner", "Owner", [("Anyone", ANYONE), ("Me", ME)]),
            self._list("filter-predefined", "Leads", predefined),
            self._list("filter-view", "View", [("Inbox", INBOX), ("Archived", ARCHIVED)]),
        ]

    def _list(self, id: str, title: str, choices: list[tuple[str, str]]) -> TickList[str]:
        ticks: TickList[str] = TickList(*(Selection(_literal(t), v) for t, v in choices), id=id)
        ticks.border_title = title
        return ticks

    def count_text(self, total: int) -> str:
        """What the filter matches, in words (a bar over other records says its own noun)."""
        return leads_text(total)

    @property
    def is_open(self) -> bool:
        return self.has_class("-open")

    # -- what the screen hands down --------------------------------------------------------

    def show_filter(self, view: InboxFilter, name: str | None = None) -> None:
        """The filter in force (the table shows it); the description follows from a worker."""
        self.filter = view
        self.name_shown = name
        self.description = "…"
        self.total = None
        self._sync_ticks()
        self._show_summary()

    def show_description(self, view: InboxFilter, description: str) -> None:
        if view == self.filter:
            self.description = description
            self._show_summary()

    def show_total(self, total: int | None) -> None:
        self.total = total
        self._show_summary()

    def set_choices(self, labels: Sequence[LabelInfo], users: Sequence[UserInfo]) -> None:
        """The labels and users to choose from (read by the screen when the bar opens)."""
        label_list = self.query_one("#filter-label", TickList)
        label_list.clear_options()
        label_list.add_options(Selection(_literal(lb.name), str(lb.id)) for lb in labels)
        owner_list = self.query_one("#filter-owner", TickList)
        owner_list.clear_options()
        owners = [("Anyone", ANYONE), ("Me", ME)]
        owners += [(u.name, str(u.id)) for u in users if not u.is_me]
        owner_list.add_options(Selection(_literal(text), value) for text, value in owners)
        self._sync_ticks()

    def open(self) -> None:
        if not self.query(TickList):
            self.query_one("#filter-choices").mount_all(self.choice_lists())
            self._sync_ticks()
        self.add_class("-open")
        self.screen.set_focus(self.query(TickList).first())

    def close(self) -> None:
        self.remove_class("-open")

    # -- drawing ---------------------------------------------------------------------------

    def _show_summary(self) -> None:
        line = Text("Filter ", style="bold", no_wrap=True, end="")
        if self.name_shown:
            line.append(one_line(self.name_shown), style="bold")
            line.append(": ")
        line.append(one_line(self.description))
        count = "counting…" if self.total is None else self.count_text(self.total)
        line.append(f"  ·  {count}", style="bold")
        self.query_one(FilterSummary).show(line)

    def _ticked(self) -> dict[str, list[str]]:
        view = self.filter
        owner = ANYONE if view.owner is None else str(view.owner)
        return {
            "filter-source": list(view.sources),
            "filter-label": [str(i) for i in view.labels],
            "filter-owner": [owner],
            "filter-predefined": [str(p) for p in view.predefined],
            "filter-view": [ARCHIVED if view.archived else INBOX],
        }

    def _sync_ticks(self) -> None:
        """Tick what the filter holds (only the seller's own ticks come back as a choice)."""
        ticked = self._ticked()
        for ticks in self.query(TickList).results(TickList):
            values = ticked.get(ticks.id or "", [])
            offered = {option.value for option in ticks.options if isinstance(option, Selection)}
            ticks.deselect_all()
            for value in values:
                if value in offered:
                    ticks.select(value)

    # -- what the seller does --------------------------------------------------------------

    def on_selection_list_selection_toggled(self, event: SelectionList.SelectionToggled) -> None:
        event.stop()
        ticks = event.selection_list
        chosen = [str(value) for value in ticks.selected]
        toggled = str(event.selection.value)
        view = self.filter
        if ticks.id == "filter-source":
            view = replace(view, sources=tuple(s for s in SOURCES if s in chosen))
        elif ticks.id == "filter-label":
            view = replace(view, labels=tuple(int(v) for v in chosen))
        elif ticks.id == "filter-predefined":
            view = replace(view, predefined=tuple(p for p in Predefined if p.value in chosen))
        elif ticks.id == "filter-owner":  # one owner at a time: the one just ticked
            owner = toggled if toggled in chosen else ANYONE
            value: int | str | None = None if owner == ANYONE else owner
            view = replace(view, owner=value if value in (None, ME) else int(str(value)))
        elif ticks.id == "filter-view":
            view = replace(view, archived=toggled == ARCHIVED if toggled in chosen else False)
        self.post_message(FilterChosen(view))

    def action_clear(self) -> None:
        """Back to the whole inbox; the search (its own bar) stays."""
        self.post_message(FilterChosen(InboxFilter(search=self.filter.search)))

    def action_close(self) -> None:
        self.close()
        self.post_message(FilterBarClosed())

    def _lists(self) -> list[TickList[str]]:
        return list(self.query(TickList))

    def _step(self, by: int) -> None:
        lists = self._lists()
        focused = self.screen.focused
        now = next((i for i, ticks in enumerate(lists) if ticks is focused), -by)
        self.screen.set_focus(lists[(now + by) % len(lists)])  # at once: keys may follow fast

    def action_next_list(self) -> None:
        self._step(1)

    def action_previous_list(self) -> None:
        self._step(-1)
