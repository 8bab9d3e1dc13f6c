"""Deals: the table query, the board of a pipeline, stage moves, won and lost, delete and restore
(the detail of one deal: ``deal_detail``).

``DealQuery`` has the shape of ``InboxQuery`` (a filter, a sort, then ``total``, ``ids``,
``rows`` and ``page`` for a window), so one table widget shows leads or deals. Deals are far
fewer than leads, so the window is a plain ``ORDER BY ... LIMIT``: none of the inbox's index
walking is needed.
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

from peewee import JOIN, Expression, Node, fn

from leadbox_tui.services.history import CREATED, recorded
from leadbox_tui.services.inbox import Column, LabelTag
from leadbox_tui.services.leads import clean_text
from leadbox_tui.services.normalize import fold, from_minor
from leadbox_tui.services.pipelines import (
    DealError,
    PipelineInfo,
    StageInfo,
    default_pipeline,
    get_pipeline,
    get_stage,
    place_deals,
)
from leadbox_tui.services.sorting import ColumnSort
from leadbox_tui.store.models import (
    Action,
    Change,
    Deal,
    DealLabel,
    Label,
    Organization,
    Person,
    Pipeline,
    Stage,
    User,
)

STATUSES = ("open", "won", "lost")
MAX_REASON = 500


def _nulls_last(node: Node) -> tuple[Node, ...]:
    return (node.is_null(), node)


COLUMNS: dict[str, Column] = {
    c.key: c
    for c in (
        Column("title", "Title", (Deal.title,)),
        Column("value", "Value", _nulls_last(Deal.value_minor)),
        Column("stage", "Stage", (Pipeline.position, Pipeline.id, Stage.position)),
        Column("pipeline", "Pipeline", (Pipeline.position, Pipeline.id)),
        Column("status", "Status", (Deal.status,)),
        Column("person", "Person", _nulls_last(fn.LOWER(Person.name))),
        Column("organization", "Organisation", _nulls_last(fn.LOWER(Organization.name))),
        Column("owner", "Owner", _nulls_last(fn.LOWER(User.name))),
        Column("expected_close", "Expected close", _nulls_last(Deal.expected_close)),
        Column("created", "Created", (Deal.created_at,)),
    )
}
DEFAULT_COLUMNS = (
    "title",
    "value",
    "stage",
    "pipeline",
    "status",
    "person",
    "organization",
    "owner",
    "expected_close",
)


def undone_creations() -> Node:
    """Ids of deals whose creation was undone: undo hides them softly, but nobody deleted them."""
    return (
        Change.select(Change.record_id)
        .join(Action)
        .where(
            Change.record_type == Deal._meta.table_name,
            Change.field == CREATED,
            Action.undone_at.is_null(False),
        )
    )


@dataclass(frozen=True)
class DealFilter:
    """Which deals are in view: live ones, or the deleted deals view (what can be restored)."""

    deleted: bool = False
    status: str | None = None  # open, won or lost; None for all three
    pipeline_id: int | None = None
    stage_id: int | None = None
    owner_id: int | None = None
    search: str = ""  # part of the title, the person's or the organisation's name

    def __post_init__(self) -> None:
        if self.status is not None and self.status not in STATUSES:
            raise DealError(f"no status {self.status!r}; one of: {', '.join(STATUSES)}")

    def conditions(self) -> list[Expression]:
        if self.deleted:
            found = [Deal.deleted_at.is_null(False), Deal.id.not_in(undone_creations())]
        else:
            found = [Deal.deleted_at.is_null()]
        for column, value in (
            (Deal.status, self.status),
            (Deal.pipeline, self.pipeline_id),
            (Deal.stage, self.stage_id),
            (Deal.owner, self.owner_id),
        ):
            if value is not None:
                found.append(column == value)
        if text := self.search.strip():
            key = fold(text)
            found.append(
                Deal.title.contains(text)
                | Person.name_key.contains(key)
                | Organization.name_key.contains(key)
            )
        return found


@dataclass(frozen=True)
class DealSort(ColumnSort):
    columns: ClassVar[Mapping[str, Column]] = COLUMNS
    shown: ClassVar[Sequence[str]] = DEFAULT_COLUMNS


@dataclass(frozen=True)
class DealRow:
    """One line of the deals table (or one card of the board), ready to show."""

    id: int
    title: str
    value: Decimal | None
    currency: str | None
    pipeline_id: int | None
    pipeline: str | None
    stage_id: int | None
    stage: str | None
    status: str
    lost_reason: str | None
    person: str | None
    organization: str | None
    owner: str | None
    expected_close: dt.date | None
    created_at: dt.datetime
    deleted_at: dt.datetime | None
    labels: tuple[LabelTag, ...]


@dataclass(frozen=True)
class DealPage:
    offset: int
    rows: list[DealRow]
    total: int


def _joined(*columns: Node):
    """Deals with everything the table shows or sorts by beside them."""
    return (
        Deal.select(*columns)
        .join_from(Deal, Stage, JOIN.LEFT_OUTER, on=(Deal.stage == Stage.id))
        .join_from(Deal, Pipeline, JOIN.LEFT_OUTER, on=(Deal.pipeline == Pipeline.id))
        .join_from(Deal, Person, JOIN.LEFT_OUTER, on=(Deal.person == Person.id))
        .join_from(Deal, Organization, JOIN.LEFT_OUTER, on=(Deal.organization == Organization.id))
        .join_from(Deal, User, JOIN.LEFT_OUTER, on=(Deal.owner == User.id))
    )


@dataclass
class DealQuery:
    """One filter and sort over the deals. Caches its count; make a new one when data changes."""

    filter: DealFilter = field(default_factory=DealFilter)
    sort: DealSort = field(default_factory=DealSort)

    def _where(self) -> Expression:
        return reduce(and_, self.filter.conditions())

    def with_sort(self, sort: DealSort) -> DealQuery:
        """The same deals in another order: the count already taken carries over."""
        query = DealQuery(self.filter, sort)
        if "total" in self.__dict__:
            query.total = self.total
        return query

    @cached_property
    def total(self) -> int:
        return _joined(fn.COUNT(Deal.id)).where(self._where()).scalar()

    def ids(self, offset: int, limit: int) -> list[int]:
        """The ids of the deals at positions ``offset`` to ``offset + limit`` in sort order."""
        if limit <= 0 or offset < 0:
            return []
        keys = (*COLUMNS[self.sort.column].sort_keys, Deal.id)
        order = [k.desc() if self.sort.descending else k.asc() for k in keys]
        query = _joined(Deal.id).where(self._where()).order_by(*order)
        return [row[0] for row in query.limit(limit).offset(offset).tuples()]

    def all_ids(self) -> list[int]:
        """Every deal in view, in sort order: what "convert the filtered deals" works on."""
        return self.ids(0, self.total)

    def rows(self, offset: int, limit: int) -> list[DealRow]:
        return deal_rows(self.ids(offset, limit))

    def page(self, offset: int, limit: int) -> DealPage:
        return DealPage(offset, self.rows(offset, limit), self.total)


def locate(deal_id: int, sort: DealSort | None = None) -> tuple[DealFilter, int] | None:
    """The view a deal is in (the deals, or the deleted deals) and its row there in ``sort``:
    where a lead's "converted from deal" line takes the seller. None: no such deal to show."""
    deal = Deal.get_or_none(Deal.id == deal_id)
    if deal is None:
        return None
    query = DealQuery(DealFilter(deleted=deal.deleted_at is not None), sort or DealSort())
    ids = query.all_ids()
    return (query.filter, ids.index(deal_id)) if deal_id in ids else None


def deal_labels(ids: Sequence[int]) -> dict[int, tuple[LabelTag, ...]]:
    tags: dict[int, list[LabelTag]] = defaultdict(list)
    query = (
        DealLabel.select(DealLabel.deal, Label.name, Label.colour)
        .join(Label)
        .where(DealLabel.deal.in_(list(ids)), Label.deleted_at.is_null())
        .order_by(Label.name)
        .tuples()
    )
    for deal_id, name, colour in query:
        tags[deal_id].append(LabelTag(name, colour))
    return {k: tuple(v) for k, v in tags.items()}


def deal_rows(ids: Sequence[int]) -> list[DealRow]:
    """The table rows of these deals, in the order given."""
    if not ids:
        return []
    tags = deal_labels(ids)
    query = _joined(
        Deal.id,
        Deal.title,
        Deal.value_minor,
        Deal.currency,
        Deal.pipeline,
        Pipeline.name,
        Deal.stage,
        Stage.name,
        Deal.status,
        Deal.lost_reason,
        Person.name,
        Organization.name,
        User.name,
        Deal.expected_close,
        Deal.created_at,
        Deal.deleted_at,
    ).where(Deal.id.in_(list(ids)))
    by_id = {}
    for row in query.tuples():
        did, title, minor, currency, *rest = row
        by_id[did] = DealRow(
            did, title, from_minor(minor, currency), currency, *rest, tags.get(did, ())
        )
    return [by_id[i] for i in ids if i in by_id]


# The board ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class BoardColumn:
    """One stage of the board: its first open deals, how many there are, their value by currency."""

    stage: StageInfo
    deals: tuple[DealRow, ...]
    count: int
    totals: tuple[tuple[str, Decimal], ...]


@dataclass(frozen=True)
class Board:
    pipeline: PipelineInfo
    columns: tuple[BoardColumn, ...]


BOARD_SORT = DealSort("created", descending=False)


def board(
    pipeline_id: int | None = None, owner_id: int | None = None, per_stage: int = 200
) -> Board:
    """The open deals of a pipeline, a column per stage in the pipeline's order."""
    pipeline = get_pipeline(pipeline_id) if pipeline_id is not None else default_pipeline()
    totals: dict[int, list[tuple[str, Decimal]]] = defaultdict(list)
    live = DealFilter(status="open", pipeline_id=pipeline.id, owner_id=owner_id)
    sums = (
        Deal.select(Deal.stage, Deal.currency, fn.SUM(Deal.value_minor))
        .where(reduce(and_, live.conditions()), Deal.value_minor.is_null(False))
        .group_by(Deal.stage, Deal.currency)
        .order_by(Deal.currency)
        .tuples()
    )
    for stage_id, currency, minor in sums:
        totals[stage_id].append((currency or "", from_minor(minor, currency)))
    columns = []
    for stage in pipeline.stages:
        query = DealQuery(
            DealFilter(status="open", stage_id=stage.id, owner_id=owner_id), BOARD_SORT
        )
        columns.append(
            BoardColumn(
                stage, tuple(query.rows(0, per_stage)), query.total, tuple(totals[stage.id])
            )
        )
    return Board(pipeline, tuple(columns))


# Writes ------------------------------------------------------------------------------------


def _count(ids: Sequence[int]) -> str:
    return "1 deal" if len(ids) == 1 else f"{len(ids):,} deals"


def live_deals(deal_ids: Sequence[int]) -> list[int]:
    """The ids, checked: every one a deal that is not deleted (else one clear refusal)."""
    found = dict(Deal.select(Deal.id, Deal.deleted_at).where(Deal.id.in_(list(deal_ids))).tuples())
    for deal_id in deal_ids:
        if deal_id not in found:
            raise DealError(f"there is no deal {deal_id}")
        if found[deal_id] is not None:
            raise DealError(f"deal {deal_id} is deleted; restore it first")
    return list(dict.fromkeys(deal_ids))


def move_deals(deal_ids: Sequence[int], stage_id: int) -> int:
    """Move deals to a stage (of any pipeline); returns how many moved."""
    ids = live_deals(deal_ids)
    stage = get_stage(stage_id)
    with recorded("deal", f"Moved {_count(ids)} to {stage.name!r}") as rec:
        return place_deals(rec, ids, stage)


def step_stage(deal_id: int, step: int) -> StageInfo | None:
    """Move a deal ``step`` stages along its pipeline (the board's left and right keys).

    Returns the stage it is now in, or ``None`` when it is already at that end.
    """
    [deal_id] = live_deals([deal_id])
    deal = Deal[deal_id]
    if deal.pipeline_id is None:
        raise DealError(f"deal {deal_id} is in no pipeline; move it to a stage first")
    stages = list(get_pipeline(deal.pipeline_id).stages)
    ids = [s.id for s in stages]
    here = ids.index(deal.stage_id) if deal.stage_id in ids else -1
    there = here + step if here >= 0 else 0
    if not 0 <= there < len(stages) or there == here:
        return None
    move_deals([deal_id], stages[there].id)
    return stages[there]


def _set_status(deal_ids: Sequence[int], status: str, reason: str | None, what: str) -> int:
    ids = live_deals(deal_ids)
    with recorded("deal", f"{what} {_count(ids)}") as rec:
        changed = set(rec.set_many(Deal, ids, "status", status))
        changed.update(rec.set_many(Deal, ids, "lost_reason", reason))
    return len(changed)


def mark_won(deal_ids: Sequence[int]) -> int:
    return _set_status(deal_ids, "won", None, "Marked won")


def mark_lost(deal_ids: Sequence[int], reason: str = "") -> int:
    """Lost, with the reason the seller gives (kept on the deal and in its change log)."""
    reason = clean_text(reason, "The reason", MAX_REASON).replace("\n", " ") or None
    return _set_status(deal_ids, "lost", reason, "Marked lost")


def reopen(deal_ids: Sequence[int]) -> int:
    return _set_status(deal_ids, "open", None, "Reopened")


def delete_deals(deal_ids: Sequence[int]) -> int:
    ids = live_deals(deal_ids)
    with recorded("deal", f"Deleted {_count(ids)}") as rec:
        return len(rec.set_many(Deal, ids, "deleted_at", rec.action.at))


def restore_deals(deal_ids: Sequence[int]) -> int:
    """Bring deleted deals back (a deal converted to a lead too: the lead stays)."""
    in_view = DealFilter(deleted=True).conditions()
    deleted = {
        r[0] for r in Deal.select(Deal.id).where(Deal.id.in_(list(deal_ids)), *in_view).tuples()
    }
    for deal_id in deal_ids:
        if deal_id not in deleted:
            live = Deal.select().where(Deal.id == deal_id, Deal.deleted_at.is_null()).exists()
            raise DealError(
                f"deal {deal_id} is not deleted" if live else f"no deleted deal {deal_id}"
            )
    ids = list(dict.fromkeys(deal_ids))
    with recorded("deal", f"Restored {_count(ids)}") as rec:
        return len(rec.set_many(Deal, ids, "deleted_at", None))
