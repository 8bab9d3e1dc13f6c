"""Pages of inbox rows read on a worker thread, the most wanted first.

The table says which pages it wants now, in order of need; a new wish replaces the old one
instead of queueing behind it, so holding page-down on a million leads never builds a backlog
of pages nobody looks at any more. The loader never touches a widget: it hands each page to
``deliver`` (the table's ``post_message``), and the table stores it on the UI thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable

from textual.message import Message

from leadbox_tui.services.inbox import InboxQuery
from leadbox_tui.services.session import close_database
from leadbox_tui.ui.messages import LeadsPageFailed, LeadsPageLoaded


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

    def want(self, generation: int, query: InboxQuery, pages: Iterable[int]) -> None:
        """Read these pages of this query next, first things first; forget older wishes."""
        with self._changed:
            if generation != self._generation:
                self._generation, self._query, self._busy = generation, query, set()
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
                self._deliver(self._read(generation, query, page))
        finally:
            close_database()  # this thread's connection

    def _read(self, generation: int, query: InboxQuery, page: int) -> Message:
        try:
            rows = query.rows(page * self.page_size, self.page_size)
            if page == 0 and len(rows) < self.page_size:  # the whole view: counted already
                query.total = len(rows)
            return LeadsPageLoaded(generation, page, rows, query.known_total)
        except Exception as error:  # a locked or broken file: say so and keep serving
            self.stored(generation, page)
            return LeadsPageFailed(generation, page, str(error))
