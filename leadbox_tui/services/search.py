"""Fuzzy, as-you-type search over title, person, organisation, e-mail and phone.

The index is ``lead_search`` (FTS5; case and accents folded by its tokenizer; the 1- to
3-letter prefixes kept), so "jose" finds "José" and "gar" finds "García". Writers never index:
triggers list the leads whose text changed, and ``catch_up`` indexes them before a search. A
search finds the leads having every typed word as the start of one of their words; when that
finds few, each word also matches the indexed words one typo away (looked up in the index's own
vocabulary). The newest matches (at most ``CANDIDATES`` of each kind) are ranked with rapidfuzz,
best first; the other matches follow, newest first. Only a bounded set is ever ranked, so a
keystroke costs about the same at a thousand leads or a million.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from typing import Any

from peewee import JOIN, SQL, Expression, fn

from leadbox_tui.services.normalize import phone_key
from leadbox_tui.store.models import Lead, LeadSearch, LeadSearchPending, database_proxy

CANDIDATES = 300  # matches ranked per kind (plain, typo-tolerant); the rest follow by recency
FUZZY_BELOW = 50  # typo-tolerant matching starts when plain matching finds fewer leads
TYPO_ALTERNATIVES = 12  # per word
INDEX_CHUNK = 20_000
INLINE_BACKLOG = 5_000  # leads a search indexes itself before searching (about a quarter second)
MAX_WORDS = 8
_PHONE_LIKE = re.compile(r"^[\d\s+().\-/]+$")
_WORD = re.compile(r"\w+")

Progress = Callable[[int, int], None]


class _Folded(dict[int, str]):
    """Each character without its accents, worked out once (``str.translate`` reads it)."""

    def __missing__(self, code: int) -> str:
        decomposed = unicodedata.normalize("NFKD", chr(code))
        folded = self[code] = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        return folded


_FOLDED = _Folded()


def searchable(text: str) -> str:
    """Lower case without accents, as the index's tokenizer folds ("José" -> "jose").

    Character by character, through a table: decomposing whole texts took a third of the
    ranking of a keystroke's matches."""
    lower = text.lower()
    return lower if lower.isascii() else lower.translate(_FOLDED)


@lru_cache(maxsize=50_000)
def words_of(text: str) -> tuple[str, ...]:
    """The words of a text as the index holds them (names recur, so they are remembered)."""
    return tuple(_WORD.findall(searchable(text).replace("_", " ")))


# -- keeping the index -------------------------------------------------------------------------


def pending_count() -> int:
    return LeadSearchPending.select().count()


def catch_up(progress: Progress | None = None) -> int:
    """Index the leads whose text changed since the last search; returns how many.

    Done in chunks, each its own transaction, so a large backlog (after an import or a demo
    build) never holds the database for long; ``progress(done, total)`` follows it.
    """
    total = pending_count()
    done = 0
    while True:
        with database_proxy.atomic():
            ids = [
                row[0]
                for row in LeadSearchPending.select(LeadSearchPending.lead_id)
                .order_by(LeadSearchPending.lead_id)
                .limit(INDEX_CHUNK)
                .tuples()
            ]
            if not ids:
                return done
            _index(ids)
        done += len(ids)
        if progress is not None:
            progress(min(done, total), max(total, done))


def _index(ids: Sequence[int]) -> None:
    marks = ", ".join("?" for _ in ids)
    database_proxy.execute_sql(f"DELETE FROM lead_search WHERE rowid IN ({marks})", list(ids))
    database_proxy.execute_sql(
        "INSERT INTO lead_search (rowid, title, person, organization, emails, phones) "
        "SELECT lead_id, title, person, organization, emails, phones FROM lead_search_source "
        f"WHERE lead_id IN ({marks})",
        list(ids),
    )
    LeadSearchPending.delete().where(LeadSearchPending.lead_id.in_(list(ids))).execute()


# -- typo-tolerant words -----------------------------------------------------------------------


@dataclass
class _Vocabulary:
    """The index's words by their first letters, read once per index state (it changes rarely).

    Reading them costs: the index counts each word's leads as it lists it (30 µs a word, a
    tenth of a second for the words of one letter at a million leads), so the words of the
    first two letters are read first, a fifteenth of that.
    """

    stamp: Any = None
    buckets: dict[str, list[str]] | None = None

    def words(self, start: str) -> list[str]:
        """Indexed words starting with ``start``, digits left out (phones have no typos here)."""
        newest = database_proxy.execute_sql("SELECT max(id) FROM lead_search_data").fetchone()[0]
        stamp = (database_proxy.obj.database, newest)  # FTS5 writes new segments as it changes
        if stamp != self.stamp or self.buckets is None:
            self.stamp, self.buckets = stamp, {}
        if start not in self.buckets:
            cursor = database_proxy.execute_sql(
                "SELECT term FROM lead_search_vocab WHERE term >= ? AND term < ?",
                (start, start[:-1] + chr(ord(start[-1]) + 1)),
            )
            self.buckets[start] = [t for (t,) in cursor if not t.isdigit()]
        return self.buckets[start]


_VOCABULARY = _Vocabulary()


def typo_alternatives(word: str) -> list[str]:
    """Indexed words that start one typo away from ``word`` (two typos for long words).

    A typo adds, drops, swaps or replaces a letter, so the typed word is compared with the
    starts of the indexed words one letter shorter, as long, and one letter longer. Those
    words are looked for among the ones sharing its first two letters, then (a slip in the
    second letter) its first letter, then (a slip in the first) its second letter.
    """
    if len(word) < 4 or word.isdigit():
        return []
    from rapidfuzz.process import extract  # the first typo, not the inbox's first frame

    osa = _osa()
    allowed = 1 if len(word) < 8 else 2
    found: dict[str, int] = {}
    for start in dict.fromkeys((word[:2], word[0], word[1])):
        if found:
            break
        vocabulary = _VOCABULARY.words(start)
        for size in (len(word) - 1, len(word), len(word) + 1):
            starts = [term[:size] for term in vocabulary]
            hits = extract(word, starts, scorer=osa.distance, score_cutoff=allowed, limit=None)
            for _, distance, index in hits:
                term = vocabulary[index]
                if not term.startswith(word):
                    found[term] = min(distance, found.get(term, distance))
    return sorted(found, key=lambda t: (found[t], len(t), t))[:TYPO_ALTERNATIVES]


# -- plans -------------------------------------------------------------------------------------


def _quoted(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _all_of(groups: Iterable[Iterable[str]]) -> str:
    """An FTS5 query: one term of every group."""
    return " AND ".join("(" + " OR ".join(group) + ")" for group in groups)


@dataclass(frozen=True)
class SearchPlan:
    """What the search box holds, as index queries; ``match`` is the one in force."""

    text: str
    words: tuple[tuple[str, ...], ...]  # each typed word, in its spellings
    plain: str  # every word as the start of an indexed word
    fuzzy: str | None  # the same, or a word one typo away; set when ``plain`` finds few

    @property
    def match(self) -> str:
        return self.fuzzy or self.plain

    def matches(self) -> Expression:
        """The leads the search finds, as a condition on ``Lead``."""
        found = LeadSearch.select(LeadSearch.rowid).where(LeadSearch.match(self.match))
        return Lead.id.in_(found)

    def count(self, outside: Expression) -> int:
        """How many leads it finds, but those meeting ``outside`` (the leads out of the inbox),
        counted in the index: looking up each match's lead took a third of a second for "r"
        (330,000 matches) at a million leads, and a count runs after each pause in typing."""
        away = Lead.select(Lead.id).where(outside)
        found = LeadSearch.select(fn.COUNT(SQL("*"))).where(LeadSearch.match(self.match))
        return found.where(LeadSearch.rowid.not_in(away)).scalar()


def _query_words(text: str) -> list[tuple[str, ...]]:
    """The words typed, each with its spellings: a phone number is one word, in two forms."""
    if _PHONE_LIKE.match(text) and sum(ch.isdigit() for ch in text) >= 3:
        digits = "".join(ch for ch in text if ch.isdigit())
        return [tuple(dict.fromkeys([digits, phone_key(text)]))]
    return [(w,) for w in dict.fromkeys(words_of(text))][:MAX_WORDS]


def _few(match: str) -> bool:
    """Whether the index holds fewer than ``FUZZY_BELOW`` leads for ``match``."""
    found = LeadSearch.select(SQL("1")).where(LeadSearch.match(match)).limit(FUZZY_BELOW)
    return found.count() < FUZZY_BELOW


def plan_search(text: str) -> SearchPlan | None:
    """The plan for a search text, ``None`` when it holds nothing to search for.

    It reads the index, so it first indexes the leads that changed (usually none, a few after
    an edit). A backlog of more than ``INLINE_BACKLOG`` (a demo build, a large import) is left
    to ``catch_up`` in a worker, so a keystroke never waits for it; until then the search
    misses those leads.
    """
    words = _query_words(text or "")
    if not words:
        return None
    if pending_count() <= INLINE_BACKLOG:
        catch_up()
    plain = _all_of([f"{_quoted(w)}*" for w in group] for group in words)
    fuzzy = None
    if any(len(w) >= 4 and not w.isdigit() for group in words for w in group) and _few(plain):
        alternatives = [
            [_quoted(t) for w in group for t in typo_alternatives(w)] for group in words
        ]
        if any(alternatives):
            fuzzy = _all_of(
                [f"{_quoted(w)}*" for w in group] + extra
                for group, extra in zip(words, alternatives, strict=True)
            )
    return SearchPlan(text, tuple(words), plain, fuzzy)


# -- ranking -----------------------------------------------------------------------------------

FIELD_WEIGHTS = (1.0, 1.0, 1.0, 0.9, 0.9)  # title, person, organisation, e-mails, phones


def _started(typed: str, words: Sequence[str]) -> float:
    """1 for the same word, a little less for a word it starts, 0 for none."""
    best = 0.0
    for word in words:
        if word == typed:
            return 1.0
        if word.startswith(typed):
            best = max(best, 0.8 + 0.2 * len(typed) / len(word))
    return best


@cache
def _osa() -> Any:
    """rapidfuzz's edit distance with transpositions, loaded when a search first needs it."""
    from rapidfuzz.distance import OSA

    return OSA


def _typo(typed: str, words: Sequence[str]) -> float:
    """Less again for a word one or two typos away: at most 0.6, below any word started."""
    best = 0.0
    similar = _osa().normalized_similarity
    for word in words:
        similarity = max(similar(typed, word[: len(typed)]), similar(typed, word))
        if similarity >= 0.5:
            best = max(best, 0.6 * similarity)
    return best


def _best(typed: str, fields: Sequence[tuple[Sequence[str], float]]) -> float:
    """The best field's score for one typed word. Typos are looked for only when no field has
    a word it starts (they would score less), and from four letters, as in matching."""
    best = max((_started(typed, words) * weight for words, weight in fields), default=0.0)
    if best or len(typed) < 4:
        return best
    return max((_typo(typed, words) * weight for words, weight in fields), default=0.0)


def _starts_with(words: Sequence[str], typed: Sequence[str]) -> bool:
    """The text begins with the typed words, the last one perhaps not typed in full."""
    *whole, last = typed
    return (
        len(words) >= len(typed)
        and tuple(words[: len(whole)]) == tuple(whole)
        and words[len(whole)].startswith(last)
    )


def relevance(words: Sequence[Sequence[str]], texts: Sequence[str | None]) -> float:
    """How well a lead's texts answer the typed words; a text starting with them scores more."""
    pairs = zip(texts, FIELD_WEIGHTS, strict=True)
    fields = [(words_of(text), weight) for text, weight in pairs if text]
    total = 0.0
    for spellings in words:
        total += max((_best(typed, fields) for typed in spellings), default=0.0)
    in_order = [spellings[0] for spellings in words]
    bonus = any(_starts_with(fw, in_order) for fw, _ in fields)
    return total / len(words) + (0.1 if bonus else 0.0)


class Ranking:
    """The matches of one search under one filter: the best first, then the rest by recency."""

    def __init__(self, plan: SearchPlan, where: Expression) -> None:
        self.plan = plan
        self.where = where

    def _matching(self, match: str, *columns: Any) -> Any:
        """Leads found by ``match`` and kept by the filter, read from the index, newest first."""
        return (
            LeadSearch.select(LeadSearch.rowid, *columns)
            .join(Lead, JOIN.CROSS)
            .where(Lead.id == LeadSearch.rowid, LeadSearch.match(match), self.where)
            .order_by(LeadSearch.rowid.desc())
        )

    @cached_property
    def _candidates(self) -> tuple[list[int], bool]:
        """The ranked head, and whether it holds every match."""
        s = LeadSearch
        texts = (s.title, s.person, s.organization, s.emails, s.phones)
        scored: dict[int, float] = {}
        complete = True
        for match in filter(None, (self.plan.plain, self.plan.fuzzy)):
            rows = list(self._matching(match, *texts).limit(CANDIDATES).tuples())
            complete = complete and len(rows) < CANDIDATES
            for lead_id, *row in rows:
                if lead_id not in scored:
                    scored[lead_id] = relevance(self.plan.words, row)
        head = sorted(scored, key=lambda i: (-scored[i], -i))
        return head, complete

    @property
    def head(self) -> list[int]:
        return self._candidates[0]

    def ids(self, offset: int, limit: int) -> list[int]:
        """The ids at positions ``offset`` to ``offset + limit`` in this order."""
        head, complete = self._candidates
        ids = head[offset : offset + limit]
        if len(ids) < limit and not complete:
            rest = (
                self._matching(self.plan.match)
                .where(LeadSearch.rowid.not_in(head))
                .offset(max(0, offset - len(head)))
                .limit(limit - len(ids))
            )
            ids += [row[0] for row in rest.tuples()]
        return ids
