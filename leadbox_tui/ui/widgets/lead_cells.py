"""What each inbox column shows for a lead, and where the columns sit across a line.

Cells are lists of (text, component class) spans built from plain strings, so nothing a seller
typed is ever read as markup; the widget turns the class names into theme styles.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from rich.cells import cell_len, set_cell_size

from leadbox_tui.services.activities import ActivityStatus
from leadbox_tui.services.inbox import COLUMNS, InboxSort, LabelTag, LeadRow
from leadbox_tui.services.timefmt import short_date
from leadbox_tui.ui.literal import one_line

Span = tuple[str, str | None]  # text, component class (None: the row's own style)

MARKER_WIDTH = 2  # "● " for a lead never opened
GAP = 1
MIN_TITLE_WIDTH = 16
WIDTHS = {
    "activity": 11,
    "labels": 14,
    "source": 14,
    "created": 11,
    "owner": 14,
    # the columns a seller can add (the column chooser)
    "value": 14,
    "expected_close": 11,
    "person": 18,
    "email": 24,
    "phone": 16,
    "organization": 18,
    "address": 20,
    "website": 18,
    "score": 6,
    "stage": 14,
    "origin": 14,
    "updated": 11,
}
DROP_ORDER = ("source", "owner", "labels", "created", "activity")  # first to go when narrow
UNSEEN_MARKER = "●"
SELECTED_MARKER = "✓"  # takes the unseen marker's place; an unseen title stays bold
MAX_SCORE = 5
NO_ACTIVITY = "⚠"
ELLIPSIS = "…"
PLACEHOLDER_SPANS: list[Span] = [(" " * MARKER_WIDTH, None), (ELLIPSIS, "lead-table--placeholder")]

LABEL_COLOURS = ("red", "orange", "yellow", "green", "blue", "purple", "pink", "grey")
ACTIVITY_CLASSES = {
    ActivityStatus.OVERDUE: "lead-table--overdue",
    ActivityStatus.TODAY: "lead-table--today",
    ActivityStatus.PLANNED: "lead-table--planned",
    ActivityStatus.NONE: "lead-table--no-activity",
}


@dataclass(frozen=True)
class Slot:
    """One column's place on the line."""

    key: str
    x: int
    width: int


def _fixed_width(columns: Sequence[str]) -> int:
    return MARKER_WIDTH + sum(WIDTHS.get(c, 0) + GAP for c in columns) - GAP


@lru_cache(maxsize=16)
def layout(columns: tuple[str, ...], width: int) -> tuple[Slot, ...]:
    """Fixed widths for the short columns; the title takes what is left (at least a little).

    On a narrow screen the least telling columns go first rather than being cut off.
    """
    columns = list(columns)
    added = [key for key in reversed(columns) if key not in DROP_ORDER and key != "title"]
    for key in (*DROP_ORDER, *added):  # a column the seller added stays longest, the last goes
        if _fixed_width(columns) + MIN_TITLE_WIDTH <= width:
            break
        if key in columns:
            columns.remove(key)
    title_width = max(MIN_TITLE_WIDTH, width - _fixed_width(columns))
    slots = []
    x = MARKER_WIDTH
    for key in columns:
        column_width = title_width if key == "title" else WIDTHS[key]
        slots.append(Slot(key, x, column_width))
        x += column_width + GAP
    return tuple(slots)


def slot_at(slots: Sequence[Slot], x: int) -> Slot | None:
    """The column under screen column ``x`` (a click on the gap after a column counts for it)."""
    for slot in slots:
        if slot.x <= x < slot.x + slot.width + GAP:
            return slot
    return None


def label_class(colour: str) -> str:
    """The component class of a label's colour ("red", "blue", ...); unknown colours are grey."""
    return f"label--{colour if colour in LABEL_COLOURS else 'grey'}"


def label_spans(labels: Sequence[LabelTag]) -> list[Span]:
    spans: list[Span] = []
    for tag in labels:
        if spans:
            spans.append((" ", None))
        spans.append((one_line(tag.name), label_class(tag.colour)))
    return spans


def due_text(due: dt.datetime, today: dt.date) -> str:
    """When the next activity is due, on the seller's calendar (stored as local wall-clock)."""
    if due.date() == today:
        return "Today"
    year = "" if due.year == today.year else f" {due.year}"
    return f"{due.day} {due.strftime('%b')}{year}"


def activity_spans(row: LeadRow, today: dt.date) -> list[Span]:
    style = ACTIVITY_CLASSES[row.activity]
    if row.activity is ActivityStatus.NONE or row.next_activity_at is None:
        return [(NO_ACTIVITY, style)]
    return [(due_text(row.next_activity_at, today), style)]


def money_text(value: Decimal | None, currency: str | None) -> str:
    return "" if value is None else f"{value:,} {currency or ''}".strip()


def day_text(day: dt.date | None) -> str:
    return "" if day is None else f"{day.day} {day.strftime('%b %Y')}"


def score_text(score: int | None) -> str:
    if score is None:
        return ""
    score = max(0, min(MAX_SCORE, score))
    return "★" * score + "☆" * (MAX_SCORE - score)


# What an added column shows, from the row (plain text; seller text goes through one_line).
ADDED_CELLS: dict[str, Callable[[LeadRow, dt.date], str | None]] = {
    "value": lambda row, _: money_text(row.value, row.currency),
    "expected_close": lambda row, _: day_text(row.expected_close),
    "person": lambda row, _: row.person,
    "email": lambda row, _: row.email,
    "phone": lambda row, _: row.phone,
    "organization": lambda row, _: row.organization,
    "address": lambda row, _: row.address,
    "website": lambda row, _: row.website,
    "score": lambda row, _: score_text(row.score),
    "stage": lambda row, _: row.stage,
    "origin": lambda row, _: row.origin,
    "updated": lambda row, today: short_date(row.updated_at, today),
}


def cell_spans(row: LeadRow, key: str, today: dt.date) -> list[Span]:
    if key == "title":
        return [(one_line(row.title), None if row.was_seen else "lead-table--unseen")]
    if key == "activity":
        return activity_spans(row, today)
    if key == "labels":
        return label_spans(row.labels)
    if key == "source":
        return [(one_line(row.source), None)]
    if key == "created":
        return [(short_date(row.created_at, today), None)]
    if key == "owner":
        return [(one_line(row.owner), None)]
    return [(one_line(ADDED_CELLS[key](row, today)), None)]


def row_spans(
    row: LeadRow, slots: Sequence[Slot], today: dt.date, selected: bool = False
) -> list[Span]:
    """A whole table line for ``row``: the unseen marker (or the selection's), then each
    column cut to its width."""
    marker = SELECTED_MARKER if selected else " " if row.was_seen else UNSEEN_MARKER
    spans: list[Span] = [(marker, "lead-table--marker"), (" ", None)]
    for index, slot in enumerate(slots):
        if index:
            spans.append((" " * GAP, None))
        spans += fit(cell_spans(row, slot.key, today), slot.width)
    return spans


def header_spans(slots: Sequence[Slot], sort: InboxSort) -> list[Span]:
    """The column titles, with an arrow on the sort column (▲ ascending, ▼ descending)."""
    spans: list[Span] = [(" " * MARKER_WIDTH, None)]
    for index, slot in enumerate(slots):
        if index:
            spans.append((" " * GAP, None))
        title = header_title(slot.key, sort.column, sort.descending)
        sorted_style = "lead-table--header-sorted" if slot.key == sort.column else None
        spans += fit([(title, sorted_style)], slot.width)
    return spans


def header_title(key: str, sort_key: str, descending: bool) -> str:
    title = COLUMNS[key].title
    if key != sort_key:
        return title
    return f"{title} {'▼' if descending else '▲'}"


def fit(spans: Sequence[Span], width: int) -> list[Span]:
    """Spans cut to exactly ``width`` cells: an ellipsis where text was cut, spaces after."""
    fitted: list[Span] = []
    used = 0
    for index, (text, style) in enumerate(spans):
        length = cell_len(text)
        last = index == len(spans) - 1
        if used + length > width or (not last and used + length == width):
            room = width - used - 1
            if room >= 0:
                fitted.append((set_cell_size(text, room) + ELLIPSIS, style))
            return fitted
        fitted.append((text, style))
        used += length
    if used < width:
        fitted.append((" " * (width - used), None))
    return fitted
