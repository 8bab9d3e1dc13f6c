"""Bulk actions on a selection of leads: ids, or everything the current filter matches.

As in Business Contact Manager, one field is set to one value for every selected lead, or
cleared. Each action is one transaction and one undo step, whatever the number of leads; it
works in chunks and calls ``progress(done, total)`` after each, so a worker can show a bar.
It returns what it changed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import reduce
from operator import and_
from typing import Any

from leadbox_tui.services.conditions import ME, parse_date, resolve_user
from leadbox_tui.services.history import (
    CHUNK,
    Recorder,
    among,
    chunks,
    id_array,
    me_id,
    recorded,
)
from leadbox_tui.services.inbox import InboxQuery
from leadbox_tui.services.leads import SOURCES, LeadError, clean_text
from leadbox_tui.services.normalize import from_minor, minor_exponent, to_minor
from leadbox_tui.store.models import Label, Lead, database_proxy

Selection = Sequence[int] | InboxQuery
Progress = Callable[[int, int], None]
CLEAR = None

# What a bulk edit can set, by the name the seller sees.
BULK_FIELDS = {
    "title": "Title",
    "value": "Value",
    "currency": "Currency",
    "expected_close": "Expected close date",
    "owner": "Owner",
    "source": "Source",
    "stage": "Stage",
    "origin": "Origin",
    "score": "Score",
    "visible_to": "Visible to",
}
REQUIRED = frozenset({"title", "source", "visible_to"})
VISIBILITY = ("owner", "everyone")


class BulkError(LeadError):
    """A bulk action cannot be done as asked; nothing was changed."""


@dataclass(frozen=True)
class BulkResult:
    """What a bulk action did: its description (as undo will name it) and the leads changed."""

    description: str
    selected: int
    changed: int


# Ids of a JSON array with no lead, each looked up by its key.
MISSING = (
    f'SELECT value FROM json_each(?) WHERE NOT EXISTS (SELECT 1 FROM "{Lead._meta.table_name}" '
    f"WHERE id = value)"
)


def selected_ids(selection: Selection) -> list[int]:
    """The ids of a selection; a query stands for every lead its filter matches. Read from the
    cursor: peewee's rows cost more than the query itself for 100,000 ids."""
    if isinstance(selection, InboxQuery):
        where = reduce(and_, selection.filter.conditions())
        query = Lead.select(Lead.id).where(where).order_by(Lead.id)
        return [row[0] for row in database_proxy.execute(query).fetchall()]
    ids = list(dict.fromkeys(int(i) for i in selection))
    missing = [row[0] for row in database_proxy.execute_sql(MISSING, [id_array(ids)]).fetchall()]
    if missing:
        more = f" (and {len(missing) - 1:,} more)" if len(missing) > 1 else ""
        raise BulkError(f"no lead #{missing[0]}{more}")
    return ids


def _count(n: int) -> str:
    return "1 lead" if n == 1 else f"{n:,} leads"


def _chunked(
    ids: Sequence[int], progress: Progress | None, work: Callable[[Sequence[int]], int]
) -> int:
    """Run ``work`` on each chunk of ids, reporting progress; returns the leads it changed."""
    changed = 0
    for done, part in enumerate(chunks(ids, CHUNK), start=1):
        changed += work(part)
        if progress is not None:
            progress(min(done * CHUNK, len(ids)), len(ids))
    return changed


# -- values ------------------------------------------------------------------------------------


def bulk_value(field: str, value: Any) -> Any:
    """The value to store for ``field``, from what the seller typed; ``None`` clears it."""
    if field not in BULK_FIELDS:
        raise BulkError(f"cannot edit {field!r} in bulk; one of: {', '.join(BULK_FIELDS)}")
    if value is None or (isinstance(value, str) and not value.strip()):
        if field in REQUIRED:
            raise BulkError(f"{BULK_FIELDS[field]} cannot be cleared")
        return None
    try:
        return _parsed(field, value)
    except ValueError as error:  # FilterError and LeadError too
        raise BulkError(f"{BULK_FIELDS[field]}: {error}") from None


def _parsed(field: str, value: Any) -> Any:
    if field in ("title", "stage", "origin"):
        return clean_text(str(value), BULK_FIELDS[field], 500)
    if field == "value":
        to_minor(value, None)  # says what is wrong with a mistyped amount
        return Decimal(str(value).replace(" ", "").replace(",", "."))
    if field == "currency":
        code = str(value).strip().upper()
        if len(code) != 3 or not code.isalpha():
            raise ValueError(f"{value!r} is not a currency code (three letters, like EUR)")
        return code
    if field == "expected_close":
        return value if isinstance(value, dt.date) else parse_date(str(value))
    if field == "owner":
        owner = resolve_user(value)
        return me_id() if owner == ME else owner
    if field == "source":
        if value not in SOURCES:
            raise ValueError(f"unknown source {value!r}; one of: {', '.join(SOURCES)}")
        return value
    if field == "score":
        score = int(str(value).strip())
        if not 0 <= score <= 5:
            raise ValueError(f"a score is 0 to 5 stars, not {score}")
        return score
    if value not in VISIBILITY:
        raise ValueError(f"{value!r} is not one of: {', '.join(VISIBILITY)}")
    return value


# -- editing -----------------------------------------------------------------------------------


def _money(part: Sequence[int]) -> dict[int, tuple[int | None, str | None]]:
    query = Lead.select(Lead.id, Lead.value_minor, Lead.currency).where(Lead.id.in_(among(part)))
    return {lead_id: (minor, currency) for lead_id, minor, currency in query.tuples()}


def _set_by_value(rec: Recorder, field: str, values: dict[int, Any]) -> set[int]:
    """Set a field that differs per lead, one statement per distinct value."""
    by_value: dict[Any, list[int]] = defaultdict(list)
    for lead_id, value in values.items():
        by_value[value].append(lead_id)
    changed: set[int] = set()
    for value, ids in by_value.items():
        changed.update(rec.set_many(Lead, ids, field, value))
    return changed


def _set_value(rec: Recorder, part: Sequence[int], amount: Decimal | None) -> set[int]:
    """The same amount in each lead's own currency (cents for EUR, yen for JPY)."""
    money = _money(part)
    minor = {i: to_minor(amount, currency) for i, (_, currency) in money.items()}
    return _set_by_value(rec, "value_minor", minor)


def _set_currency(rec: Recorder, part: Sequence[int], code: str | None) -> set[int]:
    """A currency with another minor unit rescales the stored value, so 12.50 stays 12.50."""
    money = _money(part)
    changed = set(rec.set_many(Lead, part, "currency", code))
    rescaled = {
        i: to_minor(from_minor(minor, old), code)
        for i, (minor, old) in money.items()
        if i in changed and minor is not None and minor_exponent(old) != minor_exponent(code)
    }
    return changed | _set_by_value(rec, "value_minor", rescaled)


def _edit(rec: Recorder, part: Sequence[int], field: str, stored: Any) -> int:
    if field == "value":
        return len(_set_value(rec, part, stored))
    if field == "currency":
        return len(_set_currency(rec, part, stored))
    changed = set(rec.set_many(Lead, part, field, stored))
    if field == "score":  # a score given by hand overrides the criteria; cleared, they count again
        mode = "auto" if stored is None else "manual"
        changed.update(rec.set_many(Lead, part, "score_mode", mode))
    return len(changed)


def bulk_edit(
    selection: Selection, field: str, value: Any, progress: Progress | None = None
) -> BulkResult:
    """Set one field of every selected lead to ``value``; ``CLEAR`` (``None``) clears it."""
    stored = bulk_value(field, value)
    ids = selected_ids(selection)
    verb = "Cleared" if stored is None else "Edited"
    description = f"{verb} {BULK_FIELDS[field].lower()} of {_count(len(ids))}"
    with recorded("bulk edit", description) as rec:
        changed = _chunked(ids, progress, lambda part: _edit(rec, part, field, stored))
    return BulkResult(description, len(ids), changed)


def assign_owner(selection: Selection, owner: Any, progress: Progress | None = None) -> BulkResult:
    """Give the selected leads an owner (a user id, handle, name or ``me``)."""
    return bulk_edit(selection, "owner", owner, progress)


# -- labels, archive, trash --------------------------------------------------------------------


def _label_names(label_ids: Iterable[int]) -> dict[int, str]:
    wanted = list(dict.fromkeys(label_ids))
    if not wanted:
        raise BulkError("choose one or more labels")
    live = Label.select(Label.id, Label.name).where(Label.deleted_at.is_null())
    names = dict(live.where(Label.id.in_(wanted)).tuples())
    if missing := [i for i in wanted if i not in names]:
        raise BulkError(f"no label #{missing[0]}")
    return {i: names[i] for i in wanted}


def _labels(
    selection: Selection, label_ids: Iterable[int], add: bool, progress: Progress | None
) -> BulkResult:
    names = _label_names(label_ids)
    ids = selected_ids(selection)
    shown = ", ".join(names.values())
    where = "to" if add else "from"
    description = f"{'Added' if add else 'Removed'} {shown} {where} {_count(len(ids))}"
    change = {"add": list(names)} if add else {"remove": list(names)}
    with recorded("bulk labels", description) as rec:
        changed = _chunked(ids, progress, lambda part: rec.set_labels(part, **change))
    return BulkResult(description, len(ids), changed)


def add_labels(
    selection: Selection, label_ids: Iterable[int], progress: Progress | None = None
) -> BulkResult:
    return _labels(selection, label_ids, True, progress)


def remove_labels(
    selection: Selection, label_ids: Iterable[int], progress: Progress | None = None
) -> BulkResult:
    return _labels(selection, label_ids, False, progress)


def _stamp(
    selection: Selection, field: str, stamp: bool, verb: str, progress: Progress | None
) -> BulkResult:
    ids = selected_ids(selection)
    description = f"{verb} {_count(len(ids))}"
    with recorded(verb.lower(), description) as rec:
        value = rec.action.at if stamp else None
        changed = _chunked(ids, progress, lambda part: len(rec.set_many(Lead, part, field, value)))
    return BulkResult(description, len(ids), changed)


def archive(selection: Selection, progress: Progress | None = None) -> BulkResult:
    return _stamp(selection, "archived_at", True, "Archived", progress)


def unarchive(selection: Selection, progress: Progress | None = None) -> BulkResult:
    return _stamp(selection, "archived_at", False, "Unarchived", progress)


def delete(selection: Selection, progress: Progress | None = None) -> BulkResult:
    """Move the selected leads to the trash; restoring them, or undo, brings them back."""
    return _stamp(selection, "deleted_at", True, "Deleted", progress)


def restore(selection: Selection, progress: Progress | None = None) -> BulkResult:
    """Take the selected leads out of the trash."""
    return _stamp(selection, "deleted_at", False, "Restored", progress)
