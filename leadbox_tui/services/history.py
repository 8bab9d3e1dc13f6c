"""The change log and undo: every write goes through a ``Recorder`` inside one ``recorded`` action.

An action is one thing the seller did (an edit, an archive, a bulk change of 100,000 leads); its
``Change`` rows hold the old and new value of every field it touched. Undo writes the old values
back, itself as a recorded action, so the change log stays complete.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from peewee import SQL, BooleanField, Field, Model, NodeList, Value, fn

from leadbox_tui.store.models import (
    Action,
    Change,
    Label,
    Lead,
    LeadLabel,
    User,
    database_proxy,
    utcnow,
)

CREATED = "@created"
LABELS = "labels"
CHUNK = 10_000  # ids per statement: well under SQLite's limit on bound variables
UNDO_KIND = "undo"


def _table(model: type[Model]) -> str:
    return model._meta.table_name


MODELS_BY_TABLE: dict[str, type[Model]] = {}


def register(*models: type[Model]) -> None:
    """Models whose changes can be undone, found again by their table name."""
    for model in models:
        MODELS_BY_TABLE[_table(model)] = model


def _stored(value: Any) -> Any:
    """A value as SQLite stores it, in a form JSON can hold: times and dates as text."""
    return str(value) if isinstance(value, dt.date | dt.time) else value


def encode(value: Any) -> str | None:
    """A field value as JSON; times and dates in the form SQLite stores them."""
    return None if value is None else json.dumps(_stored(value), ensure_ascii=False)


def _as_json(column: Field, sql: str) -> str:
    """SQL for the JSON ``encode`` writes of a stored value: ``json_quote`` of it, but true or
    false for a boolean field, which SQLite stores as 1 or 0. (No model has a float column,
    whose JSON SQLite would round to 15 digits.)"""
    if isinstance(column, BooleanField):
        return f"CASE WHEN {sql} IS NULL THEN NULL WHEN {sql} THEN 'true' ELSE 'false' END"
    return f"CASE WHEN {sql} IS NULL THEN NULL ELSE json_quote({sql}) END"


def id_array(ids: Iterable[int]) -> str:
    """Ids as one JSON array, each once, for ``json_each``."""
    return json.dumps(list(dict.fromkeys(int(i) for i in ids)))


def among(ids: Iterable[int]) -> SQL:
    """``IN`` these ids, bound as one JSON array: peewee binds a list of 100,000 ids value by
    value, which takes seconds; SQLite reads the array in milliseconds."""
    return SQL("(SELECT value FROM json_each(?))", [id_array(ids)])


def decode(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def chunks(items: Sequence[int], size: int = CHUNK) -> Iterator[Sequence[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


LOG_FIELDS = (
    Change.action,
    Change.by,
    Change.at,
    Change.record_type,
    Change.record_id,
    Change.field,
    Change.old,
    Change.new,
)
LOG_TABLE = Change._meta.table_name
LOG_COLUMNS = ", ".join(f'"{f.column_name}"' for f in LOG_FIELDS)
LOG_INSERT = (
    f'INSERT INTO "{LOG_TABLE}" ({LOG_COLUMNS}) VALUES ({", ".join("?" * len(LOG_FIELDS))})'
)


def me_id() -> int | None:
    """The id of the seller using this inbox (``is_me``)."""
    row = User.select(User.id).where(User.is_me == True).first()  # noqa: E712 -- SQL, not Python
    return row.id if row else None


@dataclass
class Recorder:
    """Writes fields and logs each change under one action."""

    action: Action
    by: int | None

    def _log(self, rows: Iterable[dict[str, Any]]) -> None:
        """One prepared insert run for every row: building a statement of thousands of rows
        value by value took half the time of a 1,000-lead conversion."""
        fixed = (self.action.id, self.by, self.action.at)
        database_proxy.cursor().executemany(
            LOG_INSERT,
            (
                (*fixed, r["record_type"], r["record_id"], r["field"], r.get("old"), r.get("new"))
                for r in rows
            ),
        )

    def created(self, model: type[Model], record_id: int) -> None:
        self._log([{"record_type": _table(model), "record_id": record_id, "field": CREATED}])

    def created_many(self, model: type[Model], record_ids: Sequence[int]) -> None:
        """Log many records this action created (an import makes 100,000): SQLite copies the
        log rows from the records themselves, a statement per chunk, a range when ids run on."""
        table = _table(model)
        for part in chunks(sorted(record_ids)):
            if part[-1] - part[0] == len(part) - 1:
                which = model.id.between(part[0], part[-1])
            else:
                which = model.id.in_(list(part))
            log = (Value(table), model.id, Value(CREATED), Value(self.action.id), Value(self.by))
            rows = model.select(*log, Value(self.action.at)).where(which)
            fields = (Change.record_type, Change.record_id, Change.field, Change.action, Change.by)
            Change.insert_from(rows, [*fields, Change.at]).execute()

    def mark(self, model: type[Model], record_id: int, event: str, text: str) -> None:
        """Note an event such as a merge in a record's change log. ``event`` starts with "@": it
        is not a field, so undo has nothing to write back for it."""
        row = {"record_type": _table(model), "record_id": record_id, "field": event}
        self._log([{**row, "new": encode(text)}])

    def set(self, model: type[Model], record_id: int, field: str, value: Any) -> bool:
        """Set one field of one record; returns whether it changed."""
        return bool(self.set_many(model, [record_id], field, value))

    def set_many(self, model: type[Model], ids: Sequence[int], field: str, value: Any) -> list[int]:
        """Set one field to one value on many records; returns the ids that changed."""
        column = model._meta.fields[field]
        pairs = "SELECT value AS id, json_extract(?, '$') AS new FROM json_each(?)"
        return self._write(model, field, pairs, [encode(column.db_value(value)), id_array(ids)])

    def set_each(self, model: type[Model], field: str, values: Mapping[int, Any]) -> list[int]:
        """Set one field to a value of its own on each record (say, each note to the deal its
        lead became); returns the ids that changed."""
        column = model._meta.fields[field]
        array = [[int(rid), _stored(column.db_value(value))] for rid, value in values.items()]
        pairs = (
            "SELECT json_extract(value, '$[0]') AS id, json_extract(value, '$[1]') AS new "
            "FROM json_each(?)"
        )
        return self._write(model, field, pairs, [json.dumps(array, ensure_ascii=False)])

    def _write(self, model: type[Model], field: str, pairs: str, params: list[Any]) -> list[int]:
        """Set ``field`` of each record ``pairs`` names (``SELECT id, new``) whose value differs,
        in two statements whatever their number: the change log is copied from the records,
        then the records are written from the log. Returns the ids that changed.

        Binding ids one by one, reading the old values into Python and comparing them there
        took most of a 100,000-lead bulk edit; SQLite does it all in a fraction of that.
        """
        table, column = _table(model), model._meta.fields[field]
        name = column.column_name
        newest = database_proxy.execute_sql(f'SELECT max(id) FROM "{LOG_TABLE}"').fetchone()[0]
        old, new = _as_json(column, f'm."{name}"'), _as_json(column, "n.new")
        logged = database_proxy.execute_sql(
            f'INSERT INTO "{LOG_TABLE}" ({LOG_COLUMNS}) '
            f"SELECT ?, ?, ?, ?, m.id, ?, {old}, {new} "
            f'FROM ({pairs}) AS n JOIN "{table}" AS m ON m.id = n.id '
            f'WHERE m."{name}" IS NOT n.new RETURNING record_id',
            [self.action.id, self.by, self.action.at, table, field, *params],
        )
        changed = [row[0] for row in logged.fetchall()]
        if not changed:
            return changed
        stamp, stamp_params = "", []
        if "updated_at" in model._meta.fields and field != "updated_at":
            stamp, stamp_params = ', "updated_at" = ?', [self.action.at]
        database_proxy.execute_sql(
            f'UPDATE "{table}" SET "{name}" = json_extract(c.new, \'$\'){stamp} '
            f'FROM "{LOG_TABLE}" AS c WHERE c.id > ? AND c.action_id = ? AND c.field = ? '
            f'AND c.record_type = ? AND "{table}".id = c.record_id',
            [*stamp_params, newest or 0, self.action.id, field, table],
        )
        return changed

    def set_labels(
        self,
        lead_ids: Sequence[int],
        add: Iterable[int] = (),
        remove: Iterable[int] = (),
        exactly: Iterable[int] | None = None,
    ) -> int:
        """Add or remove labels on leads (or set them ``exactly``); returns the leads changed."""
        add_set, remove_set = set(add), set(remove)
        target = None if exactly is None else set(exactly)
        changed = 0
        for part in chunks(list(lead_ids)):
            updates = {}
            for rid, old in held_labels(part).items():
                new = set(target) if target is not None else (old | add_set) - remove_set
                if new != old:
                    updates[rid] = (old, new)
            if not updates:
                continue
            move_labels(updates, self.action.at)
            self._log(
                {
                    "record_type": _table(Lead),
                    "record_id": rid,
                    "field": LABELS,
                    "old": _label_set(frozenset(old)),
                    "new": _label_set(frozenset(new)),
                }
                for rid, (old, new) in updates.items()
            )
            changed += len(updates)
        return changed


@lru_cache(maxsize=1_000)
def _label_set(label_ids: frozenset[int]) -> str | None:
    """A label set as the change log holds it; the same few sets recur over 100,000 leads."""
    return encode(sorted(label_ids))


def label_names_key(label_ids: Iterable[int], names: dict[int, str]) -> str:
    """The sort key the inbox keeps on each lead: its label names, sorted, comma-joined."""
    return ", ".join(sorted(names[i] for i in label_ids))


_PAIRS = "SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?)"
_LEAD_LABEL = f'"{LeadLabel.lead.column_name}", "{LeadLabel.label.column_name}"'
LABELS_INSERT = f'INSERT INTO "{_table(LeadLabel)}" ({_LEAD_LABEL}) {_PAIRS}'
LABELS_DELETE = f'DELETE FROM "{_table(LeadLabel)}" WHERE ({_LEAD_LABEL}) IN ({_PAIRS})'


def held_labels(lead_ids: Sequence[int]) -> dict[int, set[int]]:
    """The label ids each of these leads has (an empty set for none)."""
    held: dict[int, set[int]] = {rid: set() for rid in lead_ids}
    pairs = LeadLabel.select(LeadLabel.lead, LeadLabel.label).where(
        LeadLabel.lead.in_(among(lead_ids))
    )
    for lead_id, label_id in database_proxy.execute(pairs).fetchall():
        held[lead_id].add(label_id)
    return held


def write_labels(labels_by_lead: dict[int, set[int]]) -> None:
    """Replace the label sets of these leads and refresh their ``label_names`` sort key."""
    held = held_labels(list(labels_by_lead))
    move_labels({rid: (held[rid], set(new)) for rid, new in labels_by_lead.items()})


def move_labels(
    updates: dict[int, tuple[set[int], set[int]]], at: dt.datetime | None = None
) -> None:
    """Move each lead from its old label set to its new one (``{lead: (old, new)}``), refresh
    its ``label_names`` sort key and (given ``at``) its time of change.

    Only the (lead, label) pairs that come or go are written, each list bound once as a JSON
    array: peewee building rows, and rewriting every label of every lead, took 7 s of the 7.5
    of adding a label to 100,000 leads."""
    names = dict(Label.select(Label.id, Label.name).tuples())
    gone = [[rid, lid] for rid, (old, new) in updates.items() for lid in old - new]
    came = [[rid, lid] for rid, (old, new) in updates.items() for lid in new - old]
    if gone:
        database_proxy.execute_sql(LABELS_DELETE, [json.dumps(gone)])
    if came:
        database_proxy.execute_sql(LABELS_INSERT, [json.dumps(came)])
    by_key: dict[str, list[int]] = defaultdict(list)
    for rid, (_, new) in updates.items():
        by_key[label_names_key(new, names)].append(rid)
    stamp = {} if at is None else {"updated_at": at}
    for key, rids in by_key.items():
        Lead.update(label_names=key, **stamp).where(Lead.id.in_(among(rids))).execute()


@contextmanager
def recorded(kind: str, description: str) -> Iterator[Recorder]:
    """One undoable action, in one transaction: all of it happens, or none of it."""
    with database_proxy.atomic():
        by = me_id()
        action = Action.create(kind=kind, description=description, by=by, at=utcnow())
        yield Recorder(action, by)


@dataclass(frozen=True)
class Undone:
    """What ``undo_last`` reverted, to tell the seller."""

    description: str
    changes: int


def undo_last() -> Undone | None:
    """Revert the most recent action not yet undone; ``None`` when there is nothing to undo."""
    action = (
        Action.select()
        .where(Action.undone_at.is_null(), Action.kind != UNDO_KIND)
        .order_by(Action.id.desc())
        .first()
    )
    if action is None:
        return None
    groups = (
        Change.select(Change.record_type, Change.field, fn.COUNT(SQL("*")))
        .where(Change.action == action.id)
        .group_by(Change.record_type, Change.field)
        .order_by(fn.MAX(Change.id).desc())  # the latest changes are reverted first
        .tuples()
    )
    counted = {(table, field): count for table, field, count in groups}
    with recorded(UNDO_KIND, f"Undid: {action.description}") as rec:
        for table, field in counted:
            _revert(rec, action.id, MODELS_BY_TABLE[table], field)
        Action.update(undone_at=rec.action.at).where(Action.id == action.id).execute()
    return Undone(action.description, sum(counted.values()))


def _unindexed(column: Field) -> NodeList:
    """``+column``: SQLite will not look it up through an index."""
    return NodeList((SQL("+"), column), glue="")


def _first_changes(action_id: int, model: type[Model], field: str) -> Any:
    """The action's first change of ``field`` on each record: its old value is the one from
    before the action, even for a record the action changed twice.

    Read through the action's index: offered the (record type, record) index, SQLite walked
    every change ever logged on leads to group them by lead (2 s at 2 million changes)."""
    first = (
        Change.select(fn.MIN(Change.id))
        .where(Change.action == action_id, _unindexed(Change.record_type) == _table(model))
        .where(Change.field == field)
        .group_by(Change.record_id)
    )
    return Change.select(Change.record_id, Change.old).where(Change.id.in_(first))


def _revert(rec: Recorder, action_id: int, model: type[Model], field: str) -> None:
    first = _first_changes(action_id, model, field)
    if field == CREATED:
        ids = [record_id for record_id, _ in first.tuples()]
        if "deleted_at" in model._meta.fields:
            rec.set_many(model, ids, "deleted_at", rec.action.at)
        else:
            model.delete().where(model.id.in_(among(ids))).execute()
        return
    if field.startswith("@"):
        return  # an event marked in the change log, not a field
    if field == LABELS:
        by_old: dict[tuple[int, ...], list[int]] = defaultdict(list)
        for record_id, old in first.tuples():
            by_old[tuple(decode(old))].append(record_id)
        for old_labels, ids in by_old.items():
            rec.set_labels(ids, exactly=old_labels)
        return
    sql, params = first.sql()
    pairs = f"SELECT record_id AS id, json_extract(old, '$') AS new FROM ({sql})"
    rec._write(model, field, pairs, params)
