"""Custom filter conditions: a field, an operator and a value, over lead, person and organisation.

A ``Condition`` is checked when it is made (``condition(...)``): an unknown field or operator,
a wrong date or number gives a ``FilterError`` that says what is expected. Label and owner
values are kept as ids (or ``"me"``), so a saved filter survives a rename. Each condition turns
into one SQL expression on ``Lead``; the ones on people and organisations are correlated
subqueries that use the foreign-key indexes, so the inbox can still read rows in sort order.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from peewee import SQL, Case, Expression, NodeList, fn

from leadbox_tui.services.history import me_id
from leadbox_tui.services.leads import SOURCES
from leadbox_tui.services.normalize import (
    ZERO_DECIMAL_CURRENCIES,
    email_key,
    fold,
    organization_key,
    person_key,
    phone_key,
)
from leadbox_tui.store.models import (
    ContactPoint,
    Label,
    Lead,
    LeadLabel,
    Organization,
    Person,
    User,
)

ME = "me"


class FilterError(ValueError):
    """A filter cannot be built as asked; the message is for the seller."""


class Kind(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    MONEY = "money"
    DATE = "date"
    MOMENT = "moment"  # a stored UTC time, compared by the seller's local days
    LOCAL_MOMENT = "local moment"  # already in local wall-clock time (the next activity)
    CHOICE = "choice"
    USER = "user"
    LABEL = "label"


class Operator(StrEnum):
    IS = "is"
    IS_NOT = "is_not"
    CONTAINS = "contains"
    IS_EMPTY = "is_empty"
    IS_NOT_EMPTY = "is_not_empty"
    GREATER = "greater"
    LESS = "less"
    BEFORE = "before"
    AFTER = "after"
    WITHIN_DAYS = "within_days"

    @property
    def label(self) -> str:
        return OPERATOR_LABELS[self]

    @property
    def needs_value(self) -> bool:
        return self not in (Operator.IS_EMPTY, Operator.IS_NOT_EMPTY)


OPERATOR_LABELS = {
    Operator.IS: "is",
    Operator.IS_NOT: "is not",
    Operator.CONTAINS: "contains",
    Operator.IS_EMPTY: "is empty",
    Operator.IS_NOT_EMPTY: "is not empty",
    Operator.GREATER: "greater than",
    Operator.LESS: "less than",
    Operator.BEFORE: "before",
    Operator.AFTER: "after",
    Operator.WITHIN_DAYS: "within the last N days",
}

_O = Operator
_EMPTINESS = (_O.IS_EMPTY, _O.IS_NOT_EMPTY)
OPERATORS_BY_KIND: dict[Kind, tuple[Operator, ...]] = {
    Kind.TEXT: (_O.IS, _O.IS_NOT, _O.CONTAINS, *_EMPTINESS),
    Kind.NUMBER: (_O.IS, _O.IS_NOT, _O.GREATER, _O.LESS, *_EMPTINESS),
    Kind.MONEY: (_O.IS, _O.IS_NOT, _O.GREATER, _O.LESS, *_EMPTINESS),
    Kind.DATE: (_O.IS, _O.BEFORE, _O.AFTER, _O.WITHIN_DAYS, *_EMPTINESS),
    Kind.MOMENT: (_O.IS, _O.BEFORE, _O.AFTER, _O.WITHIN_DAYS),
    Kind.LOCAL_MOMENT: (_O.IS, _O.BEFORE, _O.AFTER, _O.WITHIN_DAYS, *_EMPTINESS),
    Kind.CHOICE: (_O.IS, _O.IS_NOT),
    Kind.USER: (_O.IS, _O.IS_NOT, *_EMPTINESS),
    Kind.LABEL: (_O.IS, _O.IS_NOT, *_EMPTINESS),
}


@dataclass(frozen=True)
class FieldSpec:
    """A field the seller can filter on, as the condition builder offers it."""

    key: str
    label: str
    entity: str  # "lead", "person" or "organization"
    kind: Kind
    choices: tuple[str, ...] = ()  # the values to pick from, for a choice

    @property
    def operators(self) -> tuple[Operator, ...]:
        return OPERATORS_BY_KIND[self.kind]


FIELDS: dict[str, FieldSpec] = {
    f.key: f
    for f in (
        FieldSpec("title", "Title", "lead", Kind.TEXT),
        FieldSpec("value", "Value", "lead", Kind.MONEY),
        FieldSpec("currency", "Currency", "lead", Kind.TEXT),
        FieldSpec("expected_close", "Expected close date", "lead", Kind.DATE),
        FieldSpec("owner", "Owner", "lead", Kind.USER),
        FieldSpec("source", "Source", "lead", Kind.CHOICE, SOURCES),
        FieldSpec("labels", "Label", "lead", Kind.LABEL),
        FieldSpec("stage", "Stage", "lead", Kind.TEXT),
        FieldSpec("origin", "Origin", "lead", Kind.TEXT),
        FieldSpec("score", "Score", "lead", Kind.NUMBER),
        FieldSpec("created", "Created", "lead", Kind.MOMENT),
        FieldSpec("updated", "Updated", "lead", Kind.MOMENT),
        FieldSpec("next_activity", "Next activity", "lead", Kind.LOCAL_MOMENT),
        FieldSpec("person", "Person", "person", Kind.TEXT),
        FieldSpec("email", "E-mail", "person", Kind.TEXT),
        FieldSpec("phone", "Phone", "person", Kind.TEXT),
        FieldSpec("organization", "Organisation", "organization", Kind.TEXT),
        FieldSpec("address", "Address", "organization", Kind.TEXT),
        FieldSpec("website", "Website", "organization", Kind.TEXT),
    )
}

LEAD_COLUMNS = {
    "title": Lead.title,
    "value": Lead.value_minor,
    "currency": Lead.currency,
    "expected_close": Lead.expected_close,
    "owner": Lead.owner,
    "source": Lead.source,
    "stage": Lead.stage,
    "origin": Lead.origin,
    "score": Lead.score,
    "created": Lead.created_at,
    "updated": Lead.updated_at,
    "next_activity": Lead.next_activity_at,
}


# Columns of the inbox's own indexes (migrations 0002 and 0005) with sargable conditions.
INDEXED_FIELDS = frozenset({"next_activity", "created", "source", "owner"})


def field_spec(key: str) -> FieldSpec:
    spec = FIELDS.get(key)
    if spec is None:
        raise FilterError(f"unknown field {key!r}; one of: {', '.join(FIELDS)}")
    return spec


def parse_operator(text: str) -> Operator:
    """An operator by its key ("is_not") or its label ("is not"), as typed."""
    key = text.strip().lower()
    for op in Operator:
        if key in (op.value, op.label.lower(), op.value.replace("_", " ")):
            return op
    if key in ("greater", "less"):
        return Operator(key)
    known = ", ".join(op.label for op in Operator)
    raise FilterError(f"unknown operator {text!r}; one of: {known}")


# -- values ------------------------------------------------------------------------------------


def parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(text).strip())
    except ValueError:
        raise FilterError(f"{text!r} is not a date; write it like 2026-12-31") from None


def parse_number(text: str) -> Decimal:
    try:
        number = Decimal(str(text).strip().replace(" ", "").replace(",", "."))
    except InvalidOperation:
        raise FilterError(f"{text!r} is not a number") from None
    if not number.is_finite():
        raise FilterError(f"{text!r} is not a number")
    return number


def parse_days(text: str) -> int:
    try:
        days = int(str(text).strip())
    except ValueError:
        raise FilterError(f"{text!r} is not a number of days") from None
    if days < 1:
        raise FilterError(f"the number of days must be 1 or more, not {days}")
    return days


def resolve_user(value: Any) -> int | str:
    """A user id, or ``"me"``, from an id, a handle, ``me`` or a name (accents ignored)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = str(value).strip().lstrip("@")
    if text.lower() == ME:
        return ME
    if text.isdigit():
        return int(text)
    for user_id, name, handle in User.select(User.id, User.name, User.handle).tuples():
        if handle == text or fold(name) == fold(text):
            return user_id
    raise FilterError(f"no user named {value!r}")


def resolve_label(value: Any) -> int:
    """A label id from an id or a name (case and accents ignored); removed labels are unknown."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = str(value).strip()
    if text.isdigit():
        return int(text)
    live = Label.select(Label.id, Label.name).where(Label.deleted_at.is_null())
    for label_id, name in live.tuples():
        if fold(name) == fold(text):
            return label_id
    raise FilterError(f"no label named {value!r}")


def _canonical(spec: FieldSpec, op: Operator, value: Any) -> str | int | None:
    """The value in the one form it is saved and compared in; checks it on the way."""
    if not op.needs_value:
        return None
    if value is None or str(value).strip() == "":
        raise FilterError(f"{spec.label} {op.label} needs a value")
    if op is Operator.WITHIN_DAYS:
        return parse_days(value)
    if spec.kind in (Kind.DATE, Kind.MOMENT, Kind.LOCAL_MOMENT):
        return parse_date(value).isoformat()
    if spec.kind in (Kind.NUMBER, Kind.MONEY):
        return str(parse_number(value))
    if spec.kind is Kind.USER:
        return resolve_user(value)
    if spec.kind is Kind.LABEL:
        return resolve_label(value)
    if spec.key == "source" and str(value) not in SOURCES:
        raise FilterError(f"unknown source {value!r}; one of: {', '.join(SOURCES)}")
    return str(value).strip()


@dataclass(frozen=True)
class Condition:
    """One checked condition; make it with ``condition()``."""

    field: str
    operator: Operator
    value: str | int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"field": self.field, "operator": self.operator.value, "value": self.value}

    def describe(self) -> str:
        """How the active filter reads: "Owner is me", "Created within the last 7 days"."""
        spec = FIELDS[self.field]
        if not self.operator.needs_value:
            return f"{spec.label} {self.operator.label}"
        if self.operator is Operator.WITHIN_DAYS:
            return f"{spec.label} within the last {self.value} days"
        shown: Any = self.value
        if spec.kind is Kind.USER:
            shown = ME if self.value == ME else _name_of(User, User.name, self.value)
        elif spec.kind is Kind.LABEL:
            shown = _name_of(Label, Label.name, self.value)
        return f"{spec.label} {self.operator.label} {shown}"

    def expression(self, now: dt.datetime | None = None, hidden: bool = False) -> Expression:
        """The condition as SQL on ``Lead``; ``now`` is the seller's local time.

        ``hidden`` writes the column as ``+column``, which SQLite cannot look up in an index:
        for a condition most leads meet, reading the sort index and checking each row is
        faster than finding them all through the column's index and sorting them.
        """
        return _compile(self, now or dt.datetime.now(), hidden)

    @property
    def indexed(self) -> bool:
        """Whether SQLite may answer it from an index of the inbox (see ``hidden``)."""
        if self.field in ("person", "organization", "email", "phone"):
            return not self.operator.needs_value  # "is (not) empty": through the person's key
        return self.field in INDEXED_FIELDS


def _name_of(model: Any, column: Any, row_id: Any) -> str:
    name = model.select(column).where(model.id == row_id).scalar()
    return str(name) if name is not None else f"#{row_id}"


def condition(field: str, operator: str | Operator, value: Any = None) -> Condition:
    """A condition, checked: ``condition("created", "within the last N days", 7)``."""
    spec = field_spec(field)
    op = operator if isinstance(operator, Operator) else parse_operator(operator)
    if op not in spec.operators:
        allowed = ", ".join(o.label for o in spec.operators)
        raise FilterError(f"{spec.label} cannot be {op.label!r}; use one of: {allowed}")
    return Condition(field, op, _canonical(spec, op, value))


def condition_from_json(data: Any) -> Condition:
    if not isinstance(data, dict) or "field" not in data or "operator" not in data:
        raise FilterError(f"not a filter condition: {data!r}")
    return condition(str(data["field"]), str(data["operator"]), data.get("value"))


# -- SQL ---------------------------------------------------------------------------------------


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _like(column: Any, pattern: str) -> Expression:
    """SQL LIKE (peewee says ILIKE: its LIKE is GLOB on SQLite), with a backslash escape."""
    return Expression(column, "ILIKE", SQL("? ESCAPE '\\'", [pattern]))


def _contains(column: Any, text: str) -> Expression:
    return _like(column, f"%{_escaped(text)}%")


def _equals_folded(column: Any, text: str) -> Expression:
    """Equal, case-insensitively for ASCII, without wildcards: LIKE with everything escaped."""
    return _like(column, _escaped(text))


def utc_day_start(day: dt.date) -> dt.datetime:
    """Local midnight of ``day`` as naive UTC, the form ``created_at`` is stored in."""
    local = dt.datetime.combine(day, dt.time()).astimezone()
    return local.astimezone(dt.UTC).replace(tzinfo=None)


def _day_bounds(kind: Kind, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    if kind is Kind.MOMENT:
        return utc_day_start(day), utc_day_start(day + dt.timedelta(days=1))
    start = dt.datetime.combine(day, dt.time())
    return start, start + dt.timedelta(days=1)


def _moment_now(kind: Kind, now: dt.datetime) -> dt.datetime:
    if kind is Kind.MOMENT:
        return now.astimezone(dt.UTC).replace(tzinfo=None)
    return now


def _empty(column: Any, kind: Kind) -> Expression:
    if kind is Kind.TEXT:
        return column.is_null() | (fn.TRIM(column) == "")
    if kind is Kind.MONEY:
        return column.is_null() | (column == 0)
    return column.is_null()


def _dates(column: Any, kind: Kind, op: Operator, value: Any, now: dt.datetime) -> Expression:
    if op is Operator.WITHIN_DAYS:
        if kind is Kind.DATE:
            return column.between(now.date() - dt.timedelta(days=value), now.date())
        moment = _moment_now(kind, now)
        return column.between(moment - dt.timedelta(days=value), moment)
    day = dt.date.fromisoformat(value)
    if kind is Kind.DATE:
        start, end = day, day + dt.timedelta(days=1)
    else:
        start, end = _day_bounds(kind, day)
    if op is Operator.IS:
        return (column >= start) & (column < end)
    return column < start if op is Operator.BEFORE else column >= end


def _numbers(column: Any, kind: Kind, op: Operator, value: Any) -> Expression:
    number = Decimal(value)
    if kind is Kind.MONEY:  # compared in cents, whatever the currency's minor unit
        zero = sorted(ZERO_DECIMAL_CURRENCIES)
        column = Case(None, [(Lead.currency.in_(zero), Lead.value_minor * 100)], column)
        number = number.scaleb(2)
    bound: int | float = int(number) if number == number.to_integral_value() else float(number)
    if op is Operator.IS:
        return column == bound
    if op is Operator.IS_NOT:
        return column.is_null() | (column != bound)
    return column > bound if op is Operator.GREATER else column < bound


def _compile_column(column: Any, kind: Kind, op: Operator, value: Any, now: dt.datetime):
    if op is Operator.IS_EMPTY:
        return _empty(column, kind)
    if op is Operator.IS_NOT_EMPTY:
        return ~_empty(column, kind)
    if kind in (Kind.DATE, Kind.MOMENT, Kind.LOCAL_MOMENT):
        return _dates(column, kind, op, value, now)
    if kind in (Kind.NUMBER, Kind.MONEY):
        return _numbers(column, kind, op, value)
    if kind is Kind.USER:
        user_id = me_id() if value == ME else value
        if op is Operator.IS:
            return column == user_id
        return column.is_null() | (column != user_id)
    if kind is Kind.CHOICE:
        return column == value if op is Operator.IS else column != value
    if op is Operator.CONTAINS:
        return _contains(column, value)
    if op is Operator.IS:
        return _equals_folded(column, value)
    return column.is_null() | ~_equals_folded(column, value)


def _labels(op: Operator, value: Any) -> Expression:
    if op is Operator.IS_EMPTY:
        return Lead.label_names == ""
    if op is Operator.IS_NOT_EMPTY:
        return Lead.label_names != ""
    has = fn.EXISTS(
        LeadLabel.select(SQL("1")).where(LeadLabel.lead == Lead.id, LeadLabel.label == value)
    )
    return has if op is Operator.IS else ~has


def _contact_points(kind: str, op: Operator, value: Any, hidden: bool) -> Expression:
    """E-mail and phone conditions, through the person's contact points (by their keys).

    Whether the person has one at all is looked up per lead when ``hidden`` (the inbox reads
    its first rows in sort order), else in the set of people who have one, made once (to count
    the leads, which reads them all). Either way the leads are read, not the people: most of
    them have an e-mail, and driving from the people would visit the leads in random order."""
    cp = ContactPoint
    points = cp.select(SQL("1")).where(cp.person == Lead.person, cp.kind == kind)
    if not op.needs_value and not hidden:
        has = hidden_column(Lead.person).in_(cp.select(cp.person).where(cp.kind == kind))
        return (Lead.person.is_null() | ~has) if op is Operator.IS_EMPTY else has
    if op is Operator.IS_EMPTY:
        return ~fn.EXISTS(points)
    if op is Operator.IS_NOT_EMPTY:
        return fn.EXISTS(points)
    if op in (Operator.IS, Operator.IS_NOT):
        key = email_key(value) if kind == "email" else phone_key(value)
        found = fn.EXISTS(points.where(cp.key == key))
        return found if op is Operator.IS else ~found
    if kind == "phone":  # digits typed in any format; a leading 0 is the trunk prefix
        digits = "".join(ch for ch in value if ch.isdigit()).lstrip("0")
        return fn.EXISTS(points.where(_contains(cp.key, digits or value)))
    return fn.EXISTS(points.where(_contains(cp.key, value.lower())))


def _linked(link: Any, matching: Any, op: Operator) -> Expression:
    """The lead's person or organisation is (is not) one of ``matching``."""
    found = link.in_(matching)
    return (link.is_null() | ~found) if op is Operator.IS_NOT else found


def _named(link: Any, model: Any, keyer: Any, op: Operator, value: Any) -> Expression:
    """A person's or organisation's name, compared by its folded key (accents ignored)."""
    if op is Operator.IS_EMPTY:
        return link.is_null()
    if op is Operator.IS_NOT_EMPTY:
        return link.is_null(False)
    if op is Operator.CONTAINS:
        return _linked(
            link, model.select(model.id).where(_contains(model.name_key, fold(value))), op
        )
    return _linked(link, model.select(model.id).where(model.name_key == keyer(value)), op)


def _organization_text(column: Any, op: Operator, value: Any) -> Expression:
    org, link = Organization, Lead.organization
    blank = column.is_null() | (fn.TRIM(column) == "")
    if op is Operator.IS_EMPTY:
        return link.is_null() | link.in_(org.select(org.id).where(blank))
    if op is Operator.IS_NOT_EMPTY:
        return link.in_(org.select(org.id).where(~blank))
    test = _contains(column, value) if op is Operator.CONTAINS else _equals_folded(column, value)
    return _linked(link, org.select(org.id).where(test), op)


def hidden_column(column: Any) -> NodeList:
    """``+column``: the same value, but SQLite will not look it up through an index."""
    return NodeList((SQL("+"), column), glue="")


def _compile(cond: Condition, now: dt.datetime, hidden: bool) -> Expression:
    op, value = cond.operator, cond.value
    if cond.field in LEAD_COLUMNS:
        column = hidden_column(LEAD_COLUMNS[cond.field]) if hidden else LEAD_COLUMNS[cond.field]
        return _compile_column(column, FIELDS[cond.field].kind, op, value, now)
    if cond.field == "labels":
        return _labels(op, value)
    if cond.field in ("email", "phone"):
        return _contact_points(cond.field, op, value, hidden)
    if cond.field in ("person", "organization"):
        link, model = (
            (Lead.person, Person) if cond.field == "person" else (Lead.organization, Organization)
        )
        keyer = person_key if cond.field == "person" else organization_key
        return _named(hidden_column(link) if hidden else link, model, keyer, op, value)
    column = Organization.address if cond.field == "address" else Organization.website
    return _organization_text(column, op, value)
