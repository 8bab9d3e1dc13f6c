"""Live suggestions: existing contacts like the one being typed, and leads like a lead.

Wherever a person or organisation is typed (adding a lead, converting, importing), the contacts
it may already be are offered as the seller types, each with why. Against a million contacts a
look-up must stay under 50 ms, so candidates come from indexes only: the typed e-mails and
phones; the names beside each arrangement of the typed words in ``name_key`` order (swapped
names, nicknames, a name half typed); and the names that share a whole word with the typed one,
from the ``name_key`` index and its rotated twin (its second word first), so that a slip in any
one word, the first included, still finds them. A few dozen candidates are then scored as the
scan scores pairs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from peewee import Model
from rapidfuzz import fuzz, process

from leadbox_tui.services.dedupe_reads import no_points, points
from leadbox_tui.services.matching import (
    SAME_ORGANIZATION,
    NameForm,
    OrganizationRecord,
    Score,
    aliases_of,
    lead_record,
    organization_name_form,
    person_record,
    score_leads,
    score_organizations,
    score_people,
    website_domain,
)
from leadbox_tui.services.normalize import email_key, fold, organization_key, person_key, phone_key
from leadbox_tui.store.models import (
    NAME_KEY_ROTATED,
    ContactPoint,
    Lead,
    Organization,
    Person,
    database_proxy,
)

S = TypeVar("S")
SUGGEST_FROM = 60  # the score from which a contact is offered while typing
WITHIN = 75  # an organisation whose whole name is in the one typed, or the other way round
AFTER, BEFORE = 10, 5  # names read after and before each typed form, in name_key order
WORDS = 3  # typed words a name is looked up by, whole
SPELLINGS = 1_000  # distinct names read for each word looked up by (1 ms)
SPELLING_FROM = 75  # how alike (words in any order) a name must be to be a candidate
BEST_SPELLINGS = 8  # names kept
PER_SPELLING = 3  # records read for each: namesakes beyond three add nothing
MAX_SIMILAR = 200  # leads of a lead's look-alike contacts scored for the merge picker


@dataclass(frozen=True)
class PersonSuggestion:
    id: int
    name: str
    organization: str | None
    emails: tuple[str, ...]
    phones: tuple[str, ...]
    score: int
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class OrganizationSuggestion:
    id: int
    name: str
    website: str | None
    score: int
    reasons: tuple[str, ...]


def _ids(sql: str, params: Sequence[object]) -> set[int]:
    return {i for (i,) in database_proxy.execute_sql(sql, params)}


def _marks(values: Sequence[object]) -> str:
    return ", ".join("?" * len(values))


def _live_sql(model: type[Model], alias: str = "") -> str:
    """``live(model)`` in SQL, of the table or of its ``alias``."""
    at = f"{alias}." if alias else ""
    deleted, merged = model.deleted_at.column_name, model.merged_into.column_name
    return f"{at}{deleted} IS NULL AND {at}{merged} IS NULL"


class _Names:
    """The look-ups of one model's records by name, their SQL written once: Peewee building
    each query anew took half of a suggestion's time."""

    def __init__(self, model: type[Model]) -> None:
        table = f'"{model._meta.table_name}"'
        self.live = _live_sql(model)
        self.table = table
        self.after = (
            f"SELECT id FROM {table} WHERE name_key >= ? AND {self.live} "
            f"ORDER BY name_key LIMIT {AFTER}"
        )
        self.before = (
            f"SELECT id FROM {table} WHERE name_key < ? AND {self.live} "
            f"ORDER BY name_key DESC LIMIT {BEFORE}"
        )
        self.named = (
            f"SELECT id FROM {table} WHERE name_key = ? AND {self.live} LIMIT {PER_SPELLING}"
        )
        self.spellings = [
            (
                f"SELECT DISTINCT {column} FROM {table} WHERE {column} >= ? AND {column} < ? "
                f"AND length({column}) - length(replace({column}, ' ', '')) = ? "
                f"LIMIT {SPELLINGS}"
            )
            for column in ("name_key", NAME_KEY_ROTATED)
        ]

    def near(self, key: str) -> set[int]:
        """Live records whose ``name_key`` sorts just before or after ``key``."""
        if not key:
            return set()
        return _ids(self.after, (key,)) | _ids(self.before, (key,))

    def by_whole_word(self, key: str) -> set[int]:
        """Live records whose name has as many words as the typed one, a whole word of it, and
        after that word one starting like another typed word: "Jaen Dupont" finds "jean dupont"
        as "dupont j…" in the rotated index. Distinct names are read (a name ten people share
        is one row), the closest few kept (words in any order), and a few records of each."""
        words = list(dict.fromkeys(key.split()[:WORDS]))
        if len(words) < 2:
            return set()
        spaces = len(key.split()) - 1
        starts = {f"{word} {other[0]}" for word in words for other in words if other != word}
        as_typed: set[str] = set()
        rotated: set[str] = set()
        for sql, names in zip(self.spellings, (as_typed, rotated), strict=True):
            for start in starts:
                end = start[:-1] + chr(ord(start[-1]) + 1)
                names.update(n for (n,) in database_proxy.execute_sql(sql, (start, end, spaces)))
        best = process.extract(  # words in any order: a rotated name needs no turning back
            key, [*as_typed, *rotated], scorer=fuzz.token_sort_ratio,
            score_cutoff=SPELLING_FROM, limit=BEST_SPELLINGS,
        )  # fmt: skip
        ids: set[int] = set()
        for name, _, n in best:
            ids |= _ids(self.named, (name if n < len(as_typed) else _unrotated(name),))
        return ids


def _person_keys(name: str) -> set[str]:
    """The name_keys a typed person may be stored under: each word first (swapped names), and
    the first word as any of its nicknames ("Bob Smith" is looked up as "robert smith" too)."""
    words = person_key(name).split()[:4]
    keys = set()
    for turn in range(len(words)):
        first, *rest = words[turn:] + words[:turn]
        keys.update(" ".join((alias, *rest)) for alias in aliases_of(first))
    return keys


def _unrotated(key: str) -> str:
    """ "dupont jean" (the rotated key) is "jean dupont"."""
    head, _, first = key.rpartition(" ")
    return f"{first} {head}"


def _starts_alike(typed: NameForm, found: NameForm) -> int:
    """While the seller is still typing, "jean du" is well on its way to "jean dupont"."""
    if not typed.known or len(typed.ordered) >= len(found.ordered):
        return 0
    head = found.ordered[: len(typed.ordered)]
    return round(
        fuzz.ratio(typed.ordered, head) * (0.6 + 0.4 * len(typed.ordered) / len(found.ordered))
    )


def _one_within(typed: NameForm, found: NameForm) -> int:
    """ "Groupe Acme" and "Acme": every word of one organisation's name is in the other's."""
    if min(len(typed.sorted), len(found.sorted)) < 3:
        return 0
    return WITHIN if fuzz.token_set_ratio(typed.sorted, found.sorted) == 100 else 0


def _as_typed(score: Score, typed: NameForm, found: NameForm, organization: bool = False) -> Score:
    """The score, or better if the typed name is on its way to the one found."""
    best, why = score.value, ""
    for value, reason in (
        (_starts_alike(typed, found), "name starts alike"),
        (_one_within(typed, found) if organization else 0, "one name within the other"),
    ):
        if value > best:
            best, why = value, reason
    if not why:
        return score
    evidence = tuple(r for r in score.reasons if not r.startswith(("name", "same name")))
    return Score(best, (why, *evidence))


def _ranked(scored: Iterable[tuple[Score, str, S]], typed: str, limit: int) -> list[S]:
    """The best first; between equals, the name closest to the one typed."""
    typed = fold(typed)
    kept = [
        (-score.value, -fuzz.ratio(typed, fold(name)), name, item)
        for score, name, item in scored
        if score.value >= SUGGEST_FROM
    ]
    kept.sort(key=lambda t: t[:3])
    return [item for *_, item in kept[:limit]]


_PEOPLE, _ORGANIZATIONS = _Names(Person), _Names(Organization)
_POINTS = f'"{ContactPoint._meta.table_name}"'


def _by_points(kind: str, keys: Sequence[str]) -> set[int]:
    """People with one of these e-mail or phone keys."""
    if not keys:
        return set()
    sql = f"SELECT person_id FROM {_POINTS} WHERE kind = ? AND key IN ({_marks(keys)}) LIMIT 50"
    return _ids(sql, (kind, *keys))


def _people(ids: set[int]) -> list[tuple[int, str, str | None]]:
    """Live people's ids and names, and the names of their organisations."""
    org = f'"{Organization._meta.table_name}"'
    sql = (
        f"SELECT p.id, p.name, o.name FROM {_PEOPLE.table} AS p LEFT JOIN {org} AS o "
        f"ON o.id = p.organization_id WHERE p.id IN ({_marks(ids)}) AND {_live_sql(Person, 'p')}"
    )
    return database_proxy.execute_sql(sql, tuple(ids)).fetchall()


def _contact_points(ids: set[int]) -> tuple[dict[int, dict[str, list[str]]], ...]:
    """People's e-mails and phones in their order: as keys to compare, as typed to show."""
    sql = (
        f"SELECT person_id, kind, key, value FROM {_POINTS} "
        f"WHERE person_id IN ({_marks(ids)}) ORDER BY position"
    )
    keys: dict[int, dict[str, list[str]]] = defaultdict(no_points)
    shown: dict[int, dict[str, list[str]]] = defaultdict(no_points)
    for person_id, kind, key, value in database_proxy.execute_sql(sql, tuple(ids)):
        if kind in ("email", "phone"):
            keys[person_id][kind].append(key)
            shown[person_id][kind].append(value)
    return keys, shown


def suggest_people(
    name: str,
    emails: Sequence[str] = (),
    phones: Sequence[str] = (),
    limit: int = 5,
    organization: str = "",
) -> list[PersonSuggestion]:
    """Existing people the typed one may be, best first, each with why: for the add-lead form,
    convert and import. Under 50 ms against a million people: index look-ups only."""
    email_keys = [email_key(e) for e in emails if e.strip()]
    phone_keys = [phone_key(p) for p in phones if p.strip()]
    candidates = _by_points("email", email_keys) | _by_points("phone", phone_keys)
    if len(person_key(name)) >= 2:
        for key in _person_keys(name):
            candidates |= _PEOPLE.near(key)
        candidates |= _PEOPLE.by_whole_word(person_key(name))
    if not candidates:
        return []
    keys, shown = _contact_points(candidates)
    typed = person_record(0, name, email_keys, phone_keys, organization.strip())
    scored = []
    for pid, found_name, org_name in _people(candidates):
        mine = keys[pid]
        found = person_record(pid, found_name, mine["email"], mine["phone"], org_name or "")
        score = _as_typed(score_people(typed, found), typed.form, found.form)
        suggestion = PersonSuggestion(
            pid,
            found_name,
            org_name,
            tuple(shown[pid]["email"]),
            tuple(shown[pid]["phone"]),
            score.value,
            score.reasons,
        )
        scored.append((score, found_name, suggestion))
    return _ranked(scored, name, limit)


def suggest_organizations(
    name: str, limit: int = 5, website: str | None = None
) -> list[OrganizationSuggestion]:
    """Existing organisations the typed one may be ("ACME S.A." is "Acme"), best first."""
    key = organization_key(name)
    if len(key) < 2:
        return []
    words = key.split()
    candidates = _ORGANIZATIONS.near(key)
    if len(words) > 1:  # "Groupe Acme" finds "Acme"; "Atelier Brunet" finds "Ateleir Brunet"
        candidates |= _ORGANIZATIONS.near(" ".join(words[1:]))
        candidates |= _ORGANIZATIONS.by_whole_word(key)
    if not candidates:
        return []
    typed = OrganizationRecord(0, name, organization_name_form(name), website_domain(website))
    scored = []
    sql = (
        f"SELECT id, name, website FROM {_ORGANIZATIONS.table} "
        f"WHERE id IN ({_marks(candidates)}) AND {_ORGANIZATIONS.live}"
    )
    for oid, found_name, site in database_proxy.execute_sql(sql, tuple(candidates)):
        found = OrganizationRecord(
            oid, found_name, organization_name_form(found_name), website_domain(site)
        )
        score = _as_typed(score_organizations(typed, found), typed.form, found.form, True)
        suggestion = OrganizationSuggestion(oid, found_name, site, score.value, score.reasons)
        scored.append((score, found_name, suggestion))
    return _ranked(scored, name, limit)


@dataclass(frozen=True)
class LeadSuggestion:
    id: int
    title: str
    name: str  # of its person, else of its organisation
    score: int
    reasons: tuple[str, ...]


def _names(person_id: int | None, org_id: int | None) -> tuple[str, str]:
    person = Person.get_or_none(Person.id == person_id) if person_id else None
    org = Organization.get_or_none(Organization.id == org_id) if org_id else None
    return (person.name if person else ""), (org.name if org else "")


def similar_leads(lead_id: int, limit: int = 8) -> list[LeadSuggestion]:
    """The leads most likely to be twins of this one, best first: the first list the merge
    picker shows, before the seller types. Leads of its person or of people like them (found
    as suggestions are), and leads of its organisation without a person; scored as the scan
    scores leads."""
    lead = Lead.get_or_none(Lead.id == lead_id)
    if lead is None:
        return []
    person_name, org_name = _names(lead.person_id, lead.organization_id)
    contacts: dict[int, Score] = {}
    if lead.person_id is not None:
        mine = points(ContactPoint.value, [lead.person_id])[lead.person_id]
        for found in suggest_people(person_name, mine["email"], mine["phone"], 10, org_name):
            contacts[found.id] = Score(found.score, found.reasons)
        contacts[lead.person_id] = Score(100, ("same person",))
    live = Lead.select().where(
        Lead.id != lead_id,
        Lead.deleted_at.is_null(),
        Lead.converted_at.is_null(),
        Lead.merged_into.is_null(),
    )
    others = list(live.where(Lead.person.in_(list(contacts))).limit(MAX_SIMILAR))
    if lead.organization_id is not None:
        same_org = live.where(Lead.organization == lead.organization_id)
        if lead.person_id is not None:
            same_org = same_org.where(Lead.person.is_null())
        others += list(same_org.limit(MAX_SIMILAR))
    ours = lead_record(lead.id, lead.title, f"{person_name} {org_name}", None, None)
    scored = []
    for other in {o.id: o for o in others}.values():
        names = _names(other.person_id, other.organization_id)
        theirs = lead_record(other.id, other.title, " ".join(names), None, None)
        by_person = other.person_id in contacts
        contact = contacts[other.person_id] if by_person else SAME_ORGANIZATION
        score = score_leads(ours, theirs, contact, by_person, twins=True)
        item = LeadSuggestion(
            other.id, other.title, names[0] or names[1], score.value, score.reasons
        )
        scored.append((score, other.title, item))
    return _ranked(scored, lead.title, limit)
