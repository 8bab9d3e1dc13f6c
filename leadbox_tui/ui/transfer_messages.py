"""What the import and export workers report to their screens (messages up, never widgets).

Each carries the number of the piece of work it belongs to, so a result that arrives after the
seller went back (or started again) is recognised and dropped.
"""

from __future__ import annotations

from textual.message import Message

from leadbox_tui.services.exporter import ExportResult
from leadbox_tui.services.history import Undone
from leadbox_tui.services.importer import DuplicateScan, ImportReport, PreviewRow
from leadbox_tui.services.mapping import Mapping
from leadbox_tui.services.spreadsheet import Cell, Table


class WorkMessage(Message, bubble=False):
    def __init__(self, work: int) -> None:
        super().__init__()
        self.work = work


class WorkProgressed(WorkMessage):
    def __init__(self, work: int, done: int, total: int) -> None:
        super().__init__(work)
        self.done = done
        self.total = total


class WorkFailed(WorkMessage):
    """The work could not be done; ``error`` says why, in one line for the seller."""

    def __init__(self, work: int, error: str) -> None:
        super().__init__(work)
        self.error = error


class WorkStopped(WorkMessage):
    """The seller stopped the work and nothing was written."""


class TableOpened(WorkMessage):
    """A spreadsheet read: its table, the mapping its headers suggest, its first rows."""

    def __init__(
        self, work: int, table: Table, mapping: Mapping, samples: list[list[Cell]]
    ) -> None:
        super().__init__(work)
        self.table = table
        self.mapping = mapping
        self.samples = samples


class PreviewReady(WorkMessage):
    def __init__(self, work: int, rows: list[PreviewRow]) -> None:
        super().__init__(work)
        self.rows = rows


class DuplicatesScanned(WorkMessage):
    def __init__(self, work: int, scan: DuplicateScan) -> None:
        super().__init__(work)
        self.scan = scan


class ImportFinished(WorkMessage):
    """The import is written; ``since`` is the last action before it, for its undo."""

    def __init__(self, work: int, report: ImportReport, since: int) -> None:
        super().__init__(work)
        self.report = report
        self.since = since


class ImportUndone(WorkMessage):
    def __init__(self, work: int, undone: Undone | None) -> None:
        super().__init__(work)
        self.undone = undone


class MappingNamesListed(Message, bubble=False):
    """The names of the saved mappings (for the mapping step; no work number: it is quick)."""

    def __init__(self, names: list[str]) -> None:
        super().__init__()
        self.names = names


class MappingLoaded(Message, bubble=False):
    def __init__(self, name: str, mapping: Mapping) -> None:
        super().__init__()
        self.name = name
        self.mapping = mapping


class MappingSaved(Message, bubble=False):
    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name


class MappingFailed(Message, bubble=False):
    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


class ExportFinished(WorkMessage):
    def __init__(self, work: int, result: ExportResult) -> None:
        super().__init__(work)
        self.result = result


class ExportViewRead(WorkMessage):
    """The leads the export will write: the filter in words and how many there are."""

    def __init__(self, work: int, description: str, total: int) -> None:
        super().__init__(work)
        self.description = description
        self.total = total
