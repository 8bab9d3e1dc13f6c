"""Importing leads from a spreadsheet, in the steps the import wizard shows.

1. ``spreadsheet.open_table`` reads the file; ``mapping.guess_mapping`` proposes the fields.
2. ``preview`` gives the first rows exactly as they will be imported, with each row's problems.
3. ``scan_duplicates`` lists the rows that match a contact already in the inbox or an earlier row.
4. ``run_import`` writes it all as one action (one transaction, one undo step), telling progress
   and stopping when asked, and returns the report; the rejected rows go to a file next to the
   input that can be fixed and imported again.

Built for 100,000-row files: rows are mapped and matched a chunk at a time, the contacts a
chunk may match are looked up with one query per kind of key, normalised keys are computed once
per distinct value (phones mostly without libphonenumber, ``phone_keys``), and new records get
their ids up front and are written with ``executemany`` on the database's own connection, logged
as created with one statement per table. A big import into a smaller inbox writes into bare
tables and builds their indexes and search marks at the end (``_BulkLoad``).
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import itertools
import json
import operator
import re
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path
from typing import Any

from peewee import SQL, Field, Model, OperationalError, fn

from leadbox_tui.services import exporter
from leadbox_tui.services.contacts import add_contact_points, find_or_create_organization
from leadbox_tui.services.duplicates import suggest_people
from leadbox_tui.services.history import Recorder, label_names_key, recorded
from leadbox_tui.services.inbox import InboxFilter
from leadbox_tui.services.labels import resolve_labels
from leadbox_tui.services.leads import MAX_TEXT, LeadError, clean_text, default_title
from leadbox_tui.services.mapping import (
    FIELDS,
    REJECTION_COLUMN,
    Mapping,
    parse_amount,
    parse_currency,
    parse_date,
    parse_source,
    phone_text,
    split_emails,
    split_list,
    split_phones,
    text_of,
)
from leadbox_tui.services.normalize import (
    email_key,
    minor_exponent,
    organization_key,
    person_key,
)
from leadbox_tui.services.phone_keys import PhoneKeys
from leadbox_tui.services.spreadsheet import (
    MAX_CELL_CHARS,
    Cell,
    ImportFileError,
    Table,
    cell_too_long,
)
from leadbox_tui.services.users import add_user, ensure_me, find_user
from leadbox_tui.store.models import (
    Change,
    ContactPoint,
    Label,
    Lead,
    LeadLabel,
    LeadSearchPending,
    Note,
    Organization,
    Person,
    User,
)

DUPLICATE_CHOICES = ("skip", "merge", "import")
"""What to do with a row matching a contact already known: leave it out, merge it into the
existing contact (and their open lead), or import it as a new person anyway."""
CHUNK = 2_000
CLOSE_NAME_ROWS = 1_000  # files up to this size are also matched on close names, row by row
CLOSE_NAME_SCORE = 90  # out of 100, as the matching engine scores
BULK_ROWS = 10_000  # imports this big into a smaller inbox build the lead indexes afterwards
BULK_CACHE_KIB = 256 * 1024
PREVIEW_ROWS = 20
MAX_VALUE = Decimal(10) ** 13
_ONE = Decimal(1)
_EMAIL = re.compile(r"^[^@\s<>(),;:]+@[^@\s<>(),;:]+\.[^@\s<>(),;:.]+$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")
_DIGIT = re.compile(r"\d")
_WHERE = re.compile(r"\bWHERE\b", re.IGNORECASE)

Progress = Callable[[int, int], None]
"""Told (rows done, rows in all) as the work advances."""
Cancelled = Callable[[], bool]
"""Asked between chunks whether the seller wants to stop."""


class ImportCancelled(Exception):
    """The seller stopped the import; nothing was written."""


class RowRejected(ValueError):
    """A row that cannot be imported; the message says why, for the report."""


@dataclass(slots=True)
class RowData:
    """One row as it will be imported (not frozen: a frozen dataclass takes five times as long
    to make, and an import makes 100,000; nothing changes one once built)."""

    row: int
    person: str
    emails: tuple[str, ...]
    phones: tuple[str, ...]
    organization: str
    address: str | None
    website: str | None
    title: str
    value: Decimal | None
    currency: str | None
    expected_close: dt.date | None
    owner: str | None
    source: str
    origin: str | None  # the file name, unless a column says where the lead came from
    stage: str | None
    labels: tuple[str, ...]
    note: str | None
    warnings: tuple[str, ...]

    @property
    def contact_name(self) -> str:
        """The person's name, else the e-mail or phone that stands for it."""
        return self.person or next(iter(self.emails + self.phones), "")


@dataclass(frozen=True)
class DuplicateOf:
    """The contact already in the inbox that a row matches, with their open lead if any.

    Rows of one file that share a person are not duplicates: each is a lead of that person."""

    reason: str
    person: str | None
    organization: str | None
    person_id: int | None
    organization_id: int | None
    lead_id: int | None
    lead_title: str | None


@dataclass(frozen=True)
class PreviewRow:
    row: int
    data: RowData | None  # None when the row is rejected
    problem: str | None  # why it is rejected
    duplicate: DuplicateOf | None


@dataclass(frozen=True)
class DuplicateScan:
    rows: int
    rejected: int
    duplicates: tuple[PreviewRow, ...]


@dataclass(frozen=True)
class RowNote:
    where: str  # "row 12", "card 3", "message.eml"
    message: str


@dataclass(frozen=True)
class ImportReport:
    """What an import did, for the report screen and ``leadbox import --json``."""

    file: str
    what: str  # what was added: "leads" or "people"
    added: int
    merged: int
    skipped: tuple[RowNote, ...] = ()
    rejected: tuple[RowNote, ...] = ()
    warnings: tuple[RowNote, ...] = ()
    rejected_file: Path | None = None
    seconds: float = 0.0

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["rejected_file"] = str(self.rejected_file) if self.rejected_file else None
        return data


# --- a row as it will be imported ---------------------------------------------------------------


class RowBuilder:
    """Turns the cells of a row into ``RowData`` under a mapping, or rejects it with a reason.

    Built for 100,000 rows: what each field reads is worked out once per import (the cells a
    row is read as text, and where each field finds its text among them); a row's cells are
    then stripped in one pass, each field takes its text by position, a printable text short
    enough passes without a call, and what repeats down a column (dates, currencies, sources,
    labels) is worked out once per distinct cell."""

    def __init__(self, headers: Sequence[str], mapping: Mapping, origin: str) -> None:
        if len(mapping.fields) != len(headers):
            raise ValueError("the mapping does not have one field per column")
        self.headers = tuple(headers)
        self.mapping = mapping
        self.origin = origin
        self.cols = {key: mapping.columns(key) for key in FIELDS}
        unmapped = [
            i
            for i, f in enumerate(mapping.fields)
            if f is None and headers[i] != REJECTION_COLUMN and mapping.unmapped_to_note
        ]
        note_cols = [(i, False) for i in self.cols["note"]] + [(i, True) for i in unmapped]
        # the columns read as text (all but the value and date ones, read as cells), in order
        read = sorted(
            {i for key, cols in self.cols.items() if key not in _CELL_FIELDS for i in cols}
            | set(unmapped)
        )
        self._read = tuple(read)
        self._pick: Callable[[Sequence[Cell]], Sequence[Cell]] = (
            operator.itemgetter(*read) if len(read) > 1 else lambda cells: [cells[i] for i in read]
        )
        at = {column: position for position, column in enumerate(read)}
        self._at = {key: tuple(at[i] for i in cols if i in at) for key, cols in self.cols.items()}
        self._notes = [(at[i], f"{headers[i]}: " if labelled else "") for i, labelled in note_cols]
        self._dates: dict[tuple[type, Any], dt.date | str] = {}  # a cell's date, or why it is none
        self._currencies: dict[str, str | None] = {}
        self._sources: dict[str, str | None] = {}
        self._labels: dict[str, tuple[list[str], list[str]]] = {}  # names, problems

    def texts(self, row: int, cells: Sequence[Cell]) -> list[Cell]:
        """The cells read as text, each stripped (a neutralised formula restored), in the order
        of ``_read``; other cells as they are (``_text`` turns them to text when read)."""
        cells_read = self._pick(cells)
        try:
            joined = "".join(cells_read)  # most rows: text cells only, none too long
        except TypeError:
            joined = None
        if joined is not None and len(joined) <= MAX_CELL_CHARS:
            texts = [c.strip() for c in cells_read]
            if "'" not in joined:
                return texts
            return [exporter.restore_neutralised(t) if t[:1] == "'" else t for t in texts]
        texts = [
            (
                (exporter.restore_neutralised(s) if (s := c.strip())[:1] == "'" else s)
                if len(c) <= MAX_CELL_CHARS
                else _TOO_LONG
            )
            if type(c) is str
            else c
            for c in cells_read
        ]
        if _TOO_LONG in texts:
            index = self._read[texts.index(_TOO_LONG)]
            raise cell_too_long(row, self.headers[index], len(cells[index]))
        return texts

    def build(self, row: int, cells: Sequence[Cell]) -> RowData:
        """The row as it will be imported; ``RowRejected`` lists every problem it has."""
        problems: list[str] = []
        warnings: list[str] = []
        texts = self.texts(row, cells)
        at = self._at
        person = _first(texts, at["person"])
        if len(person) > 500 or not person.isprintable():
            person = _checked(person, "The person's name", 500, problems)
        if not person:
            parts = (_first(texts, at["first_name"]), _first(texts, at["last_name"]))
            person = _checked(" ".join(p for p in parts if p), "The person's name", 500, problems)
        try:
            emails = self._emails(texts)
        except RowRejected as error:
            problems.append(str(error))
            emails = ()
        try:
            phones = self._phones(texts, warnings)
        except RowRejected as error:
            problems.append(str(error))
            phones = ()
        organization = _first(texts, at["organization"])
        if len(organization) > 500 or not organization.isprintable():
            organization = _checked(organization, "The organisation's name", 500, problems)
        if not (person or organization or emails or phones or problems):
            problems.append("no person or organisation name, e-mail or phone")
        try:
            value, currency = self._money(texts, cells)
        except RowRejected as error:
            problems.append(str(error))
            value = currency = None
        source_text = _first(texts, at["source"])
        source = self._source(source_text, warnings) if source_text else "Import"
        address = website = owner = stage = None
        if at["address"]:
            address = ", ".join(t for p in at["address"] if (t := _text(texts[p])))
            address = _checked(address, "The address", 1000, problems) or None
        if at["website"]:
            website = _checked(_first(texts, at["website"]), "The website", 500, problems) or None
        title = _first(texts, at["title"])
        if len(title) > 500 or not title.isprintable():
            title = _checked(title, "The title", 500, problems)
        expected_close = self._date(cells, problems) if self.cols["expected_close"] else None
        if at["owner"]:
            owner = _checked(_first(texts, at["owner"]), "The owner", 200, problems) or None
        origin = self.origin
        if at["origin"]:
            origin = _checked(_first(texts, at["origin"]), "The origin", 500, problems) or None
        if at["stage"]:
            stage = _checked(_first(texts, at["stage"]), "The stage", 200, problems) or None
        labels = self._row_labels(texts, problems) if at["labels"] else ()
        note = None
        if self._notes:
            notes = [f"{label}{t}" for p, label in self._notes if (t := _text(texts[p]))]
            note = _checked("\n".join(notes), "The note", MAX_TEXT, problems) if notes else None
        if problems:
            raise RowRejected("; ".join(problems))
        return RowData(
            row,
            person,
            emails,
            phones,
            organization,
            address,
            website,
            title or default_title(person or next(iter(emails + phones), ""), organization),
            value,
            currency,
            expected_close,
            owner,
            source,
            origin,
            stage,
            labels,
            note or None,
            tuple(warnings),
        )

    def _emails(self, texts: list[Cell]) -> tuple[str, ...]:
        found: dict[str, str] = {}
        for position in self._at["email"]:
            text = _text(texts[position])
            for email in split_emails(text) if text else ():
                if not _EMAIL.match(email) or len(email) > 320:
                    raise RowRejected(f"{email!r} is not an e-mail address")
                found.setdefault(email_key(email), email)
        return tuple(found.values())

    def _phones(self, texts: list[Cell], warnings: list[str]) -> tuple[str, ...]:
        found: list[str] = []
        for position in self._at["phone"]:
            text = texts[position]
            if type(text) is not str:
                if text is not None:
                    found.append(phone_text(text))  # a phone typed as a number
                continue
            for phone in split_phones(text) if text else ():
                if not _DIGIT.search(phone):
                    warnings.append(f"{phone!r} is not a phone number: left out")
                elif len(phone) > 64:
                    raise RowRejected(f"{phone[:40]!r}... is too long for a phone number")
                else:
                    found.append(_clean(phone, "A phone", 64))
        return tuple(dict.fromkeys(found)) if len(found) > 1 else tuple(found)

    def _money(self, texts: list[Cell], cells: Sequence[Cell]) -> tuple[Decimal | None, str | None]:
        currency_text = _first(texts, self._at["currency"])
        currency = None
        if currency_text:
            if currency_text not in self._currencies:
                self._currencies[currency_text] = parse_currency(currency_text)
            currency = self._currencies[currency_text]
            if currency is None:
                raise RowRejected(f"{currency_text!r} is not a currency (a code like EUR)")
        cell = _first_filled(cells, self.cols["value"])
        if cell is None:
            return None, currency
        try:
            value, written = parse_amount(cell)
        except ValueError as error:
            raise RowRejected(f"value: {error}") from None
        if abs(value) >= MAX_VALUE:
            raise RowRejected(f"value {value} is too large")
        return value, currency or written

    def _date(self, cells: Sequence[Cell], problems: list[str]) -> dt.date | None:
        cell = _first_filled(cells, self.cols["expected_close"])
        if cell is None:
            return None
        key = (type(cell), cell)  # 1 and True are equal keys, not equal cells
        found = self._dates.get(key)
        if found is None:
            try:
                found = parse_date(cell, self.mapping.day_first)
            except ValueError as error:
                found = f"expected close date: {error}"
            self._dates[key] = found
        if isinstance(found, str):
            problems.append(found)
            return None
        return found

    def _source(self, text: str, warnings: list[str]) -> str:
        if text not in self._sources:
            self._sources[text] = parse_source(text)
        source = self._sources[text]
        if source is None:
            warnings.append(f"unknown source {text!r}: imported as Import")
            return "Import"
        return source

    def _row_labels(self, texts: list[Cell], problems: list[str]) -> tuple[str, ...]:
        names: list[str] = []
        for position in self._at["labels"]:
            text = _text(texts[position])
            if not text:
                continue
            if text not in self._labels:
                found: list[str] = []
                self._labels[text] = (
                    [_checked(n, "A label", 100, found) for n in split_list(text)],
                    found,
                )
            labels, label_problems = self._labels[text]
            names += labels
            problems += label_problems
        return tuple(dict.fromkeys(names))


_CELL_FIELDS = frozenset(("value", "expected_close"))  # read as cells: a number stays a number
_TOO_LONG = object()  # a cell longer than any spreadsheet cell, among a row's texts


def _text(cell: Cell) -> str:
    """A cell of ``RowBuilder.texts`` as text."""
    return cell if type(cell) is str else text_of(cell)


def _first(texts: list[Cell], positions: tuple[int, ...]) -> str:
    """The first non-empty text at these positions of ``RowBuilder.texts``."""
    for position in positions:
        text = texts[position]
        if type(text) is not str:
            text = text_of(text)
        if text:
            return text
    return ""


def _first_filled(cells: Sequence[Cell], columns: Sequence[int]) -> Cell:
    """The first of these cells holding something, as read (a number stays a number)."""
    for index in columns:
        cell = cells[index]
        if cell is not None and (type(cell) is not str or cell.strip()):
            return cell
    return None


def _clean(text: str, what: str, limit: int) -> str:
    """Text as ``leads.clean_text`` keeps it; most cells need nothing (``isprintable`` says it
    at C speed, the regex only looks at the others, such as those with a line break)."""
    if len(text) <= limit and (text.isprintable() or not _CONTROL.search(text)):
        return text
    try:
        return clean_text(text, what, limit)
    except LeadError as error:
        raise RowRejected(str(error)) from None


def _checked(text: str, what: str, limit: int, problems: list[str]) -> str:
    """``_clean``, its refusal added to the row's problems (and "" kept); its first test is
    repeated here, a call less for the 800,000 cells of a 100,000-row import."""
    if len(text) <= limit and (text.isprintable() or not _CONTROL.search(text)):
        return text
    try:
        return _clean(text, what, limit)
    except RowRejected as error:
        problems.append(str(error))
        return ""


# --- who a row is ---------------------------------------------------------------------------------


@dataclass(eq=False, slots=True)
class _Org:
    id: int | None
    name: str
    row: int | None = None  # the row of this file that brings it


@dataclass(eq=False, slots=True)
class _Person:
    id: int | None
    name: str
    org: _Org | None
    row: int | None = None  # the row of this file that brings them
    points: set[tuple[str, str]] = field(default_factory=set)  # their e-mails and phones, by key


@dataclass(slots=True)
class _Keys:
    person: str
    organization: str
    emails: tuple[str, ...]
    phones: tuple[str, ...]


def _order(person: _Person) -> tuple[int, int]:
    """People of the inbox first, by id (as ``find_person`` picks), then those of this file."""
    return (0, person.id) if person.row is None and person.id else (1, person.row or 0)


class _Index:
    """The people and organisations an import knows by normalised key: those in the inbox
    (looked up a chunk at a time, misses remembered as ``None``) and those of earlier rows."""

    def __init__(self, rows: int) -> None:
        self.close_names = rows <= CLOSE_NAME_ROWS
        self.emails: dict[str, _Person | None] = {}
        self.phones: dict[str, _Person | None] = {}
        self.names: dict[str, dict[_Org | None, _Person]] = {}  # the first of a name at an org
        self.orgs: dict[str, _Org | None] = {}
        self._people: dict[int, _Person] = {}
        self._orgs_by_id: dict[int, _Org] = {}
        self.complete = False  # every contact of the inbox is known: nothing to look up
        self.phone_key = PhoneKeys()
        self.person_key = functools.cache(person_key)  # names recur in a file
        self.org_key = functools.cache(organization_key)

    def keys(self, data: RowData) -> _Keys:
        return _Keys(
            self.person_key(data.person) if data.person else "",
            self.org_key(data.organization) if data.organization else "",
            tuple(map(email_key, data.emails)),
            tuple(map(self.phone_key, data.phones)),
        )

    def _org(self, org_id: int | None, name: str = "") -> _Org | None:
        if org_id is None:
            return None
        org = self._orgs_by_id.setdefault(org_id, _Org(org_id, name))
        org.name = org.name or name
        return org

    def _person(self, person_id: int, name: str, org_id: int | None) -> _Person:
        if person_id not in self._people:
            self._people[person_id] = _Person(person_id, name, self._org(org_id))
        return self._people[person_id]

    def _read_points(self, kind: str, known: dict[str, _Person | None], part: SQL | None) -> None:
        query = (
            ContactPoint.select(ContactPoint.key, Person.id, Person.name, Person.organization)
            .join(Person)
            .where(
                ContactPoint.kind == kind,
                Person.deleted_at.is_null(),
                Person.merged_into.is_null(),
                *([ContactPoint.key.in_(part)] if part is not None else []),
            )
            .order_by(Person.id.desc())
            .tuples()
        )
        for key, pid, name, org_id in query:
            known[key] = self._person(pid, name, org_id)  # the lowest id wins

    def _read_names(self, part: SQL | None) -> None:
        query = (
            Person.select(Person.name_key, Person.id, Person.name, Person.organization)
            .where(
                Person.deleted_at.is_null(),
                Person.merged_into.is_null(),
                *([Person.name_key.in_(part)] if part is not None else []),
            )
            .order_by(Person.id)
            .tuples()
        )
        for key, pid, name, org_id in query:
            person = self._person(pid, name, org_id)
            self.names.setdefault(key, {}).setdefault(person.org, person)

    def preload(self) -> None:
        """Read every person of the inbox by e-mail, phone and name, in one pass each: for a
        big import into a smaller inbox, whose indexes are dropped meanwhile (``_BulkLoad``)."""
        self._read_points("email", self.emails, None)
        self._read_points("phone", self.phones, None)
        self._read_names(None)
        self.complete = True

    def prefetch(self, keys: Iterable[_Keys]) -> None:
        """Look up, in a few queries, every key of these rows not known yet."""
        keys = list(keys)
        orgs = {ks.organization for ks in keys if ks.organization} - self.orgs.keys()
        for part in _parts(orgs):
            query = (
                Organization.select(Organization.name_key, Organization.id, Organization.name)
                .where(
                    Organization.name_key.in_(part),
                    Organization.deleted_at.is_null(),
                    Organization.merged_into.is_null(),
                )
                .order_by(Organization.id.desc())
                .tuples()
            )
            for key, oid, name in query:
                self.orgs[key] = self._org(oid, name)
        for key in orgs:
            self.orgs.setdefault(key, None)
        if self.complete:
            return
        for kind, known, wanted in (
            ("email", self.emails, {k for ks in keys for k in ks.emails}),
            ("phone", self.phones, {k for ks in keys for k in ks.phones}),
        ):
            wanted -= known.keys()
            for part in _parts(wanted):
                self._read_points(kind, known, part)
            for key in wanted:
                known.setdefault(key, None)
        names = {ks.person for ks in keys if ks.person} - self.names.keys()
        for part in _parts(names):
            self._read_names(part)
        for key in names:
            self.names.setdefault(key, {})

    def match(self, data: RowData, keys: _Keys) -> tuple[_Person | _Org, str] | None:
        """The known contact this row is, mirroring ``contacts.find_person``: same e-mail, else
        same phone, else same name at the same organisation (or same name alone when the row
        has no organisation, e-mail or phone); for a row with only a name, a close name. A row
        with no person is its organisation."""
        org = self.orgs.get(keys.organization) if keys.organization else None
        if not (data.person or keys.emails or keys.phones):
            return (org, "an organisation of that name") if org is not None else None
        emails, phones = self.emails, self.phones
        for key, value in zip(keys.emails, data.emails, strict=True):
            if (person := emails.get(key)) is not None:
                return person, f"same e-mail {value}"
        for key, value in zip(keys.phones, data.phones, strict=True):
            if (person := phones.get(key)) is not None:
                return person, f"same phone {value}"
        if not keys.person:
            return None
        namesakes = self.names.get(keys.person, {})
        if data.organization and org is not None and org in namesakes:
            return namesakes[org], f"same name at {data.organization}"
        if keys.emails or keys.phones or (data.organization and namesakes):
            return None  # a namesake with other details, or at another organisation, is not
        if namesakes:
            return min(namesakes.values(), key=_order), "same name"
        return self._close_name(data) if self.close_names else None

    def _close_name(self, data: RowData) -> tuple[_Person, str] | None:
        """A person of the inbox whose name is close to the row's (which has nothing else to
        tell who it is), by the matching engine; asked only for smaller files, a row at a time."""
        [best, *_] = suggest_people(data.person, limit=1, organization=data.organization) or [None]
        if best is None or best.score < CLOSE_NAME_SCORE:
            return None
        org_id = Person.get_by_id(best.id).organization_id
        return self._person(best.id, best.name, org_id), f"close name ({', '.join(best.reasons)})"

    def add_person(self, person: _Person, keys: _Keys) -> None:
        """Remember a person of this import so later rows find them; known keys keep their owner."""
        emails, phones = self.emails, self.phones
        for key in keys.emails:
            if emails.get(key) is None:
                emails[key] = person
        for key in keys.phones:
            if phones.get(key) is None:
                phones[key] = person
        if keys.person:
            self.names.setdefault(keys.person, {}).setdefault(person.org, person)

    def add_org(self, org: _Org, keys: _Keys) -> None:
        self.orgs[keys.organization] = org


def _parts(keys: set[str], size: int = 5_000) -> Iterator[SQL]:
    """The keys as subqueries of at most ``size`` values, each one bound JSON parameter (SQLite
    unpacks it in C, where thousands of bound values cost peewee a Python object apiece)."""
    items = sorted(keys)
    for start in range(0, len(items), size):
        yield SQL("(SELECT value FROM json_each(?))", [json.dumps(items[start : start + size])])


def _open_lead(person_id: int | None, org_id: int | None) -> Lead | None:
    """The contact's most recent lead still in the inbox: the one a merged row goes into."""
    if person_id is None and org_id is None:
        return None
    owner = Lead.person == person_id if person_id is not None else Lead.organization == org_id
    return (
        Lead.select(Lead.id, Lead.title, Lead.value_minor, Lead.expected_close, Lead.stage)
        .where(owner, *InboxFilter().conditions())
        .order_by(Lead.id.desc())
        .first()
    )


def _duplicate_of(found: _Person | _Org, reason: str) -> DuplicateOf:
    """A contact of the inbox that a row matches, with their open lead."""
    person = found if isinstance(found, _Person) else None
    org = found.org if isinstance(found, _Person) else found
    lead = _open_lead(person.id if person else None, org.id if org else None)
    return DuplicateOf(
        reason=reason,
        person=person.name if person else None,
        organization=org.name if org and org.name else None,
        person_id=person.id if person else None,
        organization_id=org.id if org else None,
        lead_id=lead.id if lead else None,
        lead_title=lead.title if lead else None,
    )


# --- reading the rows --------------------------------------------------------------------------


@dataclass(slots=True)
class _Row:
    number: int
    cells: list[Cell]
    data: RowData | None = None
    problem: str | None = None
    keys: _Keys | None = None


def _chunks(
    table: Table, builder: RowBuilder, index: _Index, limit: int | None = None
) -> Iterator[list[_Row]]:
    """The rows of the table, built and with their contacts prefetched, a chunk at a time."""
    chunk: list[_Row] = []
    for number, cells in table.rows():
        chunk.append(_Row(number, cells))
        if len(chunk) >= CHUNK or (limit is not None and len(chunk) >= limit):
            yield _prepared(chunk, builder, index)
            chunk = []
            if limit is not None:
                return
    if chunk:
        yield _prepared(chunk, builder, index)


def _prepared(chunk: list[_Row], builder: RowBuilder, index: _Index) -> list[_Row]:
    for item in chunk:
        try:
            item.data = builder.build(item.number, item.cells)
        except RowRejected as error:
            item.problem = str(error)
            continue
        item.keys = index.keys(item.data)
    index.prefetch(item.keys for item in chunk if item.keys is not None)
    return chunk


def _plan_only(
    table: Table,
    mapping: Mapping,
    limit: int | None,
    progress: Progress | None,
    cancelled: Cancelled | None,
) -> Iterator[PreviewRow]:
    """Every row as it would be imported, with its duplicate, writing nothing."""
    builder = RowBuilder(table.info.headers, mapping, table.info.path.name)
    index = _Index(table.info.rows)
    done = 0
    for chunk in _chunks(table, builder, index, limit):
        for item in chunk:
            duplicate = None
            if item.data is not None and item.keys is not None:
                found = index.match(item.data, item.keys)
                if found is None:
                    _remember(index, item.data, item.keys, None, None)
                elif found[0].row is None:
                    duplicate = _duplicate_of(*found)
            yield PreviewRow(item.number, item.data, item.problem, duplicate)
        done += len(chunk)
        _tick(done, table.info.rows, progress, cancelled)


def _remember(
    index: _Index, data: RowData, keys: _Keys, person_id: int | None, org_id: int | None
) -> _Person | None:
    """Record a row's new person and organisation in the index (with their ids when written),
    so that later rows of the file find them."""
    org = index.orgs.get(keys.organization) if keys.organization else None
    if keys.organization and org is None:
        org = _Org(org_id, data.organization, data.row)
        index.add_org(org, keys)
    if not (data.person or keys.emails or keys.phones):
        return None
    person = _Person(person_id, data.contact_name, org, data.row)
    index.add_person(person, keys)
    return person


def _tick(done: int, total: int, progress: Progress | None, cancelled: Cancelled | None) -> None:
    if cancelled is not None and cancelled():
        raise ImportCancelled("the import was stopped; nothing was written")
    if progress is not None:
        progress(done, max(done, total))


def preview(table: Table, mapping: Mapping, limit: int = PREVIEW_ROWS) -> list[PreviewRow]:
    """The first rows exactly as they will be imported, each with its problem or duplicate."""
    return list(_plan_only(table, mapping, limit, None, None))


def scan_duplicates(
    table: Table,
    mapping: Mapping,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> DuplicateScan:
    """Read the whole file and list the rows that match a contact already known."""
    rows = rejected = 0
    duplicates = []
    for item in _plan_only(table, mapping, None, progress, cancelled):
        rows += 1
        rejected += item.problem is not None
        if item.duplicate is not None:
            duplicates.append(item)
    return DuplicateScan(rows, rejected, tuple(duplicates))


# --- writing --------------------------------------------------------------------------------------


def _insert_sql(model: type[Model], fields: Sequence[Field]) -> str:
    columns = ", ".join(f'"{f.column_name}"' for f in fields)
    marks = ", ".join("?" * len(fields))
    return f'INSERT INTO "{model._meta.table_name}" ({columns}) VALUES ({marks})'


ORG_FIELDS = (
    Organization.id,
    Organization.name,
    Organization.name_key,
    Organization.address,
    Organization.website,
    Organization.created_at,
    Organization.updated_at,
)
PERSON_FIELDS = (
    Person.id,
    Person.name,
    Person.name_key,
    Person.organization,
    Person.created_at,
    Person.updated_at,
)
POINT_FIELDS = (
    ContactPoint.id,
    ContactPoint.person,
    ContactPoint.kind,
    ContactPoint.value,
    ContactPoint.key,
    ContactPoint.position,
)
LEAD_FIELDS = (
    Lead.id,
    Lead.title,
    Lead.person,
    Lead.organization,
    Lead.value_minor,
    Lead.currency,
    Lead.expected_close,
    Lead.owner,
    Lead.source,
    Lead.origin,
    Lead.stage,
    Lead.score_mode,
    Lead.visible_to,
    Lead.was_seen,
    Lead.label_names,
    Lead.created_at,
    Lead.updated_at,
)
_LEAD_DEFAULTS = (Lead.score_mode.default, Lead.visible_to.default, False)  # and was_seen
NOTE_FIELDS = (
    Note.id,
    Note.body,
    Note.author,
    Note.lead,
    Note.pinned,
    Note.created_at,
    Note.updated_at,
)
LABEL_FIELDS = (LeadLabel.lead, LeadLabel.label)


@dataclass
class _Pending:
    model: type[Model]
    fields: tuple[Field, ...]
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    logged: bool = True  # logged as created (a person's e-mails and a lead's labels and first
    # note are part of the record they came with)


class _Writer:
    """New records with their ids given up front, written a chunk at a time with executemany;
    merges into records already written go through the usual services, after a flush."""

    def __init__(self, rec: Recorder) -> None:
        self.rec = rec
        self.at = rec.action.at
        self.stamp = str(self.at)  # as sqlite3 would write the datetime, without a call per row
        self.me = ensure_me().id
        self.pending = {
            name: _Pending(model, fields, logged=logged)
            for name, model, fields, logged in (
                ("org", Organization, ORG_FIELDS, True),
                ("person", Person, PERSON_FIELDS, True),
                ("point", ContactPoint, POINT_FIELDS, False),
                ("lead", Lead, LEAD_FIELDS, True),
                ("label", LeadLabel, LABEL_FIELDS, False),
                ("note", Note, NOTE_FIELDS, False),
            )
        }
        self._next: dict[type[Model], Iterator[int]] = {}
        self.leads = self.pending["lead"].rows
        self.people = self.pending["person"].rows
        self.points = self.pending["point"].rows
        self._owners: dict[str, int] = {}
        self._labels: dict[str, int] = {}
        self._label_sets: dict[tuple[str, ...], list[int]] = {}
        self._label_keys: dict[tuple[str, ...], str] = {}
        self._label_names = dict(Label.select(Label.id, Label.name).tuples())
        self.warnings: list[RowNote] = []

    def _ids(self, model: type[Model]) -> Iterator[int]:
        """The ids to give new records of ``model``: after the highest in the table, asked
        again after each flush (records written by the services meanwhile take the next)."""
        ids = self._next.get(model)
        if ids is None:
            ids = self._next[model] = itertools.count(
                (model.select(fn.MAX(model.id)).scalar() or 0) + 1
            )
        return ids

    def _id(self, model: type[Model]) -> int:
        return next(self._ids(model))

    def flush(self) -> None:
        db = Lead._meta.database
        for pending in self.pending.values():
            if not pending.rows:
                continue
            db.cursor().executemany(_insert_sql(pending.model, pending.fields), pending.rows)
            if pending.logged:
                self.rec.created_many(pending.model, [row[0] for row in pending.rows])
            pending.rows.clear()
        self._next.clear()  # records written by the services next take the ids after ours

    def owner(self, name: str | None, row: int) -> int:
        if not name:
            return self.me
        if name not in self._owners:
            user = find_user(name)
            if user is None:
                user = add_user(name)
                self.rec.created(User, user.id)
                self.warnings.append(RowNote(f"row {row}", f"new teammate {name!r} added as owner"))
            self._owners[name] = user.id
        return self._owners[name]

    def label_ids(self, names: tuple[str, ...]) -> list[int]:
        if names in self._label_sets:
            return self._label_sets[names]
        missing = [n for n in names if n not in self._labels]
        if missing:
            known = set(self._label_names)
            for name, label_id in zip(missing, resolve_labels(missing, create=True), strict=True):
                self._labels[name] = label_id
                if label_id not in known:
                    self.rec.created(Label, label_id)
                    self._label_names[label_id] = name.strip()
        found = list(dict.fromkeys(self._labels[n] for n in names))
        self._label_sets[names] = found
        return found

    def label_key(self, names: tuple[str, ...], label_ids: list[int]) -> str:
        if names not in self._label_keys:
            self._label_keys[names] = label_names_key(label_ids, self._label_names)
        return self._label_keys[names]

    def new_org(self, data: RowData, keys: _Keys) -> int:
        org_id = self._id(Organization)
        self.pending["org"].rows.append(
            (
                org_id,
                data.organization,
                keys.organization,
                data.address,
                data.website,
                self.stamp,
                self.stamp,
            )
        )
        return org_id

    def new_person(self, data: RowData, keys: _Keys, org_id: int | None) -> int:
        person_id = next(self._ids(Person))
        self.people.append(
            (person_id, data.contact_name, keys.person, org_id, self.stamp, self.stamp)
        )
        return person_id

    def add_points(self, person: _Person, data: RowData, keys: _Keys) -> None:
        """The row's e-mails and phones that this import's person does not have yet."""
        points = self.points
        known = person.points
        ids = self._ids(ContactPoint)
        for value, key in zip(data.emails, keys.emails, strict=True):
            if (point := ("email", key)) not in known:
                points.append((next(ids), person.id, "email", value, key, len(known)))
                known.add(point)
        for value, key in zip(data.phones, keys.phones, strict=True):
            if (point := ("phone", key)) not in known:
                points.append((next(ids), person.id, "phone", value, key, len(known)))
                known.add(point)

    def new_lead(self, data: RowData, person_id: int | None, org_id: int | None) -> int:
        lead_id = next(self._ids(Lead))
        labels = data.labels
        if labels:
            label_ids = self.label_ids(labels)
            label_key = self.label_key(labels, label_ids)
            self.pending["label"].rows.extend([(lead_id, label_id) for label_id in label_ids])
        else:
            label_key = ""
        close = data.expected_close
        self.leads.append(
            (
                lead_id,
                data.title,
                person_id,
                org_id,
                None if data.value is None else _minor(data),
                data.currency,
                close and close.isoformat(),
                self.owner(data.owner, data.row) if data.owner else self.me,
                data.source,
                data.origin,
                data.stage,
                *_LEAD_DEFAULTS,
                label_key,
                self.stamp,
                self.stamp,
            )
        )
        if data.note:
            self.pending["note"].rows.append(
                (self._id(Note), data.note, self.me, lead_id, False, self.stamp, self.stamp)
            )
        return lead_id

    def merge(self, found: _Person | _Org, data: RowData) -> None:
        """Put the row into a contact already known (its new e-mails and phones, the details its
        organisation lacks) and into their open lead (the empty fields, labels, a note), else
        into a new lead of theirs."""
        self.flush()
        rec = self.rec
        if isinstance(found, _Person):
            person_id = found.id
            assert person_id is not None
            add_contact_points(rec, person_id, data.emails, data.phones)
            org_id = found.org.id if found.org else None
            if data.organization:
                named = find_or_create_organization(
                    rec, data.organization, data.address, data.website
                )
                if org_id is None:
                    rec.set(Person, person_id, "organization", named)
                    org_id = named
        else:
            person_id = None
            org_id = find_or_create_organization(rec, data.organization, data.address, data.website)
        lead = _open_lead(person_id, org_id)
        if lead is None:
            self.new_lead(data, person_id, org_id)
            return
        for name, empty, value in (
            ("value_minor", lead.value_minor is None, _minor(data)),
            ("currency", lead.value_minor is None, data.currency),
            ("expected_close", lead.expected_close is None, data.expected_close),
            ("stage", lead.stage is None, data.stage),
        ):
            if empty and value is not None:
                rec.set(Lead, lead.id, name, value)
        if data.labels:
            rec.set_labels([lead.id], add=self.label_ids(data.labels))
        if data.note:
            note = Note.create(
                body=data.note, author=self.me, lead=lead.id, created_at=self.at, updated_at=self.at
            )
            rec.created(Note, note.id)


def _minor(data: RowData) -> int | None:
    """``normalize.to_minor`` for a value already checked (a finite Decimal below
    ``MAX_VALUE``), without its trip through text."""
    if data.value is None:
        return None
    scaled = data.value.scaleb(minor_exponent(data.currency))
    return int(scaled.quantize(_ONE, ROUND_HALF_EVEN))


def rejected_path_for(path: Path) -> Path:
    """Where the rejected rows of an import of ``path`` go: beside it, ``NAME.rejected.EXT``."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        suffix = ".xlsx"  # the rows, not the macros
    elif suffix not in (".csv", ".tsv", ".tab", ".txt"):
        suffix = ".csv"
    return path.with_name(f"{path.stem}.rejected{suffix}")


class _Run:
    """One import under way: each row matched, then skipped, merged or added."""

    def __init__(self, rec: Recorder, duplicates: str, rows: int, bulk: _BulkLoad) -> None:
        self.writer = _Writer(rec)
        self.index = _Index(rows)
        self.bulk = bulk
        if bulk.active:
            self.index.preload()
        self.duplicates = duplicates
        self.added = self.merged = 0
        self.skipped: list[RowNote] = []
        self.rejected: list[tuple[_Row, str]] = []
        self.warnings: list[RowNote] = []
        self._filled_orgs: set[int] = set()

    def row(self, item: _Row) -> None:
        data, keys = item.data, item.keys
        if data is None or keys is None:
            self.rejected.append((item, item.problem or ""))
            return
        if data.warnings:
            self.warnings.extend(RowNote(f"row {item.number}", w) for w in data.warnings)
        found = self.index.match(data, keys)
        if found is None:
            self.add(data, keys, None)
        elif found[0].row is not None:  # an earlier row's person
            self.add(data, keys, found[0] if isinstance(found[0], _Person) else None)
        elif self.duplicates == "skip":
            self.skipped.append(RowNote(f"row {item.number}", _described(*found)))
        elif self.duplicates == "merge":
            self.writer.flush()
            self.bulk.finish()  # the services a merge goes through read by the indexes
            self.writer.merge(found[0], data)
            if isinstance(found[0], _Person):
                self.index.add_person(found[0], keys)  # later rows find its new e-mails too
            self.merged += 1
        else:
            self.add(data, keys, None)

    def add(self, data: RowData, keys: _Keys, person: _Person | None) -> None:
        """A new lead, for ``person`` (of an earlier row) or a new one; the organisation is
        the one of that name, if any."""
        writer = self.writer
        org = self.index.orgs.get(keys.organization) if keys.organization else None
        if org is None:
            org_id = writer.new_org(data, keys) if data.organization else None
        else:
            org_id = org.id
            fill = data.address or data.website
            if org.row is None and fill and org.id not in self._filled_orgs:
                self._filled_orgs.add(org.id)  # as adding a lead by hand does: fill what is empty
                find_or_create_organization(
                    writer.rec, data.organization, data.address, data.website, chosen=org.id
                )
        if person is None and (data.person or keys.emails or keys.phones):
            person = _remember(
                self.index, data, keys, writer.new_person(data, keys, org_id), org_id
            )
        elif person is None:
            _remember(self.index, data, keys, None, org_id)
        if person is not None:
            writer.add_points(person, data, keys)
        writer.new_lead(data, person.id if person else None, org_id)
        self.added += 1


def _described(found: _Person | _Org, reason: str) -> str:
    """Why a row was skipped, for the report."""
    return f"{reason} as {found.name or 'a contact'}, already in the inbox"


class _BulkLoad:
    """A big import into a smaller inbox writes its rows into bare tables: the indexes of the
    tables it fills (but those it reads a lead by: its person, its organisation) and the search
    triggers that mark each new lead, are dropped and made again at the end. Building an index
    from sorted keys once beats inserting 100,000 keys one by one into a dozen b-trees; the new
    leads are marked for the search index in one statement. The contacts the rows may match are
    read up front (``_Index.preload``), since their indexes are gone meanwhile.

    It all happens inside the import's transaction: if the import fails, the rollback brings the
    indexes and triggers back as they were. A merge into a known contact goes through the usual
    services, which read by those indexes: the first one ends the bulk load (``finish``).
    """

    TABLES = (Lead, Person, ContactPoint, LeadLabel)
    KEPT = ("person_id", "organization_id")  # a lead is read by these during the import

    def __init__(self, rows: int) -> None:
        self.db = Lead._meta.database
        self.active = (
            rows >= BULK_ROWS
            and rows > Lead.select(fn.COUNT(Lead.id)).scalar()
            and rows > Person.select(fn.COUNT(Person.id)).scalar()
        )
        self._dropped: list[tuple[str, str, str]] = []  # (INDEX or TRIGGER, name, SQL)
        self._first_lead = 0

    def _schema(self, kind: str, tables: Sequence[type[Model]]) -> list[tuple[str, str, str]]:
        """(table, name, SQL) of the indexes or triggers of these tables (not the automatic
        indexes of unique keys, which have no SQL and stay)."""
        names = [t._meta.table_name for t in tables]
        marks = ", ".join("?" * len(names))
        return self.db.execute_sql(
            f"SELECT tbl_name, name, sql FROM sqlite_master WHERE type = ? "
            f"AND tbl_name IN ({marks}) AND sql IS NOT NULL ORDER BY name",
            (kind, *names),
        ).fetchall()

    def start(self) -> None:
        if not self.active:
            return
        self._first_lead = (Lead.select(fn.MAX(Lead.id)).scalar() or 0) + 1
        lead = Lead._meta.table_name
        indexes = [
            ("INDEX", name, sql)
            for table, name, sql in self._schema("index", self.TABLES)
            if not (
                table == lead
                and (
                    any(sql.replace(" ", "").endswith(f'("{k}")') for k in self.KEPT)
                    or not self._may_hold_new_leads(sql)
                )
            )
        ]
        triggers = [  # those that mark a new lead, or a lead with a new e-mail, for search
            ("TRIGGER", name, sql)
            for _, name, sql in self._schema("trigger", (Lead, ContactPoint))
            if "AFTER INSERT" in sql.upper() and LeadSearchPending._meta.table_name in sql
        ]
        self._dropped = indexes + triggers
        for kind, name, _ in self._dropped:
            self.db.execute_sql(f'DROP {kind} "{name}"')

    def _may_hold_new_leads(self, sql: str) -> bool:
        """Whether a lead index may hold the leads an import writes: not a partial index whose
        condition only the columns it leaves empty could meet (archived, deleted leads...).
        Those stay: a row they leave out costs a test, rebuilding them a scan of the table."""
        where = _WHERE.split(sql, maxsplit=1)[1:]
        if not where:
            return True
        written = {f.column_name for f in LEAD_FIELDS}
        empty = [f.column_name for f in Lead._meta.sorted_fields if f.column_name not in written]
        lead = ", ".join(f'NULL AS "{column}"' for column in empty)
        try:  # a condition on a column the import writes is not known here: "no such column"
            return bool(
                self.db.execute_sql(
                    f"SELECT EXISTS (SELECT 1 FROM (SELECT {lead}) WHERE {where[0]})"
                ).fetchone()[0]
            )
        except OperationalError:
            return True

    def finish(self) -> None:
        """The indexes and triggers back, and every lead written since ``start`` marked for
        the search index (as the triggers would have)."""
        if not self.active:
            return
        self.active = False
        for _, _, sql in self._dropped:
            self.db.execute_sql(sql)
        LeadSearchPending.insert_from(
            Lead.select(Lead.id).where(Lead.id >= self._first_lead), [LeadSearchPending.lead_id]
        ).on_conflict_ignore().execute()


@contextmanager
def _bulk_load(rows: int) -> Iterator[_BulkLoad]:
    """A bigger page cache for the import and, for a big one, a ``_BulkLoad``."""
    db = Lead._meta.database
    cache = db.execute_sql("PRAGMA cache_size").fetchone()[0]
    db.execute_sql(f"PRAGMA cache_size = {-BULK_CACHE_KIB}")
    bulk = _BulkLoad(rows)
    try:
        bulk.start()
        yield bulk
        bulk.finish()
    finally:
        db.execute_sql(f"PRAGMA cache_size = {int(cache)}")


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector paused for the run: an import keeps hundreds of thousands of
    objects alive until it ends (the contacts it has met, a chunk's rows and records), which the
    collector would walk again and again for nothing: they form no cycles and are freed as the
    import returns. About a tenth of a 100,000-row import."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def forget_if_empty(rec: Recorder) -> None:
    """An import that changed nothing leaves no action behind to undo."""
    if not Change.select().where(Change.action == rec.action.id).exists():
        rec.action.delete_instance()


def run_import(
    table: Table,
    mapping: Mapping,
    duplicates: str = "skip",
    *,
    rejected_path: Path | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ImportReport:
    """Import every row as one action: all of it, or (on an error or a stop) nothing.

    ``duplicates`` says what to do with a row matching a known contact: "skip", "merge" or
    "import" (see ``DUPLICATE_CHOICES``). Rejected rows are written, with the reason in an
    extra column, to ``rejected_path`` (default: beside the input) before the action commits.
    """
    if duplicates not in DUPLICATE_CHOICES:
        raise ValueError(f"duplicates must be one of {', '.join(DUPLICATE_CHOICES)}")
    started = time.perf_counter()
    info = table.info
    builder = RowBuilder(info.headers, mapping, info.path.name)
    written = None
    done = 0
    with (
        _collector_paused(),
        recorded("import", f"Imported {info.path.name}") as rec,
        _bulk_load(info.rows) as bulk,
    ):
        run = _Run(rec, duplicates, info.rows, bulk)
        for chunk in _chunks(table, builder, run.index):
            for item in chunk:
                run.row(item)
            run.writer.flush()
            done += len(chunk)
            _tick(done, info.rows, progress, cancelled)
        if run.rejected:
            written = rejected_path or rejected_path_for(info.path)
            rows = ([*item.cells[: len(info.headers)], why] for item, why in run.rejected)
            try:
                exporter.write_rows(
                    written,
                    [*info.headers, REJECTION_COLUMN],
                    rows,
                    delimiter=info.delimiter or ",",
                )
            except exporter.ExportError as error:
                raise ImportFileError(
                    f"{error}; nothing was imported (give another place for the rejected rows)"
                ) from error
        forget_if_empty(rec)
    return ImportReport(
        file=info.path.name,
        what="leads",
        added=run.added,
        merged=run.merged,
        skipped=tuple(run.skipped),
        rejected=tuple(RowNote(f"row {item.number}", why) for item, why in run.rejected),
        warnings=tuple(run.warnings + run.writer.warnings),
        rejected_file=written,
        seconds=time.perf_counter() - started,
    )
