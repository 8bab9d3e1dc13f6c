"""The deals table: the lead table's machinery (Line API, page loader, cursor, page cache) over a
``DealQuery``. Only what differs lives here: the query it reads, the columns, and how a deal's
cells are drawn. The lead table's messages (cursor moved, counted, opened) carry deal ids.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual import events
from textual.strip import Strip

from leadbox_tui.services.deals import (
    COLUMNS,
    DEFAULT_COLUMNS,
    DealFilter,
    DealQuery,
    DealRow,
    DealSort,
)
from leadbox_tui.ui.widgets.lead_cells import (
    GAP,
    MARKER_WIDTH,
    MIN_TITLE_WIDTH,
    PLACEHOLDER_SPANS,
    SELECTED_MARKER,
    Slot,
    Span,
    day_text,
    fit,
    money_text,
    slot_at,
)
from leadbox_tui.ui.widgets.lead_table import HEADER_HEIGHT, LeadTable

WIDTHS = {
    "value": 14,
    "stage": 16,
    "pipeline": 14,
    "status": 6,
    "person": 18,
    "organization": 18,
    "owner": 14,
    "expected_close": 11,
    "created": 11,
}
DROP_ORDER = ("created", "pipeline", "owner", "expected_close", "organization", "status")


class DealView(DealQuery):
    """A ``DealQuery`` as the page loader reads it: the count, once taken, is ``known_total``."""

    @property
    def known_total(self) -> int | None:
        return self.__dict__.get("total")


def deal_layout(columns: Sequence[str], width: int) -> tuple[Slot, ...]:
    """Fixed widths for the short columns, the title what is left; the least telling go first."""
    shown = list(columns)

    def fixed() -> int:
        return MARKER_WIDTH + sum(WIDTHS.get(k, 0) + GAP for k in shown)

    for key in DROP_ORDER:
        if fixed() + MIN_TITLE_WIDTH <= width:
            break
        if key in shown:
            shown.remove(key)
    title_width = max(MIN_TITLE_WIDTH, width - fixed())
    slots, x = [], MARKER_WIDTH
    for key in shown:
        slot_width = title_width if key == "title" else WIDTHS[key]
        slots.append(Slot(key, x, slot_width))
        x += slot_width + GAP
    return tuple(slots)


def deal_cell(row: DealRow, key: str) -> str:
    if key == "value":
        return money_text(row.value, row.currency)
    if key == "expected_close":
        return day_text(row.expected_close)
    if key == "created":
        return day_text(row.created_at.date())
    return str(getattr(row, key) or "")


def deal_spans(row: DealRow, slots: Sequence[Slot], selected: bool) -> list[Span]:
    spans: list[Span] = [(f"{SELECTED_MARKER} " if selected else " " * MARKER_WIDTH, None)]
    for index, slot in enumerate(slots):
        if index:
            spans.append((" " * GAP, None))
        spans += fit([(deal_cell(row, slot.key), None)], slot.width)
    return spans


def deal_header(slots: Sequence[Slot], sort: DealSort) -> list[Span]:
    spans: list[Span] = [(" " * MARKER_WIDTH, None)]
    for index, slot in enumerate(slots):
        if index:
            spans.append((" " * GAP, None))
        title = COLUMNS[slot.key].title
        style = None
        if slot.key == sort.column:
            title, style = f"{title} {'▼' if sort.descending else '▲'}", "lead-table--header-sorted"
        spans += fit([(title, style)], slot.width)
    return spans


class DealTable(LeadTable):
    """The deals of one filter and sort, with a cursor. Messages up, no writes."""

    def __init__(
        self,
        filter: DealFilter | None = None,
        sort: DealSort | None = None,
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(columns=DEFAULT_COLUMNS, id=id)
        self._query = DealView(filter or DealFilter(), sort or DealSort())  # type: ignore[assignment]

    def show(self, filter: DealFilter | None = None, sort: DealSort | None = None) -> None:  # type: ignore[override]
        """Another view (deleted deals, another sort) from its first row, counted anew."""
        self._start_view(DealView(filter or self.filter, sort or self.sort))  # type: ignore[arg-type]
        self.total = None
        self.cursor = 0
        self.scroll_to(y=0, animate=False)
        self._request_pages()
        self.refresh()

    def reload(self) -> None:
        self._start_view(DealView(self.filter, self.sort))  # type: ignore[arg-type]
        self._request_pages()
        self.refresh()

    def action_next_sort(self) -> None:
        self.sort_by(self.sort.next_column())  # type: ignore[arg-type]

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is not None and offset.y < HEADER_HEIGHT:
            slot = slot_at(self._slots(), offset.x)
            if slot is not None:
                same = slot.key == self.sort.column
                self.sort_by(self.sort.reversed() if same else DealSort(slot.key, False))  # type: ignore[arg-type]
            return
        super().on_click(event)

    def _slots(self) -> tuple[Slot, ...]:
        return deal_layout(self.columns, self._width)

    def render_line(self, y: int) -> Strip:
        base = self._base_style
        if y < HEADER_HEIGHT:
            spans = deal_header(self._slots(), self.sort)  # type: ignore[arg-type]
            return self._line(spans, base + self._styles("lead-table--header"))
        index = int(self.scroll_y) + y - HEADER_HEIGHT
        if self.total is not None and index >= self.total:
            return Strip.blank(self._width, base)
        row = self.row_at(index)
        selected = row is not None and row.id in self.marked
        if selected:
            base = base + self._styles("lead-table--selected")
        if index == self.cursor:
            base = base + self._styles("lead-table--cursor")
        if row is None:
            return self._line(PLACEHOLDER_SPANS, base)
        return self._line(deal_spans(row, self._slots(), selected), base)  # type: ignore[arg-type]
