"""What the deals screen shows of one deal beside the table, as a Rich ``Text``.

Every value that came from a seller is shown literally; the change log reads like the lead's
(``detail_view.change_line``), the lead's own entries marked with the lead they belong to.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text

from leadbox_tui.services.deal_detail import DealDetail
from leadbox_tui.ui.literal import multi_line, one_line
from leadbox_tui.ui.widgets.detail_view import change_line
from leadbox_tui.ui.widgets.lead_cells import day_text, money_text


def detail_text(d: DealDetail) -> Text:
    """The deal as the panel shows it; every user text literal."""
    text = Text()
    text.append(one_line(d.title) + "\n", style="bold")
    status = d.status + (f" ({one_line(d.lost_reason)})" if d.lost_reason else "")
    if d.deleted_at:
        status += " · deleted (T, then R restores it)"
    rows = [
        ("Status", status),
        ("Value", money_text(d.value, d.currency) or "—"),
        ("Pipeline", one_line(d.pipeline) or "—"),
        ("Stage", one_line(d.stage) or "—"),
        ("Owner", one_line(d.owner) or "—"),
        ("Visible to", d.visible_to),
        ("Expected close", day_text(d.expected_close) or "—"),
        ("Person", one_line(d.person.name) if d.person else "—"),
        ("Organisation", one_line(d.organization.name) if d.organization else "—"),
    ]
    if d.lead_origin:
        rows.append(("From lead", str(d.lead_origin)))
    if d.leads_made:
        rows.append(("Back to leads", ", ".join(map(str, d.leads_made))))
    for name, value in rows:
        text.append(f"{name:<15} ", style="dim")
        text.append(value + "\n")
    text.append(f"\nNotes ({len(d.notes)})\n", style="bold")
    for note in d.notes:
        text.append("• " + one_line(multi_line(note.body))[:200] + "\n")
    text.append(f"\nActivities ({len(d.activities)})\n", style="bold")
    for activity in d.activities:
        text.append("• " + one_line(activity.subject) + "\n")
    text.append(f"\nE-mails ({len(d.emails)})\n", style="bold")
    for email in d.emails:
        text.append("• " + one_line(email.subject) + "\n")
    text.append(f"\nChange log ({len(d.changes)})\n", style="bold")
    for change in d.changes[:20]:
        text.append("• ")
        text.append(change_line(change, _dim))
        text.append("\n" if change.record_type == "deal" else f" (lead {change.record_id})\n")
    return text


def _dim(component: str) -> Style:
    return Style(dim=True)
