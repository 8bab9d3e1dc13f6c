"""What the detail panel shows of one lead, as Rich renderables built from plain strings; the
sections a lead shares with a deal (contacts, notes, activities, e-mails, field lines under the
panel's cursor) serve ``deal_detail_view`` too.

Every value that came from a seller goes through ``literal`` into a ``Text``: markup in a title
stays characters, and control characters show as visible stand-ins.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Protocol

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.style import Style
from rich.table import Table
from rich.text import Text

from leadbox_tui.services.history import CREATED, LABELS
from leadbox_tui.services.inbox import LabelTag
from leadbox_tui.services.timefmt import long_datetime
from leadbox_tui.ui.literal import multi_line, one_line
from leadbox_tui.ui.widgets.lead_cells import ACTIVITY_CLASSES, label_class

if TYPE_CHECKING:  # read in the panel's worker, on the first rest of the cursor
    from leadbox_tui.services.detail import (
        ActivityInfo,
        ChangeInfo,
        EmailInfo,
        LeadDetail,
        NoteInfo,
        OrganizationInfo,
        PersonInfo,
    )

StyleOf = Callable[[str], Style]  # component class -> style
Item = tuple[str, object]  # what the panel's cursor is on: ("field", "owner"), ("note", 7)...
SELECTED = "detail-panel--selected"

MAX_SCORE = 5
ORIGIN_DEAL = "origin_deal"  # the change that says a deal came back as this lead
DASH = "—"


class Record(Protocol):
    """What a lead's detail and a deal's have in common, for the sections they share."""

    @property
    def person(self) -> PersonInfo | None: ...
    @property
    def organization(self) -> OrganizationInfo | None: ...
    @property
    def notes(self) -> tuple[NoteInfo, ...]: ...
    @property
    def activities(self) -> tuple[ActivityInfo, ...]: ...
    @property
    def emails(self) -> tuple[EmailInfo, ...]: ...


def day(date: dt.date | None) -> str:
    return "" if date is None else f"{date.day} {date.strftime('%b %Y')}"


def money(detail: LeadDetail) -> str:
    if detail.value is None:
        return ""
    return f"{detail.value:,} {detail.currency or ''}".strip()


def stars(score: int | None, mode: str) -> str:
    if score is None:
        return ""
    score = max(0, min(MAX_SCORE, score))
    return f"{'★' * score}{'☆' * (MAX_SCORE - score)}" + (
        " (set by hand)" if mode == "manual" else ""
    )


def fields(rows: Iterable[tuple[str, str]], style: StyleOf, selected: int | None = None) -> Table:
    """Name/value lines; an empty value shows as a dash so the layout never shifts. The row at
    ``selected`` is the one under the panel's cursor."""
    grid = Table.grid(padding=(0, 2), expand=True)
    grid.add_column(style=style("detail-panel--field"), no_wrap=True)
    grid.add_column(overflow="fold", ratio=1)
    for index, (name, value) in enumerate(rows):
        row_style = style(SELECTED) if index == selected else None
        grid.add_row(Text(name), Text(one_line(value) or DASH), style=row_style)
    return grid


def marked(renderable: RenderableType, selected: bool, style: StyleOf) -> RenderableType:
    """The item under the panel's cursor, highlighted across the panel's width."""
    return Padding(renderable, 0, style=style(SELECTED), expand=True) if selected else renderable


def heading(title: str, count: int | None, style: StyleOf) -> Text:
    text = title if count is None else f"{title} ({count})"
    return Text(f"\n{text}", style=style("detail-panel--heading"))


def nothing(style: StyleOf) -> Text:
    return Text("none", style=style("detail-panel--muted"))


def lead_field_rows(detail: LeadDetail) -> list[tuple[str, str, str | None]]:
    """(name, value, the lead field it edits or None) of each line of the lead's fields."""
    rows: list[tuple[str, str, str | None]] = [
        ("Value", money(detail), "value"),
        ("Owner", detail.owner or "", "owner"),
        ("Source", detail.source, "source"),
        ("Expected close", day(detail.expected_close), "expected_close"),
        ("Created", long_datetime(detail.created_at), None),
        ("Score", stars(detail.score, detail.score_mode), "score"),
    ]
    if detail.stage:
        rows.append(("Stage", detail.stage, "stage"))
    if detail.origin:
        rows.append(("Origin", detail.origin, None))
    if detail.archived_at:
        rows.append(("Archived", long_datetime(detail.archived_at), None))
    return rows


def item_fields(
    rows: Sequence[tuple[str, str, Item | None]], style: StyleOf, selected: Item | None
) -> Table:
    """Name/value lines, each maybe an item of the panel's cursor (highlighted when it is on it)."""
    keys = [item for _, _, item in rows]
    at = keys.index(selected) if selected is not None and selected in keys else None
    return fields([(name, value) for name, value, _ in rows], style, at)


def lead_fields(detail: LeadDetail, style: StyleOf, selected: Item | None = None) -> Table:
    rows = [
        (name, value, ("field", key) if key else None)
        for name, value, key in lead_field_rows(detail)
    ]
    return item_fields(rows, style, selected)


def items_of(detail: LeadDetail) -> list[Item]:
    """What the panel's cursor stops on, top to bottom: the title and the editable fields, the
    notes, the activities."""
    items: list[Item] = [("field", "title")]
    items += [("field", key) for _, _, key in lead_field_rows(detail) if key]
    items += note_and_activity_items(detail)
    if detail.origin_deal is not None:  # the conversion's line in the change log opens the deal
        items.append(("deal", detail.origin_deal))
    return items


def labels_line(tags: Iterable[LabelTag], style: StyleOf) -> Text:
    text = Text()
    for tag in tags:
        if text:
            text.append("  ")
        text.append(f"● {one_line(tag.name)}", style=style(label_class(tag.colour)))
    return text


def person_section(person: PersonInfo | None, style: StyleOf) -> list[RenderableType]:
    if person is None:
        return [heading("Person", None, style), nothing(style)]
    rows = [("Name", person.name)]
    rows += [("E-mail", email) for email in person.emails] or [("E-mail", "")]
    rows += [("Phone", phone) for phone in person.phones] or [("Phone", "")]
    return [heading("Person", None, style), fields(rows, style)]


def organization_section(org: OrganizationInfo | None, style: StyleOf) -> list[RenderableType]:
    if org is None:
        return [heading("Organisation", None, style), nothing(style)]
    rows = [("Name", org.name), ("Address", org.address or ""), ("Website", org.website or "")]
    return [heading("Organisation", None, style), fields(rows, style)]


def note_block(note: NoteInfo, style: StyleOf) -> Text:
    pin = "Pinned · " if note.pinned else ""
    by = f" · {one_line(note.author)}" if note.author else ""
    header = f"{pin}{long_datetime(note.created_at)}{by}\n"
    return Text.assemble((header, style("detail-panel--muted")), multi_line(note.body))


def activity_line(activity: ActivityInfo, style: StyleOf) -> Text:
    due = activity.due.strftime("%Y-%m-%d %H:%M" if activity.has_time else "%Y-%m-%d")
    if activity.done:
        return Text(
            f"✓ {due}  {activity.type}: {one_line(activity.subject)}", style("detail-panel--muted")
        )
    return Text.assemble(
        (f"● {due}", style(ACTIVITY_CLASSES[activity.status])),
        f"  {activity.type}: {one_line(activity.subject)}",
    )


def email_line(email: EmailInfo, style: StyleOf) -> Text:
    arrow = "→" if email.direction == "out" else "←"
    who = email.to if email.direction == "out" else email.sender
    return Text.assemble(
        (f"{arrow} {long_datetime(email.sent_at)}  ", style("detail-panel--muted")),
        f"{one_line(who)}: {one_line(email.subject) or '(no subject)'}",
    )


def change_line(change: ChangeInfo, style: StyleOf) -> Text:
    by = f" · {one_line(change.by)}" if change.by else ""
    if change.field == CREATED:
        what = "created"
    elif change.field == ORIGIN_DEAL and change.new:
        what = f"converted from deal {change.new} (enter opens it)"
    else:
        name = "labels" if change.field == LABELS else change.field.replace("_", " ")
        what = f"{name}: {one_line(change.old) or DASH} → {one_line(change.new) or DASH}"
    return Text.assemble((f"{long_datetime(change.at)}{by}  ", style("detail-panel--muted")), what)


def section(title: str, lines: list[RenderableType], style: StyleOf) -> list[RenderableType]:
    return [heading(title, len(lines), style), *(lines or [nothing(style)])]


def shared_sections(detail: Record, style: StyleOf, selected: Item | None) -> list[RenderableType]:
    """The person, organisation, notes, activities and e-mails of a lead or a deal."""
    parts = person_section(detail.person, style) + organization_section(detail.organization, style)
    notes = [marked(note_block(n, style), selected == ("note", n.id), style) for n in detail.notes]
    parts += section("Notes", notes, style)
    activities = [
        marked(activity_line(a, style), selected == ("activity", a.id), style)
        for a in detail.activities
    ]
    parts += section("Activities", activities, style)
    parts += section("E-mails", [email_line(e, style) for e in detail.emails], style)
    return parts


def note_and_activity_items(detail: Record) -> list[Item]:
    return [("note", n.id) for n in detail.notes] + [("activity", a.id) for a in detail.activities]


def render_detail(
    detail: LeadDetail, style: StyleOf, selected: Item | None = None
) -> RenderableType:
    """Everything about the lead; ``selected`` is the item under the panel's cursor, if any."""
    title = Text(one_line(detail.title), style=style("detail-panel--title"))
    parts: list[RenderableType] = [marked(title, selected == ("field", "title"), style)]
    if detail.labels:
        parts.append(labels_line(detail.labels, style))
    parts.append(lead_fields(detail, style, selected))
    parts += shared_sections(detail, style, selected)
    conversion = ("deal", detail.origin_deal)
    changes = [
        marked(change_line(c, style), c.field == ORIGIN_DEAL and selected == conversion, style)
        for c in detail.changes
    ]
    parts += section("Change log", changes, style)
    return Group(*parts)
