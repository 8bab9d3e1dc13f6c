"""Undoing an import from its report, and only that import.

An import that changed nothing leaves no action behind, so "undo the last action" after it
would take back whatever the seller did before. The report's undo therefore checks that the
last action is an import made after the one it knew of when the import began.
"""

from __future__ import annotations

from leadbox_tui.services.history import UNDO_KIND, Undone, undo_last
from leadbox_tui.store.models import Action

IMPORT_KIND = "import"


def _last_action() -> Action | None:
    return (
        Action.select(Action.id, Action.kind)
        .where(Action.undone_at.is_null(), Action.kind != UNDO_KIND)
        .order_by(Action.id.desc())
        .first()
    )


def last_action_id() -> int:
    """The action to compare with after an import (0 when there is none yet)."""
    last = _last_action()
    return last.id if last is not None else 0


def undo_import(since: int) -> Undone | None:
    """Undo the last action if it is an import made after action ``since``; ``None`` (nothing
    undone) when the import changed nothing or something else was done after it."""
    last = _last_action()
    if last is None or last.kind != IMPORT_KIND or last.id <= since:
        return None
    return undo_last()
