"""Reads shared by the duplicate scan and the live suggestions: live records, and people's
e-mails and phones, straight from the cursor."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from peewee import Expression, Field, Model, Select

from leadbox_tui.store.models import ContactPoint, database_proxy


def live(model: type[Model]) -> Expression:
    """Neither deleted nor merged into another record."""
    return model.deleted_at.is_null() & model.merged_into.is_null()


def no_points() -> dict[str, list[str]]:
    return {"email": [], "phone": []}


def rows(query: Select) -> list[tuple]:
    """The rows of a query as plain tuples, straight from the cursor: the scan reads hundreds
    of thousands of rows of integers and text, which need no conversion."""
    return database_proxy.execute(query).fetchall()


def points(
    column: Field, person_ids: Iterable[int] | None = None
) -> dict[int, dict[str, list[str]]]:
    """The e-mails and phones of people (all people when no ids are given), each as ``column``:
    the normalised ``key`` to compare, or the ``value`` as typed to show."""
    query = ContactPoint.select(ContactPoint.person, ContactPoint.kind, column)
    if person_ids is not None:
        query = query.where(ContactPoint.person.in_(list(person_ids))).order_by(
            ContactPoint.position
        )
    found: dict[int, dict[str, list[str]]] = defaultdict(no_points)
    for person_id, kind, text in rows(query):
        if kind in ("email", "phone"):
            found[person_id][kind].append(text)
    return found
