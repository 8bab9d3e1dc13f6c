"""Matches: the candidate pairs scored against the threshold, leads matched through their
contacts, and pairs joined into groups, most certain first."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from itertools import chain

from rapidfuzz import fuzz, process

from leadbox_tui.services.matching.blocking import (
    MAX_BUCKET,
    MAX_GROUP,
    Tick,
    candidate_pairs,
    namesake_buckets,
    pair_of,
    shared_key_buckets,
)
from leadbox_tui.services.matching.forms import LeadRecord, OrganizationRecord, PersonRecord
from leadbox_tui.services.matching.scores import (
    COMMON_PENALTY,
    SAME_EMPLOYER,
    SAME_ORGANIZATION,
    SAME_PERSON,
    Match,
    PeopleScorer,
    Score,
    lead_score,
    needed_topic,
    score_leads,
    score_organizations,
)

TICK_CONTACTS = 2_000  # contacts whose leads are compared between two ticks of the progress


def match_people(
    people: Sequence[PersonRecord], threshold: int, tick: Tick | None = None
) -> list[Match]:
    """Likely duplicate people among these, each pair once, with its score and reasons."""
    by_id = {p.id: p for p in people}
    buckets = shared_key_buckets((p.id, chain(p.emails, p.phones)) for p in people)  # "@" or digits
    records = [(p.id, p.form, p.organization) for p in people]
    buckets += namesake_buckets(records, common=threshold > 100 - COMMON_PENALTY)
    scorer = PeopleScorer(people)
    matches = []
    # a name alone reaches the threshold only if it is this alike, or nearly at one employer
    for x, y in candidate_pairs(records, buckets, threshold, threshold - SAME_EMPLOYER, tick):
        score = scorer(by_id[x], by_id[y])
        if score.value >= threshold:
            matches.append(Match(x, y, score.value, score.reasons))
    return matches


def match_organizations(
    organizations: Sequence[OrganizationRecord], threshold: int, tick: Tick | None = None
) -> list[Match]:
    by_id = {o.id: o for o in organizations}
    buckets = shared_key_buckets((o.id, o.domains) for o in organizations)
    matches = []
    records = [(o.id, o.form, "") for o in organizations]
    buckets += namesake_buckets(records, common=False)
    for x, y in candidate_pairs(records, buckets, threshold, None, tick):
        score = score_organizations(by_id[x], by_id[y])
        if score.value >= threshold:
            matches.append(Match(x, y, score.value, score.reasons))
    return matches


def match_leads(
    leads: Sequence[LeadRecord],
    people: Iterable[Match],
    organizations: Iterable[Match],
    threshold: int,
    tick: Tick | None = None,
) -> list[Match]:
    """Leads about the same thing for one contact, or for two contacts that are twins. Leads
    of two different people are not duplicates, even at the same organisation: through an
    organisation, only a lead with no person meets the others."""
    by_person: dict[int, list[LeadRecord]] = defaultdict(list)
    by_org: dict[int, list[LeadRecord]] = defaultdict(list)
    bare: dict[int, list[LeadRecord]] = defaultdict(list)
    for lead in leads:
        if lead.person_id is not None:
            by_person[lead.person_id].append(lead)
        if lead.organization_id is not None:
            by_org[lead.organization_id].append(lead)
            if lead.person_id is None:
                bare[lead.organization_id].append(lead)
    found: dict[tuple[int, int], Match] = {}

    def keep(x: LeadRecord, y: LeadRecord, score: Score | None) -> None:
        if x.id == y.id or score is None or score.value < threshold:
            return
        pair = pair_of(x.id, y.id)
        if pair not in found or found[pair].score < score.value:
            found[pair] = Match(*pair, score.value, score.reasons)

    def one_contact(
        xs: Sequence[LeadRecord], ys: Sequence[LeadRecord], contact: Score, by_person: bool
    ) -> None:
        """The leads of one contact: their topics compared by rapidfuzz, a row at a time."""
        same = xs is ys
        xs, ys = xs[:MAX_BUCKET], ys[:MAX_BUCKET]
        needed = needed_topic(contact, by_person, threshold)
        topics = [y.topic for y in ys]
        for i, x in enumerate(xs):
            start = i + 1 if same else 0  # each pair once
            for _, topic, j in process.extract(
                x.topic, topics[start:], scorer=fuzz.token_sort_ratio, score_cutoff=needed,
                limit=None,
            ):  # fmt: skip
                if ys[start + j].id != x.id:
                    keep(x, ys[start + j], lead_score(contact, topic, by_person))

    def twin_contacts(
        xs: Sequence[LeadRecord], ys: Sequence[LeadRecord], contact: Score, by_person: bool
    ) -> None:
        for x in xs[:MAX_BUCKET]:
            for y in ys[:MAX_BUCKET]:
                keep(x, y, score_leads(x, y, contact, by_person, threshold, twins=True))

    for n, group in enumerate(by_person.values()):
        if len(group) > 1:
            one_contact(group, group, SAME_PERSON, True)
        if tick is not None and n % TICK_CONTACTS == 0:  # most of the work: a person's leads
            tick(0.8 * n / len(by_person))
    for org_id, group in bare.items():
        one_contact(group, by_org[org_id], SAME_ORGANIZATION, False)
    for match in people:
        contact = Score(match.score, match.reasons)
        twin_contacts(by_person[match.a], by_person[match.b], contact, True)
    for match in organizations:
        contact = Score(match.score, match.reasons)
        twin_contacts(bare[match.a], by_org[match.b], contact, False)
        twin_contacts(by_org[match.a], bare[match.b], contact, False)
    return list(found.values())


def group_matches(
    matches: Sequence[Match],
    alike: Callable[[int, int], bool],
    max_size: int = MAX_GROUP,
) -> list[list[Match]]:
    """Pairs joined into groups, most certain first. Two groups join only if every member of
    one is ``alike`` every member of the other, so a record with a bare common name does not
    chain all its namesakes into one group."""
    group_of: dict[int, int] = {}
    members: dict[int, list[int]] = {}
    edges: dict[int, list[Match]] = {}
    for match in sorted(matches, key=lambda m: (-m.score, m.pair)):
        ga = group_of.setdefault(match.a, match.a)
        gb = group_of.setdefault(match.b, match.b)
        ours, theirs = members.setdefault(ga, [match.a]), members.setdefault(gb, [match.b])
        if ga != gb:
            if len(ours) + len(theirs) > max_size or not all(
                alike(x, y) for x in ours for y in theirs if pair_of(x, y) != match.pair
            ):
                continue
            for record_id in theirs:
                group_of[record_id] = ga
            ours.extend(theirs)
            edges.setdefault(ga, []).extend(edges.pop(gb, []))
            del members[gb]
        edges.setdefault(ga, []).append(match)
    return list(edges.values())
