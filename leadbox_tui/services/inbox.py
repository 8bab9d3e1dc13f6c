"""The inbox query: a filter, a sort and a window in, the visible rows and the total out.

One query serves the lead table, ``leadbox list`` and the export. It never loads the inbox: the
window's ids come from an index in sort order (windows past the middle are read from the other
end), and only those rows are then joined to their people, organisations, owners and labels.
Owners are few, so the owner sort walks the ``(owner_id, id)`` index one owner at a time, in the
order of the owners' names, counting an owner's leads only when a window lies beyond them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property, reduce
from operator import and_
from typing import ClassVar

from peewee import JOIN, SQL, Asc, Desc, Expression, Node, NodeList, fn

from leadbox_tui.services.activities import ActivityStatus, status_of
from leadbox_tui.services.filters import NO_ACTIVITY, NO_LABEL, InboxFilter
from leadbox_tui.services.normalize import from_minor
from leadbox_tui.services.search import Ranking
from leadbox_tui.services.sorting import ColumnSort
from leadbox_tui.store.models import (
    ContactPoint,
    Label,
    Lead,
    LeadLabel,
    Organization,
    Person,
    User,
)


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    sort_keys: tuple[Node, ...] = ()  # ascending order; the id is added as the last tie-breaker
    # true for a lead with nothing in this column: such leads come last in both directions
    empty: Node | None = None
    indexed: bool = False  # an index of the inbox reads it in order; else SQLite sorts the leads


def _first_point(kind: str) -> Node:
    """The person's first e-mail or phone, as the column shows it."""
    cp = ContactPoint
    found = cp.select(cp.value).where(cp.person == Lead.person, cp.kind == kind)
    return found.order_by(cp.position, cp.id).limit(1)


def _of_organization(column: Node) -> Node:
    return Organization.select(column).where(Organization.id == Lead.organization)


def _related(key: str, title: str, value: Node) -> Column:
    """A column read from the lead's person or organisation, one look-up per lead."""
    return Column(key, title, (value,), NodeList((value, SQL("IS NULL"))))


def _own(key: str, title: str, column: Node, text: bool = False) -> Column:
    """One of the lead's own columns with no index of the inbox: SQLite sorts the view."""
    empty = (column.is_null() | (column == "")) if text else column.is_null()
    return Column(key, title, (column,), empty)


COLUMNS: dict[str, Column] = {
    c.key: c
    for c in (
        Column("title", "Title", (Lead.title,), indexed=True),
        Column(
            "activity",
            "Activity",
            (NO_ACTIVITY, Lead.next_activity_at),
            indexed=True,
        ),
        # a literal '' (not a bound parameter), so SQLite matches the lead_inbox_labels index
        Column(
            "labels",
            "Labels",
            (NO_LABEL, Lead.label_names),
            indexed=True,
        ),
        Column("source", "Source", (Lead.source,), indexed=True),
        Column("created", "Created", (Lead.created_at,), indexed=True),
        Column("owner", "Owner", indexed=True),  # by owner name, one owner at a time
        # the columns a seller can add (the column chooser)
        _own("value", "Value", Lead.value_minor),  # as stored: currencies are not converted
        _own("expected_close", "Expected close", Lead.expected_close),
        _related(
            "person", "Person", Person.select(Person.name_key).where(Person.id == Lead.person)
        ),
        _related("email", "E-mail", _first_point("email")),
        _related("phone", "Phone", _first_point("phone")),
        _related("organization", "Organisation", _of_organization(Organization.name_key)),
        _related("address", "Address", _of_organization(Organization.address)),
        _related("website", "Website", _of_organization(Organization.website)),
        _own("score", "Score", Lead.score),
        _own("stage", "Stage", Lead.stage, text=True),
        _own("origin", "Origin", Lead.origin, text=True),
        _own("updated", "Updated", Lead.updated_at),
    )
}
DEFAULT_COLUMNS = ("title", "activity", "labels", "source", "created", "owner")
NEAR = 20_000  # windows this close to the top are read from the top, without counting first


def outside_inbox(lead: type[Lead]) -> Expression:
    """Archived, deleted, converted or merged: the terms of the lead_outside_inbox index."""
    return (
        lead.archived_at.is_null(False)
        | lead.deleted_at.is_null(False)
        | lead.converted_at.is_null(False)
        | lead.merged_into.is_null(False)
    )


@dataclass(frozen=True)
class InboxSort(ColumnSort):
    columns: ClassVar[Mapping[str, Column]] = COLUMNS
    shown: ClassVar[Sequence[str]] = DEFAULT_COLUMNS

    def order(self, backwards: bool = False) -> list[Node]:
        """ORDER BY terms, or their exact reverse; leads with an empty column come last."""
        column = COLUMNS[self.column]
        descending = self.descending != backwards
        keys = [Desc(k) if descending else Asc(k) for k in (*column.sort_keys, Lead.id)]
        if column.empty is not None:
            keys.insert(0, Desc(column.empty) if backwards else Asc(column.empty))
        return keys


@dataclass(frozen=True)
class LabelTag:
    name: str
    colour: str


@dataclass(frozen=True)
class LeadRow:
    """One line of the inbox, ready to show: no lazy queries behind it."""

    id: int
    title: str
    activity: ActivityStatus
    next_activity_at: dt.datetime | None
    labels: tuple[LabelTag, ...]
    source: str
    created_at: dt.datetime
    owner: str | None
    was_seen: bool
    person: str | None
    organization: str | None
    value: Decimal | None
    currency: str | None
    # the columns a seller can add
    expected_close: dt.date | None = None
    score: int | None = None
    stage: str | None = None
    origin: str | None = None
    updated_at: dt.datetime | None = None
    email: str | None = None  # the person's first
    phone: str | None = None
    address: str | None = None
    website: str | None = None


@dataclass(frozen=True)
class InboxPage:
    offset: int
    rows: list[LeadRow]
    total: int


@dataclass
class InboxQuery:
    """One filter and sort over the inbox. Caches its counts; make a new one when data changes."""

    filter: InboxFilter = field(default_factory=InboxFilter)
    sort: InboxSort = field(default_factory=InboxSort)

    def _where(self) -> Expression:
        """The filter, written for reading the leads in this sort order (by id per owner)."""
        return reduce(and_, self.filter.conditions(order=self.sort.order()))

    def with_sort(self, sort: InboxSort) -> InboxQuery:
        """The same leads in another order: the count already taken carries over."""
        query = InboxQuery(self.filter, sort)
        if "total" in self.__dict__:
            query.total = self.total
        return query

    @property
    def known_total(self) -> int | None:
        """The count if it was taken already; never counts."""
        return self.__dict__.get("total")

    @cached_property
    def total(self) -> int:
        """The plain inbox is counted as all leads (SQLite counts its b-tree at once) less the
        few outside it, through their own small index, rather than by walking the inbox."""
        if self.filter == InboxFilter():
            return _count() - _count(outside_inbox(Lead))
        plan = self.filter.search_plan
        if plan is not None and self.filter == InboxFilter(search=self.filter.search):
            return plan.count(outside_inbox(Lead))  # a search alone: from the search index
        return _count(*self.filter.conditions())  # as the indexes count best, in no order

    @cached_property
    def _outside_by_owner(self) -> dict[int | None, int]:
        outside = Lead.alias()
        ids = outside.select(outside.id).where(outside_inbox(outside))
        query = Lead.select(Lead.owner, fn.COUNT(SQL("*"))).where(Lead.id.in_(ids))
        return dict(query.group_by(Lead.owner).tuples())

    def _owner_count(self, owner: int | None) -> int:
        if self.filter == InboxFilter():  # as for the total: all of the owner's leads less outside
            return _count(_owner_is(owner)) - self._outside_by_owner.get(owner, 0)
        return _count(self._owned(owner))

    def ids(self, offset: int, limit: int) -> list[int]:
        """The ids of the leads at positions ``offset`` to ``offset + limit`` in sort order."""
        if limit <= 0 or offset < 0:
            return []
        if self._ranking is not None:  # a search is on: by relevance, whatever the sort
            return self._ranking.ids(offset, limit)
        # a window past the middle is read from the other end of the index
        from_end = offset > NEAR and offset > self.total // 2
        if from_end:
            limit = max(0, min(limit, self.total - offset))
            offset = max(0, self.total - offset - limit)
        if self.sort.column == "owner":
            if from_end:
                return self._backwards._owner_ids(offset, limit)[::-1]
            return self._owner_ids(offset, limit)
        order = self.filter.in_order(self.sort.order(backwards=from_end))
        query = Lead.select(Lead.id).where(self._where()).order_by(*order)
        ids = [row[0] for row in query.limit(limit).offset(offset).tuples()]
        return ids[::-1] if from_end else ids

    @cached_property
    def _backwards(self) -> InboxQuery:
        """The same leads in the opposite order, for windows read from the end."""
        return self.with_sort(self.sort.reversed())

    @cached_property
    def _ranking(self) -> Ranking | None:
        return self.filter.ranking()

    @cached_property
    def _owners(self) -> list[int | None]:
        """Every owner in the order of their names, no owner last (reversed when descending)."""
        names = User.select(User.id).order_by(fn.LOWER(User.name), User.id)
        order: list[int | None] = [user.id for user in names]
        order.append(None)
        return order[::-1] if self.sort.descending else order

    @cached_property
    def _owner_counts(self) -> dict[int | None, int]:
        """Leads in view per owner, filled in only as far as a window needs them."""
        return {}

    def _owned(self, owner: int | None) -> Expression:
        return self._where() & _owner_is(owner)

    def _owner_ids(self, offset: int, limit: int) -> list[int]:
        ids: list[int] = []
        before = 0  # leads of the owners already walked past
        order = Lead.id.desc() if self.sort.descending else Lead.id.asc()
        for owner in self._owners:
            inner = max(0, offset - before)
            known = self._owner_counts.get(owner)
            fetched: list[int] = []
            if known is None or inner < known:
                query = Lead.select(Lead.id).where(self._owned(owner)).order_by(order)
                fetched = [r[0] for r in query.limit(limit - len(ids)).offset(inner).tuples()]
            ids += fetched
            if len(ids) >= limit:
                break
            if fetched or inner == 0:  # the window reached the end of this owner's leads
                self._owner_counts[owner] = inner + len(fetched)
            elif known is None:
                self._owner_counts[owner] = self._owner_count(owner)
            before += self._owner_counts[owner]
        return ids

    def rows(self, offset: int, limit: int, now: dt.datetime | None = None) -> list[LeadRow]:
        return rows_for(self.ids(offset, limit), now)

    def page(self, offset: int, limit: int) -> InboxPage:
        return InboxPage(offset, self.rows(offset, limit), self.total)


def _count(*conditions: Expression) -> int:
    query = Lead.select(fn.COUNT(SQL("*")))  # COUNT(*): with no condition SQLite counts the b-tree
    return (query.where(*conditions) if conditions else query).scalar()


def _owner_is(owner: int | None) -> Expression:
    return Lead.owner.is_null() if owner is None else Lead.owner == owner


def rows_for(ids: Sequence[int], now: dt.datetime | None = None) -> list[LeadRow]:
    """The inbox rows of these leads, in the order given."""
    if not ids:
        return []
    now = now or dt.datetime.now()
    tags = labels_of(ids)
    query = (
        Lead.select(
            Lead.id,
            Lead.title,
            Lead.next_activity_at,
            Lead.source,
            Lead.created_at,
            Lead.was_seen,
            Lead.value_minor,
            Lead.currency,
            Lead.expected_close,
            Lead.score,
            Lead.stage,
            Lead.origin,
            Lead.updated_at,
            Lead.person,
            User.name.alias("owner"),
            Person.name.alias("person_name"),
            Organization.name.alias("organization_name"),
            Organization.address,
            Organization.website,
        )
        .join_from(Lead, User, JOIN.LEFT_OUTER, on=(Lead.owner == User.id))
        .join_from(Lead, Person, JOIN.LEFT_OUTER, on=(Lead.person == Person.id))
        .join_from(Lead, Organization, JOIN.LEFT_OUTER, on=(Lead.organization == Organization.id))
        .where(Lead.id.in_(list(ids)))
        .dicts()
    )
    leads = list(query)
    points = first_points([lead["person"] for lead in leads if lead["person"]])
    by_id = {}
    for lead in leads:
        lid, minor, currency = lead["id"], lead["value_minor"], lead["currency"]
        person = points.get(lead["person"], {})
        by_id[lid] = LeadRow(
            id=lid,
            title=lead["title"],
            activity=status_of(lead["next_activity_at"], now),
            next_activity_at=lead["next_activity_at"],
            labels=tags.get(lid, ()),
            source=lead["source"],
            created_at=lead["created_at"],
            owner=lead["owner"],
            was_seen=lead["was_seen"],
            person=lead["person_name"],
            organization=lead["organization_name"],
            value=from_minor(minor, currency),
            currency=currency,
            expected_close=lead["expected_close"],
            score=lead["score"],
            stage=lead["stage"],
            origin=lead["origin"],
            updated_at=lead["updated_at"],
            email=person.get("email"),
            phone=person.get("phone"),
            address=lead["address"],
            website=lead["website"],
        )
    return [by_id[i] for i in ids if i in by_id]


def first_points(person_ids: Sequence[int]) -> dict[int, dict[str, str]]:
    """Each person's first e-mail and first phone: {person id: {"email": ..., "phone": ...}}."""
    first: dict[int, dict[str, str]] = defaultdict(dict)
    if not person_ids:
        return first
    cp = ContactPoint
    query = (
        cp.select(cp.person, cp.kind, cp.value)
        .where(cp.person.in_(list(dict.fromkeys(person_ids))))
        .order_by(cp.position.desc(), cp.id.desc())
        .tuples()
    )
    for person_id, kind, value in query:  # the first one last, so it stays
        first[person_id][kind] = value
    return first


def labels_of(ids: Sequence[int]) -> dict[int, tuple[LabelTag, ...]]:
    tags: dict[int, list[LabelTag]] = defaultdict(list)
    query = (
        LeadLabel.select(LeadLabel.lead, Label.name, Label.colour)
        .join(Label)
        .where(LeadLabel.lead.in_(list(ids)))
        .order_by(Label.name)
        .tuples()
    )
    for lead_id, name, colour in query:
        tags[lead_id].append(LabelTag(name, colour))
    return {k: tuple(v) for k, v in tags.items()}
