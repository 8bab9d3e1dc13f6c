"""Records as the engine compares them: names in their canonical forms, e-mail and website
domains, phone tails, and the words of a lead's title."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple

from rapidfuzz.distance import OSA
from rapidfuzz.utils import default_process

from leadbox_tui.services.matching.vocabulary import (
    AMBIGUOUS_NICKNAMES,
    LONG_LEGAL_FORMS,
    ORG_STOPWORDS,
    canonical_token,
    is_free_mail,
    is_shared_mailbox,
)
from leadbox_tui.services.normalize import fold, organization_key


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
_LETTER = re.compile(r"[^\W\d_]")


@lru_cache(maxsize=1 << 16)  # an inbox repeats its common names thousands of times
def person_name_form(name: str) -> NameForm:
    """A person's name; one that is an e-mail address or has no letter tells nothing."""
    folded = fold(name)
    if "@" in name or not _LETTER.search(folded):
        return UNKNOWN_NAME
    typed = folded.split()
    canonical = [canonical_token(t) for t in typed]
    others = ()
    if not AMBIGUOUS_NICKNAMES.keys().isdisjoint(typed):
        others = tuple(
            " ".join(sorted([*canonical[:i], other, *canonical[i + 1 :]]))
            for i, token in enumerate(typed)
            for other in AMBIGUOUS_NICKNAMES.get(token, ())
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


_ACCENTS = re.compile("[\u0300-\u036f]+")


def title_words(text: str) -> tuple[str, ...]:
    """Lower-case words without accents or punctuation, fast: titles are read by the 100,000."""
    text = default_process(text)
    if not text.isascii():
        text = _ACCENTS.sub("", unicodedata.normalize("NFKD", text))
    return tuple(text.split())
