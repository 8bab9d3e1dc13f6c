"""The line under the table: how many leads are in view, which view, and the sort."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from leadbox_tui.services.inbox import InboxFilter, InboxSort
from leadbox_tui.ui.widgets.lead_cells import header_title


def describe(total: int | None, filter: InboxFilter, sort: InboxSort) -> str:
    count = "Counting leads…" if total is None else f"{total:,} lead{'' if total == 1 else 's'}"
    view = "Archived · " if filter.archived else ""
    return f"{view}{count} · Sort: {header_title(sort.column, sort.column, sort.descending)}"


class StatusLine(Static):
    def show(self, total: int | None, filter: InboxFilter, sort: InboxSort) -> None:
        self.update(Text(describe(total, filter, sort)))
