"""Pages of inbox rows read on a worker thread, the most wanted first.

The table says which pages it wants now, in order of need; a new wish replaces the old one
instead of queueing behind it, so holding page-down on a million leads never builds a backlog
of pages nobody looks at any more. A new view also stops the read of an older one where it is:
its SQLite statement is interrupted (``ViewReads``), and nothing of it is delivered. The loader
never touches a widget: it hands each page to ``deliver`` (the table's ``post_message``), and
the table stores it on the UI thread.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from textual.message import Message

from leadbox_tui.services.inbox import InboxQuery
from leadbox_tui.services.session import close_database
from leadbox_tui.store.models import database_proxy
from leadbox_tui.ui.messages import LeadsPageFailed, LeadsPageLoaded


class ViewReads:
    """The reads under way for the views of one table (a page, a count), each on its thread's
    own connection, so that a newer view can stop them: a count of a million leads or a page
    of the search typed a key ago would otherwise hold a core and the GIL for nothing.

    ``sqlite3.Connection.interrupt`` is the one call SQLite allows from another thread; the
    statement under way fails with "interrupted", the connection stays usable, and an
    interrupt while no statement runs does nothing."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: dict[int, tuple[int, sqlite3.Connection]] = {}

    @contextmanager
    def reading(self, generation: int) -> Iterator[None]:
        """Around a read of view ``generation`` on this thread's connection."""
        connection = database_proxy.connection()
        key = threading.get_ident()
        with self._lock:
            self._running[key] = (generation, connection)
        try:
            yield
        finally:
            with self._lock:
                del self._running[key]

    def stop_all_but(self, generation: int) -> int:
        """Interrupt the reads of every other view; returns how many were."""
        with self._lock:
            stale = [conn for gen, conn in self._running.values() if gen != generation]
            for connection in stale:
                connection.interrupt()
        return len(stale)


class PageLoader:
    def __init__(self, page_size: int, deliver: Callable[[Message], object]) -> None:
        self.page_size = page_size
        self._deliver = deliver
        self._changed = threading.Condition()
        self._generation = -1
        self._query: InboxQuery | None = None
        self._wanted: list[int] = []
        self._busy: set[int] = set()  # being read, or sent and not yet stored by the table
        self._stopped = False
        self.reads = ViewReads()

    def want(self, generation: int, query: InboxQuery, pages: Iterable[int]) -> None:
        """Read these pages of this query next, first things first; forget older wishes (and
        stop reading them)."""
        with self._changed:
            if generation != self._generation:
                self._generation, self._query, self._busy = generation, query, set()
                self.reads.stop_all_but(generation)
            self._wanted = [page for page in pages if page not in self._busy]
            self._changed.notify()

    def stored(self, generation: int, page: int) -> None:
        """The table has the page: asking for it again (after the cache dropped it) reads it."""
        with self._changed:
            if generation == self._generation:
                self._busy.discard(page)

    def stop(self) -> None:
        with self._changed:
            self._stopped = True
            self._changed.notify()

    def run(self, cancelled: Callable[[], bool] = lambda: False) -> None:
        """The worker's loop: wait for a wish, read its first page, deliver it, again."""
        try:
            while True:
                with self._changed:
                    while not self._wanted and not self._stopped and not cancelled():
                        self._changed.wait(timeout=0.5)
                    if self._stopped or cancelled():
                        return
                    page = self._wanted.pop(0)
                    self._busy.add(page)
                    generation, query = self._generation, self._query
                assert query is not None
                message = self._read(generation, query, page)
                if message is not None:
                    self._deliver(message)
        finally:
            close_database()  # this thread's connection

    def _current(self, generation: int) -> bool:
        with self._changed:
            return generation == self._generation

    def _read(self, generation: int, query: InboxQuery, page: int) -> Message | None:
        """The page as a message for the table; nothing if a newer view came meanwhile."""
        try:
            with self.reads.reading(generation):
                if not self._current(generation):  # it came before the read could be stopped
                    return None
                rows = query.rows(page * self.page_size, self.page_size)
        except Exception as error:  # a locked or broken file: say so and keep serving
            if not self._current(generation):
                return None  # stopped for a newer view, or failed for an old one: unseen
            if is_interruption(error):  # meant for the view before: read it again
                self._read_again(generation, page)
                return None
            self.stored(generation, page)
            return LeadsPageFailed(generation, page, str(error))
        if not self._current(generation):
            return None
        if page == 0 and len(rows) < self.page_size:  # the whole view: counted already
            query.total = len(rows)
        return LeadsPageLoaded(generation, page, rows, query.known_total)

    def _read_again(self, generation: int, page: int) -> None:
        with self._changed:
            if generation == self._generation and page not in self._wanted:
                self._wanted.insert(0, page)


def is_interruption(error: Exception) -> bool:
    """SQLite's answer to ``interrupt`` (Peewee passes it on under its own class)."""
    return str(error) == "interrupted"
