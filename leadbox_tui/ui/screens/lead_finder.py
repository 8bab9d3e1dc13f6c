"""A lead opened from elsewhere (a deal's "From lead" line): the inbox puts its cursor on it.

Its row in the view is found in a thread worker, reading the view's ids a window at a time from
the top until it turns up (a lead back from a deal is new: the first window, at the default
sort; 100,000 leads read whole take a quarter of a second); the cursor goes there once the
table is counted. A lead the
view's filter or search hides is shown in the detail panel, and the seller is told why the
cursor did not move.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from leadbox_tui.services.inbox import InboxQuery
from leadbox_tui.services.session import close_database

if TYPE_CHECKING:
    from leadbox_tui.ui.screens.inbox import InboxScreen

WAIT_SECONDS = 0.05  # between looks at whether the table is counted
PATIENCE = 200  # looks, so ten seconds at most
WINDOW = 50_000  # ids read at a time


def position(query: InboxQuery, lead_id: int) -> int | None:
    """The lead's row in the view, or None if the view does not hold it."""
    for offset in range(0, query.total, WINDOW):
        ids = query.ids(offset, WINDOW)
        if lead_id in ids:
            return offset + ids.index(lead_id)
    return None


def show_lead(screen: InboxScreen, lead_id: int) -> None:
    query = InboxQuery(screen.filter, screen.sort)

    def find() -> None:
        try:
            at = position(query, lead_id)
        except Exception as error:
            said = f"Could not find lead {lead_id}: {error}"
            screen.app.call_from_thread(screen.notify, said, severity="error", markup=False)
            return
        finally:
            close_database()  # this worker thread's connection
        screen.app.call_from_thread(_go_to, screen, lead_id, at, PATIENCE)

    screen.run_worker(find, thread=True, exclusive=True, group="find-lead")


def _go_to(screen: InboxScreen, lead_id: int, at: int | None, patience: int) -> None:
    if at is None:
        screen.notify(
            f"Lead {lead_id} is not in this view (esc clears the search or filter); "
            "the panel shows it.",
            markup=False,
        )
    elif screen.table.total is None and patience:  # read again after the deals: not counted yet
        screen.set_timer(WAIT_SECONDS, lambda: _go_to(screen, lead_id, at, patience - 1))
        return
    else:
        screen.table.move_to(at)
        screen.table.focus()
    screen.detail.show_now(lead_id)
