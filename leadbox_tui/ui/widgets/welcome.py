"""What an empty inbox shows: how to get leads into it."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

WAYS_IN = (
    ("Add a lead", 'leadbox add --person "Ada Lovelace" --org "Analytical Engines"'),
    ("Import a file", "leadbox import FILE   (a CSV or XLSX file of leads)"),
    ("Try the demo", "leadbox --demo   (a throw-away inbox full of sample leads)"),
)


def welcome_text() -> RenderableType:
    ways = Table.grid(padding=(0, 3))
    ways.add_column(style="bold")
    ways.add_column()
    for what, command in WAYS_IN:
        ways.add_row(Text(what), Text(command))
    return Group(
        Text("Your inbox is empty.\n", style="bold"),
        Text("Leads come in from the command line:\n"),
        ways,
        Text("\nThen open leadbox again. Press ? for the keys, q to quit."),
    )


class Welcome(Static):
    """Shown instead of the table while the inbox has no lead."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(welcome_text(), id=id)
