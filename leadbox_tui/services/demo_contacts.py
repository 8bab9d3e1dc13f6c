"""Demo people and organisations: realistic, unique, except the near-duplicates made on purpose.

Every e-mail address and phone number belongs to one demo person only, and no two organisations
share a normalised name, so the only duplicates in a demo inbox are the twins recorded as ground
truth (``DemoTwin``), plus the namesakes any large address book has.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from bisect import bisect
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import accumulate
from typing import TypeVar

from leadbox_tui.services.demo_pools import CULTURES, Culture, PhonePlan
from leadbox_tui.services.normalize import email_key, fold, organization_key, person_key, phone_key

T = TypeVar("T")

TWIN_SHARE = 0.05
CHUNK = 25_000  # organisations or people per batch
SPAN_DAYS = 730  # the demo covers the last two years
SPAN_SECONDS = SPAN_DAYS * 86_400
DAYS_AHEAD = 400  # the furthest planned activity or expected close date
PHONE_STEP = 2_654_435_761  # a prime: stepping by it walks a number plan without repeating
KEYBOARD_NEIGHBOURS = dict(
    zip("qwertyuiopasdfghjklzxcvbnm", "wertyuioposdfghjklkxcvbnmn", strict=True)
)
TRANSLITERATION = str.maketrans({"ł": "l", "đ": "d", "ø": "o", "æ": "ae", "œ": "oe"})
WORK_MAIL = ("{g}.{f}", "{i}{f}", "{g}", "{f}.{g}")
HOME_MAIL = ("{g}.{f}", "{g}{f}", "{g}_{f}", "{i}.{f}", "{f}.{g}")


def ascii_word(text: str) -> str:
    """A name as it appears in an e-mail address or a domain: no accents, no spaces."""
    bare = fold(text).translate(TRANSLITERATION)
    return bare.encode("ascii", "ignore").decode().replace(" ", "")


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", bare)


@cache
def _clock() -> tuple[str, ...]:
    return tuple(f"{s // 3600:02}:{s // 60 % 60:02}:{s % 60:02}" for s in range(86_400))


class DemoClock:
    """Times of demo records as SQLite stores them, made without a datetime object per row.

    Days are counted from ``today`` (negative in the past); ``newest`` is the moment the
    youngest record was created, in UTC.
    """

    def __init__(self, today: dt.date, newest: dt.datetime) -> None:
        self.newest_day = (newest.date() - today).days
        self.newest_second = newest.hour * 3600 + newest.minute * 60 + newest.second
        self.base = SPAN_DAYS + 2
        self.days = [str(today + dt.timedelta(days=d)) for d in range(-self.base, DAYS_AHEAD)]
        self.clock = _clock()

    def stamp(self, age: int) -> str:
        """The time ``age`` seconds before the newest record."""
        total = self.newest_second - age
        day = self.newest_day + total // 86_400
        return f"{self.days[day + self.base]} {self.clock[total % 86_400]}"

    def spread(self, rng: random.Random, index: int, count: int) -> int:
        """The age of record ``index`` of ``count``, oldest first, the recent months busier."""
        remaining = 1.0 - (index + rng.random()) / count
        return int(remaining * remaining * SPAN_SECONDS)


@dataclass(slots=True)
class DemoOrg:
    id: int
    culture: Culture
    base: str  # the name without its legal form
    name: str
    key: str  # as normalize.organization_key makes it
    address: str | None
    domain: str
    website: str | None
    city: str


@dataclass(slots=True)
class DemoPhone:
    plan: PhonePlan
    number: str  # the national significant number
    style: int  # which of the plan's formats it is written in


@dataclass(slots=True)
class DemoPerson:
    id: int
    culture: Culture
    given: str
    family: str
    name: str
    org: DemoOrg | None
    emails: list[str] = field(default_factory=list)
    phones: list[DemoPhone] = field(default_factory=list)


class ContactMaker:
    """Draws organisations then people, remembering every name, address and number in use."""

    def __init__(self, rng: random.Random, clock: DemoClock, region: str) -> None:
        self.rng = rng
        self.clock = clock
        self.region = region
        self.culture_weights = list(accumulate(c.weight for c in CULTURES))
        self.org_bases: set[str] = set()
        self.org_keys: set[str] = set()
        self.mail_uses: dict[str, int] = {}
        self.phone_serials = dict.fromkeys((c.phone.region for c in CULTURES), 0)
        self.phone_offsets = {c.phone.region: rng.randrange(10**9) for c in CULTURES}
        self.ascii: dict[str, str] = {}
        self.name_keys: dict[str, str] = {}
        self.orgs: list[DemoOrg] = []
        self.people: list[DemoPerson] = []
        self.twins: list[tuple[str, int, int, str]] = []  # DemoTwin rows

    def pick(self, items: Sequence[T]) -> T:
        return items[int(self.rng.random() * len(items))]

    def culture(self) -> Culture:
        weights = self.culture_weights
        return CULTURES[bisect(weights, self.rng.random() * weights[-1])]

    def twin_spots(self, count: int) -> set[int]:
        """Where near-duplicates of earlier records go: about 5%, never the first record."""
        return (
            set(self.rng.sample(range(1, count), round(count * TWIN_SHARE))) if count > 1 else set()
        )

    def earlier(self, records: Sequence[T], twins: set[int]) -> T:
        """A record made before, not itself a twin: the original of a new twin."""
        while True:
            index = self.rng.randrange(len(records))
            if index not in twins:
                return records[index]

    def typo(self, text: str) -> str:
        """One slip of the keyboard: two letters swapped, one dropped, doubled or replaced."""
        for _ in range(20):
            spots = [i for i in range(1, len(text)) if text[i].isalpha()]
            if not spots:
                break
            i = self.pick(spots)
            kind = self.rng.randrange(4)
            if kind == 0 and i + 1 < len(text) and text[i + 1].isalpha():
                slipped = text[:i] + text[i + 1] + text[i] + text[i + 2 :]
            elif kind == 2:
                slipped = text[:i] + text[i] + text[i:]
            elif kind == 3 and text[i].lower() in KEYBOARD_NEIGHBOURS:
                slipped = text[:i] + KEYBOARD_NEIGHBOURS[text[i].lower()] + text[i + 1 :]
            else:
                slipped = text[:i] + text[i + 1 :]
            if fold(slipped) != fold(text):
                return slipped
        return text + text[-1]

    # -- organisations -------------------------------------------------------------------------

    def organizations(self, count: int, first_id: int) -> Iterator[list[tuple]]:
        """Organisation rows, a chunk at a time; ``self.orgs`` holds them all afterwards."""
        twins = self.twin_spots(count)
        rows: list[tuple] = []
        for index in range(count):
            org_id = first_id + index
            if index in twins:
                original = self.earlier(self.orgs, twins)
                org, variation = self.org_twin(org_id, original)
                self.twins.append(("organization", original.id, org_id, variation))
            else:
                org = self.new_org(org_id)
            self.orgs.append(org)
            at = self.clock.stamp(self.clock.spread(self.rng, index, count))
            rows.append((org_id, at, at, org.name, org.key, org.address, org.website))
            if len(rows) == CHUNK:
                yield rows
                rows = []
        yield rows

    def org_base(self, culture: Culture, attempt: int) -> str:
        """A company name; once the plain names run out, with two families, a city, a number."""
        rnd = self.rng.random
        family, sectors = culture.family, culture.sectors
        if attempt < 6:
            patterns, coined = culture.org_patterns, culture.coined
            base = patterns[int(rnd() * len(patterns))].format(
                sector=sectors[int(rnd() * len(sectors))],
                family=family[int(rnd() * len(family))],
                family2=family[int(rnd() * len(family))],
                coined=coined[int(rnd() * len(coined))],
            )
        else:  # two partners' names
            first = int(rnd() * len(family))
            second = (first + 1 + int(rnd() * (len(family) - 1))) % len(family)
            base = f"{family[first]}-{family[second]} {sectors[int(rnd() * len(sectors))]}"
        if attempt >= 3:  # a branch in a town
            town = culture.cities[int(rnd() * len(culture.cities))][0].split(",")[-1].strip()
            base = f"{base} {town}"
        if attempt >= 12:
            base = f"{base} {attempt}"
        return base

    def new_org(self, org_id: int) -> DemoOrg:
        rnd = self.rng.random
        culture = self.culture()
        suffixes = culture.suffixes
        attempt = 0
        while True:
            base = self.org_base(culture, attempt)
            attempt += 1
            if base in self.org_bases:
                continue
            name = f"{base} {suffixes[int(rnd() * len(suffixes))]}" if rnd() < 0.85 else base
            key = organization_key(name)
            if key not in self.org_keys:
                break
        self.org_bases.add(base)
        self.org_keys.add(key)
        domain = f"{key.translate(TRANSLITERATION).replace(' ', '') or 'company'}.{culture.tld}"
        domain = domain.encode("ascii", "ignore").decode()
        city, postcode = culture.cities[int(rnd() * len(culture.cities))]
        address = culture.address.format(
            n=1 + int(rnd() * 180),
            m=1 + int(rnd() * 9),
            k=1 + int(rnd() * 30),
            street=culture.streets[int(rnd() * len(culture.streets))],
            city=city,
            postcode=postcode,
        )
        r = rnd()
        website = f"https://www.{domain}" if r < 0.5 else f"www.{domain}" if r < 0.8 else None
        town = city.split(",")[-1].strip()
        return DemoOrg(
            org_id,
            culture,
            base,
            name,
            key,
            address if rnd() < 0.8 else None,
            domain,
            website,
            town,
        )

    def org_twin(self, org_id: int, original: DemoOrg) -> tuple[DemoOrg, str]:
        """The organisation typed in again: legal form dropped or added, a typo, or in capitals."""
        has_suffix = original.name != original.base
        options = ["typo", "legal suffix dropped" if has_suffix else "legal suffix added"]
        if original.name.upper() != original.name:
            options.append("upper case")
        variation = self.pick(options)
        if variation == "legal suffix dropped":
            name = original.base
        elif variation == "legal suffix added":
            name = f"{original.base} {self.pick(original.culture.suffixes)}"
        elif variation == "upper case":
            name = original.name.upper()
        else:
            name = self.typo(original.base) + original.name[len(original.base) :]
        address = original.address if self.rng.random() < 0.5 else None
        twin = DemoOrg(
            org_id,
            original.culture,
            original.base,
            name,
            organization_key(name),
            address,
            original.domain,
            original.website,
            original.city,
        )
        return twin, variation

    # -- people ------------------------------------------------------------------------------

    def people_rows(self, count: int, first_id: int) -> Iterator[tuple[list[tuple], list[tuple]]]:
        """(person rows, contact point rows), a chunk at a time; ``self.people`` holds them all."""
        by_culture: dict[str, list[DemoOrg]] = {}
        for org in self.orgs:
            by_culture.setdefault(org.culture.code, []).append(org)
        twins = self.twin_spots(count)
        rows: list[tuple] = []
        points: list[tuple] = []
        stamp, spread, rng = self.clock.stamp, self.clock.spread, self.rng
        for index in range(count):
            person_id = first_id + index
            if index in twins:
                original = self.earlier(self.people, twins)
                person, variation = self.person_twin(person_id, original)
                self.twins.append(("person", original.id, person_id, variation))
            else:
                person = self.new_person(person_id, by_culture)
            self.people.append(person)
            at = stamp(spread(rng, index, count))
            org_id = person.org.id if person.org else None
            rows.append((person_id, at, at, person.name, self.person_key(person.name), org_id))
            position = 0
            for mail in person.emails:
                points.append((person_id, "email", mail, email_key(mail), position))
                position += 1
            for phone in person.phones:
                value, key = self.phone_point(phone)
                points.append((person_id, "phone", value, key, position))
                position += 1
            if len(rows) == CHUNK:
                yield rows, points
                rows, points = [], []
        yield rows, points

    def person_key(self, name: str) -> str:
        key = self.name_keys.get(name)
        if key is None:
            key = self.name_keys[name] = person_key(name)
        return key

    def ascii_of(self, text: str) -> str:
        word = self.ascii.get(text)
        if word is None:
            word = self.ascii[text] = ascii_word(text)
        return word

    def full_name(self, culture: Culture, given: str, family: str) -> str:
        return f"{family} {given}" if culture.family_first else f"{given} {family}"

    def new_person(self, person_id: int, orgs_by_culture: dict[str, list[DemoOrg]]) -> DemoPerson:
        rnd, weights = self.rng.random, self.culture_weights
        culture = CULTURES[bisect(weights, rnd() * weights[-1])]
        given = culture.given[int(rnd() * len(culture.given))]
        family = culture.family[int(rnd() * len(culture.family))]
        if culture.double_family and rnd() < 0.5:
            family = f"{family} {culture.family[int(rnd() * len(culture.family))]}"
        org = None
        if rnd() < 0.65:  # most people work somewhere, usually in their own country
            orgs = self.orgs if rnd() < 0.15 else orgs_by_culture.get(culture.code) or self.orgs
            org = orgs[int(rnd() * len(orgs))]
        name = f"{family} {given}" if culture.family_first else f"{given} {family}"
        person = DemoPerson(person_id, culture, given, family, name, org, [], [])
        r = rnd()
        if r >= 0.08:
            person.emails.append(self.email(person, rnd() < 0.7))
            if r >= 0.85:
                person.emails.append(self.email(person, False))
        r = rnd()
        if r >= 0.25:
            person.phones.append(self.phone(culture.phone))
            if r >= 0.85:
                person.phones.append(self.phone(culture.phone))
        return person

    def email(self, person: DemoPerson, work: bool) -> str:
        """An address nobody else in the demo has: a number is added to a name already taken."""
        rnd, known = self.rng.random, self.ascii
        g = known.get(person.given) or self.ascii_of(person.given)
        f = known.get(person.family) or self.ascii_of(person.family)
        if work and person.org is not None:
            local = WORK_MAIL[int(rnd() * len(WORK_MAIL))].format(g=g, f=f, i=g[:1])
            domain = person.org.domain
        else:
            local = HOME_MAIL[int(rnd() * len(HOME_MAIL))].format(g=g, f=f, i=g[:1])
            domains = person.culture.mail_domains
            domain = domains[int(rnd() * len(domains))]
        address = f"{local}@{domain}"
        uses = self.mail_uses.get(address, 0) + 1
        self.mail_uses[address] = uses
        return address if uses == 1 else f"{local}{uses}@{domain}"

    def phone(self, plan: PhonePlan) -> DemoPhone:
        """A number nobody else in the demo has: the plan is walked by a fixed prime step."""
        serial = self.phone_serials[plan.region]
        self.phone_serials[plan.region] = serial + 1
        span = 10**plan.digits
        spot = (serial * PHONE_STEP + self.phone_offsets[plan.region]) % (span * len(plan.prefixes))
        number = plan.prefixes[spot // span] + str(spot % span).zfill(plan.digits)
        return DemoPhone(plan, number, int(self.rng.random() * len(plan.formats)))

    def phone_point(self, phone: DemoPhone) -> tuple[str, str]:
        """The number as written and its key: from its digits when that is what normalize
        finds (an international form, or a national one of the region it assumes), else from
        normalize itself."""
        style = phone.plan.formats[phone.style]
        value = style.replace("X", "{}").format(*phone.number)
        if style.startswith("+") or phone.plan.region == self.region:
            return value, f"{phone.plan.code}{phone.number}"
        return value, phone_key(value, self.region)

    def person_twin(self, person_id: int, original: DemoPerson) -> tuple[DemoPerson, str]:
        """The person entered again, with the slips real inboxes are full of."""
        options = ["typo", "swapped name order"]
        if original.emails:
            options.append("e-mail casing")
        if original.phones and len(original.phones[0].plan.formats) > 1:
            options.append("phone format")
        if strip_accents(original.name) != original.name:
            options.append("accents dropped")
        variation = self.pick(options)
        c = original.culture
        twin = DemoPerson(
            person_id, c, original.given, original.family, original.name, original.org
        )
        if variation == "typo":
            twin.name = self.typo(original.name)
            twin.emails = original.emails[:1]
        elif variation == "swapped name order":
            twin.name = self.full_name(c, original.family, original.given)
            twin.emails, twin.phones = original.emails[:1], original.phones[:1]
        elif variation == "e-mail casing":
            local, domain = original.emails[0].split("@")
            local = ".".join(part.capitalize() for part in local.split("."))
            twin.emails = [f"{local}@{domain.title()}"]
        elif variation == "phone format":
            first = original.phones[0]
            others = [s for s in range(len(first.plan.formats)) if s != first.style]
            twin.phones = [DemoPhone(first.plan, first.number, self.pick(others))]
        else:
            twin.name = strip_accents(original.name)
            twin.emails = original.emails[:1]
        return twin, variation
