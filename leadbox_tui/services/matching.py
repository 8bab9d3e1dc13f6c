"""The matching engine: how alike two people, organisations or leads are, and why. No database.

Names are compared in a canonical form (folded, nicknames read as the full first name, words also
sorted so that "Dupont Jean" is "Jean Dupont"); e-mails, phones and website domains count only
when they are exactly the same, and a free mail domain says nothing about an organisation.
Blocking keeps a scan linear: two records are compared only when they sit close together in one
of a few sort orders of their names, or share an exact e-mail, phone or domain.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, combinations
from operator import itemgetter
from string import digits as DIGITS
from typing import NamedTuple

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA
from rapidfuzz.utils import default_process

from leadbox_tui.services.normalize import fold, organization_key

Tick = Callable[[float], None]
"""Told how far a long step has gone (0 to 1); it may raise to stop the step."""

WINDOW = 6  # neighbours compared in each sort order
MAX_BUCKET = 40  # records sharing one e-mail, phone or domain beyond this are a switchboard
MAX_GROUP = 10  # beyond this a chain of look-alikes is not one contact typed ten ways
TICK_EVERY = 4_096

FREE_MAIL_DOMAINS = frozenset(
    (
        # worldwide
        "gmail.com googlemail.com ymail.com rocketmail.com msn.com aol.com icloud.com me.com "
        "mac.com proton.me protonmail.com pm.me mail.com zoho.com fastmail.com tutanota.com "
        "hey.com hushmail.com "
        # Europe
        "orange.fr wanadoo.fr free.fr sfr.fr neuf.fr laposte.net bbox.fr numericable.fr "
        "aliceadsl.fr club-internet.fr web.de t-online.de freenet.de arcor.de posteo.de "
        "bluewin.ch telefonica.net movistar.es sapo.pt iol.pt clix.pt wp.pl o2.pl onet.pl "
        "interia.pl libero.it virgilio.it tiscali.it alice.it tin.it ziggo.nl kpnmail.nl "
        "hetnet.nl planet.nl xs4all.nl skynet.be telenet.be btinternet.com sky.com "
        "virginmedia.com seznam.cz mail.ru inbox.ru list.ru bk.ru rambler.ru ukr.net "
        # Americas, Asia, Africa, Oceania
        "comcast.net verizon.net att.net sbcglobal.net cox.net earthlink.net charter.net "
        "optonline.net shaw.ca rogers.com sympatico.ca uol.com.br bol.com.br terra.com.br "
        "qq.com 163.com 126.com sina.com sohu.com foxmail.com naver.com daum.net hanmail.net "
        "rediffmail.com vnn.vn fpt.vn docomo.ne.jp ezweb.ne.jp nifty.com ocn.ne.jp "
        "biglobe.ne.jp so-net.ne.jp menara.ma bigpond.com optusnet.com.au xtra.co.nz"
    ).split()
)
FREE_MAIL_PROVIDERS = frozenset(
    "gmail googlemail yahoo hotmail outlook live msn aol icloud gmx yandex protonmail".split()
)
"""Providers with a domain in many countries (yahoo.fr, hotmail.co.uk, outlook.de...)."""
SHARED_MAILBOXES = frozenset(
    (
        "contact contacts info infos information hello hi bonjour accueil office admin sales "
        "vente ventes commercial support help service team equipe mail email enquiries "
        "inquiries reception secretariat direction compta accounting billing facturation rh hr "
        "jobs careers recrutement marketing press presse noreply no-reply webmaster kontakt"
    ).split()
)

NICKNAMES: dict[str, tuple[str, ...]] = {
    "robert": ("bob", "bobby", "rob", "robbie", "bert"),
    "william": ("bill", "billy", "will", "willy", "liam"),
    "richard": ("rick", "ricky", "dick", "rich", "richie"),
    "james": ("jim", "jimmy", "jamie"),
    "john": ("jack", "johnny", "jon"),
    "jonathan": ("jon", "jonny"),
    "michael": ("mike", "mikey", "mick"),
    "elizabeth": ("liz", "lizzie", "beth", "betty", "eliza", "lisa", "elisabeth"),
    "elisabeth": ("lisa", "babeth", "liesel", "elise"),
    "katherine": ("kate", "katie", "kathy", "kat", "kitty", "catherine", "kathryn"),
    "catherine": ("cathy", "cath", "kate", "katherine"),
    "katharina": ("kathi", "katja", "kati"),
    "margaret": ("maggie", "meg", "peggy", "margot"),
    "thomas": ("tom", "tommy", "thom"),
    "christopher": ("chris", "kit", "topher"),
    "christophe": ("chris", "cricri"),
    "christine": ("chris", "tina", "christina"),
    "nicholas": ("nick", "nicky", "nico"),
    "nicolas": ("nico", "nick"),
    "alexander": ("alex", "sasha", "xander", "alexandre"),
    "alexandra": ("alex", "sandra", "sasha", "alexandrine"),
    "anthony": ("tony", "antony"),
    "joseph": ("joe", "joey", "jo"),
    "daniel": ("dan", "danny"),
    "david": ("dave", "davy"),
    "edward": ("ed", "eddie", "ted", "ned"),
    "charles": ("charlie", "chuck"),
    "andrew": ("andy", "drew"),
    "benjamin": ("ben", "benji", "benny"),
    "samuel": ("sam", "sammy"),
    "matthew": ("matt", "matty"),
    "patrick": ("pat", "paddy"),
    "patricia": ("pat", "patty", "trish", "tricia"),
    "peter": ("pete",),
    "stephen": ("steve", "stevie", "steven"),
    "timothy": ("tim", "timmy"),
    "jennifer": ("jen", "jenny"),
    "rebecca": ("becky", "becca"),
    "susan": ("sue", "susie", "suzy"),
    "deborah": ("debbie", "deb", "debra"),
    "victoria": ("vicky", "tori"),
    "nathaniel": ("nate", "nathan"),
    "gregory": ("greg",),
    "jeffrey": ("jeff",),
    "kenneth": ("ken", "kenny"),
    "lawrence": ("larry", "laurence"),
    "ronald": ("ron", "ronnie"),
    "donald": ("don", "donnie"),
    "raymond": ("ray",),
    "frederick": ("fred", "freddie", "freddy"),
    "frederic": ("fred",),
    "francis": ("frank", "frankie"),
    "henry": ("harry", "hank"),
    "philip": ("phil", "philippe"),
    "douglas": ("doug",),
    "abigail": ("abby", "gail"),
    "pamela": ("pam",),
    "barbara": ("barb", "babs"),
    "dominique": ("dom",),
    "sebastien": ("seb",),
    "stephane": ("steph",),
    "stephanie": ("steph", "fanny"),
    "isabelle": ("isa", "isabel"),
    "valerie": ("val",),
    "emmanuel": ("manu",),
    "emmanuelle": ("manue",),
    "maxime": ("max",),
    "maximilian": ("max", "maxi"),
    "guillaume": ("guigui",),
    "johannes": ("hans", "johann", "jo"),
    "friedrich": ("fritz",),
    "wolfgang": ("wolf",),
}


def _nickname_maps() -> tuple[dict[str, str], dict[str, frozenset[str]], dict[str, tuple]]:
    """One canonical full name per name (the first group listing it), every name it may be, and
    the full names an ambiguous nickname may stand for ("max": maxime, maximilian)."""
    canonical: dict[str, str] = {}
    aliases: dict[str, set[str]] = defaultdict(set)
    for full, short in NICKNAMES.items():
        group = {full, *short}
        canonical.setdefault(full, full)
        for name in short:
            canonical.setdefault(name, full)
        for name in group:
            aliases[name] |= group

    def resolved(name: str) -> str:
        while canonical[name] != name:  # "cathy" is "catherine", which is "katherine"
            name = canonical[name]
        return name

    fulls: dict[str, list[str]] = defaultdict(list)
    for full, short in NICKNAMES.items():
        for name in short:
            if resolved(full) not in fulls[name]:
                fulls[name].append(resolved(full))
    canonical = {name: resolved(name) for name in canonical}
    ambiguous = {
        name: tuple(f for f in found if f != canonical[name])
        for name, found in fulls.items()
        if len(found) > 1
    }
    return canonical, {name: frozenset(group) for name, group in aliases.items()}, ambiguous


_CANONICAL, _ALIASES, _AMBIGUOUS = _nickname_maps()
ORG_STOPWORDS = frozenset("and et und the of le la les l de des du d".split())
LONG_LEGAL_FORMS = ("limited", "corporation", "incorporated", "company", "gmbh")
"""Legal forms long enough that a word one slip away from them is them, not a name."""


def canonical_token(token: str) -> str:
    """The full first name a nickname stands for ("bob" is "robert"); other words unchanged."""
    return _CANONICAL.get(token, token)


def aliases_of(token: str) -> frozenset[str]:
    """Every name that may be written for this one ("bob": robert, rob, bobby...) and itself."""
    return _ALIASES.get(token, frozenset((token,)))


def is_free_mail(domain: str) -> bool:
    domain = domain.strip(".").lower()
    return domain in FREE_MAIL_DOMAINS or domain.split(".", 1)[0] in FREE_MAIL_PROVIDERS


def is_shared_mailbox(email_key: str) -> bool:
    """contact@, info@, sales@...: an address a team shares, which says nothing of a person."""
    local = email_key.rpartition("@")[0].split("+", 1)[0]
    return local in SHARED_MAILBOXES


def email_domain(email_key: str) -> str:
    return email_key.rpartition("@")[2]


def company_domains(email_keys: Iterable[str]) -> frozenset[str]:
    """The domains of these e-mails that say where someone works (no gmail.com and the like)."""
    return frozenset(d for d in map(email_domain, email_keys) if d and not is_free_mail(d))


def website_domain(website: str | None) -> str:
    """ "https://www.Acme.com/contact" is "acme.com"; the form two websites are compared in."""
    text = (website or "").strip().lower()
    if "://" in text:
        text = text.split("://", 1)[1]
    for stop in "/?#":
        text = text.split(stop, 1)[0]
    text = text.rsplit("@", 1)[-1].split(":", 1)[0].strip(".")
    return text.removeprefix("www.")


class NameForm(NamedTuple):
    """A name as it is compared: its words with nicknames read as full names, in the typed order
    and sorted (a person's words only: "Dupont Jean" is "Jean Dupont", but "Johnson & Wright" is
    not "Wright & Johnson"); and sorted as typed, so "Liam" is not only "William"."""

    ordered: str
    sorted: str
    plain: str
    others: tuple[str, ...] = ()  # sorted, with an ambiguous nickname read another way

    @property
    def known(self) -> bool:
        return bool(self.sorted)


UNKNOWN_NAME = NameForm("", "", "")
_SEPARATORS = str.maketrans("", "", "._-+")
_LETTER = re.compile(r"[^\W\d_]")


@lru_cache(maxsize=1 << 16)  # an inbox repeats its common names thousands of times
def person_name_form(name: str) -> NameForm:
    """A person's name; one that is an e-mail address or has no letter tells nothing."""
    folded = fold(name)
    if "@" in name or not _LETTER.search(folded):
        return UNKNOWN_NAME
    typed = folded.split()
    canonical = [_CANONICAL.get(t, t) for t in typed]
    others = ()
    if not _AMBIGUOUS.keys().isdisjoint(typed):
        others = tuple(
            " ".join(sorted([*canonical[:i], other, *canonical[i + 1 :]]))
            for i, token in enumerate(typed)
            for other in _AMBIGUOUS.get(token, ())
        )
    return NameForm(
        " ".join(canonical), " ".join(sorted(canonical)), " ".join(sorted(typed)), others[:4]
    )


@lru_cache(maxsize=1 << 14)
def organization_name_form(name: str) -> NameForm:
    """An organisation's name without its legal form (even with a slip in a long one, such as
    "Limitd"), nor words such as "and" or "the"."""
    tokens = organization_key(name).split()
    while len(tokens) > 1 and any(OSA.distance(tokens[-1], f) <= 1 for f in LONG_LEGAL_FORMS):
        tokens.pop()
    key = " ".join([t for t in tokens if t not in ORG_STOPWORDS] or tokens)
    return NameForm(key, key, key)


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


class PersonRecord(NamedTuple):
    id: int
    name: str
    form: NameForm
    emails: frozenset[str]  # e-mail keys
    phones: frozenset[str]  # phone tails (see phone_tail)
    organization: str = ""  # the name form of the person's organisation


PHONE_TAIL = 9


def phone_tail(key: str) -> str:
    """The last nine digits of a phone key: the same number however its country was guessed
    ("0179 9984689" typed in a French inbox is +33, though it is German)."""
    return key[-PHONE_TAIL:]


def person_record(
    person_id: int,
    name: str,
    email_keys: Iterable[str] = (),
    phone_keys: Iterable[str] = (),
    organization: str = "",
) -> PersonRecord:
    """A person as the engine compares them, from their name, e-mail and phone keys and the
    name of their organisation."""
    return PersonRecord(
        person_id,
        name,
        person_name_form(name),
        frozenset(e for e in email_keys if not is_shared_mailbox(e)),
        frozenset(phone_tail(k) for k in phone_keys),
        organization_name_form(organization).sorted if organization else "",
    )


class OrganizationRecord(NamedTuple):
    id: int
    name: str
    form: NameForm
    website: str = ""  # website domain
    mail_domains: frozenset[str] = frozenset()  # company e-mail domains of its people

    @property
    def domains(self) -> frozenset[str]:
        return self.mail_domains | {self.website} if self.website else self.mail_domains


class LeadRecord(NamedTuple):
    id: int
    words: tuple[str, ...]  # of its title
    names: frozenset[str]  # the words of its person's and organisation's names
    topic: str  # its words less its names: what it is about
    person_id: int | None
    organization_id: int | None


def lead_record(
    lead_id: int, title: str, names: str, person_id: int | None, organization_id: int | None
) -> LeadRecord:
    """A lead as the engine compares it; ``names`` are those of its person and organisation."""
    words, skip = title_words(title), _name_words(names)
    topic = " ".join([w for w in words if w not in skip])
    return LeadRecord(lead_id, words, skip, topic, person_id, organization_id)


@lru_cache(maxsize=1 << 16)  # a contact's leads share its names
def _name_words(names: str) -> frozenset[str]:
    return frozenset(title_words(names))


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


_ACCENTS = re.compile("[\u0300-\u036f]+")


def title_words(text: str) -> tuple[str, ...]:
    """Lower-case words without accents or punctuation, fast: titles are read by the 100,000."""
    text = default_process(text)
    if not text.isascii():
        text = _ACCENTS.sub("", unicodedata.normalize("NFKD", text))
    return tuple(text.split())


def _topic(lead: LeadRecord, names: frozenset[str]) -> str:
    return " ".join([w for w in lead.words if w not in names])


def _lead_weight(by_person: bool) -> float:
    return 0.5 if by_person else 1.0


def _needed_topic(contact: Score, by_person: bool, floor: int) -> float:
    """How alike two leads' topics must be for their score to reach ``floor``."""
    return max(0.0, 100 - (contact.value - floor) / _lead_weight(by_person))


def _lead_score(contact: Score, topic: float, by_person: bool) -> Score:
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
    needed = _needed_topic(contact, by_person, floor)
    if twins:
        names = a.names | b.names
        ours, theirs = _topic(a, names), _topic(b, names)
    else:
        ours, theirs = a.topic, b.topic
    topic = fuzz.token_sort_ratio(ours, theirs, score_cutoff=needed)
    if needed > 0 and not topic:
        return None
    return _lead_score(contact, topic, by_person)


def _pair(x: int, y: int) -> tuple[int, int]:
    return (x, y) if x < y else (y, x)


class _Progress:
    """Counts comparisons against an estimate and tells ``tick`` now and then."""

    def __init__(self, tick: Tick | None, total: int) -> None:
        self.tick, self.total, self.done = tick, max(total, 1), 0

    def advance(self, amount: int) -> None:
        self.done += amount
        if self.tick is not None:
            self.tick(min(self.done / self.total, 1.0))


def window_pairs(
    keyed: Sequence[tuple[str, int, str]],
    cutoff: float,
    team_cutoff: float | None = None,
    window: int = WINDOW,
    progress: _Progress | None = None,
) -> set[tuple[int, int]]:
    """Sorted neighbourhood: pairs of records within ``window`` places of each other in key order
    whose keys are at least ``cutoff`` alike, or ``team_cutoff`` when both records have the
    same (non-empty) team: people of one organisation. Equal keys are left to buckets. Each
    record is compared with the next ones in one rapidfuzz call."""
    ordered = sorted(keyed, key=itemgetter(0))
    keys = [k for k, _, _ in ordered]
    ids = [i for _, i, _ in ordered]
    teams = [t for _, _, t in ordered]
    low = max(0.0, cutoff if team_cutoff is None else min(cutoff, team_cutoff))
    extract, ratio = process.extract, fuzz.ratio
    pairs: set[tuple[int, int]] = set()
    for start in range(0, len(keys), TICK_EVERY):
        stop = min(start + TICK_EVERY, len(keys))
        for i in range(start, stop):
            key, nearby = keys[i], keys[i + 1 : i + 1 + window]
            for _, alike, n in extract(key, nearby, scorer=ratio, score_cutoff=low, limit=None):
                j = i + 1 + n
                if key == keys[j] or ids[i] == ids[j]:
                    continue  # namesakes: see _namesake_buckets
                if alike >= cutoff or teams[i] == teams[j] != "":
                    pairs.add(_pair(ids[i], ids[j]))
        if progress is not None:
            progress.advance(stop - start)
    return pairs


def bucket_pairs(
    buckets: Iterable[Sequence[int]], max_size: int = MAX_BUCKET
) -> set[tuple[int, int]]:
    """Every pair within each bucket of records sharing a key, skipping oversized buckets."""
    pairs: set[tuple[int, int]] = set()
    for members in buckets:
        if 1 < len(members) <= max_size:
            pairs.update(combinations(sorted(set(members)), 2))
    return pairs


def _buckets(records: Iterable[tuple[int, Iterable[str]]]) -> list[list[int]]:
    """Records sharing a key, for the keys that two records or more share (a list is made only
    for those: most e-mails and phones belong to one record)."""
    first: dict[str, int] = {}
    shared: dict[str, list[int]] = {}
    for record_id, keys in records:
        for key in keys:
            owner = first.setdefault(key, record_id)
            if owner != record_id:
                shared.setdefault(key, [owner]).append(record_id)
    return list(shared.values())


def _namesake_buckets(
    records: Sequence[tuple[int, NameForm, str]], common: bool
) -> list[list[int]]:
    """Records of the very same name. When it is a ``common`` name (``COMMON_NAME`` records or
    more, too many to be one contact typed again) only namesakes of one team are compared: the
    others meet only through a shared e-mail or phone."""
    by_name: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for record_id, form, team in records:
        if form.known:
            by_name[form.sorted].append((record_id, team))
    buckets = []
    for group in by_name.values():
        if len(group) < 2:
            continue
        if not common or len(group) < COMMON_NAME:
            buckets.append([i for i, _ in group])
        else:
            by_team: dict[str, list[int]] = defaultdict(list)
            for record_id, team in group:
                if team:
                    by_team[team].append(record_id)
            buckets.extend(ids for ids in by_team.values() if len(ids) > 1)
    return buckets


def _sort_orders(
    records: Sequence[tuple[int, NameForm, str]],
) -> list[list[tuple[str, int, str]]]:
    """The sort orders that bring twins together: the sorted words (canonical, and as typed
    when a nickname differs), the words in the typed order, and each read backwards, which
    brings together names that differ in their first letters."""
    by_words: list[tuple[str, int, str]] = []
    in_order: list[tuple[str, int, str]] = []
    for record_id, form, team in records:
        if not form.known:
            continue
        by_words.append((form.sorted, record_id, team))
        if form.plain != form.sorted:
            by_words.append((form.plain, record_id, team))
        in_order.append((form.ordered, record_id, team))
    orders = [by_words, [(k[::-1], i, t) for k, i, t in by_words]]
    if any(f.ordered != f.sorted for _, f, _ in records):  # people, not organisations
        orders += [in_order, [(k[::-1], i, t) for k, i, t in in_order]]
    return orders


def _candidates(
    records: Sequence[tuple[int, NameForm, str]],
    buckets: list[list[int]],
    cutoff: float,
    team_cutoff: float | None,
    tick: Tick | None,
) -> set[tuple[int, int]]:
    orders = _sort_orders(records)
    progress = _Progress(tick, sum(len(o) for o in orders))
    pairs = bucket_pairs(buckets)
    for order in orders:
        pairs |= window_pairs(order, cutoff, team_cutoff, WINDOW, progress)
    return pairs


def match_people(
    people: Sequence[PersonRecord], threshold: int, tick: Tick | None = None
) -> list[Match]:
    """Likely duplicate people among these, each pair once, with its score and reasons."""
    by_id = {p.id: p for p in people}
    buckets = _buckets((p.id, chain(p.emails, p.phones)) for p in people)  # "@" or digits
    records = [(p.id, p.form, p.organization) for p in people]
    buckets += _namesake_buckets(records, common=threshold > 100 - COMMON_PENALTY)
    scorer = PeopleScorer(people)
    matches = []
    # a name alone reaches the threshold only if it is this alike, or nearly at one employer
    for x, y in _candidates(records, buckets, threshold, threshold - SAME_EMPLOYER, tick):
        score = scorer(by_id[x], by_id[y])
        if score.value >= threshold:
            matches.append(Match(x, y, score.value, score.reasons))
    return matches


def match_organizations(
    organizations: Sequence[OrganizationRecord], threshold: int, tick: Tick | None = None
) -> list[Match]:
    by_id = {o.id: o for o in organizations}
    buckets = _buckets((o.id, o.domains) for o in organizations)
    matches = []
    records = [(o.id, o.form, "") for o in organizations]
    buckets += _namesake_buckets(records, common=False)
    for x, y in _candidates(records, buckets, threshold, None, tick):
        score = score_organizations(by_id[x], by_id[y])
        if score.value >= threshold:
            matches.append(Match(x, y, score.value, score.reasons))
    return matches


SAME_PERSON = Score(100, ("same person",))
SAME_ORGANIZATION = Score(100, ("same organisation",))


def match_leads(
    leads: Sequence[LeadRecord],
    people: Iterable[Match],
    organizations: Iterable[Match],
    threshold: int,
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
        pair = _pair(x.id, y.id)
        if pair not in found or found[pair].score < score.value:
            found[pair] = Match(*pair, score.value, score.reasons)

    def one_contact(
        xs: Sequence[LeadRecord], ys: Sequence[LeadRecord], contact: Score, by_person: bool
    ) -> None:
        """The leads of one contact: their topics compared by rapidfuzz, a row at a time."""
        same = xs is ys
        xs, ys = xs[:MAX_BUCKET], ys[:MAX_BUCKET]
        needed = _needed_topic(contact, by_person, threshold)
        topics = [y.topic for y in ys]
        for i, x in enumerate(xs):
            start = i + 1 if same else 0  # each pair once
            for _, topic, j in process.extract(
                x.topic, topics[start:], scorer=fuzz.token_sort_ratio, score_cutoff=needed,
                limit=None,
            ):  # fmt: skip
                if ys[start + j].id != x.id:
                    keep(x, ys[start + j], _lead_score(contact, topic, by_person))

    def twin_contacts(
        xs: Sequence[LeadRecord], ys: Sequence[LeadRecord], contact: Score, by_person: bool
    ) -> None:
        for x in xs[:MAX_BUCKET]:
            for y in ys[:MAX_BUCKET]:
                keep(x, y, score_leads(x, y, contact, by_person, threshold, twins=True))

    for group in by_person.values():
        if len(group) > 1:
            one_contact(group, group, SAME_PERSON, True)
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
                alike(x, y) for x in ours for y in theirs if _pair(x, y) != match.pair
            ):
                continue
            for record_id in theirs:
                group_of[record_id] = ga
            ours.extend(theirs)
            edges.setdefault(ga, []).extend(edges.pop(gb, []))
            del members[gb]
        edges.setdefault(ga, []).append(match)
    return list(edges.values())
