"""A line above the status line while a bulk action runs: what it does, how far, how to stop.

Hidden the rest of the time; the screen starts, advances and ends it from a worker's reports.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import ProgressBar, Static


class TaskBar(Horizontal):
    def compose(self) -> ComposeResult:
        yield Static(id="task-label")
        yield ProgressBar(id="task-progress", show_eta=False)
        yield Static(Text("esc on the table stops it: nothing is changed"), id="task-hint")

    def start(self, label: str) -> None:
        self.query_one("#task-label", Static).update(Text(label, no_wrap=True, end=""))
        self.query_one("#task-progress", ProgressBar).update(total=None, progress=0)
        self.add_class("-running")

    def advance(self, done: int, total: int) -> None:
        self.query_one("#task-progress", ProgressBar).update(total=total, progress=done)

    def end(self) -> None:
        self.remove_class("-running")
