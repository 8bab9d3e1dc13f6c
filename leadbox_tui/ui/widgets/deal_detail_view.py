"""What the deals screen's detail panel shows of one deal, and what its cursor stops on.

The same panel as the inbox's (``DetailPanel`` with ``DEAL_DETAIL``), drawn with the lead's
building blocks (``detail_view``): the deal's fields, the lines linking to the lead it came from
and the leads it went back as, the shared sections (contacts, notes, activities, e-mails), and
one change log of the deal and its lead, where a line naming another record opens it. Every
value that came from a seller is shown literally.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text

from leadbox_tui.services.deal_detail import DealDetail, deal_detail
from leadbox_tui.services.detail import RecordChange
from leadbox_tui.ui.literal import one_line
from leadbox_tui.ui.widgets.detail_panel import DetailKind
from leadbox_tui.ui.widgets.detail_view import (
    Item,
    StyleOf,
    change_line,
    day,
    item_fields,
    labels_line,
    marked,
    note_and_activity_items,
    section,
    shared_sections,
)
from leadbox_tui.ui.widgets.lead_cells import money_text

OPENS = " (enter opens it)"


def status_text(d: DealDetail) -> str:
    status = d.status + (f" ({one_line(d.lost_reason)})" if d.lost_reason else "")
    return status + (" · deleted (T, then R restores it)" if d.deleted_at else "")


def field_rows(d: DealDetail) -> list[tuple[str, str, Item | None]]:
    """(name, value, the item of the panel's cursor or None) of each line of the deal's fields:
    the status and stage take ``e``, a lead line takes ``enter``."""
    rows: list[tuple[str, str, Item | None]] = [
        ("Status", status_text(d), ("field", "status")),
        ("Value", money_text(d.value, d.currency), None),
        ("Pipeline", d.pipeline or "", None),
        ("Stage", d.stage or "", ("field", "stage")),
        ("Owner", d.owner or "", None),
        ("Visible to", d.visible_to, None),
        ("Expected close", day(d.expected_close), None),
    ]
    if d.lead_origin:
        rows.append(("From lead", f"{d.lead_origin}{OPENS}", ("lead", d.lead_origin)))
    rows += [("Back to lead", f"{lead}{OPENS}", ("lead", lead)) for lead in d.leads_made]
    return rows


def opens_elsewhere(d: DealDetail, change: RecordChange) -> bool:
    """A change-log line that names a record other than the deal shown: ``enter`` opens it."""
    return change.link is not None and change.link != ("deal", d.id)


def deal_items(d: DealDetail) -> list[Item]:
    """What the panel's cursor stops on, top to bottom: the status and stage, the lead lines,
    the notes, the activities, the change-log lines that open another record."""
    items = [item for _, _, item in field_rows(d) if item is not None]
    items += note_and_activity_items(d)
    items += [("change", at) for at, c in enumerate(d.changes) if opens_elsewhere(d, c)]
    return items


def deal_change_line(d: DealDetail, change: RecordChange, style: StyleOf) -> Text:
    """A change as the lead's log says it, marked with its lead if it is the lead's entry."""
    line = change_line(change, style)
    if change.record_type == "lead":
        line.append(f" (lead {change.record_id})", style=style("detail-panel--muted"))
    if opens_elsewhere(d, change) and not line.plain.endswith(OPENS.strip()):
        line.append(OPENS, style=style("detail-panel--muted"))
    return line


def render_deal(d: DealDetail, style: StyleOf, selected: Item | None = None) -> RenderableType:
    """Everything about the deal; ``selected`` is the item under the panel's cursor, if any."""
    parts: list[RenderableType] = [Text(one_line(d.title), style=style("detail-panel--title"))]
    if d.labels:
        parts.append(labels_line(d.labels, style))
    parts.append(item_fields(field_rows(d), style, selected))
    parts += shared_sections(d, style, selected)
    changes = [
        marked(deal_change_line(d, c, style), selected == ("change", at), style)
        for at, c in enumerate(d.changes)
    ]
    parts += section("Change log", changes, style)
    return Group(*parts)


DEAL_DETAIL = DetailKind("deal", deal_detail, deal_items, render_deal)
