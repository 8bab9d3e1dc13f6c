"""The inbox's first rows, read from the moment it opens.

``leadbox`` starts this before it loads Textual and the screens: the rows are read on a thread of
their own (SQLite works outside the GIL) while Python imports the app, and the lead table takes
them as its first page, so the first frame shows them instead of waiting for a read of its own.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

from leadbox_tui.services import preferences
from leadbox_tui.services.filters import InboxFilter
from leadbox_tui.services.inbox import InboxQuery, InboxSort, LeadRow
from leadbox_tui.store.database import close_database

SORT_SETTING = "inbox.sort"
FIRST_ROWS = 50  # about a screenful: the table's page, and what the first frame shows


def saved_sort() -> InboxSort:
    """The sort of the last run, or the default one if none (or one this version lacks)."""
    value: Any = preferences.get(SORT_SETTING)
    try:
        return InboxSort(value["column"], bool(value["descending"]))
    except (KeyError, TypeError, ValueError):
        return InboxSort()


@dataclass(frozen=True)
class FirstRows:
    query: InboxQuery  # the inbox as it opens: no filter, the saved sort
    rows: Future[list[LeadRow]]


def read_first_rows() -> FirstRows:
    """Start reading the first rows of the inbox as it opens, on a thread of their own."""
    query = InboxQuery(InboxFilter(), saved_sort())
    rows: Future[list[LeadRow]] = Future()

    def read() -> None:
        try:
            rows.set_result(query.rows(0, FIRST_ROWS))
        except Exception as error:  # a locked or broken file: the table says so
            rows.set_exception(error)
        finally:
            close_database()  # this thread's connection

    threading.Thread(target=read, name="first rows", daemon=True).start()
    return FirstRows(query, rows)
