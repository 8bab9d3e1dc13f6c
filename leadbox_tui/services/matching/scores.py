"""Scores and their reasons: how alike two people, organisations or leads are, and why
("same e-mail", "name 93%", "same phone")."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from string import digits as DIGITS
from typing import NamedTuple

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from leadbox_tui.services.matching.forms import (
    LeadRecord,
    NameForm,
    OrganizationRecord,
    PersonRecord,
)


class Score(NamedTuple):
    value: int  # 0 to 100
    reasons: tuple[str, ...]


class Match(NamedTuple):
    """Two records (``a`` < ``b``) that are likely the same, how sure we are and why."""

    a: int
    b: int
    score: int
    reasons: tuple[str, ...]

    @property
    def pair(self) -> tuple[int, int]:
        return (self.a, self.b)


@dataclass(frozen=True)
class Thresholds:
    """The score (0 to 100) from which two records are offered as duplicates."""

    person: int = 90
    organization: int = 88
    lead: int = 85

    def __post_init__(self) -> None:
        for value in (self.person, self.organization, self.lead):
            if not 0 <= value <= 100:
                raise ValueError(f"a threshold is a score from 0 to 100, not {value}")

    @classmethod
    def uniform(cls, value: int) -> Thresholds:
        return cls(value, value, value)


SAME_EMPLOYER = 10  # the most a person's organisation adds to the name's score
COMMON_NAME = 3  # people sharing a name from which the name alone is weak evidence
COMMON_PENALTY = 20
NAME_ONLY = 85  # the most a bare name (no e-mail, phone or employer) scores against details


def _alike(x: str, y: str) -> float:
    """Indel similarity, less 5 points for each slip beyond the first: one typo is a typo, but
    "Solène" and "Hélène" are two names."""
    if x == y:
        return 100.0
    slips = OSA.distance(x, y)
    return fuzz.ratio(x, y) - 5 * max(0, slips - 1)


def name_similarity(a: NameForm, b: NameForm) -> float:
    """0 to 100: the best of comparing the words in order, sorted, and sorted as typed."""
    if not (a.known and b.known):
        return 0.0
    best = _alike(a.sorted, b.sorted)
    if best < 100 and (a.others or b.others):  # "Max" may be Maxime or Maximilian
        best = max(_alike(x, y) for x in (a.sorted, *a.others) for y in (b.sorted, *b.others))
    if best < 100 and (a.ordered != a.sorted or b.ordered != b.sorted):
        best = max(best, _alike(a.ordered, b.ordered))
    if best < 100 and (a.plain != a.sorted or b.plain != b.sorted):
        best = max(best, _alike(a.plain, b.plain))
    return max(best, 0.0)


def _name_reason(similarity: float, what: str = "name") -> str:
    return f"same {what}" if similarity >= 100 else f"{what} {int(similarity)}%"


def _names_reason(a: NameForm, b: NameForm, similarity: float) -> str:
    if similarity >= 100 and a.plain != b.plain:
        return "same name (nickname)"
    if similarity >= 100 and a.ordered != b.ordered:
        return "same name (swapped)"
    return _name_reason(similarity)


_SEPARATORS = str.maketrans("", "", "._-+")


def _clamp(value: float) -> int:
    return max(0, min(100, round(value)))


def _bare_local(local: str) -> str:
    """An address's local part without separators and trailing digits: "jean_dupont2"."""
    return local.translate(_SEPARATORS).rstrip(DIGITS)


def _similar_email(a: frozenset[str], b: frozenset[str]) -> bool:
    """One slip in the address at the same domain (jean.dupont@acme.fr, jean.dupnot@acme.fr);
    not another separator or a number added, which is how namesakes get their addresses
    (jean_dupont@, jeandupont@, jean.dupont2@)."""
    for x in a:
        local_x, _, domain_x = x.rpartition("@")
        for y in b:
            local_y, _, domain_y = y.rpartition("@")
            if (
                domain_x == domain_y
                and OSA.distance(local_x, local_y) <= 1
                and _bare_local(local_x) != _bare_local(local_y)
            ):
                return True
    return False


def _details(person: PersonRecord) -> bool:
    return bool(person.emails or person.phones or person.organization)


class PeopleScorer:
    """Scores pairs of people of one inbox, knowing how many of them share each name."""

    def __init__(self, people: Iterable[PersonRecord]) -> None:
        self.namesakes = Counter(p.form.sorted for p in people if p.form.known)

    def __call__(self, a: PersonRecord, b: PersonRecord) -> Score:
        """A typo of a common name is as weak as the name itself: "Daniel Woood" may be any
        of the seven Daniel Woods."""
        namesakes = max(self.namesakes[a.form.sorted], self.namesakes[b.form.sorted])
        return score_people(a, b, namesakes, in_inbox=True)


def score_people(
    a: PersonRecord, b: PersonRecord, namesakes: int = 0, in_inbox: bool = False
) -> Score:
    """A shared e-mail or phone is strong evidence when the names agree (one may be part of the
    other: "Dupont" and "Jean Dupont"); colleagues share a switchboard, not a name. The same
    employer backs a name that is nearly the same. Other e-mails, phones or employers point to
    a namesake, and so does a name (nearly) that ``namesakes`` people in the inbox share. Two
    records ``in_inbox`` (not one being typed) are held to more: a bare name against details."""
    name = name_similarity(a.form, b.form)
    named = a.form.known and b.form.known
    same_email, same_phone = bool(a.emails & b.emails), bool(a.phones & b.phones)
    colleagues = a.organization != "" and a.organization == b.organization
    reasons: list[str] = []
    if same_email:
        reasons.append("same e-mail")
    if same_phone:
        reasons.append("same phone")
    if named:
        reasons.append(_names_reason(a.form, b.form, name))
    if same_email or same_phone:
        agree = not named or max(name, fuzz.token_set_ratio(a.form.sorted, b.form.sorted)) >= 80
        if same_email:
            value = 90 + name / 10 if agree else 70 + name / 5
            value += 5 * same_phone
        else:
            value = 85 + name * 0.15 if agree else 60 + name / 4
    else:
        value = name
        if name >= 90 and namesakes >= COMMON_NAME and not colleagues:
            value -= COMMON_PENALTY
            reasons.append(f"{namesakes} people share this name")
        elif in_inbox and _details(a) != _details(b):  # a bare name: any namesake's too
            value = min(value, NAME_ONLY)
            reasons.append("only a name on one side")
    other_emails = not same_email and a.emails and b.emails
    if other_emails and _similar_email(a.emails, b.emails):
        reasons.append("similar e-mail")
        other_emails = False
    value -= 20 * bool(other_emails) + 15 * bool(not same_phone and a.phones and b.phones)
    if colleagues:
        reasons.append("same organisation")
        value += SAME_EMPLOYER if name >= 80 and not other_emails else 0
    elif a.organization and b.organization and fuzz.ratio(a.organization, b.organization) < 85:
        value -= 20
    return Score(_clamp(value), tuple(reasons))


def score_organizations(a: OrganizationRecord, b: OrganizationRecord) -> Score:
    """The name, backed by the same website or company e-mail domain; other domains on both
    sides point to two companies of similar names."""
    name = name_similarity(a.form, b.form)
    ours, theirs = a.domains, b.domains
    if ours & theirs:  # one company: "Zajac" and "Zajac Sp. z p.o." (a slip in the legal form)
        name = max(name, fuzz.token_set_ratio(a.form.sorted, b.form.sorted))
    reasons = [_name_reason(name)]
    value = name
    if ours & theirs:
        same_site = a.website and a.website == b.website
        reasons.insert(0, "same website" if same_site else "same e-mail domain")
        value = 90 + name / 10 if name >= 50 else 70 + name / 5
    elif ours and theirs:
        value -= 20
    return Score(_clamp(value), tuple(reasons))


def _topic(lead: LeadRecord, names: frozenset[str]) -> str:
    return " ".join([w for w in lead.words if w not in names])


def _lead_weight(by_person: bool) -> float:
    return 0.5 if by_person else 1.0


def needed_topic(contact: Score, by_person: bool, floor: int) -> float:
    """How alike two leads' topics must be for their score to reach ``floor``."""
    return max(0.0, 100 - (contact.value - floor) / _lead_weight(by_person))


def lead_score(contact: Score, topic: float, by_person: bool) -> Score:
    value = contact.value - (100 - topic) * _lead_weight(by_person)
    return Score(_clamp(value), (*contact.reasons, _name_reason(topic, "title")))


def score_leads(
    a: LeadRecord,
    b: LeadRecord,
    contact: Score,
    by_person: bool,
    floor: int = 0,
    twins: bool = False,
) -> Score | None:
    """Two leads of the same (or a ``twins``) contact about the same thing: their titles without
    the names of their contacts ("Kitchen equipment – Acme SA" is about kitchen equipment; for
    twins, without both spellings of the name). A person often has several leads, so what they
    are about must agree; a lead known only by its organisation leans on it even more. ``None``
    when the score would be below ``floor``."""
    needed = needed_topic(contact, by_person, floor)
    if twins:
        names = a.names | b.names
        ours, theirs = _topic(a, names), _topic(b, names)
    else:
        ours, theirs = a.topic, b.topic
    topic = fuzz.token_sort_ratio(ours, theirs, score_cutoff=needed)
    if needed > 0 and not topic:
        return None
    return lead_score(contact, topic, by_person)


SAME_PERSON = Score(100, ("same person",))
SAME_ORGANIZATION = Score(100, ("same organisation",))
