"""How a lead becomes a line of the table: literal text, cut to its column, in its colours."""

from __future__ import annotations

import datetime as dt

from rich.cells import cell_len

from leadbox_tui.services.activities import ActivityStatus
from leadbox_tui.services.inbox import DEFAULT_COLUMNS, InboxSort, LabelTag, LeadRow
from leadbox_tui.ui.literal import multi_line, one_line
from leadbox_tui.ui.widgets.lead_cells import (
    MIN_TITLE_WIDTH,
    fit,
    header_spans,
    label_class,
    layout,
    row_spans,
)

TODAY = dt.date(2026, 6, 15)


def row(**changes: object) -> LeadRow:
    values: dict[str, object] = {
        "id": 1,
        "title": "Website redesign",
        "activity": ActivityStatus.NONE,
        "next_activity_at": None,
        "labels": (),
        "source": "Web forms",
        "created_at": dt.datetime(2024, 3, 5, 9, 30),
        "owner": "Alice Martin",
        "was_seen": True,
        "person": None,
        "organization": None,
        "value": None,
        "currency": None,
    }
    return LeadRow(**{**values, **changes})  # type: ignore[arg-type]


def text(spans: list[tuple[str, str | None]]) -> str:
    return "".join(part for part, _ in spans)


def test_control_characters_become_visible_and_markup_stays_characters() -> None:
    assert one_line("[b]x[/b]\x1b[2J\r\n\t\x07\x7f\x9b\u202e") == "[b]x[/b]␛[2J␍␊␉␇␡\\x9b\\u202e"
    assert multi_line("first\r\nsecond\tthird\x1b") == "first\nsecond    third␛"


def test_fit_cuts_with_an_ellipsis_and_pads_to_the_exact_width() -> None:
    assert fit([("Hello world", None)], 8) == [("Hello w…", None)]
    assert fit([("Hi", "x")], 5) == [("Hi", "x"), ("   ", None)]
    assert fit([("Hot", "a"), (" ", None), ("Cold", "b")], 6) == [
        ("Hot", "a"),
        (" ", None),
        ("C…", "b"),
    ]
    assert fit([("Hot", "a"), ("Cold", "b")], 3) == [("Ho…", "a")]


def test_wide_characters_are_counted_by_the_cells_they_take() -> None:
    spans = fit([("東京の大きな会社", None)], 7)
    assert cell_len(text(spans)) == 7 and text(spans).endswith("…")


def test_every_line_is_as_wide_as_the_table() -> None:
    slots = layout(DEFAULT_COLUMNS, 120)
    lead = row(title="A title far too long for its column " * 4, labels=(LabelTag("Hot", "red"),))
    assert cell_len(text(row_spans(lead, slots, TODAY))) == 120
    assert cell_len(text(header_spans(slots, InboxSort()))) == 120


def test_a_narrow_table_drops_whole_columns_rather_than_cutting_them() -> None:
    keys = [slot.key for slot in layout(DEFAULT_COLUMNS, 70)]
    assert keys[0] == "title" and "source" not in keys and "activity" in keys
    assert layout(DEFAULT_COLUMNS, 70)[0].width >= MIN_TITLE_WIDTH


def test_the_sort_column_gets_an_arrow_in_the_header() -> None:
    slots = layout(DEFAULT_COLUMNS, 120)
    assert "Title ▲" in text(header_spans(slots, InboxSort("title", descending=False)))
    assert "Owner ▼" in text(header_spans(slots, InboxSort("owner", descending=True)))


def test_activity_status_is_coloured_and_no_activity_is_a_warning_sign() -> None:
    slots = [s for s in layout(DEFAULT_COLUMNS, 120) if s.key == "activity"]
    cases = {
        ActivityStatus.OVERDUE: (dt.datetime(2025, 11, 3, 10), "3 Nov 2025", "lead-table--overdue"),
        ActivityStatus.TODAY: (dt.datetime(2026, 6, 15, 23), "Today", "lead-table--today"),
        ActivityStatus.PLANNED: (dt.datetime(2026, 7, 1, 9), "1 Jul", "lead-table--planned"),
        ActivityStatus.NONE: (None, "⚠", "lead-table--no-activity"),
    }
    for status, (due, shown, style) in cases.items():
        spans = row_spans(row(activity=status, next_activity_at=due), slots, TODAY)
        assert (shown, style) in spans


def test_unseen_leads_get_a_marker_and_a_bold_title_class() -> None:
    slots = layout(DEFAULT_COLUMNS, 120)
    spans = row_spans(row(was_seen=False), slots, TODAY)
    assert spans[0] == ("●", "lead-table--marker")
    assert ("Website redesign", "lead-table--unseen") in spans
    assert row_spans(row(), slots, TODAY)[0] == (" ", "lead-table--marker")


def test_labels_show_in_their_colour_and_unknown_colours_in_grey() -> None:
    assert label_class("red") == "label--red"
    assert label_class("chartreuse") == "label--grey"
    slots = layout(DEFAULT_COLUMNS, 120)
    tags = (LabelTag("Hot", "red"), LabelTag("[x]", "blue"))
    spans = row_spans(row(labels=tags), slots, TODAY)
    assert ("Hot", "label--red") in spans and ("[x]", "label--blue") in spans
