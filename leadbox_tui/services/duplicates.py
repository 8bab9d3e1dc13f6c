"""Finding duplicates in the inbox: the whole scan, and the pairs said not to be duplicates.

The scan reads every live person, organisation and lead once, hands them to the matching engine
and groups the pairs it finds, most certain first. It reports progress as it goes; the app runs
it in a process of its own (``scan_process``). Pairs the seller marked "not duplicates" are
remembered and never offered again. The suggestions of contacts like one being typed are in
``suggestions``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations

from leadbox_tui.services import dedupe_reads as reads
from leadbox_tui.services.history import recorded
from leadbox_tui.services.matching import (
    LeadRecord,
    Match,
    OrganizationRecord,
    PeopleScorer,
    PersonRecord,
    Thresholds,
    company_domains,
    group_matches,
    lead_record,
    match_leads,
    match_organizations,
    match_people,
    organization_name_form,
    person_record,
    score_organizations,
    website_domain,
)
from leadbox_tui.services.suggestions import (  # where the add-lead form, convert, import look
    OrganizationSuggestion,
    PersonSuggestion,
    similar_leads,
    suggest_organizations,
    suggest_people,
)
from leadbox_tui.store.models import ContactPoint, Lead, NotDuplicate, Organization, Person

__all__ = [
    "KINDS",
    "DuplicateGroup",
    "DuplicatesError",
    "Member",
    "OrganizationSuggestion",
    "PersonSuggestion",
    "dismissed_pairs",
    "mark_not_duplicates",
    "scan_duplicates",
    "similar_leads",
    "suggest_organizations",
    "suggest_people",
]

KINDS = ("lead", "person", "organization")
GROUP_SLACK = 5
TICK_LEADS = 10_000  # leads read between two ticks of the progress

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


@dataclass
class _Inbox:
    """Everything the scan compares, read once."""

    people: list[PersonRecord]
    organizations: list[OrganizationRecord]
    leads: list[LeadRecord]
    titles: dict[int, str]
    lead_names: dict[int, str]


def _read_inbox(tick: Callable[[float], None]) -> _Inbox:
    """Every live person, organisation and lead as the engine compares them; ``tick`` is told
    how far the reading has gone."""
    points = reads.points(ContactPoint.key)
    people_rows = reads.rows(
        Person.select(Person.id, Person.name, Person.organization).where(reads.live(Person))
    )
    tick(0.15)
    domains: dict[int, set[str]] = defaultdict(set)
    for person_id, _, org_id in people_rows:
        if org_id is not None and person_id in points:
            domains[org_id] |= company_domains(points[person_id]["email"])
    org_rows = reads.rows(
        Organization.select(Organization.id, Organization.name, Organization.website).where(
            reads.live(Organization)
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
        mine = points.get(pid, reads.no_points())
        people.append(
            person_record(pid, name, mine["email"], mine["phone"], org_names.get(org_id, ""))
        )
    names = {p.id: p.name for p in people}
    tick(0.3)
    leads, titles, lead_names = [], {}, {}
    query = Lead.select(Lead.id, Lead.title, Lead.person, Lead.organization).where(
        Lead.deleted_at.is_null(), Lead.converted_at.is_null(), Lead.merged_into.is_null()
    )
    lead_rows = reads.rows(query)
    tick(0.45)
    for n, (lead_id, title, person_id, org_id) in enumerate(lead_rows):
        if n % TICK_LEADS == 0:
            tick(0.45 + 0.55 * n / len(lead_rows))
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
    inbox = _read_inbox(reading)
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
            match_leads(
                inbox.leads, found["person"], found["organization"], thresholds.lead, leads_step
            ),
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
    groups = []
    for n, kind in enumerate(kinds, 1):
        groups += [
            _group(kind, pairs, members[kind]) for pairs in group_matches(found[kind], alike[kind])
        ]
        grouping(0.9 * n / len(kinds))
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
