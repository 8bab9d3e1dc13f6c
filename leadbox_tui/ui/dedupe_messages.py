"""Messages of the duplicates screen and the merge flow: what their workers read or wrote.

Kept beside ``messages.py`` rather than in it: they travel only between the duplicates and merge
modules and the screens that start them.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from leadbox_tui.services.duplicates import DuplicateGroup
from leadbox_tui.services.history import Undone
from leadbox_tui.services.merge import MergePlan, MergePreview, MergeResult


class ScanProgressed(Message, bubble=False):
    """The duplicate scan ``generation`` got to ``done`` of ``total`` while doing ``stage``."""

    def __init__(self, generation: int, done: int, total: int, stage: str) -> None:
        super().__init__()
        self.generation = generation
        self.done = done
        self.total = total
        self.stage = stage


class ScanFinished(Message, bubble=False):
    """The scan's groups, most certain first (None and an ``error`` when it failed)."""

    def __init__(
        self, generation: int, groups: list[DuplicateGroup] | None, error: str = ""
    ) -> None:
        super().__init__()
        self.generation = generation
        self.groups = groups
        self.error = error


class NotDuplicatesMarked(Message, bubble=False):
    """The seller's "not duplicates" for ``group`` is stored (or failed with ``error``)."""

    def __init__(self, group: DuplicateGroup, error: str = "") -> None:
        super().__init__()
        self.group = group
        self.error = error


class UndoFinished(Message, bubble=False):
    """``history.undo_last`` ran: what it undid, None when there was nothing to undo."""

    def __init__(self, undone: Undone | None, error: str = "") -> None:
        super().__init__()
        self.undone = undone
        self.error = error


class MergePlanned(Message, bubble=False):
    """Both records read for the merge view, with the defaults and what would move."""

    def __init__(
        self, plan: MergePlan | None, preview: MergePreview | None, error: str = ""
    ) -> None:
        super().__init__()
        self.plan = plan
        self.preview = preview
        self.error = error


@dataclass(frozen=True)
class Candidate:
    """A lead the merge picker offers: ``hint`` says why it is a likely twin, if it is one."""

    id: int
    title: str
    name: str
    hint: str = ""


class CandidatesFound(Message, bubble=False):
    """The leads the merge picker offers for the ``typed`` text; ``unindexed`` leads (a search
    index not caught up yet) could not be searched; ``twins``, when this look read them."""

    def __init__(
        self,
        typed: str,
        candidates: list[Candidate],
        unindexed: int = 0,
        error: str = "",
        twins: list[Candidate] | None = None,
    ) -> None:
        super().__init__()
        self.typed = typed
        self.candidates = candidates
        self.unindexed = unindexed
        self.error = error
        self.twins = twins


class Merged(Message, bubble=False):
    """``merge.apply_merge`` ran for ``plan``: its result, or the ``error`` that stopped it."""

    def __init__(self, plan: MergePlan, result: MergeResult | None, error: str = "") -> None:
        super().__init__()
        self.plan = plan
        self.result = result
        self.error = error
