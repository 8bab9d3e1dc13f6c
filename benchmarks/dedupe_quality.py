"""Quality and speed of duplicate detection (issue "Duplicates and merge").

    python benchmarks/dedupe_quality.py [--demo-leads 100000] [--contacts 1000000] [--quick]
    python benchmarks/dedupe_quality.py --write-labelled tests/data/dedupe_labelled.csv

Reports precision and recall on pairs (every pair of records the scan puts in one group, against
every pair of records that are truly one) for people and organisations:

- on the labelled set ``tests/data/dedupe_labelled.csv``: people and organisations typed again
  with the slips real inboxes are full of (typos, swapped first and last names, nicknames, e-mail
  case, phone formats, legal forms, accents), among namesakes and look-alikes that are someone
  else. ``--write-labelled`` makes it again from ``SEED`` (it is checked in, so it only changes
  on purpose);
- on the demo generator's recorded near-duplicates (``DemoTwin``).

Then it times the full scan of the demo inbox (``--demo-leads`` leads with their contacts, budget
10 s), in this process and in a process of its own as the app runs it, and live suggestions
against ``--contacts`` people (budget 50 ms each): whether the person typed (whole, half, with a
slip in the first or another word, last name first, by e-mail or phone) is among the five offered.
``benchmarks/bench_duplicates_screen.py`` measures the scan through the app. Not part of the
test run: it takes a few minutes.
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import statistics
import sys
import tempfile
import time
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from leadbox_tui.services.demo import build_demo
from leadbox_tui.services.duplicates import scan_duplicates, suggest_people
from leadbox_tui.services.normalize import (
    email_key,
    fold,
    organization_key,
    person_key,
    phone_key,
)
from leadbox_tui.services.scan_process import scan_in_process
from leadbox_tui.services.session import close_database, open_inbox
from leadbox_tui.store.models import (
    ContactPoint,
    DemoTwin,
    Lead,
    Organization,
    Person,
    database_proxy,
)

NOT_DECOMPOSED = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "ß": "ss"})
LABELLED = Path(__file__).parent.parent / "tests" / "data" / "dedupe_labelled.csv"
SEED = 20261122
SCAN_BUDGET = 10.0
SUGGEST_BUDGET = 0.050
PRECISION_AIM, RECALL_AIM = 0.95, 0.90

# -- the labelled set ------------------------------------------------------------------------

FIRST = (
    "Jean Marie Pierre Sophie Nicolas Isabelle Philippe Nathalie Stéphane Valérie Frédéric "
    "Céline Sébastien Hélène Christophe Aurélie Thomas Camille Julien Émilie Mathieu Chloé "
    "Antoine Léa François Élodie Benoît Solène Jérôme Agnès Louis Louise Hugo Manon Arthur "
    "Juliette Gabriel Inès Raphaël Margaux Maxime Clémence Guillaume Pauline Vincent Mélanie "
    "Yannick Sandrine Olivier Delphine Laurent Florence Thierry Véronique Bruno Corinne "
    "Robert William Katherine Elizabeth Michael Jennifer James Margaret Richard Susan Andrew "
    "Rebecca Daniel Victoria Edward Patricia Anthony Olivia Benjamin Emily George Charlotte "
    "Harry Amelia Oliver Isla Jack Grace Henry Sophia Samuel Hannah Jürgen Sabine Wolfgang Ute "
    "Björn Heike Lukas Anja Günter Friederike Maximilian Katharina Stefan Birgit Matthias "
    "Claudia Tobias Julia Florian Lena José María Javier Lucía Álvaro Carmen Sergio Elena "
    "Pablo Marta João Conceição Tiago Beatriz Giuseppe Francesca Alessandro Chiara Lorenzo "
    "Giulia Krzysztof Małgorzata Paweł Agnieszka Tomasz Katarzyna Piet Annelies Daan Sanne"
).split()
LAST = (
    "Dupont Martin Bernard Dubois Durand Lefèvre Moreau Laurent Girard Fournier Mercier Rousseau "
    "Blanc Guérin Chevalier Faure Gauthier Perrin Robin Morin Lemaire Bonnet Roussel Fontaine "
    "Lambert Bertrand Garnier Legrand Boyer Mathieu Clément Gaillard Barbier Arnaud Renard "
    "Marchand Leclerc Picard Aubert Brunet Vasseur Colin Masson Sanchez Noël Roche Caron "
    "Smith Johnson Williams Brown Taylor Wilson Thompson Walker Robinson Clarke Wright Hughes "
    "Edwards Green Hall Wood Harris Lewis Jackson Turner Cooper Ward Morgan Bennett Bailey "
    "Müller Schmidt Schneider Fischer Weber Wagner Becker Hoffmann Schäfer Koch Richter Klein "
    "Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann Hartmann Lange Krause "
    "García Fernández López Martínez Sánchez Pérez Gómez Ruiz Díaz Moreno Jiménez Álvarez "
    "Romero Navarro Torres Domínguez Rossi Russo Bianchi Romano Colombo Ricci Marino Greco "
    "Bruno Gallo Conti Esposito Nowak Kowalski Wiśniewski Wójcik Kamiński Lewandowski "
    "Zieliński Szymański Silva Santos Ferreira Pereira Oliveira Costa Rodrigues Almeida "
    "Janssen Visser Smit Meijer Mulder Bakker Vos Peters Hendriks Dekker"
).split()
NICKNAMES = {
    "Robert": "Bob",
    "William": "Bill",
    "Katherine": "Kate",
    "Elizabeth": "Liz",
    "Michael": "Mike",
    "Jennifer": "Jenny",
    "James": "Jim",
    "Margaret": "Maggie",
    "Richard": "Rick",
    "Susan": "Sue",
    "Andrew": "Andy",
    "Rebecca": "Becky",
    "Daniel": "Dan",
    "Victoria": "Vicky",
    "Edward": "Ted",
    "Patricia": "Trish",
    "Anthony": "Tony",
    "Benjamin": "Ben",
    "Nicolas": "Nico",
    "Maximilian": "Max",
    "Stéphane": "Steph",
}
TRADES = (
    "Plomberie Consulting Logistics Holzbau Immobilier Software Conseil Transports Électricité "
    "Analytics Robotics Menuiserie Architecture Paysages Traiteur Maschinenbau Brewing Design "
    "Médical Énergies Rénovation Informatique Assurances Textiles"
).split()
WORDS = (
    "Atlas Horizon Azur Nordic Alpine Étoile Sirius Orion Zenith Vertex Delta Quartz Cèdre "
    "Boréal Helios Lumière Pacific Granite Opale Riviera Summit Kestrel Saphir"
).split()
CULTURES = (  # (legal forms, web domain ending, free mail, phone formats of 10-digit plans)
    (("SARL", "SAS", "SA", "S.A.R.L.", "EURL"), "fr", ("gmail.com", "orange.fr", "free.fr")),
    (("GmbH", "AG", "GmbH & Co. KG", "UG"), "de", ("gmx.de", "web.de", "gmail.com")),
    (("Ltd", "Ltd.", "Limited", "PLC"), "co.uk", ("gmail.com", "hotmail.co.uk", "outlook.com")),
    (("Inc.", "LLC", "Corp.", "Corporation"), "com", ("gmail.com", "yahoo.com", "icloud.com")),
    (("S.L.", "SA", "SL"), "es", ("gmail.com", "hotmail.es", "telefonica.net")),
    (("Sp. z o.o.", "S.A."), "pl", ("wp.pl", "onet.pl", "gmail.com")),
)
PHONE_FORMATS = {  # one number, written the ways people write it
    "fr": ("0{a} {b} {c} {d} {e}", "+33 {a} {b} {c} {d} {e}", "0{a}.{b}.{c}.{d}.{e}",
           "0{a}{b}{c}{d}{e}", "+33 (0){a} {b} {c} {d} {e}", "0033 {a}{b}{c}{d}{e}"),
    "de": ("+49 {a}{b} {c}{d}{e}", "+49 (0){a}{b} {c}{d}{e}", "+49-{a}{b}-{c}{d}{e}"),
    "uk": ("+44 {a}{b} {c}{d} {e}", "+44 (0){a}{b} {c} {d}{e}", "0044 {a}{b}{c}{d}{e}"),
    "us": ("+1 ({a}{b}) {c}-{d}{e}", "+1 {a}{b}-{c}-{d}{e}", "+1.{a}{b}.{c}.{d}{e}"),
}  # fmt: skip
PHONE_PLANS = {"fr": "6", "de": "30", "uk": "20", "us": "415"}
KEYBOARD = {  # the key beside each letter, on the row it sits on
    row[i]: row[i + 1] if i + 1 < len(row) else row[i - 1]
    for row in ("qwertyuiop", "asdfghjkl", "zxcvbnm")
    for i in range(len(row))
}


@dataclass
class Row:
    """One record of the labelled set; rows of one ``cluster`` are one real person or company."""

    row: int
    kind: str  # person or organization
    cluster: int
    name: str
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    organization: int | None = None  # the row of the person's organisation
    website: str = ""
    variation: str = "original"


def strip_accents(text: str) -> str:
    bare = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in bare if not unicodedata.combining(ch)).translate(NOT_DECOMPOSED)


def ascii_word(text: str) -> str:
    return "".join(ch for ch in strip_accents(text).lower() if ch.isascii() and ch.isalnum())


class Labeller:
    """Makes the labelled set: originals, their twins, and people who merely look alike."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.rows: list[Row] = []
        self.taken: set[str] = set()
        self.numbers: set[str] = set()

    def add(self, **fields: object) -> Row:
        row = Row(row=len(self.rows) + 1, **fields)  # type: ignore[arg-type]
        self.rows.append(row)
        return row

    def typo(self, text: str) -> str:
        """One slip: letters swapped, dropped, doubled or a neighbour key hit, anywhere but the
        very first letter."""
        rng = self.rng
        spots = [i for i in range(1, len(text)) if text[i].isalpha()]
        i = rng.choice(spots)
        kind = rng.randrange(4)
        if kind == 0 and i + 1 < len(text) and text[i + 1].isalpha():
            return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
        if kind == 1:
            return text[:i] + text[i + 1 :]
        if kind == 2:
            return text[:i] + text[i] + text[i:]
        hit = KEYBOARD.get(text[i].lower(), text[i])
        return text[:i] + (hit.upper() if text[i].isupper() else hit) + text[i + 1 :]

    def phone(self, country: str) -> tuple[str, dict[str, str]]:
        while True:
            digits = PHONE_PLANS[country] + "".join(
                str(self.rng.randrange(10)) for _ in range(10 - len(PHONE_PLANS[country]))
            )
            if country == "fr":
                digits = digits[:9]
            if digits not in self.numbers:
                self.numbers.add(digits)
                break
        if country == "fr":
            parts = dict(a=digits[0], b=digits[1:3], c=digits[3:5], d=digits[5:7], e=digits[7:9])
        else:
            parts = dict(a=digits[0], b=digits[1:3], c=digits[3:6], d=digits[6:8], e=digits[8:])
        return country, parts

    def written(self, phone: tuple[str, dict[str, str]], style: int) -> str:
        country, parts = phone
        formats = PHONE_FORMATS[country]
        return formats[style % len(formats)].format(**parts)

    def email(self, first: str, last: str, domain: str) -> str:
        f, name = ascii_word(first), ascii_word(last)
        local = self.rng.choice((f"{f}.{name}", f"{f[0]}{name}", f"{f}{name}", f"{name}.{f}"))
        address, n = f"{local}@{domain}", 1
        while address in self.taken:
            n += 1
            address = f"{local}{n}@{domain}"
        self.taken.add(address)
        return address

    def organizations(self, count: int) -> list[tuple[Row, tuple]]:
        """Companies of different names (one name is one company, as in a register), some of
        them alike: "Martin Plomberie" and "Morin Plomberie" are two."""
        made: list[tuple[Row, tuple]] = []
        bases: set[str] = set()
        for cluster in range(1, count + 1):
            culture = self.rng.choice(CULTURES)
            while True:
                trade = self.rng.choice(TRADES)
                base = self.rng.choice(
                    (
                        f"{self.rng.choice(LAST)} {trade}",
                        f"{trade} {self.rng.choice(LAST)}",
                        f"{self.rng.choice(WORDS)} {trade}",
                        f"{self.rng.choice(LAST)} & {self.rng.choice(LAST)}",
                    )
                )
                if organization_key(base) not in bases:
                    bases.add(organization_key(base))
                    break
            name = f"{base} {self.rng.choice(culture[0])}" if self.rng.random() < 0.7 else base
            domain = f"{ascii_word(base)}.{culture[1]}"
            website = self.rng.choice((f"https://www.{domain}", f"www.{domain}", domain, ""))
            row = self.add(kind="organization", cluster=cluster, name=name, website=website)
            made.append((row, (base, culture, domain)))
        for original, (base, culture, _) in self.rng.sample(made, count // 4):
            self.org_twin(original, base, culture)
        return made

    def org_twin(self, original: Row, base: str, culture: tuple) -> None:
        name = original.name
        options = ["typo", "legal form", "upper case"]
        options += ["accents dropped"] * (strip_accents(name) != name)
        options += ["'et' for '&'"] * ("&" in name)
        variation = self.rng.choice(options)
        if variation == "typo":
            name = self.typo(name)
        elif variation == "legal form":  # dropped, added or another one
            forms = [form for form in culture[0] if not name.endswith(form)]
            dropped = name != base and self.rng.random() < 0.5
            name = base if dropped else f"{base} {self.rng.choice(forms)}"
        elif variation == "upper case":
            name = name.upper()
        elif variation == "accents dropped":
            name = strip_accents(name)
        else:
            name = name.replace("&", "et")
        website = original.website if self.rng.random() < 0.5 else ""
        self.add(kind="organization", cluster=original.cluster, name=name, website=website,
                 variation=variation)  # fmt: skip

    def people(self, count: int, orgs: list[tuple[Row, tuple]], first_cluster: int) -> None:
        rng = self.rng
        made = []
        for n in range(count):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            org = rng.choice(orgs) if rng.random() < 0.6 else None
            free_mail = org[1][1][2] if org else rng.choice(CULTURES)[2]
            emails = []
            if rng.random() < 0.85:
                at_work = org is not None and rng.random() < 0.7
                emails.append(
                    self.email(first, last, org[1][2] if at_work else rng.choice(free_mail))
                )
            phone = None
            if rng.random() < 0.7:
                phone = (self.phone(rng.choice(("fr", "fr", "de", "uk", "us"))), rng.randrange(9))
            row = self.add(
                kind="person",
                cluster=first_cluster + n,
                name=f"{first} {last}",
                emails=tuple(emails),
                phones=(self.written(*phone),) if phone else (),
                organization=org[0].row if org else None,
            )
            made.append((row, first, last, phone))
        for original, first, last, phone in rng.sample(made, count // 4):
            self.person_twin(original, first, last, phone)

    def person_twin(self, original: Row, first: str, last: str, phone: tuple | None) -> None:
        """The same person typed again: one slip, and only some of their details kept."""
        rng = self.rng
        name, emails, phones = original.name, original.emails, original.phones
        options = ["typo", "swapped names", "upper case"]
        options += ["nickname"] * (first in NICKNAMES)
        options += ["e-mail case"] * bool(emails)
        options += ["phone format"] * bool(phone)
        options += ["accents dropped"] * (strip_accents(name) != name)
        variation = rng.choice(options)
        if variation == "typo":
            name = self.typo(name)
        elif variation == "swapped names":
            name = f"{last} {first}" if rng.random() < 0.5 else f"{last.upper()} {first}"
        elif variation == "nickname":
            name = f"{NICKNAMES[first]} {last}"
        elif variation == "e-mail case":
            emails = tuple(e.upper() if rng.random() < 0.5 else e.title() for e in emails)
        elif variation == "phone format":
            number, style = phone
            phones = (self.written(number, style + 1 + rng.randrange(2)),)
        elif variation == "accents dropped":
            name = strip_accents(name)
        else:
            name = name.upper()
        if variation != "e-mail case" and rng.random() < 0.35:
            emails = ()
        if variation != "phone format" and rng.random() < 0.5:
            phones = ()
        organization = original.organization if rng.random() < 0.7 else None
        if not (emails or phones or organization):  # a bare name is anyone's
            organization = original.organization
        self.add(kind="person", cluster=original.cluster, name=name, emails=emails,
                 phones=phones, organization=organization, variation=variation)  # fmt: skip


def make_labelled(seed: int = SEED, people: int = 2_400, organizations: int = 600) -> list[Row]:
    labeller = Labeller(seed)
    orgs = labeller.organizations(organizations)
    labeller.people(people, orgs, first_cluster=organizations + 1)
    return labeller.rows


COLUMNS = ("row", "kind", "cluster", "name", "emails", "phones", "organization", "website",
           "variation")  # fmt: skip


def write_labelled(rows: Iterable[Row], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(COLUMNS)
        for r in rows:
            emails, phones = "|".join(r.emails), "|".join(r.phones)
            org = r.organization or ""
            out.writerow((r.row, r.kind, r.cluster, r.name, emails, phones, org, r.website,
                          r.variation))  # fmt: skip


def read_labelled(path: Path) -> list[Row]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [
            Row(
                row=int(r["row"]),
                kind=r["kind"],
                cluster=int(r["cluster"]),
                name=r["name"],
                emails=tuple(filter(None, r["emails"].split("|"))),
                phones=tuple(filter(None, r["phones"].split("|"))),
                organization=int(r["organization"]) if r["organization"] else None,
                website=r["website"],
                variation=r["variation"],
            )
            for r in csv.DictReader(handle)
        ]


def load_labelled(rows: list[Row]) -> dict[int, int]:
    """Writes the rows into the open inbox as an import that checked nothing would (each with a
    lead); returns the record id of each row."""
    ids: dict[int, int] = {}
    with database_proxy.atomic():
        for r in rows:
            if r.kind == "organization":
                ids[r.row] = Organization.create(
                    name=r.name, name_key=organization_key(r.name), website=r.website or None
                ).id
        for r in rows:
            if r.kind != "person":
                continue
            org = ids.get(r.organization) if r.organization else None
            pid = Person.create(name=r.name, name_key=person_key(r.name), organization=org).id
            points = [("email", e, email_key(e)) for e in r.emails]
            points += [("phone", p, phone_key(p, "FR")) for p in r.phones]
            for n, (kind, value, key) in enumerate(points):
                ContactPoint.create(person=pid, kind=kind, value=value, key=key, position=n)
            Lead.create(title=f"{r.name} lead", person=pid, organization=org)
            ids[r.row] = pid
    return ids


# -- measuring -------------------------------------------------------------------------------


def pairs_of(clusters: Iterable[Iterable[int]]) -> set[tuple[int, int]]:
    return {pair for ids in clusters for pair in combinations(sorted(set(ids)), 2)}


def quality(found: set[tuple[int, int]], truth: set[tuple[int, int]]) -> tuple[float, float]:
    hits = len(found & truth)
    return hits / max(len(found), 1), hits / max(len(truth), 1)


def report(title: str, kind: str, found: set, truth: set) -> tuple[float, float]:
    precision, recall = quality(found, truth)
    verdict = "ok" if precision >= PRECISION_AIM and recall >= RECALL_AIM else "BELOW AIM"
    counts = f"{len(found & truth)} of {len(truth)} true pairs, {len(found)} found"
    print(f"  {title:<22} {kind:<13} precision {precision:.3f}  recall {recall:.3f}  "
          f"({counts})  {verdict}")  # fmt: skip
    return precision, recall


def scanned_pairs(kind: str) -> set[tuple[int, int]]:
    return pairs_of(g.ids for g in scan_duplicates(kinds=(kind,)) if g.kind == kind)


def labelled_quality(folder: Path) -> None:
    rows = read_labelled(LABELLED)
    open_inbox(str(folder / "labelled.db"))
    ids = load_labelled(rows)
    for kind in ("person", "organization"):
        clusters: dict[int, list[int]] = defaultdict(list)
        for r in rows:
            if r.kind == kind:
                clusters[r.cluster].append(ids[r.row])
        report("labelled set", kind, scanned_pairs(kind), pairs_of(clusters.values()))
    close_database()


def demo_quality_and_scan(folder: Path, leads: int) -> None:
    open_inbox(str(folder / "demo.db"))
    started = time.perf_counter()
    summary = build_demo(leads, seed=1)
    print(f"  demo of {leads:,} leads built in {time.perf_counter() - started:.1f} s: "
          f"{summary.people:,} people, {summary.organizations:,} organisations")  # fmt: skip
    close_database()  # the scan reads an inbox at rest, its write-ahead log checkpointed
    open_inbox(str(folder / "demo.db"))
    truth: dict[str, dict[int, set[int]]] = {
        "person": defaultdict(set),
        "organization": defaultdict(set),
    }
    for kind, original, twin in DemoTwin.select(
        DemoTwin.kind, DemoTwin.original_id, DemoTwin.twin_id
    ).tuples():
        truth[kind][original] |= {original, twin}
    stages: list[tuple[float, str]] = []
    started, cpu = time.perf_counter(), time.process_time()
    groups = scan_duplicates(
        progress=lambda done, total, stage: stages.append((time.perf_counter(), stage))
    )
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    for kind in ("person", "organization"):
        found = pairs_of(g.ids for g in groups if g.kind == kind)
        report("demo twins (DemoTwin)", kind, found, pairs_of(truth[kind].values()))
    verdict = "ok" if wall < SCAN_BUDGET else "OVER BUDGET"
    print(f"  full scan of {leads:,} leads with their contacts: {wall:.2f} s ({cpu:.2f} s "
          f"of CPU), {len(groups):,} groups, budget {SCAN_BUDGET:.0f} s  {verdict}")  # fmt: skip
    firsts: dict[str, float] = {}
    for at, stage in stages:
        firsts.setdefault(stage, at)
    marks = list(firsts.items()) + [("end", started + wall)]
    print(
        "    "
        + ", ".join(
            f"{s.lower()} {b - a:.2f} s" for (s, a), (_, b) in zip(marks, marks[1:], strict=False)
        )
    )
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    in_process = scan_in_process(str(folder / "demo.db"))
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime
    same = "the same groups" if in_process == groups else "OTHER GROUPS"
    verdict = "ok" if wall < SCAN_BUDGET else "OVER BUDGET"
    print(f"  the same scan in its own process, as the app runs it: {wall:.2f} s ({cpu:.2f} s of "
          f"CPU in the process), {same}  {verdict}")  # fmt: skip
    close_database()


def fill_contacts(count: int, rng: random.Random) -> list[tuple[str, str, str]]:
    """``count`` people with an e-mail and a phone each, written straight through the cursor;
    returns some of them as (name, e-mail, phone) to look up."""
    cursor = database_proxy.cursor()
    sample = []
    for start in range(0, count, 50_000):
        people, points = [], []
        for pid in range(start + 1, min(start + 50_000, count) + 1):
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            if rng.random() < 0.5:
                name += f"-{rng.choice(LAST)}"
            mail = f"{ascii_word(name)}{pid}@example.com"
            digits = f"{pid:08d}"
            phone = f"+33 6 {digits[:2]} {digits[2:4]} {digits[4:6]} {digits[6:]}"
            people.append((pid, name, person_key(name)))
            points.append((pid, "email", mail, email_key(mail), 0))
            points.append((pid, "phone", phone, phone_key(phone, "FR"), 1))
            if rng.random() < 200 / count:
                sample.append((name, mail, phone))
        cursor.executemany(
            "INSERT INTO person (id, created_at, updated_at, name, name_key) "
            "VALUES (?, '2026-01-01', '2026-01-01', ?, ?)",
            people,
        )
        cursor.executemany(
            "INSERT INTO contact_point (person_id, kind, value, key, position) "
            "VALUES (?, ?, ?, ?, ?)",
            points,
        )
    return sample


def suggestion_speed(folder: Path, contacts: int) -> None:
    open_inbox(str(folder / "contacts.db"))
    rng = random.Random(SEED)
    started = time.perf_counter()
    with database_proxy.atomic():
        sample = fill_contacts(contacts, rng)
    database_proxy.execute_sql("ANALYZE")
    took = time.perf_counter() - started
    print(f"  {contacts:,} people with an e-mail and a phone written in {took:.0f} s")
    labeller = Labeller(SEED)
    cases: dict[str, list[tuple[str, dict, str | None]]] = defaultdict(list)
    for name, mail, phone in sample:
        first, rest = name.split(" ", 1)
        slipped_first = labeller.typo(first) if len(first) > 2 else first
        for case, typed, kwargs in (
            ("the whole name", name, {}),
            ("half typed", name[: max(2, len(name) // 2)], {}),
            ("a slip anywhere", labeller.typo(name), {}),
            ("a slip in the first word", f"{slipped_first} {rest}", {}),
            ("a slip in another word", f"{first} {labeller.typo(rest)}", {}),
            ("last name first", f"{rest} {first}", {}),
            ("last name first, a slip in the first name", f"{rest} {slipped_first}", {}),
            ("the e-mail in capitals", "", {"emails": [mail.upper()]}),
            (
                "the phone written another way",
                "",
                {"phones": [phone.replace(" ", "").replace("+33", "0")]},
            ),
        ):
            # whether the person is among the suggestions (not for half a name: many fit it)
            cases[case].append((typed, kwargs, None if case == "half typed" else fold(name)))
    times, cpu = [], []
    print(f"  suggestions against {contacts:,} people: the person among the 5 offered, and time")
    for case, looks in cases.items():
        found, mine = 0, []
        for typed, kwargs, wanted in looks:
            started, used = time.perf_counter(), time.process_time()
            offered = suggest_people(typed, **kwargs)
            mine.append(time.perf_counter() - started)
            cpu.append(time.process_time() - used)
            found += wanted is not None and any(fold(o.name) == wanted for o in offered)
        times += mine
        share = "" if looks[0][2] is None else f"found {found}/{len(looks)}"
        print(f"    {case:<43} {share:<15} median {statistics.median(mine) * 1000:5.1f} ms, "
              f"slowest {max(mine) * 1000:5.1f} ms")  # fmt: skip
    times.sort()
    cpu.sort()
    verdict = "ok" if times[-1] < SUGGEST_BUDGET else "OVER BUDGET"
    print(f"  all {len(times)} look-ups: median {statistics.median(times) * 1000:.1f} ms, "
          f"95th percentile {times[int(len(times) * 0.95)] * 1000:.1f} ms, slowest "
          f"{times[-1] * 1000:.1f} ms (CPU: median {statistics.median(cpu) * 1000:.1f}, 95th "
          f"percentile {cpu[int(len(cpu) * 0.95)] * 1000:.1f}, slowest {cpu[-1] * 1000:.1f} ms); "
          f"budget {SUGGEST_BUDGET * 1000:.0f} ms for the slowest  {verdict}")  # fmt: skip
    close_database()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--demo-leads", type=int, default=100_000)
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true", help="10,000 leads, 100,000 contacts")
    parser.add_argument("--write-labelled", type=Path, metavar="CSV")
    args = parser.parse_args()
    if args.write_labelled:
        rows = make_labelled()
        write_labelled(rows, args.write_labelled)
        print(f"wrote {len(rows):,} rows to {args.write_labelled}")
        return 0
    if args.quick:
        args.demo_leads, args.contacts = 10_000, 100_000
    with tempfile.TemporaryDirectory(prefix="leadbox-dedupe-") as folder:
        print("Duplicate detection: quality on pairs, and speed")
        labelled_quality(Path(folder))
        demo_quality_and_scan(Path(folder), args.demo_leads)
        suggestion_speed(Path(folder), args.contacts)
    return 0


if __name__ == "__main__":
    sys.exit(main())
