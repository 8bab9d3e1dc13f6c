"""Merging two leads, two people or two organisations into one, field by field, with undo.

The UI drives it step by step: ``plan_merge`` gives both values of every field and a default
side for each (the filled one, else the higher amount or score, else the newer record's);
``preview_merge`` shows the merged record and everything that moves to it; ``apply_merge`` does
it in one recorded action. Nothing is lost: the absorbed record stays, ``merged_into`` the
survivor, with its own change log; whatever belonged to it now belongs to the survivor, and
``history.undo_last`` takes all of it back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from peewee import ForeignKeyField, Model, fn

from leadbox_tui.services.activities import refresh_next_activity
from leadbox_tui.services.history import Recorder, recorded
from leadbox_tui.services.leads import LeadError
from leadbox_tui.services.normalize import from_minor, organization_key, person_key
from leadbox_tui.services.relink import relink_records
from leadbox_tui.store.models import (
    Activity,
    Change,
    ContactPoint,
    Deal,
    EmailMessage,
    Label,
    Lead,
    LeadLabel,
    Note,
    Organization,
    Person,
    User,
)

KEEP, OTHER = "keep", "other"
MERGED = "@merged"  # the event in the survivor's change log
Values = tuple[Any, ...]


class MergeError(LeadError):
    """These records cannot be merged as asked; the message is for the seller."""


@dataclass(frozen=True)
class _Field:
    """A choice the seller makes: one or more columns that go together (an amount and its
    currency), how to show them, and what else follows from them (a name's look-up key)."""

    name: str
    label: str
    columns: tuple[str, ...]
    show: Callable[[Values], str]
    higher_wins: bool = False
    same_unit: bool = False  # the higher wins only if the other columns agree (the currency)
    link: bool = False  # a link to a contact or a user: the survivor's, unless it has none
    derived: Callable[[Values], dict[str, Any]] | None = None


@dataclass(frozen=True)
class _Relink:
    """Records of another table that belong to the absorbed record and move to the survivor."""

    model: type[Model]
    field: str
    what: str
    describe: Callable[[Any], str]


def _text(values: Values) -> str:
    value = values[0]
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _name_of(model: type[Model]) -> Callable[[Values], str]:
    def show(values: Values) -> str:
        row = model.get_or_none(model.id == values[0]) if values[0] is not None else None
        return row.name if row else ""

    return show


def _money(values: Values) -> str:
    minor, currency = values
    amount = from_minor(minor, currency)
    return "" if amount is None else f"{amount:,} {currency or ''}".strip()


def _score(values: Values) -> str:
    score, mode = values
    return "" if score is None else f"{score} ({mode})"


def _first_line(text: str, width: int = 60) -> str:
    line = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    return line if len(line) <= width else line[: width - 1] + "…"


LEAD_FIELDS = (
    _Field("title", "Title", ("title",), _text),
    _Field("person", "Person", ("person",), _name_of(Person), link=True),
    _Field("organization", "Organisation", ("organization",), _name_of(Organization), link=True),
    _Field("value", "Value", ("value_minor", "currency"), _money, True, same_unit=True),
    _Field("expected_close", "Expected close", ("expected_close",), _text),
    _Field("owner", "Owner", ("owner",), _name_of(User), link=True),
    _Field("source", "Source", ("source",), _text),
    _Field("origin", "Origin", ("origin",), _text),
    _Field("stage", "Stage", ("stage",), _text),
    _Field("score", "Score", ("score", "score_mode"), _score, higher_wins=True),
    _Field("visible_to", "Visible to", ("visible_to",), _text),
)
PERSON_FIELDS = (
    _Field("name", "Name", ("name",), _text, derived=lambda v: {"name_key": person_key(v[0])}),
    _Field("organization", "Organisation", ("organization",), _name_of(Organization), link=True),
)
ORGANIZATION_FIELDS = (
    _Field(
        "name", "Name", ("name",), _text, derived=lambda v: {"name_key": organization_key(v[0])}
    ),
    _Field("address", "Address", ("address",), _text),
    _Field("website", "Website", ("website",), _text),
)

NOTES = _Relink(Note, "lead", "notes", lambda n: _first_line(n.body))
ACTIVITIES = _Relink(
    Activity, "lead", "activities", lambda a: f"{a.type}: {a.subject} (due {a.due_date})"
)
EMAILS = _Relink(EmailMessage, "lead", "e-mails", lambda e: e.subject or "(no subject)")


@dataclass(frozen=True)
class _Kind:
    model: type[Model]
    noun: str
    name_column: str
    fields: tuple[_Field, ...]
    relinks: tuple[_Relink, ...]


KINDS: dict[str, _Kind] = {
    "lead": _Kind(Lead, "lead", "title", LEAD_FIELDS, (NOTES, ACTIVITIES, EMAILS)),
    "person": _Kind(
        Person,
        "person",
        "name",
        PERSON_FIELDS,
        (
            _Relink(Lead, "person", "leads", lambda x: x.title),
            _Relink(Deal, "person", "deals", lambda x: x.title),
            _Relink(Note, "person", "notes", lambda n: _first_line(n.body)),
        ),
    ),
    "organization": _Kind(
        Organization,
        "organisation",
        "name",
        ORGANIZATION_FIELDS,
        (
            _Relink(Lead, "organization", "leads", lambda x: x.title),
            _Relink(Deal, "organization", "deals", lambda x: x.title),
            _Relink(Person, "organization", "people", lambda x: x.name),
        ),
    ),
}


@dataclass(frozen=True)
class FieldChoice:
    """One field of the merge: both values as the seller reads them, and the default side."""

    field: str
    label: str
    keep: str
    other: str
    default: str  # KEEP or OTHER

    @property
    def differs(self) -> bool:
        return self.keep != self.other


@dataclass(frozen=True)
class MergePlan:
    """What the seller chooses from: ``keep`` survives, ``other`` is absorbed into it."""

    kind: str
    keep_id: int
    other_id: int
    keep_name: str
    other_name: str
    fields: tuple[FieldChoice, ...]

    def choices(self, take: Mapping[str, str] | None = None) -> dict[str, str]:
        """The side of every field: the defaults, with the seller's ``take`` on top."""
        sides = {f.field: f.default for f in self.fields}
        for name, side in (take or {}).items():
            if name not in sides:
                raise MergeError(f"no field {name!r} to merge; one of: {', '.join(sides)}")
            if side not in (KEEP, OTHER):
                raise MergeError(f"take {name}={side!r}: the side is {KEEP!r} or {OTHER!r}")
            sides[name] = side
        return sides


@dataclass(frozen=True)
class Moving:
    """Records that move to the survivor: ``what`` they are and one line for each."""

    what: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class MergePreview:
    kind: str
    keep_id: int
    other_id: int
    fields: tuple[tuple[str, str], ...]  # (label, value) of the merged record
    labels: tuple[str, ...]  # a lead's labels: both sets together
    moving: tuple[Moving, ...]
    change_log: tuple[int, int]  # entries in the survivor's and the absorbed's: both stay


@dataclass(frozen=True)
class MergeResult:
    kind: str
    keep_id: int
    other_id: int
    changed: tuple[str, ...]  # fields of the survivor that took the other's value
    moved: tuple[tuple[str, int], ...]  # (what, how many)


def _kind(kind: str) -> _Kind:
    if kind not in KINDS:
        raise MergeError(f"cannot merge {kind!r}; one of: {', '.join(KINDS)}")
    return KINDS[kind]


def _attribute(model: type[Model], column: str) -> str:
    field = model._meta.fields[column]
    return field.object_id_name if isinstance(field, ForeignKeyField) else column


def _values(row: Model, spec: _Field) -> Values:
    return tuple(getattr(row, _attribute(type(row), c)) for c in spec.columns)


def _empty(values: Values) -> bool:
    return values[0] is None or values[0] == ""


def _default(spec: _Field, keep: Values, other: Values, newer: str) -> str:
    """The filled value; if both are, the higher amount or score (same currency), the
    survivor's links, else the newer record's value."""
    if _empty(keep) or _empty(other) or keep == other:
        return OTHER if _empty(keep) and not _empty(other) else KEEP
    if spec.higher_wins and (keep[1:] == other[1:] or not spec.same_unit):
        return OTHER if other[0] > keep[0] else KEEP
    return KEEP if spec.link else newer


def _rows(kind: _Kind, keep_id: int, other_id: int) -> tuple[Model, Model]:
    """Both records, refused when the merge makes no sense."""
    noun = kind.noun
    if keep_id == other_id:
        raise MergeError(f"cannot merge {noun} {keep_id} with itself")
    rows = {r.id: r for r in kind.model.select().where(kind.model.id.in_([keep_id, other_id]))}
    for record_id in (keep_id, other_id):
        row = rows.get(record_id)
        if row is None:
            raise MergeError(f"no {noun} with id {record_id}")
        if row.merged_into_id is not None:
            raise MergeError(f"{noun} {record_id} was already merged into {row.merged_into_id}")
        if row.deleted_at is not None:
            raise MergeError(f"{noun} {record_id} is deleted; restore it first")
        if getattr(row, "converted_at", None) is not None:
            raise MergeError(f"{noun} {record_id} was converted to a deal")
    return rows[keep_id], rows[other_id]


def _age(row: Model) -> tuple:
    return (row.updated_at, row.created_at, row.id)


def plan_merge(kind: str, keep_id: int, other_id: int) -> MergePlan:
    """Both records side by side, with a default side for each field."""
    spec = _kind(kind)
    keep, other = _rows(spec, keep_id, other_id)
    newer = OTHER if _age(other) > _age(keep) else KEEP
    fields = []
    for field in spec.fields:
        ours, theirs = _values(keep, field), _values(other, field)
        fields.append(
            FieldChoice(
                field.name,
                field.label,
                field.show(ours),
                field.show(theirs),
                _default(field, ours, theirs, newer),
            )
        )
    return MergePlan(
        kind,
        keep_id,
        other_id,
        getattr(keep, spec.name_column),
        getattr(other, spec.name_column),
        tuple(fields),
    )


def _label_names(lead_ids: Sequence[int]) -> tuple[str, ...]:
    query = (
        Label.select(Label.name)
        .join(LeadLabel)
        .where(LeadLabel.lead.in_(list(lead_ids)), Label.deleted_at.is_null())
        .distinct()
        .order_by(Label.name)
    )
    return tuple(name for (name,) in query.tuples())


def _moving_points(keep_id: int, other_id: int) -> list[ContactPoint]:
    """The other person's e-mails and phones the survivor does not have yet."""
    have = set(
        ContactPoint.select(ContactPoint.kind, ContactPoint.key)
        .where(ContactPoint.person == keep_id)
        .tuples()
    )
    return [
        p
        for p in ContactPoint.select()
        .where(ContactPoint.person == other_id)
        .order_by(ContactPoint.position)
        if (p.kind, p.key) not in have
    ]


def _change_count(model: type[Model], record_id: int) -> int:
    return (
        Change.select()
        .where(Change.record_type == model._meta.table_name, Change.record_id == record_id)
        .count()
    )


def preview_merge(plan: MergePlan, take: Mapping[str, str] | None = None) -> MergePreview:
    """The merged record as it will be, and everything that moves to it."""
    spec = _kind(plan.kind)
    sides = plan.choices(take)
    fields = tuple((f.label, f.other if sides[f.field] == OTHER else f.keep) for f in plan.fields)
    moving = []
    for relink in spec.relinks:
        model = relink.model
        rows = model.select().where(getattr(model, relink.field) == plan.other_id)
        if "deleted_at" in model._meta.fields:  # in the trash: moves too, but is not shown
            rows = rows.where(model.deleted_at.is_null())
        items = tuple(relink.describe(r) for r in rows.order_by(model.id))
        if items:
            moving.append(Moving(relink.what, items))
    if plan.kind == "person":
        points = _moving_points(plan.keep_id, plan.other_id)
        if points:
            moving.append(Moving("e-mails and phones", tuple(p.value for p in points)))
    labels = _label_names([plan.keep_id, plan.other_id]) if plan.kind == "lead" else ()
    return MergePreview(
        plan.kind,
        plan.keep_id,
        plan.other_id,
        fields,
        labels,
        tuple(moving),
        (_change_count(spec.model, plan.keep_id), _change_count(spec.model, plan.other_id)),
    )


def _refresh_next_activity(rec: Recorder, lead_ids: Sequence[int]) -> None:
    """``refresh_next_activity`` writes the new sort key directly; here it goes through the
    recorder too, so undo puts back the dates the two leads had."""
    query = Lead.select(Lead.id, Lead.next_activity_at).where(Lead.id.in_(list(lead_ids)))
    before = dict(query.tuples())
    refresh_next_activity(lead_ids)
    after = dict(query.clone().tuples())
    for lead_id in lead_ids:
        if before[lead_id] != after[lead_id]:
            Lead.update(next_activity_at=before[lead_id]).where(Lead.id == lead_id).execute()
            rec.set(Lead, lead_id, "next_activity_at", after[lead_id])


def _pinned_notes(lead_id: int) -> list[int]:
    query = Note.select(Note.id).where(Note.lead == lead_id, Note.pinned == True)  # noqa: E712
    return [i for (i,) in query.tuples()]


def _move_points(rec: Recorder, keep_id: int, other_id: int) -> int:
    points = _moving_points(keep_id, other_id)
    last = (
        ContactPoint.select(fn.MAX(ContactPoint.position))
        .where(ContactPoint.person == keep_id)
        .scalar()
    )
    position = -1 if last is None else last
    for point in points:
        position += 1
        rec.set(ContactPoint, point.id, "person", keep_id)
        rec.set(ContactPoint, point.id, "position", position)
    return len(points)


def apply_merge(plan: MergePlan, take: Mapping[str, str] | None = None) -> MergeResult:
    """Merge ``plan.other_id`` into ``plan.keep_id`` with the chosen sides, in one undoable
    action. The values are read again now, so a plan made a while ago is still safe."""
    spec = _kind(plan.kind)
    sides = plan.choices(take)
    model = spec.model
    description = (
        f"Merged {spec.noun} {plan.other_id} {plan.other_name!r} "
        f"into {plan.keep_id} {plan.keep_name!r}"
    )
    with recorded("merge", description) as rec:
        keep, other = _rows(spec, plan.keep_id, plan.other_id)
        changed = []
        for field in spec.fields:
            if sides[field.name] != OTHER:
                continue
            values = _values(other, field)
            if values == _values(keep, field):
                continue
            changed.append(field.name)
            updates = dict(zip(field.columns, values, strict=True))
            updates.update(field.derived(values) if field.derived else {})
            for column, value in updates.items():
                rec.set(model, keep.id, column, value)
        moved = []
        if plan.kind == "lead" and _pinned_notes(keep.id):  # a lead has one pinned note
            rec.set_many(Note, _pinned_notes(other.id), "pinned", False)
        for relink in spec.relinks:
            if ids := relink_records(rec, relink.model, relink.field, {other.id: keep.id}):
                moved.append((relink.what, len(ids)))
        if plan.kind == "lead":
            other_labels = [
                i
                for (i,) in LeadLabel.select(LeadLabel.label)
                .where(LeadLabel.lead == other.id)
                .tuples()
            ]
            rec.set_labels([keep.id], add=other_labels)
            _refresh_next_activity(rec, [keep.id, other.id])
        if plan.kind == "person" and (count := _move_points(rec, keep.id, other.id)):
            moved.append(("e-mails and phones", count))
        rec.set(model, other.id, "merged_into", keep.id)
        rec.mark(model, keep.id, MERGED, f"{other.id} {getattr(other, spec.name_column)}")
    return MergeResult(plan.kind, plan.keep_id, plan.other_id, tuple(changed), tuple(moved))


def merge_leads(keep_id: int, other_id: int, take: Mapping[str, str] | None = None) -> MergeResult:
    """Merge two leads in one call (the command line): the defaults, with ``take`` on top."""
    plan = plan_merge("lead", keep_id, other_id)
    return apply_merge(plan, take)
