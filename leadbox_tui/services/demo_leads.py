"""Demo leads and what hangs on them: labels, activities, notes with mentions, e-mails.

The loop that makes a lead runs a million times for the benchmark inbox, so it keeps its
lookups in local names and draws from precomputed tables; what it writes follows the services'
own definitions (``label_names_key`` for the label sort key, the activity status rules of
``services.activities`` for ``next_activity_at``).
"""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from typing import TypeVar

from leadbox_tui.services.activities import END_OF_DAY
from leadbox_tui.services.demo_contacts import SPAN_SECONDS, DemoClock, DemoOrg, DemoPerson
from leadbox_tui.services.demo_pools import (
    ACTIVITY_SUBJECTS,
    CULTURES,
    EMAIL_SUBJECTS,
    MENTION_NOTES,
    NOTES,
    TOPICS,
)
from leadbox_tui.services.leads import SOURCES, default_title
from leadbox_tui.services.normalize import minor_exponent
from leadbox_tui.services.users import UserInfo

T = TypeVar("T")

DUE_BY_DEFAULT = END_OF_DAY.isoformat()  # when an activity with no time is due
SOURCE_WEIGHTS = {
    "Web forms": 22,
    "Manually created": 15,
    "Import": 14,
    "Prospector": 9,
    "E-mail": 8,
    "Live chat": 7,
    "Chatbot": 6,
    "Web visitors": 6,
    "API": 5,
    "Workflow automation": 4,
    "Deal": 4,
}
SOURCE_CUMULATIVE = list(accumulate(SOURCE_WEIGHTS[s] for s in SOURCES))
AMOUNTS = (500, 750, 1_200, 1_500, 2_400, 3_000, 4_800, 7_500, 9_900, 12_000, 18_000, 25_000)
AMOUNTS += (40_000, 60_000, 95_000, 150_000, 250_000)
YEN_PER_UNIT = 150  # amounts are drawn in euro-sized units
TIMES = tuple(f"{h:02}:{m:02}:00" for h in range(8, 19) for m in (0, 30))
LATE_TIMES = ("16:00:00", "17:00:00", "17:30:00", "18:00:00", "19:00:00")
LOWER_TOPICS = tuple(topic.lower() for topic in TOPICS)
MENTION_TEMPLATES = tuple((note, note.count("{handle")) for note in MENTION_NOTES)
ACTIVITY_CHOICES = tuple((k, s) for k, subjects in ACTIVITY_SUBJECTS.items() for s in subjects)
CURRENCIES = {
    c.code: (tuple(code for code, _ in c.currencies), list(accumulate(w for _, w in c.currencies)))
    for c in CULTURES
}
MINOR_UNITS = {
    code: 10 ** minor_exponent(code) if minor_exponent(code) else YEN_PER_UNIT
    for codes, _ in CURRENCIES.values()
    for code in codes
}


@dataclass(frozen=True)
class DemoTeam:
    """Who owns the demo leads, and the label sets they carry."""

    me: int
    me_email: str
    teammates: list[UserInfo]
    owners: list[int | None]
    owner_weights: list[int]  # cumulative
    label_sets: list[tuple[tuple[int, ...], str]]  # (label ids, the lead's label_names)
    label_set_weights: list[int]  # cumulative


@dataclass
class LeadRows:
    """The rows of one chunk of leads, each in the column order of ``demo.COLUMNS``."""

    leads: list[tuple] = field(default_factory=list)
    labels: list[tuple] = field(default_factory=list)
    activities: list[tuple] = field(default_factory=list)
    notes: list[tuple] = field(default_factory=list)
    mentions: list[tuple] = field(default_factory=list)
    emails: list[tuple] = field(default_factory=list)


class LeadMaker:
    """Draws leads oldest first, so their ids follow their creation times as in a real inbox."""

    def __init__(
        self,
        rng: random.Random,
        clock: DemoClock,
        team: DemoTeam,
        people: Sequence[DemoPerson],
        orgs: Sequence[DemoOrg],
        first_id: int,
        first_note_id: int,
    ) -> None:
        self.rng = rng
        self.clock = clock
        self.team = team
        self.people = people
        self.orgs = orgs
        self.first_id = first_id
        self.next_note = first_note_id

    def pick(self, items: Sequence[T]) -> T:
        return items[int(self.rng.random() * len(items))]

    def rows(self, start: int, stop: int, count: int) -> LeadRows:
        """Leads ``start`` to ``stop`` of ``count``."""
        rng, rnd, team, out = self.rng, self.rng.random, self.team, LeadRows()
        size = stop - start
        owners = rng.choices(team.owners, cum_weights=team.owner_weights, k=size)
        sources = rng.choices(SOURCES, cum_weights=SOURCE_CUMULATIVE, k=size)
        label_sets = rng.choices(team.label_sets, cum_weights=team.label_set_weights, k=size)
        topics = rng.choices(TOPICS, k=size)
        amounts = rng.choices(AMOUNTS, k=size)
        people, orgs = self.people, self.orgs
        n_people, n_orgs = len(people), len(orgs)
        clock = self.clock
        days, base, hms = clock.days, clock.base, clock.clock
        newest_day, newest_second = clock.newest_day, clock.newest_second
        add_lead, add_label = out.leads.append, out.labels.append
        activities, first_id = self.activities, self.first_id
        for j in range(size):
            i = start + j
            lead_id = first_id + i
            moment = (i + rnd()) / count
            age = int((1.0 - moment) ** 2 * SPAN_SECONDS)
            second = newest_second - age
            day = newest_day + second // 86_400
            second %= 86_400
            at = f"{days[day + base]} {hms[second]}"
            if rnd() < 0.2:  # an organisation with no contact person yet
                person = None
                org = orgs[int(moment * n_orgs)] if rnd() < 0.6 else orgs[int(rnd() * n_orgs)]
                culture = org.culture
            else:  # mostly a new contact, sometimes one who came back
                k = int(moment * n_people)
                person = people[k] if rnd() < 0.7 else people[int(rnd() * (k + 1))]
                org = person.org
                culture = person.culture
            if rnd() < 0.12:
                title = default_title(person.name if person else "", org.name if org else "")
            else:
                title = f"{topics[j]} – {org.name if org else person.name}"
            minor = currency = None
            if rnd() < 0.75:
                codes, weights = CURRENCIES[culture.code]
                currency = codes[bisect(weights, rnd() * weights[-1])]
                minor = amounts[j] * MINOR_UNITS[currency]
            close = days[base + int(rnd() * 171) - 20] if rnd() < 0.55 else None
            owner = owners[j]
            archived = None
            if day < -90 and rnd() < 0.04:
                archived = f"{days[day + 30 + base]} {hms[second]}"
            label_ids, label_names = label_sets[j]
            add_lead(
                (lead_id, at, at, title, person.id if person else None, org.id if org else None,
                 minor, currency, close, owner, sources[j], "auto",
                 "owner" if rnd() < 0.08 else "everyone",
                 rnd() < (0.92 if day < -7 else 0.35),
                 archived, activities(lead_id, at, -day, owner, out), label_names)
            )  # fmt: skip
            for label_id in label_ids:
                add_label((lead_id, label_id))
            if rnd() < 0.18:
                self.notes(lead_id, age, person, org, owner or team.me, out)
            if person is not None and person.emails:
                if sources[j] == "E-mail":
                    self.email(lead_id, age, "in", person, out)
                elif rnd() < 0.02:
                    self.email(lead_id, age, "out", person, out)
        return out

    def activities(
        self, lead_id: int, at: str, age_days: int, owner: int | None, out: LeadRows
    ) -> str | None:
        """The lead's activities; returns when the earliest open one is due, as the inbox
        sorts it (``services.activities.refresh_next_activity``): none, overdue, today, planned."""
        rnd, add = self.rng.random, out.activities.append
        days, base, kinds, times = self.clock.days, self.clock.base, ACTIVITY_CHOICES, TIMES
        if age_days >= 2 and rnd() < 0.15:  # one done in the past
            kind, subject = kinds[int(rnd() * len(kinds))]
            done_day = days[base - 1 - int(rnd() * min(age_days - 1, 60))]
            hour = times[int(rnd() * len(times))]
            add((at, at, kind, subject, done_day, hour, f"{done_day} {hour}", owner, lead_id))
        r = rnd()
        if r < 0.28:
            return None
        if r < 0.48 and age_days >= 1:  # overdue
            offset = -1 - int(rnd() * min(45, age_days))
            hour = times[int(rnd() * len(times))] if rnd() < 0.5 else None
        elif r < 0.58:  # due today
            offset = 0
            hour = LATE_TIMES[int(rnd() * len(LATE_TIMES))] if rnd() < 0.4 else None
        else:  # planned
            offset = 1 + int(rnd() * 45)
            hour = times[int(rnd() * len(times))] if rnd() < 0.6 else None
        kind, subject = kinds[int(rnd() * len(kinds))]
        due = days[base + offset]
        add((at, at, kind, subject, due, hour, None, owner, lead_id))
        if rnd() < 0.1:  # and a later one
            kind, subject = kinds[int(rnd() * len(kinds))]
            later = days[base + offset + 1 + int(rnd() * 20)]
            add(
                (at, at, kind, subject, later, times[int(rnd() * len(times))], None, owner, lead_id)
            )
        return f"{due} {hour or DUE_BY_DEFAULT}"

    def since(self, age: int) -> str:
        """A time between a record's creation, ``age`` seconds ago, and now."""
        return self.clock.stamp(int(age * self.rng.random()))

    def notes(
        self,
        lead_id: int,
        age: int,
        person: DemoPerson | None,
        org: DemoOrg | None,
        author: int,
        out: LeadRows,
    ) -> None:
        rnd, pick, team = self.rng.random, self.pick, self.team.teammates
        org = org or (person.org if person else None)
        for _ in range(2 if rnd() < 0.25 else 1):
            mentioned: list[UserInfo] = []
            if rnd() < 0.15:
                template, handles = pick(MENTION_TEMPLATES)
                first = int(rnd() * len(team))
                second = (first + 1 + int(rnd() * (len(team) - 1))) % len(team)
                mentioned = [team[first], team[second]][:handles]
            else:
                template = pick(NOTES)
            body = template.format(
                first=person.given if person else "their buyer",
                topic_lower=pick(LOWER_TOPICS),
                city=org.city if org else "them",
                handle=mentioned[0].handle if mentioned else "",
                handle2=mentioned[-1].handle if mentioned else "",
            )
            note_id = self.next_note
            self.next_note += 1
            when = self.since(age)
            out.notes.append((note_id, when, when, body, author, lead_id, rnd() < 0.05))
            out.mentions.extend((note_id, user.id) for user in mentioned)

    def email(
        self, lead_id: int, age: int, direction: str, person: DemoPerson, out: LeadRows
    ) -> None:
        """The message a lead came from, or one the seller sent about it."""
        topic = self.pick(LOWER_TOPICS)
        when = self.since(age)
        if direction == "in":
            sender, to, subject = person.emails[0], self.team.me_email, self.pick(EMAIL_SUBJECTS)
            if person.culture.code == "fr":
                body = (
                    f"Bonjour,\n\nPourriez-vous nous faire une offre : {topic} ?\n\nCordialement,\n"
                )
            else:
                body = f"Hello,\n\nCould you send us an offer for {topic}?\n\nBest regards,\n"
            body += person.name
        else:
            sender, to, subject = self.team.me_email, person.emails[0], f"Your project: {topic}"
            body = f"Dear {person.given},\n\nThank you for your time today.\n"
        message_id = f"<demo.{lead_id}.{direction}@mail.leadbox.example>"
        out.emails.append(
            (when, when, direction, sender, to, "", subject, when, body, message_id, lead_id)
        )
