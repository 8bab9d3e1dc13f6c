"""Finding duplicates in the inbox: the whole scan, or the contacts like the one being typed.

The scan reads every live person, organisation and lead once, hands them to the matching engine
and groups the pairs it finds, most certain first. It reports progress as it goes; the app runs
it in a process of its own (``scan_process``). Pairs the seller marked "not duplicates" are
remembered and never offered again. Suggestions look a typed contact up through indexes only
(its e-mails, its phones, and the names beside it in ``name_key`` order), then score a few dozen
candidates.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import TypeVar

from peewee import Field, Model, Select
from rapidfuzz import fuzz

from leadbox_tui.services.history import recorded
from leadbox_tui.services.matching import (
    SAME_ORGANIZATION,
    LeadRecord,
    Match,
    NameForm,
    OrganizationRecord,
    PeopleScorer,
    PersonRecord,
    Score,
    Thresholds,
    aliases_of,
    company_domains,
    group_matches,
    lead_record,
    match_leads,
    match_organizations,
    match_people,
    organization_name_form,
    person_record,
    score_leads,
    score_organizations,
    score_people,
    website_domain,
)
from leadbox_tui.services.normalize import (
    email_key,
    fold,
    organization_key,
    person_key,
    phone_key,
)
from leadbox_tui.store.models import (
    ContactPoint,
    Lead,
    NotDuplicate,
    Organization,
    Person,
    database_proxy,
)

S = TypeVar("S")
KINDS = ("lead", "person", "organization")
GROUP_SLACK = 5
SUGGEST_FROM = 60  # the score from which a contact is offered while typing
WITHIN = 75  # an organisation whose whole name is in the one typed, or the other way round
AFTER, BEFORE = 10, 5  # names read after and before each typed form, in name_key order
MAX_SIMILAR = 200  # leads of a lead's look-alike contacts scored for the merge picker

Progress = Callable[[int, int, str], None]
"""Told ``(done, total, stage)`` as the scan goes; ``total`` is 100."""


class DuplicatesError(ValueError):
    """A request about duplicates made no sense; the message is for the seller."""


@dataclass(frozen=True, slots=True)  # slots: a scan sends tens of thousands to the app
class Member:
    id: int
    name: str
    title: str | None = None  # for leads


@dataclass(frozen=True, slots=True)
class DuplicateGroup:
    """Records that are likely one: the score is how sure we are of its least certain member."""

    kind: str
    score: int
    reasons: tuple[str, ...]
    members: tuple[Member, ...]

    @property
    def ids(self) -> tuple[int, ...]:
        return tuple(m.id for m in self.members)


def _live(model: type[Model]):
    return model.deleted_at.is_null() & model.merged_into.is_null()


def _no_points() -> dict[str, list[str]]:
    return {"email": [], "phone": []}


def _rows(query: Select) -> list[tuple]:
    """The rows of a query as plain tuples, straight from the cursor: the scan reads hundreds
    of thousands of rows of integers and text, which need no conversion."""
    return database_proxy.execute(query).fetchall()


def _points(
    column: Field, person_ids: Iterable[int] | None = None
) -> dict[int, dict[str, list[str]]]:
    """The e-mails and phones of people (all people when no ids are given), each as ``column``:
    the normalised ``key`` to compare, or the ``value`` as typed to show."""
    query = ContactPoint.select(ContactPoint.person, ContactPoint.kind, column)
    if person_ids is not None:
        query = query.where(ContactPoint.person.in_(list(person_ids))).order_by(
            ContactPoint.position
        )
    points: dict[int, dict[str, list[str]]] = defaultdict(_no_points)
    for person_id, kind, text in _rows(query):
        if kind in ("email", "phone"):
            points[person_id][kind].append(text)
    return points


@dataclass
class _Inbox:
    """Everything the scan compares, read once."""

    people: list[PersonRecord]
    organizations: list[OrganizationRecord]
    leads: list[LeadRecord]
    titles: dict[int, str]
    lead_names: dict[int, str]


def _read_inbox() -> _Inbox:
    points = _points(ContactPoint.key)
    people_rows = _rows(
        Person.select(Person.id, Person.name, Person.organization).where(_live(Person))
    )
    domains: dict[int, set[str]] = defaultdict(set)
    for person_id, _, org_id in people_rows:
        if org_id is not None and person_id in points:
            domains[org_id] |= company_domains(points[person_id]["email"])
    org_rows = _rows(
        Organization.select(Organization.id, Organization.name, Organization.website).where(
            _live(Organization)
        )
    )
    organizations = [
        OrganizationRecord(
            oid, name, organization_name_form(name), website_domain(site), frozenset(domains[oid])
        )
        for oid, name, site in org_rows
    ]
    org_names = {o.id: o.name for o in organizations}
    people = []
    for pid, name, org_id in people_rows:
        mine = points.get(pid, _no_points())
        people.append(
            person_record(pid, name, mine["email"], mine["phone"], org_names.get(org_id, ""))
        )
    names = {p.id: p.name for p in people}
    leads, titles, lead_names = [], {}, {}
    query = Lead.select(Lead.id, Lead.title, Lead.person, Lead.organization).where(
        Lead.deleted_at.is_null(), Lead.converted_at.is_null(), Lead.merged_into.is_null()
    )
    for lead_id, title, person_id, org_id in _rows(query):
        person = names.get(person_id)
        org = org_names.get(org_id)
        person_id = person_id if person is not None else None
        org_id = org_id if org is not None else None
        contacts = f"{person or ''} {org or ''}"
        leads.append(lead_record(lead_id, title, contacts, person_id, org_id))
        titles[lead_id] = title
        lead_names[lead_id] = person or org or ""
    return _Inbox(people, organizations, leads, titles, lead_names)


def dismissed_pairs(kind: str) -> set[tuple[int, int]]:
    return set(
        NotDuplicate.select(NotDuplicate.first_id, NotDuplicate.second_id)
        .where(NotDuplicate.kind == kind)
        .tuples()
    )


def _kept(matches: Iterable[Match], dismissed: set[tuple[int, int]]) -> list[Match]:
    return [m for m in matches if m.pair not in dismissed]


def _alike(
    inbox: _Inbox,
    thresholds: Thresholds,
    found: dict[str, list[Match]],
    dismissed: dict[str, set[tuple[int, int]]],
) -> dict[str, Callable[[int, int], bool]]:
    """Whether two records may sit in one group: found as a pair, or nearly alike enough
    (``GROUP_SLACK`` below the threshold: a third typing of a name may drift from the second),
    and never two the seller said are not duplicates."""
    persons = {p.id: p for p in inbox.people}
    orgs = {o.id: o for o in inbox.organizations}
    score_people_pair = PeopleScorer(inbox.people)
    pairs = {kind: {m.pair for m in matches} for kind, matches in found.items()}
    scorers: dict[str, Callable[[int, int], int]] = {
        "person": lambda x, y: score_people_pair(persons[x], persons[y]).value,
        "organization": lambda x, y: score_organizations(orgs[x], orgs[y]).value,
        "lead": lambda x, y: 0,  # leads are alike only as found: through their contacts
    }
    floors = {
        "person": thresholds.person - GROUP_SLACK,
        "organization": thresholds.organization - GROUP_SLACK,
        "lead": thresholds.lead,
    }

    def alike(kind: str) -> Callable[[int, int], bool]:
        def check(x: int, y: int) -> bool:
            pair = (min(x, y), max(x, y))
            if pair in dismissed[kind]:
                return False
            return pair in pairs[kind] or scorers[kind](x, y) >= floors[kind]

        return check

    return {kind: alike(kind) for kind in KINDS}


def _reason_kind(reason: str) -> str:
    """ "name 93%" and "name 91%" say the same kind of thing; a group says it once."""
    return reason.rsplit(" ", 1)[0] if reason.endswith("%") else reason


def _group(kind: str, pairs: list[Match], members: Callable[[int], Member]) -> DuplicateGroup:
    best: dict[int, int] = {}
    for match in pairs:
        for record_id in match.pair:
            best[record_id] = max(best.get(record_id, 0), match.score)
    reasons: dict[str, str] = {}
    for match in pairs:  # already most certain first
        for reason in match.reasons:
            reasons.setdefault(_reason_kind(reason), reason)
    return DuplicateGroup(
        kind=kind,
        score=min(best.values()),
        reasons=tuple(reasons.values()),
        members=tuple(members(i) for i in sorted(best)),
    )


class _Steps:
    """Shares the progress bar among the steps of the scan."""

    def __init__(self, progress: Progress | None) -> None:
        self.progress, self.done = progress, 0

    def step(self, stage: str, weight: int) -> Callable[[float], None]:
        start = self.done
        self.done += weight

        def tick(fraction: float) -> None:
            if self.progress is not None:
                self.progress(start + int(weight * fraction), 100, stage)

        tick(0.0)
        return tick


def scan_duplicates(
    thresholds: Thresholds | None = None,
    kinds: Sequence[str] = KINDS,
    progress: Progress | None = None,
) -> list[DuplicateGroup]:
    """Groups of likely duplicate leads, people and organisations, most certain first.

    It only reads; the app runs it in a process of its own (``scan_process``), which it stops by
    ending the process.
    """
    thresholds = thresholds or Thresholds()
    unknown = set(kinds) - set(KINDS)
    if unknown:
        raise DuplicatesError(f"unknown kind {sorted(unknown)[0]!r}; one of: {', '.join(KINDS)}")
    steps = _Steps(progress)
    reading = steps.step("Reading the inbox", 35)
    inbox = _read_inbox()
    reading(1.0)
    wanted = set(kinds) | ({"person", "organization"} if "lead" in kinds else set())
    dismissed = {kind: dismissed_pairs(kind) for kind in KINDS}
    found: dict[str, list[Match]] = {kind: [] for kind in KINDS}
    organizations_step = steps.step("Comparing organisations", 5)
    if "organization" in wanted:
        found["organization"] = _kept(
            match_organizations(inbox.organizations, thresholds.organization, organizations_step),
            dismissed["organization"],
        )
    people_step = steps.step("Comparing people", 35)
    if "person" in wanted:
        found["person"] = _kept(
            match_people(inbox.people, thresholds.person, people_step), dismissed["person"]
        )
    leads_step = steps.step("Comparing leads", 15)
    if "lead" in kinds:
        found["lead"] = _kept(
            match_leads(inbox.leads, found["person"], found["organization"], thresholds.lead),
            dismissed["lead"],
        )
    leads_step(1.0)
    grouping = steps.step("Grouping", 10)
    people = {p.id: p.name for p in inbox.people}
    orgs = {o.id: o.name for o in inbox.organizations}
    members: dict[str, Callable[[int], Member]] = {
        "lead": lambda i: Member(i, inbox.lead_names[i], inbox.titles[i]),
        "person": lambda i: Member(i, people[i]),
        "organization": lambda i: Member(i, orgs[i]),
    }
    alike = _alike(inbox, thresholds, found, dismissed)
    groups = [
        _group(kind, pairs, members[kind])
        for kind in kinds
        for pairs in group_matches(found[kind], alike[kind])
    ]
    groups.sort(key=lambda g: (-g.score, KINDS.index(g.kind), g.ids))
    grouping(1.0)
    return groups


def mark_not_duplicates(kind: str, ids: Sequence[int]) -> int:
    """Remember that these records are not duplicates of each other; returns the pairs added.

    One undoable action: undo makes the scan offer them again.
    """
    if kind not in KINDS:
        raise DuplicatesError(f"unknown kind {kind!r}; one of: {', '.join(KINDS)}")
    unique = sorted(set(ids))
    if len(unique) < 2:
        raise DuplicatesError("name at least two different records")
    pairs = set(combinations(unique, 2)) - dismissed_pairs(kind)
    noun = {"lead": "leads", "person": "people", "organization": "organisations"}[kind]
    with recorded("not-duplicates", f"Marked {len(unique)} {noun} as not duplicates") as rec:
        for first, second in sorted(pairs):
            row = NotDuplicate.create(kind=kind, first_id=first, second_id=second)
            rec.created(NotDuplicate, row.id)
    return len(pairs)


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


def _near(model: type[Model], key: str) -> set[int]:
    """Live records whose ``name_key`` sorts just before or after ``key``, read from its index."""
    if not key:
        return set()
    after = (
        model.select(model.id)
        .where(model.name_key >= key, _live(model))
        .order_by(model.name_key)
        .limit(AFTER)
    )
    before = (
        model.select(model.id)
        .where(model.name_key < key, _live(model))
        .order_by(model.name_key.desc())
        .limit(BEFORE)
    )
    return {i for (i,) in after.tuples()} | {i for (i,) in before.tuples()}


def _person_keys(name: str) -> set[str]:
    """The name_keys a typed person may be stored under: each word first (swapped names), and
    the first word as any of its nicknames ("Bob Smith" is looked up as "robert smith" too)."""
    words = person_key(name).split()[:4]
    keys = set()
    for turn in range(len(words)):
        first, *rest = words[turn:] + words[:turn]
        keys.update(" ".join((alias, *rest)) for alias in aliases_of(first))
    return keys


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
    candidates: set[int] = set()
    for kind, keys in (("email", email_keys), ("phone", phone_keys)):
        if keys:
            candidates.update(
                pid
                for (pid,) in ContactPoint.select(ContactPoint.person)
                .where(ContactPoint.kind == kind, ContactPoint.key.in_(keys))
                .limit(50)
                .tuples()
            )
    if len(person_key(name)) >= 2:
        for key in _person_keys(name):
            candidates |= _near(Person, key)
    if not candidates:
        return []
    rows = list(
        Person.select(Person.id, Person.name, Person.organization)
        .where(Person.id.in_(list(candidates)), _live(Person))
        .tuples()
    )
    org_ids = {org_id for _, _, org_id in rows if org_id is not None}
    org_names = dict(
        Organization.select(Organization.id, Organization.name)
        .where(Organization.id.in_(list(org_ids)))
        .tuples()
    )
    keys = _points(ContactPoint.key, candidates)
    shown = _points(ContactPoint.value, candidates)
    typed = person_record(0, name, email_keys, phone_keys, organization.strip())
    scored = []
    for pid, found_name, org_id in rows:
        org_name = org_names.get(org_id)
        mine = keys.get(pid, _no_points())
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
    candidates = _near(Organization, key)
    if len(words) > 1:  # "Groupe Acme" finds "Acme"
        candidates |= _near(Organization, " ".join(words[1:]))
    if not candidates:
        return []
    typed = OrganizationRecord(0, name, organization_name_form(name), website_domain(website))
    scored = []
    for oid, found_name, site in (
        Organization.select(Organization.id, Organization.name, Organization.website)
        .where(Organization.id.in_(list(candidates)))
        .tuples()
    ):
        found = OrganizationRecord(
            oid, found_name, organization_name_form(found_name), website_domain(site)
        )
        score = _as_typed(score_organizations(typed, found), typed.form, found.form, True)
        scored.append(
            (
                score,
                found_name,
                OrganizationSuggestion(oid, found_name, site, score.value, score.reasons),
            )
        )
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
        mine = _points(ContactPoint.value, [lead.person_id])[lead.person_id]
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
