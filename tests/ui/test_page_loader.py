"""The page loader reads what the table wants now, not what it wanted a moment ago."""

from __future__ import annotations

import threading
import time
from functools import cached_property
from pathlib import Path

from textual.message import Message

from leadbox_tui.services.inbox import InboxQuery, LeadRow
from leadbox_tui.store.models import database_proxy
from leadbox_tui.ui.messages import LeadsPageLoaded
from leadbox_tui.ui.widgets.page_loader import PageLoader
from tests.ui.conftest import MANY


def run_until_delivered(
    loader: PageLoader, delivered: list[Message], count: int, thread: threading.Thread | None = None
) -> None:
    """Run the loader on its own thread (or let ``thread`` run it) until ``count`` messages
    came, then stop it."""
    if thread is None:
        thread = threading.Thread(target=loader.run, daemon=True)
        thread.start()
    for _ in range(500):
        if len(delivered) >= count:
            break
        thread.join(0.01)
    loader.stop()
    thread.join(5)
    assert not thread.is_alive()


def test_a_new_wish_replaces_the_pages_still_waiting(many_leads: Path) -> None:
    delivered: list[Message] = []
    loader = PageLoader(10, delivered.append)
    query = InboxQuery()
    loader.want(1, query, [0, 1, 2, 3])
    loader.want(1, query, [7, 8])  # the seller jumped further before any was read
    run_until_delivered(loader, delivered, 2)
    assert [(m.page, m.total) for m in delivered if isinstance(m, LeadsPageLoaded)] == [
        (7, None),  # never counted by the loader: the table counts beside it
        (8, None),
    ]
    assert [row.title for row in delivered[0].rows][:2] == ["Lead 179", "Lead 178"]  # type: ignore[attr-defined]


def test_pages_of_an_older_view_are_not_read(many_leads: Path) -> None:
    delivered: list[Message] = []
    loader = PageLoader(10, delivered.append)
    loader.want(1, InboxQuery(), [0, 1])
    loader.want(2, InboxQuery(), [5])
    run_until_delivered(loader, delivered, 1)
    assert [(m.generation, m.page) for m in delivered] == [(2, 5)]  # type: ignore[attr-defined]


def test_a_page_carries_the_count_once_taken_and_a_short_first_page_is_the_count(
    many_leads: Path,
) -> None:
    delivered: list[Message] = []
    loader = PageLoader(10, delivered.append)
    counted = InboxQuery()
    assert counted.total == MANY
    loader.want(1, counted, [3])
    run_until_delivered(loader, delivered, 1)
    loader = PageLoader(MANY + 10, delivered.append)  # one page holds the whole inbox
    loader.want(2, InboxQuery(), [0])
    run_until_delivered(loader, delivered, 2)
    assert [(m.page, m.total) for m in delivered] == [(3, MANY), (0, MANY)]  # type: ignore[attr-defined]


ENDLESS = (  # one statement SQLite would run for minutes: only an interruption ends it early
    "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n LIMIT 10000000000) "
    "SELECT count(*) FROM n"
)


class EndlessView(InboxQuery):
    """A view whose read and count are one endless SQL statement on the real inbox: the
    slowest a view can be (a million leads counted with an e-mail took 5 s)."""

    def rows(self, offset: int, limit: int, now: object = None) -> list[LeadRow]:
        database_proxy.execute_sql(ENDLESS).fetchone()
        return []

    @cached_property
    def total(self) -> int:
        return database_proxy.execute_sql(ENDLESS).fetchone()[0]


def test_a_read_of_an_older_view_is_stopped_and_nothing_of_it_is_delivered(
    many_leads: Path,
) -> None:
    delivered: list[Message] = []
    loader = PageLoader(10, delivered.append)
    loader.want(1, EndlessView(), [0])
    thread = threading.Thread(target=loader.run, daemon=True)
    thread.start()
    time.sleep(0.2)  # the endless read is under way
    started = time.perf_counter()
    loader.want(2, InboxQuery(), [0])  # the seller typed a key
    run_until_delivered(loader, delivered, 1, thread)
    assert time.perf_counter() - started < 3  # not minutes
    assert [(type(m).__name__, m.generation) for m in delivered] == [("LeadsPageLoaded", 2)]  # type: ignore[attr-defined]
