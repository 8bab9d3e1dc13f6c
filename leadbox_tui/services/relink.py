"""Re-pointing records that belong to another one: what merge and convert share.

A merge moves the notes, activities and e-mails of one lead to the lead it keeps; a conversion
moves those of each lead to the deal it became. Both are the same recorded write: find the
records of the old owners, point each at its new owner, log every change for undo.
"""

from __future__ import annotations

from collections.abc import Mapping

from peewee import Model

from leadbox_tui.services.history import Recorder, chunks


def relink_records(
    rec: Recorder,
    model: type[Model],
    field: str,
    owners: Mapping[int, int],
    to_field: str | None = None,
) -> list[int]:
    """Point every ``model`` record whose ``field`` is a key of ``owners`` at that key's value.

    With ``to_field`` the new owner is of another kind (a lead's note goes to a deal): the
    record gets it in ``to_field`` and ``field`` is emptied. Returns the ids of the records moved.
    """
    column = getattr(model, field)
    moved: dict[int, int] = {}
    for part in chunks(list(owners)):
        query = model.select(model.id, column).where(column.in_(list(part))).tuples()
        moved.update({record_id: owners[owner] for record_id, owner in query})
    if not moved:
        return []
    rec.set_each(model, to_field or field, moved)
    if to_field is not None and to_field != field:
        rec.set_many(model, list(moved), field, None)
    return list(moved)
