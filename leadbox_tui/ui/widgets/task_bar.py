"""A line above the status line while a bulk action runs: what it does, how far, how to stop.

Hidden the rest of the time; the screen starts, advances and ends it from a worker's reports.
Its parts are made at the first task (the app's first frame styles and lays out fewer widgets),
and the progress bar is left full after each: a hidden bar with nothing to count still
animates, a timer fifteen times a second for nothing.
"""

from __future__ import annotations

from rich.text import Text
from textual.containers import Horizontal
from textual.widgets import ProgressBar, Static

HINT = "esc on the table stops it: nothing is changed"


class TaskBar(Horizontal):
    def start(self, label: str) -> None:
        text = Text(label, no_wrap=True, end="")
        bar = next(self.query("#task-progress").results(ProgressBar), None)
        if bar is None:
            self.mount(
                Static(text, id="task-label"),
                ProgressBar(id="task-progress", show_eta=False),
                Static(Text(HINT), id="task-hint"),
            )
        else:
            self.query_one("#task-label", Static).update(text)
            bar.update(total=None, progress=0)
        self.add_class("-running")

    def advance(self, done: int, total: int) -> None:
        for bar in self.query("#task-progress").results(ProgressBar):
            bar.update(total=total, progress=done)

    def end(self) -> None:
        self.remove_class("-running")
        for bar in self.query("#task-progress").results(ProgressBar):
            bar.update(total=1, progress=1)  # full: a bar with no total animates even hidden
