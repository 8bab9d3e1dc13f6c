"""The line under the table: where the cursor is among the leads in view, the view, the sort.

It changes on every key, so it only repaints its one line: no layout pass.
"""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from leadbox_tui.services.inbox import InboxFilter, InboxSort
from leadbox_tui.ui.widgets.lead_cells import header_title


def describe(
    position: int | None,
    total: int | None,
    filter: InboxFilter,
    sort: InboxSort,
    selected: str = "",
) -> str:
    """ "Lead 3 of 1,250 · Sort: Created ▼", with "Archived · " in front in the archived view
    and the selection ("12 selected") after the count while there is one."""
    if total is None:
        count = "Counting leads…"
    elif total == 0 or position is None:
        count = f"{total:,} lead{'' if total == 1 else 's'}"
    else:
        count = f"Lead {position + 1:,} of {total:,}"
    view = "Archived · " if filter.archived else ""
    if selected:
        count = f"{count} · {selected}"
    order = header_title(sort.column, sort.column, sort.descending)
    if filter.search.strip():
        order = "best match first"  # a search ranks its matches, whatever the sort
    return f"{view}{count} · Sort: {order}"


class StatusLine(Widget):
    DEFAULT_CSS = "StatusLine { height: 1; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._text = Text()

    def show(
        self,
        position: int | None,
        total: int | None,
        filter: InboxFilter,
        sort: InboxSort,
        selected: str = "",
    ) -> None:
        text = describe(position, total, filter, sort, selected)
        if text != self._text.plain:  # said again (the cursor's lead read): no frame for it
            self._text = Text(text, no_wrap=True, end="")
            self.refresh()

    def render(self) -> Text:
        return self._text
