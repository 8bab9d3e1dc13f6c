"""Blocking: the pairs of records worth scoring, so that a scan stays linear. Two records meet
only when they sit close together in one of a few sort orders of their names, share an exact
e-mail, phone or domain, or bear the very same name."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from itertools import combinations
from operator import itemgetter

from rapidfuzz import fuzz, process

from leadbox_tui.services.matching.forms import NameForm
from leadbox_tui.services.matching.scores import COMMON_NAME

Tick = Callable[[float], None]
"""Told how far a long step has gone (0 to 1)."""

WINDOW = 6  # neighbours compared in each sort order
MAX_BUCKET = 40  # records sharing one e-mail, phone or domain beyond this are a switchboard
MAX_GROUP = 10  # beyond this a chain of look-alikes is not one contact typed ten ways
TICK_EVERY = 4_096


def pair_of(x: int, y: int) -> tuple[int, int]:
    return (x, y) if x < y else (y, x)


class Progress:
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
    progress: Progress | None = None,
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
                    continue  # namesakes: see namesake_buckets
                if alike >= cutoff or teams[i] == teams[j] != "":
                    pairs.add(pair_of(ids[i], ids[j]))
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


def shared_key_buckets(records: Iterable[tuple[int, Iterable[str]]]) -> list[list[int]]:
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


def namesake_buckets(records: Sequence[tuple[int, NameForm, str]], common: bool) -> list[list[int]]:
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


def candidate_pairs(
    records: Sequence[tuple[int, NameForm, str]],
    buckets: list[list[int]],
    cutoff: float,
    team_cutoff: float | None,
    tick: Tick | None,
) -> set[tuple[int, int]]:
    orders = _sort_orders(records)
    progress = Progress(tick, sum(len(o) for o in orders))
    pairs = bucket_pairs(buckets)
    for order in orders:
        pairs |= window_pairs(order, cutoff, team_cutoff, WINDOW, progress)
    return pairs
