"""Which leads are in view: the filter bar, the predefined filters, custom conditions, search,
and the filters the seller saved by name.

``InboxFilter()`` is the inbox itself. Within one part of the bar the choices are alternatives
(source Web forms *or* API); the parts, the predefined filters and the "all of" conditions must
all hold, and at least one "any of" condition when there are some. Every part is one SQL term
on ``Lead`` that either narrows an index range or is checked row by row while the inbox reads
an index in sort order, so the first rows come back fast whatever the filter.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import cached_property, reduce
from operator import and_, or_
from typing import Any, NamedTuple

from peewee import SQL, Expression, Node, NodeList, Ordering, fn

from leadbox_tui.services.conditions import (
    ME,
    Condition,
    FilterError,
    Operator,
    condition_from_json,
    hidden_column,
    resolve_label,
    resolve_user,
    utc_day_start,
)
from leadbox_tui.services.history import me_id, recorded
from leadbox_tui.services.leads import SOURCES
from leadbox_tui.services.normalize import fold
from leadbox_tui.services.search import Ranking, SearchPlan, plan_search
from leadbox_tui.store.models import Label, Lead, LeadLabel, SavedFilter, User, database_proxy

__all__ = [
    "FilterError",
    "InboxFilter",
    "Predefined",
    "SavedFilterInfo",
    "UnknownFilterError",
    "delete_saved_filter",
    "list_saved_filters",
    "rename_saved_filter",
    "save_filter",
    "saved_filter",
    "set_favourite",
    "update_saved_filter",
]

FORMAT = 1  # the version of the saved JSON
PROBE = 2_000  # rows of the sort order a filter is tried on (see InboxFilter._hiding)
ENOUGH = 5  # leads kept among them that make reading that order pay


class Predefined(StrEnum):
    """The predefined filters of the Leads Inbox."""

    OLDER_THAN_THREE_MONTHS = "older_than_three_months"
    WITH_PERSON = "with_person"
    WITH_EMAIL = "with_email"
    WITHOUT_ACTIVITY = "without_activity"
    WITH_PHONE = "with_phone"
    WITH_SCHEDULED_ACTIVITY = "with_scheduled_activity"
    WITH_VALUE = "with_value"

    @property
    def label(self) -> str:
        return PREDEFINED_LABELS[self]


PREDEFINED_LABELS = {
    Predefined.OLDER_THAN_THREE_MONTHS: "Added more than three months ago",
    Predefined.WITH_PERSON: "With a linked person",
    Predefined.WITH_EMAIL: "With an e-mail",
    Predefined.WITHOUT_ACTIVITY: "Without activity",
    Predefined.WITH_PHONE: "With a phone",
    Predefined.WITH_SCHEDULED_ACTIVITY: "With a scheduled activity",
    Predefined.WITH_VALUE: "With a value",
}

# "Without activity" is the activity status column's "no activity": nothing open is planned.
PREDEFINED_CONDITIONS = {
    Predefined.WITH_PERSON: Condition("person", Operator.IS_NOT_EMPTY),
    Predefined.WITH_EMAIL: Condition("email", Operator.IS_NOT_EMPTY),
    Predefined.WITHOUT_ACTIVITY: Condition("next_activity", Operator.IS_EMPTY),
    Predefined.WITH_PHONE: Condition("phone", Operator.IS_NOT_EMPTY),
    Predefined.WITH_SCHEDULED_ACTIVITY: Condition("next_activity", Operator.IS_NOT_EMPTY),
    Predefined.WITH_VALUE: Condition("value", Operator.IS_NOT_EMPTY),
}


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months earlier (the 31st becomes the month's last day)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    next_month = dt.date(year + month // 12, month % 12 + 1, 1)
    return dt.date(year, month, min(day.day, (next_month - dt.timedelta(days=1)).day))


# True for a lead without labels, or with nothing planned: the first key of the label sort
# and of the activity sort (and of their indexes).
NO_LABEL = NodeList((Lead.label_names, SQL("= ''")))
NO_ACTIVITY = Lead.next_activity_at.is_null()
KEYS_WALKED = 500  # label sort keys ("Cold, Hot") looked up one by one, at most


class Part(NamedTuple):
    """A part of a filter, built hidden from the planner's indexes or not (see ``_hiding``)."""

    build: Callable[[bool], Expression]
    indexed: bool  # hiding it can matter: it is a term an index of the inbox could answer
    # a sort key, and the part written to read that key's index in order, given the place
    # terms (or None when it cannot): used instead of ``build`` when sorting by the key; it
    # gives every lead the same ``fixes`` key, which the order then leaves out (``in_order``)
    sort_key: Node | None = None
    along: Callable[[list[Expression]], Expression | None] | None = None
    fixes: Node | None = None


def _column_part(column: Any, test: Callable[[Any], Expression]) -> Part:
    return Part(lambda hide: test(hidden_column(column) if hide else column), True)


def _condition_part(cond: Condition, now: dt.datetime) -> Part:
    return Part(lambda hide: cond.expression(now, hidden=hide), cond.indexed)


def _any_of_part(conds: tuple[Condition, ...], now: dt.datetime) -> Part:
    def build(hide: bool) -> Expression:
        return reduce(or_, [c.expression(now, hidden=hide and c.indexed) for c in conds])

    return Part(build, all(c.indexed for c in conds))


def _label_keys(place: list[Expression], names: list[str]) -> list[str] | None:
    """The label sort keys ("Cold, Hot") of the leads in view holding one of these names, found
    by seeking the label index from key to key (a handful of keys cover a million leads);
    ``None`` when the leads have more than ``KEYS_WALKED`` different keys."""
    keys: list[str] = []
    last = ""
    for _ in range(KEYS_WALKED):
        after = (NO_LABEL == 0) & (Lead.label_names > last)
        last = Lead.select(fn.MIN(Lead.label_names)).where(*place, after).scalar()
        if last is None:
            return [k for k in keys if any(f", {n}, " in f", {k}, " for n in names)]
        keys.append(last)
    return None


def _labels_part(label_ids: tuple[int, ...]) -> Part:
    """Has one of these labels: checked per lead through the (lead, label) key, or the leads
    looked up through the (label, lead) index.

    Sorted by labels, the leads holding them are read in order from the label sort index,
    key by key ("Hot", then "Hot, VIP"...): checked down that order, "Hot" came after
    200,000 "Cold" leads, and found through the (label, lead) index, 220,000 "Hot" leads had
    to be sorted, 0.4 to 1 s either way at a million leads."""
    ids = list(label_ids)

    def build(hide: bool) -> Expression:
        if hide:
            per_lead = LeadLabel.lead == Lead.id
            return fn.EXISTS(LeadLabel.select(SQL("1")).where(per_lead, LeadLabel.label.in_(ids)))
        return Lead.id.in_(LeadLabel.select(LeadLabel.lead).where(LeadLabel.label.in_(ids)))

    def along(place: list[Expression]) -> Expression | None:
        names = [n for (n,) in Label.select(Label.name).where(Label.id.in_(ids)).tuples()]
        keys = _label_keys(place, names)
        if keys is None:
            return None
        # the key narrows the index; the (lead, label) check stays exact for names with commas
        return (NO_LABEL == 0) & Lead.label_names.in_(keys) & build(True)

    return Part(build, True, Lead.label_names, along, NO_LABEL)


def _activity_part(which: Predefined, now: dt.datetime) -> Part:
    """With or without anything planned. Sorted by activity, it is the first key of the
    activity index equal to false or true: SQLite reads just that part of the index, in order
    (read down the whole order, "with a scheduled activity" met the 280,000 leads with nothing
    planned first)."""
    plain = _condition_part(PREDEFINED_CONDITIONS[which], now)
    planned = which is Predefined.WITH_SCHEDULED_ACTIVITY
    return plain._replace(
        sort_key=Lead.next_activity_at,
        along=lambda place: NO_ACTIVITY == (0 if planned else 1),  # noqa: SIM300 (SQL)
        fixes=NO_ACTIVITY,
    )


def _predefined_part(which: Predefined, now: dt.datetime) -> Part:
    if which is Predefined.OLDER_THAN_THREE_MONTHS:
        cutoff = utc_day_start(months_before(now.date(), 3))  # local midnight, in UTC
        return _column_part(Lead.created_at, lambda column: column < cutoff)
    if which in (Predefined.WITH_SCHEDULED_ACTIVITY, Predefined.WITHOUT_ACTIVITY):
        return _activity_part(which, now)
    return _condition_part(PREDEFINED_CONDITIONS[which], now)


def _along(part: Part, place: list[Expression], order: Sequence[Node]) -> Expression | None:
    """The part written to read its sort key's index in order, when the leads are sorted by
    that key; else ``None``."""
    if part.sort_key is None or part.along is None:
        return None
    keys = [term.node for term in order if isinstance(term, Ordering)]
    return part.along(place) if any(key is part.sort_key for key in keys) else None


@dataclass(frozen=True)
class InboxFilter:
    """Which leads are in view. The archived view shows archived leads instead of the inbox.

    ``labels`` are label ids; ``owner`` a user id or ``"me"`` (whoever uses the inbox).
    ``search`` is the search box: while it is set the inbox is ordered by relevance.
    """

    archived: bool = False
    sources: tuple[str, ...] = ()
    labels: tuple[int, ...] = ()
    owner: int | str | None = None
    predefined: tuple[Predefined, ...] = ()
    all_of: tuple[Condition, ...] = ()
    any_of: tuple[Condition, ...] = ()
    search: str = ""

    def __post_init__(self) -> None:
        if unknown := [s for s in self.sources if s not in SOURCES]:
            raise FilterError(f"unknown source {unknown[0]!r}; one of: {', '.join(SOURCES)}")
        if isinstance(self.owner, str) and self.owner != ME:
            raise FilterError(f"the owner is a user id or {ME!r}, not {self.owner!r}")
        for which in self.predefined:
            Predefined(which)

    @cached_property
    def search_plan(self) -> SearchPlan | None:
        """The search text turned into an index query, once per filter."""
        return plan_search(self.search)

    def ranking(self) -> Ranking | None:
        """While searching: the matches under the rest of the filter, best first."""
        if self.search_plan is None:
            return None
        rest = replace(self, search="").conditions()
        return Ranking(self.search_plan, reduce(and_, rest))

    def in_order(self, order: list[Node]) -> list[Node]:
        """The sort terms, less the ones every lead in view shares because a part is read
        along its sort key (see ``_along``): with a label chosen, each lead has a label, and
        SQLite reads the label index in order only without that key."""
        place = self._place()
        fixed = [
            part.fixes
            for part in self._parts(dt.datetime.now())
            if part.fixes is not None and _along(part, place, order) is not None
        ]
        return [
            term
            for term in order
            if not (isinstance(term, Ordering) and any(term.node is key for key in fixed))
        ]

    def _place(self) -> list[Expression]:
        """Inbox or archive: never deleted, converted or merged leads."""
        return [
            Lead.archived_at.is_null(not self.archived),
            Lead.deleted_at.is_null(),
            Lead.converted_at.is_null(),
            Lead.merged_into.is_null(),
        ]

    def _parts(self, now: dt.datetime) -> list[Part]:
        parts: list[Part] = []
        if self.sources:
            sources = list(self.sources)
            parts.append(_column_part(Lead.source, lambda column: column.in_(sources)))
        if self.owner is not None:
            owner = me_id() if self.owner == ME else self.owner
            parts.append(_column_part(Lead.owner, lambda column: column == owner))
        if self.labels:
            parts.append(_labels_part(self.labels))
        parts += [_predefined_part(Predefined(p), now) for p in self.predefined]
        parts += [_condition_part(c, now) for c in self.all_of]
        if self.any_of:
            parts.append(_any_of_part(self.any_of, now))
        return parts

    def conditions(
        self, now: dt.datetime | None = None, order: Sequence[Node] | None = None
    ) -> list[Expression]:
        """The SQL terms (all must hold); ``now`` is the seller's local time.

        Given the ``order`` the leads will be read in, each part is written the way SQLite
        reaches the first rows fastest in that order (see ``_hiding``).
        """
        now = now or dt.datetime.now()
        place = self._place()
        parts = self._parts(now)
        along = [_along(part, place, order) for part in parts] if order else [None] * len(parts)
        terms = place + [term for term in along if term is not None]
        parts = [part for part, term in zip(parts, along, strict=True) if term is None]
        hide = self._hiding(place, parts, order) if order else [False] * len(parts)
        terms += [part.build(h) for part, h in zip(parts, hide, strict=True)]
        if self.search_plan is not None:
            terms.append(self.search_plan.matches())
        return terms

    def _hiding(
        self, place: list[Expression], parts: list[Part], order: Sequence[Node]
    ) -> list[bool]:
        """Which parts to hide from the planner's indexes, from a try on the first rows.

        A hidden part is checked row by row while the inbox reads its sort order: right when
        the first ``PROBE`` rows of that order hold at least ``ENOUGH`` leads the whole filter
        keeps (a page within some 20,000 rows). Otherwise the part those rows meet least is
        left to the planner, which reads its leads through its index and sorts them, and so
        are the parts those rows meet rarely; the parts they meet often stay hidden. One
        query of an eighth of ``PROBE`` rows, then of ``PROBE`` rows when that was not
        enough, once per filter and order.
        """
        # the parts read along their sort key (see ``_along``) are left out of ``parts``
        key = (Lead.select(Lead.id).order_by(*order).sql()[0], len(parts))
        known = self.__dict__.setdefault("_hidings", {})  # frozen: a cache beside the fields
        if key in known:
            return known[key]
        shapeable = [i for i, part in enumerate(parts) if part.indexed]
        hide = [part.indexed for part in parts]
        if shapeable:
            tried = [part.build(part.indexed).alias(f"part{i}") for i, part in enumerate(parts)]
            probe = Lead.select(*tried).where(*place).order_by(*order)
            # most filters keep enough leads among the first rows: an eighth of them tells
            for size in dict.fromkeys((max(1, PROBE // 8), PROBE)):
                hits, together = [0] * len(parts), 0
                for row in database_proxy.execute(probe.limit(size)).fetchall():
                    together += all(row)
                    hits = [h + bool(v) for h, v in zip(hits, row, strict=True)]
                if together >= ENOUGH:
                    break
            else:
                rarest = min(shapeable, key=hits.__getitem__)
                hide = [
                    part.indexed and i != rarest and hits[i] * 20 >= PROBE
                    for i, part in enumerate(parts)
                ]
        known[key] = hide
        return hide

    def describe(self) -> str:
        """The active filter in one line, as the filter bar shows it."""
        parts = ["Archived"] if self.archived else []
        if self.sources:
            parts.append("Source: " + ", ".join(self.sources))
        if self.labels:
            names = dict(Label.select(Label.id, Label.name).tuples())
            parts.append("Label: " + ", ".join(names.get(i, f"#{i}") for i in self.labels))
        if self.owner == ME:
            parts.append(f"Owner: {ME}")
        elif self.owner is not None:
            name = User.select(User.name).where(User.id == self.owner).scalar()
            parts.append(f"Owner: {name or f'#{self.owner}'}")
        parts += [Predefined(p).label for p in self.predefined]
        if self.all_of:
            parts.append("All of: " + "; ".join(c.describe() for c in self.all_of))
        if self.any_of:
            parts.append("Any of: " + "; ".join(c.describe() for c in self.any_of))
        if self.search.strip():
            parts.append(f"Search: {self.search.strip()}")
        return " · ".join(parts) or "All leads"

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "archived": self.archived,
            "sources": list(self.sources),
            "labels": list(self.labels),
            "owner": self.owner,
            "predefined": [str(p) for p in self.predefined],
            "all_of": [c.to_json() for c in self.all_of],
            "any_of": [c.to_json() for c in self.any_of],
            "search": self.search,
        }

    @classmethod
    def from_json(cls, data: Any) -> InboxFilter:
        """A filter read back (from a saved filter): each part checked again."""
        if not isinstance(data, dict):
            raise FilterError("a saved filter must be a JSON object")
        try:
            predefined = tuple(Predefined(p) for p in data.get("predefined", ()))
        except ValueError as error:
            raise FilterError(f"unknown predefined filter: {error}") from None
        owner = data.get("owner")
        return cls(
            archived=bool(data.get("archived", False)),
            sources=tuple(str(s) for s in data.get("sources", ())),
            labels=tuple(resolve_label(v) for v in data.get("labels", ())),
            owner=None if owner is None else resolve_user(owner),
            predefined=predefined,
            all_of=tuple(condition_from_json(c) for c in data.get("all_of", ())),
            any_of=tuple(condition_from_json(c) for c in data.get("any_of", ())),
            search=str(data.get("search", "")),
        )


# -- saved filters -----------------------------------------------------------------------------


class UnknownFilterError(FilterError):
    """No saved filter has that name."""


@dataclass(frozen=True)
class SavedFilterInfo:
    id: int
    name: str
    favourite: bool
    filter: InboxFilter = field(compare=False)

    @property
    def description(self) -> str:
        return self.filter.describe()


def _live() -> Any:
    return SavedFilter.select().where(SavedFilter.deleted_at.is_null())


def _find(name: str) -> SavedFilter:
    """A live saved filter by name: exactly, else ignoring case and accents."""
    rows = list(_live())
    for row in rows:
        if row.name == name.strip():
            return row
    for row in rows:
        if fold(row.name) == fold(name):
            return row
    known = ", ".join(sorted(r.name for r in rows)) or "none saved yet"
    raise UnknownFilterError(f"no saved filter named {name!r} (saved filters: {known})")


def _info(row: SavedFilter) -> SavedFilterInfo:
    try:
        data = json.loads(row.conditions)
    except ValueError:
        raise FilterError(f"the saved filter {row.name!r} cannot be read") from None
    return SavedFilterInfo(row.id, row.name, row.favourite, InboxFilter.from_json(data))


def _clean_name(name: str) -> str:
    clean = " ".join(name.split())
    if not clean:
        raise FilterError("a saved filter needs a name")
    if len(clean) > 100:
        raise FilterError(f"a filter name is at most 100 characters, not {len(clean)}")
    return clean


def _check_free(name: str, keep: int | None = None) -> None:
    """Names are unique among live filters; a removed filter of that name gives it up for good."""
    same = SavedFilter.select().where(fn.LOWER(SavedFilter.name) == name.lower())
    if any(row.deleted_at is None and row.id != keep for row in same):
        raise FilterError(f"a saved filter is already named {name!r}")
    SavedFilter.delete().where(
        SavedFilter.name == name, SavedFilter.deleted_at.is_null(False)
    ).execute()


def list_saved_filters() -> list[SavedFilterInfo]:
    """Every saved filter, favourites first, then by name."""
    rows = sorted(_live(), key=lambda r: (not r.favourite, fold(r.name), r.id))
    return [_info(row) for row in rows]


def saved_filter(name: str) -> InboxFilter:
    """The filter saved under ``name``; ``UnknownFilterError`` when there is none."""
    return _info(_find(name)).filter


def save_filter(name: str, inbox_filter: InboxFilter, favourite: bool = False) -> int:
    """Save a new filter by name; returns its id."""
    name = _clean_name(name)
    with recorded("filter", f"Saved filter {name!r}") as rec:
        _check_free(name)
        row = SavedFilter.create(
            name=name,
            conditions=json.dumps(inbox_filter.to_json(), ensure_ascii=False),
            favourite=favourite,
            owner=rec.by,
            created_at=rec.action.at,
            updated_at=rec.action.at,
        )
        rec.created(SavedFilter, row.id)
    return row.id


def update_saved_filter(name: str, inbox_filter: InboxFilter) -> None:
    """Replace the conditions of a saved filter."""
    row = _find(name)
    with recorded("filter", f"Changed filter {row.name!r}") as rec:
        text = json.dumps(inbox_filter.to_json(), ensure_ascii=False)
        rec.set(SavedFilter, row.id, "conditions", text)


def rename_saved_filter(name: str, new_name: str) -> None:
    row = _find(name)
    new_name = _clean_name(new_name)
    with recorded("filter", f"Renamed filter {row.name!r} to {new_name!r}") as rec:
        _check_free(new_name, keep=row.id)
        rec.set(SavedFilter, row.id, "name", new_name)


def set_favourite(name: str, favourite: bool = True) -> None:
    row = _find(name)
    verb = "Marked" if favourite else "Unmarked"
    with recorded("filter", f"{verb} filter {row.name!r} as favourite") as rec:
        rec.set(SavedFilter, row.id, "favourite", favourite)


def delete_saved_filter(name: str) -> None:
    """Remove a saved filter; undo brings it back."""
    row = _find(name)
    with recorded("filter", f"Deleted filter {row.name!r}") as rec:
        rec.set(SavedFilter, row.id, "deleted_at", rec.action.at)
