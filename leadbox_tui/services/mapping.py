"""Which column of a spreadsheet goes to which field, and what its cells mean.

A mapping is guessed from the headers sellers and CRMs write, in English and French ("First
Name"/"Prénom", "Société", "E-mail 2", "Lead Owner", "Date de clôture prévue", Pipedrive's
"Person - Email", Google's "Phone 1 - Value", Outlook's "Business Phone"...). The seller can
change any column, save the mapping under a name or in a JSON file, and use it again.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

import phonenumbers

from leadbox_tui.services import preferences
from leadbox_tui.services.leads import SOURCES
from leadbox_tui.services.normalize import default_phone_region, fold

REJECTION_COLUMN = "Import problem"
"""The column the rejected-rows file adds; never imported, so the fixed file imports as is."""
SAVED_KEY = "import.mappings"
FORMAT_VERSION = 1


class MappingError(ValueError):
    """A mapping file or name that cannot be used; the message is for the seller."""


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    group: str  # "Person", "Organisation" or "Lead"
    repeatable: bool = False  # several columns may feed it


FIELDS: dict[str, Field] = {
    f.key: f
    for f in (
        Field("person", "Person name", "Person"),
        Field("first_name", "First name", "Person"),
        Field("last_name", "Last name", "Person"),
        Field("email", "E-mail", "Person", True),
        Field("phone", "Phone", "Person", True),
        Field("organization", "Organisation", "Organisation"),
        Field("address", "Address", "Organisation", True),
        Field("website", "Website", "Organisation"),
        Field("title", "Lead title", "Lead"),
        Field("value", "Value", "Lead"),
        Field("currency", "Currency", "Lead"),
        Field("expected_close", "Expected close date", "Lead"),
        Field("owner", "Owner", "Lead"),
        Field("source", "Source", "Lead"),
        Field("origin", "Origin", "Lead"),
        Field("stage", "Stage", "Lead"),
        Field("labels", "Labels", "Lead", True),
        Field("note", "Note", "Lead", True),
    )
}

_SYNONYMS: dict[str, tuple[str, ...]] = {
    "person": (
        "name",
        "full name",
        "contact",
        "contact name",
        "contact person",
        "person",
        "person name",
        "display name",
        "nom complet",
        "nom du contact",
        "nom et prenom",
        "prenom et nom",
        "personne",
        "interlocuteur",
        "prospect",
    ),
    "first_name": ("first name", "firstname", "first", "given name", "forename", "prenom"),
    "last_name": (
        "last name",
        "lastname",
        "last",
        "surname",
        "family name",
        "nom",
        "nom de famille",
    ),
    "email": (
        "email",
        "emails",
        "mail",
        "email address",
        "email addresses",
        "courriel",
        "adresse email",
        "adresse mail",
        "adresse electronique",
        "email professionnel",
        "email pro",
    ),
    "phone": (
        "phone",
        "phones",
        "phone number",
        "telephone",
        "telephones",
        "tel",
        "mobile",
        "mobile phone",
        "portable",
        "cell",
        "cell phone",
        "cellphone",
        "numero de telephone",
        "telephone mobile",
        "telephone fixe",
        "fixe",
        "gsm",
        "direct line",
        "ligne directe",
    ),
    "organization": (
        "organization",
        "organisation",
        "organization name",
        "organisation name",
        "company",
        "company name",
        "account",
        "account name",
        "employer",
        "societe",
        "entreprise",
        "nom de l entreprise",
        "nom de la societe",
        "raison sociale",
        "compagnie",
        "client",
    ),
    "address": (
        "address",
        "address line",
        "addresse",
        "adresse",
        "adresse postale",
        "street",
        "street address",
        "rue",
        "city",
        "town",
        "ville",
        "zip",
        "zip code",
        "postal code",
        "postcode",
        "code postal",
        "cp",
        "state",
        "region",
        "country",
        "country region",
        "pays",
    ),
    "website": (
        "website",
        "web site",
        "site web",
        "site",
        "site internet",
        "url",
        "web",
        "web page",
        "homepage",
    ),
    "title": (
        "title",
        "lead title",
        "lead name",
        "titre",
        "titre du prospect",
        "nom du prospect",
        "intitule",
        "subject",
        "sujet",
        "objet",
        "deal title",
        "deal name",
        "opportunity",
        "opportunity name",
        "affaire",
    ),
    "value": (
        "value",
        "lead value",
        "deal value",
        "valeur",
        "valeur du prospect",
        "valeur estimee",
        "estimated value",
        "potential value",
        "amount",
        "montant",
        "budget",
    ),
    "currency": (
        "currency",
        "currency code",
        "value currency",
        "lead value currency",
        "devise",
        "monnaie",
    ),
    "expected_close": (
        "expected close date",
        "expected close",
        "expected closing date",
        "estimated close date",
        "close date",
        "close",
        "closing date",
        "date de cloture prevue",
        "date de cloture",
        "date de cloture estimee",
        "cloture prevue",
    ),
    "owner": (
        "owner",
        "lead owner",
        "contact owner",
        "account owner",
        "owner name",
        "assigned to",
        "assignee",
        "sales rep",
        "salesperson",
        "proprietaire",
        "proprietaire du prospect",
        "responsable",
        "affecte a",
        "commercial",
    ),
    "source": ("source", "lead source", "source du prospect"),
    "origin": ("origin", "origine"),
    "stage": (
        "stage",
        "lead stage",
        "status",
        "lead status",
        "lifecycle stage",
        "etape",
        "statut",
        "phase",
    ),
    "labels": (
        "labels",
        "label",
        "lead labels",
        "tags",
        "tag",
        "etiquettes",
        "etiquette",
        "categories",
        "category",
        "categorie",
    ),
    "note": (
        "note",
        "notes",
        "comment",
        "comments",
        "commentaire",
        "commentaires",
        "description",
        "remarks",
        "remarques",
        "message",
        "details",
        "observations",
    ),
}
GUESSES = {name: key for key, names in _SYNONYMS.items() for name in names}
QUALIFIERS = frozenset(
    (
        "person contact lead leads prospect organization organisation org deal primary main other "
        "business work home personal private value du de la le les des d l of the s"
    ).split()
)


@dataclass(frozen=True)
class Mapping:
    """The field each column goes to (``None``: not imported), by column position."""

    fields: tuple[str | None, ...]
    unmapped_to_note: bool = False  # the columns not imported go into the lead's note
    day_first: bool = True  # 03/04/2026 is 3 April (as in Europe), not March 4

    def __post_init__(self) -> None:
        unknown = [f for f in self.fields if f is not None and f not in FIELDS]
        if unknown:
            raise MappingError(f"unknown field {unknown[0]!r}; one of: {', '.join(FIELDS)}")

    def with_field(self, column: int, field: str | None) -> Mapping:
        """This mapping with one column sent to another field; a single field moves, not copies."""
        if field is not None and field not in FIELDS:
            raise MappingError(f"unknown field {field!r}; one of: {', '.join(FIELDS)}")
        fields = list(self.fields)
        if field is not None and not FIELDS[field].repeatable:
            fields = [None if f == field else f for f in fields]
        fields[column] = field
        return replace(self, fields=tuple(fields))

    def columns(self, field: str) -> list[int]:
        return [i for i, f in enumerate(self.fields) if f == field]


def header_key(header: str) -> str:
    """A header in the form the guesses are written: folded, "e mail" as "email", no numbers."""
    words = fold(header).replace("e mail", "email").split()
    return " ".join(w for w in words if not w.isdigit())


def guess_field(header: str) -> str | None:
    """The field a header names, if any: as written, else without words like "Person" or "Work"."""
    if fold(header) == fold(REJECTION_COLUMN):
        return None
    key = header_key(header)
    if key in GUESSES:
        return GUESSES[key]
    bare = " ".join(w for w in key.split() if w not in QUALIFIERS)
    return GUESSES.get(bare)


def guess_mapping(headers: Sequence[str]) -> Mapping:
    """The mapping the headers suggest. A single field goes to its first column only; a lone
    "Nom" or "First name" column is the person's whole name."""
    fields: list[str | None] = []
    for header in headers:
        field = guess_field(header)
        if field is not None and not FIELDS[field].repeatable and field in fields:
            field = None
        fields.append(field)
    names = {"person", "first_name", "last_name"} & set(fields)
    if len(names) == 1 and names != {"person"}:
        fields = ["person" if f in names else f for f in fields]
    return Mapping(tuple(fields))


# --- saving and reusing --------------------------------------------------------------------------


def mapping_to_json(mapping: Mapping, headers: Sequence[str]) -> str:
    """A mapping as JSON, by header name, so that it applies to the next file with those headers."""
    return json.dumps(_as_dict(mapping, headers), ensure_ascii=False, indent=2)


def _as_dict(mapping: Mapping, headers: Sequence[str]) -> dict[str, object]:
    return {
        "leadbox_mapping": FORMAT_VERSION,
        "columns": dict(zip(headers, mapping.fields, strict=True)),
        "unmapped_to_note": mapping.unmapped_to_note,
        "day_first": mapping.day_first,
    }


def mapping_from_json(text: str, headers: Sequence[str]) -> Mapping:
    """A saved mapping applied to these headers; columns it does not name are guessed."""
    try:
        data = json.loads(text)
    except ValueError as error:
        raise MappingError(f"the mapping is not valid JSON ({error})") from error
    return _from_dict(data, headers)


def _from_dict(data: object, headers: Sequence[str]) -> Mapping:
    if not isinstance(data, dict) or not isinstance(data.get("columns"), dict):
        raise MappingError('the mapping has no "columns" object naming a field for each header')
    named = {fold(str(h)): f for h, f in data["columns"].items()}
    for field in named.values():
        if field is not None and field not in FIELDS:
            raise MappingError(
                f"unknown field {field!r} in the mapping; one of: {', '.join(FIELDS)}"
            )
    taken = {f for f in named.values() if f is not None and not FIELDS[f].repeatable}
    fields = tuple(
        named.get(fold(h), None if guess in taken else guess)
        for h, guess in zip(headers, guess_mapping(headers).fields, strict=True)
    )
    return Mapping(
        fields,
        unmapped_to_note=bool(data.get("unmapped_to_note", False)),
        day_first=bool(data.get("day_first", True)),
    )


def saved_mapping_names() -> list[str]:
    return sorted(preferences.get(SAVED_KEY, {}), key=str.casefold)


def save_mapping(name: str, mapping: Mapping, headers: Sequence[str]) -> None:
    """Keep a mapping in the inbox under a name, to pick it again for the next file."""
    name = name.strip()
    if not name:
        raise MappingError("a saved mapping needs a name")
    saved = preferences.get(SAVED_KEY, {})
    saved[name] = _as_dict(mapping, headers)
    preferences.put(SAVED_KEY, saved)


def load_mapping(name: str, headers: Sequence[str]) -> Mapping:
    saved = preferences.get(SAVED_KEY, {})
    if name not in saved:
        raise MappingError(f"no saved mapping named {name!r}")
    return _from_dict(saved[name], headers)


def forget_mapping(name: str) -> None:
    saved = preferences.get(SAVED_KEY, {})
    if saved.pop(name, None) is not None:
        preferences.put(SAVED_KEY, saved)


# --- what cells mean ---------------------------------------------------------------------------

CURRENCY_SIGNS = {
    "€": "EUR",
    "$": "USD",
    "£": "GBP",
    "¥": "JPY",
    "₹": "INR",
    "₽": "RUB",
    "₺": "TRY",
    "₩": "KRW",
}
CURRENCY_WORDS = {
    "euro": "EUR",
    "euros": "EUR",
    "dollar": "USD",
    "dollars": "USD",
    "pound": "GBP",
    "pounds": "GBP",
    "livre": "GBP",
    "livres": "GBP",
}
SOURCE_NAMES = {fold(s): s for s in SOURCES} | {
    fold(french): source
    for french, source in (
        ("Créé manuellement", "Manually created"),
        ("Manuel", "Manually created"),
        ("Affaire", "Deal"),
        ("Affaires", "Deal"),
        ("Formulaire web", "Web forms"),
        ("Formulaires web", "Web forms"),
        ("Web form", "Web forms"),
        ("Prospecteur", "Prospector"),
        ("Chat en direct", "Live chat"),
        ("Importation", "Import"),
        ("Imported", "Import"),
        ("Visiteurs web", "Web visitors"),
        ("Automatisation du flux de travail", "Workflow automation"),
        ("Email", "E-mail"),
        ("Courriel", "E-mail"),
    )
}
_AMOUNT = re.compile(r"[+-]?(?:\d[\d\s.,'’]*)?\d")
_PLAIN_AMOUNT = re.compile(r"^[+-]?[0-9]+(?:[.,][0-9]{1,2})?$")  # a mark before 3 digits may group
_ISO_CURRENCY = re.compile(r"\b([A-Za-z]{3})\b")
_DATE = re.compile(r"^(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{1,4})(?:[ T].*)?$")
_LIST_SPLIT = re.compile(r"[;,\n]+")
_EMAIL_SPLIT = re.compile(r"[;,\s]+")
_PHONE_SPLIT = re.compile(r"[;,/\n]+")
EXCEL_EPOCH = dt.date(1899, 12, 30)  # day numbers between 10,000 and 100,000 are 1927 to 2173


def text_of(cell: object) -> str:
    """A cell as text: whole numbers without ".0", dates in ISO form."""
    if isinstance(cell, str):
        return cell.strip()
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, dt.datetime):
        return cell.isoformat(" ", "minutes") if cell.second == 0 else cell.isoformat(" ")
    if isinstance(cell, dt.date | dt.time):
        return cell.isoformat()
    return str(cell)


def phone_text(cell: object) -> str:
    """A phone as text; one stored as a number (612345678, 33612345678) comes back written out
    as a phone ("06 12 34 56 78", "+33 6 12 34 56 78"), never as "6.12e8"."""
    if not isinstance(cell, int | float) or isinstance(cell, bool):
        return text_of(cell)
    digits = str(int(cell))
    region = default_phone_region()
    for text, style in (
        (digits, phonenumbers.PhoneNumberFormat.NATIONAL),
        ("+" + digits, phonenumbers.PhoneNumberFormat.INTERNATIONAL),
    ):
        try:
            number = phonenumbers.parse(text, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(number, style)
    return digits


def split_list(text: str) -> list[str]:
    """Labels and the like: "Hot, VIP; Q3" is three."""
    return [part.strip() for part in _LIST_SPLIT.split(text) if part.strip()]


def split_emails(text: str) -> list[str]:
    """The addresses of a cell; a lone one (most cells) without the regex."""
    if text.isprintable() and " " not in text and "," not in text and ";" not in text:
        return [text.removeprefix("mailto:")] if text else []
    return [part.removeprefix("mailto:") for part in _EMAIL_SPLIT.split(text) if part]


def split_phones(text: str) -> list[str]:
    """The phones of a cell; a lone one (most cells) without the regex."""
    if "/" not in text and "," not in text and ";" not in text and "\n" not in text:
        return [text.strip()] if text.strip() else []
    return [part.strip() for part in _PHONE_SPLIT.split(text) if part.strip()]


def parse_currency(text: str) -> str | None:
    """An ISO code from "EUR", "eur", "€" or "euros"; ``None`` when it names no currency."""
    text = text.strip()
    if len(text) == 3 and text.isalpha() and text.isascii():
        return text.upper()
    return CURRENCY_SIGNS.get(text.lower()) or CURRENCY_WORDS.get(fold(text))


def parse_amount(cell: object) -> tuple[Decimal, str | None]:
    """An amount and the currency written with it: 1200, "1 234,50 €", "$1,234.50", "EUR 99".

    With both "," and "." the last one is the decimal mark; a lone mark followed by exactly
    three digits groups thousands ("1.500" and "1,500" are 1500), else it is the decimal mark.
    Raises ``ValueError`` when the cell holds no amount.
    """
    if isinstance(cell, bool):
        raise ValueError(f"{cell!r} is not an amount")
    if isinstance(cell, int):
        return Decimal(cell), None
    if isinstance(cell, float):
        return Decimal(repr(cell)), None
    text = text_of(cell)
    if _PLAIN_AMOUNT.match(text):  # "1234.5", "99,90": no grouping, no currency to look for
        return Decimal(text.replace(",", ".")), None
    found = _AMOUNT.search(text)
    if found is None:
        raise ValueError(f"{text!r} is not an amount")
    rest = (text[: found.start()] + " " + text[found.end() :]).strip()
    currency = None
    if rest:
        code = _ISO_CURRENCY.search(rest)
        currency = code.group(1) if code and code.group(1).isupper() else None
        currency = currency or next((c for s, c in CURRENCY_SIGNS.items() if s in rest), None)
        if currency is None and fold(rest) not in CURRENCY_WORDS:
            raise ValueError(f"{text!r} is not an amount")
        currency = currency or CURRENCY_WORDS[fold(rest)]
    number = re.sub(r"[\s'’]", "", found.group())
    marks = [ch for ch in number if ch in ".,"]
    if marks:
        last = max(number.rfind("."), number.rfind(","))
        grouping = len(set(marks)) == 1 and (len(marks) > 1 or len(number) - last - 1 == 3)
        if grouping and not number.lstrip("+-").startswith("0"):
            number = number.replace(marks[0], "")
        else:
            whole, decimals = number[:last], number[last + 1 :]
            number = whole.replace(".", "").replace(",", "") + "." + decimals
    try:
        return Decimal(number), currency
    except InvalidOperation as error:
        raise ValueError(f"{text!r} is not an amount") from error


def parse_date(cell: object, day_first: bool = True) -> dt.date:
    """A date from a date cell, an Excel day number, or text: 2026-03-31, 31/03/2026, 03/31/2026.

    Day and month are read in the order ``day_first`` says, unless only the other order makes a
    date. Raises ``ValueError`` when the cell holds no date.
    """
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    if isinstance(cell, int | float) and not isinstance(cell, bool) and 10_000 <= cell < 100_000:
        return EXCEL_EPOCH + dt.timedelta(days=int(cell))
    text = text_of(cell)
    found = _DATE.match(text)
    if found is None:
        raise ValueError(f"{text!r} is not a date")
    a, b, c = (int(part) for part in found.groups())
    if len(found.group(1)) == 4:
        orders = [(a, b, c)]
    else:
        year = c + 2000 if c < 100 else c
        orders = [(year, b, a), (year, a, b)] if day_first else [(year, a, b), (year, b, a)]
    for year, month, day in orders:
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    raise ValueError(f"{text!r} is not a date")


def parse_source(text: str) -> str | None:
    """One of the lead sources from its English or French name; ``None`` if it is none."""
    return SOURCE_NAMES.get(fold(text))
