"""Messages: workers post what they loaded, widgets post what the seller did (attributes down,
messages up)."""

from __future__ import annotations

from typing import Any

from textual.message import Message

from leadbox_tui.services.inbox import InboxFilter, InboxSort, LeadRow


class LeadsPageLoaded(Message, bubble=False):
    """A page of inbox rows read by the page loader, for the table that asked; ``total`` is
    None while the view is being counted (the first rows come before the count)."""

    def __init__(self, generation: int, page: int, rows: list[LeadRow], total: int | None) -> None:
        super().__init__()
        self.generation = generation
        self.page = page
        self.rows = rows
        self.total = total


class LeadsTotalCounted(Message, bubble=False):
    """The table's view is counted (by its count worker, beside the page loader)."""

    def __init__(self, generation: int, total: int) -> None:
        super().__init__()
        self.generation = generation
        self.total = total


class LeadsPageFailed(Message, bubble=False):
    """A page could not be read (a locked or broken database); the table says so."""

    def __init__(self, generation: int, page: int, error: str) -> None:
        super().__init__()
        self.generation = generation
        self.page = page
        self.error = error


class LeadsCounted(Message):
    """The number of leads in the table's view is known (or changed)."""

    def __init__(self, total: int, filter: InboxFilter, sort: InboxSort) -> None:
        super().__init__()
        self.total = total
        self.filter = filter
        self.sort = sort


class CursorMoved(Message):
    """The table's cursor moved to row ``index``; ``lead_id`` is None until its page is read."""

    def __init__(self, index: int, lead_id: int | None) -> None:
        super().__init__()
        self.index = index
        self.lead_id = lead_id


class LeadOpened(Message):
    """The seller opened the lead under the cursor (enter)."""

    def __init__(self, lead_id: int) -> None:
        super().__init__()
        self.lead_id = lead_id


class SortChanged(Message):
    """The seller sorted the table another way."""

    def __init__(self, sort: InboxSort) -> None:
        super().__init__()
        self.sort = sort


class DetailLoaded(Message, bubble=False):
    """Everything about one lead (a ``LeadDetail``; a ``DealDetail`` in the deals' panel), read
    by the detail panel's worker (None: gone or unreadable)."""

    def __init__(self, lead_id: int, detail: Any, error: str = "") -> None:
        super().__init__()
        self.lead_id = lead_id
        self.detail = detail
        self.error = error
