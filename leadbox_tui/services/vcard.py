"""vCards (.vcf) in and out: people with their e-mails, phones and organisation.

Reads versions 2.1, 3.0 and 4.0, several cards to a file: folded lines, 2.1's bare TYPE words,
QUOTED-PRINTABLE values and CHARSET parameters, the backslash escapes of 3.0 and 4.0, grouped
properties ("item1.EMAIL") and ``tel:`` URIs. Embedded photos are skipped. Writes 3.0, which
every address book reads, or 4.0.
"""

from __future__ import annotations

import quopri
import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from leadbox_tui.services.contacts import (
    find_or_create_organization,
    find_or_create_person,
    find_organization,
    find_person,
)
from leadbox_tui.services.detail import OrganizationInfo, PersonInfo
from leadbox_tui.services.exporter import BATCH, ExportError, lead_id_batches
from leadbox_tui.services.history import recorded
from leadbox_tui.services.importer import ImportReport, RowNote, forget_if_empty
from leadbox_tui.services.inbox import InboxQuery
from leadbox_tui.services.leads import MAX_TEXT, LeadError, clean_text
from leadbox_tui.services.normalize import phone_key
from leadbox_tui.services.records import lead_records, organizations_by_id, people_by_id
from leadbox_tui.services.spreadsheet import ImportFileError
from leadbox_tui.store.models import Note, Person

VERSIONS = ("3.0", "4.0")
FOLD_AT = 75  # octets per line, as RFC 6350 asks
_ESCAPED = re.compile(r"\\(.)", re.DOTALL)
_SPLIT = re.compile(r"(?<!\\);")


@dataclass(frozen=True)
class Card:
    """One vCard, as it will be imported."""

    line: int  # where it begins in the file
    name: str
    emails: tuple[str, ...]
    phones: tuple[str, ...]
    organization: str
    address: str | None
    website: str | None
    note: str | None


@dataclass(frozen=True)
class _Property:
    name: str
    params: dict[str, list[str]]
    value: bytes


def _unescape(text: str) -> str:
    return _ESCAPED.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), text)


def _parts(text: str) -> list[str]:
    """The components of a structured value (N, ADR, ORG), split on unescaped semicolons."""
    return [_unescape(part).strip() for part in _SPLIT.split(text)]


def _logical_lines(data: bytes) -> Iterator[tuple[int, bytes]]:
    """(line number, unfolded line): a line starting with a space or a tab continues the one
    before, and so does a quoted-printable line after one ending in "=" (vCard 2.1)."""
    current: bytes | None = None
    start = 0
    for number, line in enumerate(data.splitlines(), 1):
        if current is not None and current.endswith(b"=") and _quoted_printable(current):
            current = current[:-1] + line  # a soft line break: the value goes on as it is
            continue
        if current is not None and line[:1] in (b" ", b"\t"):
            current += line[1:]
            continue
        if current is not None:
            yield start, current
        current, start = line, number
    if current is not None:
        yield start, current


def _quoted_printable(line: bytes) -> bool:
    return b"QUOTED-PRINTABLE" in line.split(b":", 1)[0].upper()


def _property(line: bytes) -> _Property | None:
    head, colon, value = line.partition(b":")
    if not colon:
        return None
    name, *raw_params = head.decode("ascii", "replace").split(";")
    params: dict[str, list[str]] = {}
    for raw in raw_params:
        key, equals, values = raw.partition("=")
        if not equals:  # vCard 2.1: "TEL;WORK;VOICE" or "QUOTED-PRINTABLE"
            key, values = (
                ("ENCODING", raw)
                if raw.upper() in ("QUOTED-PRINTABLE", "BASE64", "B")
                else ("TYPE", raw)
            )
        params.setdefault(key.strip().upper(), []).extend(
            v.strip().strip('"').lower() for v in values.split(",")
        )
    return _Property(name.rsplit(".", 1)[-1].strip().upper(), params, value)


def _text(prop: _Property) -> str:
    encoding = (prop.params.get("ENCODING") or [""])[0]
    if encoding in ("b", "base64"):
        return ""
    raw = quopri.decodestring(prop.value) if encoding == "quoted-printable" else prop.value
    charset = (prop.params.get("CHARSET") or ["utf-8"])[0]
    try:
        return raw.decode(charset)
    except (LookupError, UnicodeDecodeError):
        return raw.decode("cp1252", "replace")


def _card(line: int, props: list[_Property]) -> Card:
    values: dict[str, list[tuple[_Property, str]]] = {}
    for prop in props:
        values.setdefault(prop.name, []).append((prop, _text(prop)))

    def first(name: str) -> str:
        return next((text for _, text in values.get(name, []) if text.strip()), "")

    name = _unescape(first("FN")).strip()
    if not name and first("N"):
        family, given, middle, prefix, suffix = (_parts(first("N")) + [""] * 5)[:5]
        name = " ".join(p for p in (prefix, given, middle, family, suffix) if p)
    kind = first("KIND").lower() or first("X-ABSHOWAS").lower()
    organization = (_parts(first("ORG")) or [""])[0]
    if kind in ("org", "organization", "company") and organization:
        name = ""  # a card for the organisation itself, not a person in it
    emails = tuple(
        dict.fromkeys(_unescape(t).strip() for _, t in values.get("EMAIL", []) if "@" in t)
    )
    phones = tuple(
        dict.fromkeys(
            _unescape(t).strip().removeprefix("tel:")
            for _, t in values.get("TEL", [])
            if any(ch.isdigit() for ch in t)
        )
    )
    addresses = values.get("ADR", [])
    work = [t for p, t in addresses if "work" in p.params.get("TYPE", [])]
    address_parts = _parts((work or [t for _, t in addresses] or [""])[0])
    address = ", ".join(p.replace("\n", ", ") for p in address_parts if p)
    return Card(
        line=line,
        name=name,
        emails=emails,
        phones=phones,
        organization=organization,
        address=address or None,
        website=_unescape(first("URL")).strip() or None,
        note=_unescape(first("NOTE")).strip() or None,
    )


def parse_vcards(data: bytes) -> list[Card]:
    """Every card in a .vcf file's bytes."""
    cards: list[Card] = []
    props: list[_Property] | None = None
    start = 0
    for number, line in _logical_lines(data.removeprefix(b"\xef\xbb\xbf")):
        prop = _property(line.strip())
        if prop is None:
            continue
        if prop.name == "BEGIN" and prop.value.strip().upper() == b"VCARD":
            props, start = [], number
        elif prop.name == "END" and props is not None:
            cards.append(_card(start, props))
            props = None
        elif props is not None:
            props.append(prop)
    return cards


def import_vcards(files: Sequence[tuple[str, bytes]]) -> ImportReport:
    """Import the cards of (name, bytes) files as people and organisations, in one action.

    A card whose e-mail, phone or name (at the same organisation) is known merges into that
    person; the others are added. Cards with no name, organisation, e-mail or phone are rejected.
    """
    started = time.perf_counter()
    parsed = []
    for name, data in files:
        cards = parse_vcards(data)
        if not cards:
            raise ImportFileError(f"{name} holds no vCard (no BEGIN:VCARD ... END:VCARD)")
        parsed.append((name, cards))
    added = merged = 0
    rejected: list[RowNote] = []
    label = ", ".join(name for name, _ in files)
    with recorded("import", f"Imported {label}") as rec:
        for name, cards in parsed:
            for card in cards:
                where = (
                    f"{name}, card at line {card.line}"
                    if len(files) > 1
                    else f"card at line {card.line}"
                )
                try:
                    person_name = clean_text(card.name, "The name", 500)
                    org_name = clean_text(card.organization, "The organisation", 500)
                    note = clean_text(card.note, "The note", MAX_TEXT) if card.note else None
                except LeadError as error:
                    rejected.append(RowNote(where, str(error)))
                    continue
                if not (person_name or org_name or card.emails or card.phones):
                    rejected.append(RowNote(where, "no name, organisation, e-mail or phone"))
                    continue
                org_known = bool(org_name) and find_organization(org_name) is not None
                org_id = (
                    find_or_create_organization(rec, org_name, card.address, card.website)
                    if org_name
                    else None
                )
                if not (person_name or card.emails or card.phones):
                    merged += org_known
                    added += not org_known
                    continue
                known = find_person(person_name, card.emails, card.phones, org_id)
                person_id = find_or_create_person(
                    rec, person_name, card.emails, card.phones, org_id
                )
                if known is not None:
                    merged += 1
                    continue
                added += 1
                if note:
                    row = Note.create(
                        body=note,
                        author=rec.by,
                        person=person_id,
                        created_at=rec.action.at,
                        updated_at=rec.action.at,
                    )
                    rec.created(Note, row.id)
        forget_if_empty(rec)
    return ImportReport(
        file=label,
        what="contacts",
        added=added,
        merged=merged,
        rejected=tuple(rejected),
        seconds=time.perf_counter() - started,
    )


# --- writing --------------------------------------------------------------------------------------


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(",", "\\,")
        .replace(";", "\\;")
        .replace("\r\n", "\n")
        .replace("\n", "\\n")
    )


def _folded(line: str) -> str:
    """A content line cut into 75-octet pieces, never inside a UTF-8 character."""
    out, piece, size, limit = [], "", 0, FOLD_AT
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > limit:
            out.append(piece)
            piece, size, limit = "", 0, FOLD_AT - 1  # continuation lines start with a space
        piece += ch
        size += width
    out.append(piece)
    return "\r\n ".join(out)


def vcard_text(
    person: PersonInfo, organization: OrganizationInfo | None, version: str = "3.0"
) -> str:
    """One person as a vCard of ``version`` (3.0 or 4.0)."""
    if version not in VERSIONS:
        raise ValueError(f"vCard version must be one of {', '.join(VERSIONS)}")
    words = person.name.split()
    family, given = (words[-1], " ".join(words[:-1])) if len(words) > 1 else (person.name, "")
    lines = ["BEGIN:VCARD", f"VERSION:{version}", f"FN:{_escape(person.name)}"]
    lines.append(f"N:{_escape(family)};{_escape(given)};;;")
    if organization is not None:
        lines.append(f"ORG:{_escape(organization.name)}")
        if organization.address:
            lines.append(f"ADR;TYPE=work:;;{_escape(organization.address)};;;;")
        if organization.website:
            lines.append(f"URL:{organization.website}")
    for email in person.emails:
        lines.append(f"EMAIL;TYPE={'INTERNET' if version == '3.0' else 'work'}:{_escape(email)}")
    for phone in person.phones:
        if version == "4.0":
            lines.append(f"TEL;VALUE=uri;TYPE=voice:tel:+{phone_key(phone)}")
        else:
            lines.append(f"TEL;TYPE=VOICE:{_escape(phone)}")
    lines.append("END:VCARD")
    return "".join(_folded(line) + "\r\n" for line in lines)


def export_people(person_ids: Sequence[int], path: Path | str, version: str = "3.0") -> int:
    """Write these people (in this order) as vCards to ``path``; returns how many.

    Streamed a batch at a time, and moved into place only when complete."""
    path = Path(path)
    temporary = path.with_name(f".{path.name}.part")
    count = 0
    try:
        with temporary.open("w", encoding="utf-8", newline="") as out:
            for start in range(0, len(person_ids), BATCH):
                batch = list(person_ids[start : start + BATCH])
                people = people_by_id(batch)
                org_of = dict(
                    Person.select(Person.id, Person.organization)
                    .where(Person.id.in_(batch))
                    .tuples()
                )
                orgs = organizations_by_id([o for o in org_of.values() if o is not None])
                for pid in batch:
                    if pid in people:
                        out.write(vcard_text(people[pid], orgs.get(org_of.get(pid)), version))
                        count += 1
        temporary.replace(path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise ExportError(f"cannot write {path}: {error.strerror or error}") from error
    return count


def export_lead_people(
    path: Path | str, query: InboxQuery | None = None, version: str = "3.0"
) -> int:
    """The people of the query's leads (each once, in the query's order) as vCards."""
    ids = (
        r.person.id
        for batch in lead_id_batches(query or InboxQuery())
        for r in lead_records(batch)
        if r.person
    )
    return export_people(list(dict.fromkeys(ids)), path, version)
