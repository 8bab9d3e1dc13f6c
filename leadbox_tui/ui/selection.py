"""The leads the seller selected for a bulk action: some ids, or everything a filter matches.

``*`` selects every lead of the view without reading a single id: the selection keeps the
filter, and the bulk service reads the ids inside its own transaction. Plain state, no widget:
the inbox screen owns one and hands it to the table, which asks it which rows to mark.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Sequence

from leadbox_tui.services.inbox import InboxFilter, InboxQuery, InboxSort


class _Everything(Container[int]):
    """Every lead of the view, without their ids: a container, not a collection."""

    def __contains__(self, lead_id: object) -> bool:
        return True


EVERYTHING = _Everything()


class Selection:
    def __init__(self) -> None:
        self.ids: dict[int, None] = {}  # in the order they were selected
        self.everything: InboxFilter | None = None  # ``*``: all the leads this filter matches
        self.everything_count: int | None = None  # how many that is, once counted
        self.anchor: int | None = None  # the row last toggled: ``v`` extends from it

    def __contains__(self, lead_id: object) -> bool:
        return self.everything is not None or lead_id in self.ids

    def __bool__(self) -> bool:
        return self.everything is not None or bool(self.ids)

    @property
    def marked(self) -> Container[int]:
        """What the table marks: the selected ids (a collection, live), or every lead."""
        return EVERYTHING if self.everything is not None else self.ids.keys()

    @property
    def count(self) -> int | None:
        """How many leads are selected (None while everything is being counted)."""
        return self.everything_count if self.everything is not None else len(self.ids)

    def toggle(self, lead_id: int, index: int) -> bool:
        """Select the lead at row ``index``, or unselect it; returns whether it is selected."""
        self.anchor = index
        if lead_id in self.ids:
            del self.ids[lead_id]
            return False
        self.ids[lead_id] = None
        return True

    def add(self, lead_ids: Iterable[int], anchor: int | None = None) -> int:
        """Add these leads (a range); returns how many were not selected yet."""
        before = len(self.ids)
        self.ids.update(dict.fromkeys(lead_ids))
        if anchor is not None:
            self.anchor = anchor
        return len(self.ids) - before

    def select_everything(self, view: InboxFilter, count: int | None) -> None:
        self.clear()
        self.everything = view
        self.everything_count = count

    def clear(self) -> None:
        self.ids.clear()
        self.everything = self.everything_count = self.anchor = None

    def target(self, sort: InboxSort) -> Sequence[int] | InboxQuery:
        """What the bulk services take: the ids, or the query of everything selected."""
        if self.everything is not None:
            return InboxQuery(self.everything, sort)
        return list(self.ids)

    def describe(self) -> str:
        """ "12 leads", "all 1,250 leads" (for notifications and dialog titles)."""
        count = self.count
        if self.everything is not None:
            return "all the leads in view" if count is None else f"all {leads_text(count)}"
        return leads_text(count or 0)


def leads_text(count: int) -> str:
    return "1 lead" if count == 1 else f"{count:,} leads"
