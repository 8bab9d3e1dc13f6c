"""A line above the status line while a bulk action runs: what it does, how far, how to stop.

Hidden the rest of the time; the screen starts, advances and ends it from a worker's reports.
The progress bar is made at the first task and left full after each: a hidden bar with nothing
to count still animates, a timer fifteen times a second for nothing.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import ProgressBar, Static


class TaskBar(Horizontal):
    def compose(self) -> ComposeResult:
        yield Static(id="task-label")
        yield Static(Text("esc on the table stops it: nothing is changed"), id="task-hint")

    def start(self, label: str) -> None:
        self.query_one("#task-label", Static).update(Text(label, no_wrap=True, end=""))
        bars = self.query("#task-progress").results(ProgressBar)
        bar = next(bars, None)
        if bar is None:
            self.mount(ProgressBar(id="task-progress", show_eta=False), before="#task-hint")
        else:
            bar.update(total=None, progress=0)
        self.add_class("-running")

    def advance(self, done: int, total: int) -> None:
        for bar in self.query("#task-progress").results(ProgressBar):
            bar.update(total=total, progress=done)

    def end(self) -> None:
        self.remove_class("-running")
        for bar in self.query("#task-progress").results(ProgressBar):
            bar.update(total=1, progress=1)  # full: a bar with no total animates even hidden
