"""The help screen (``?``): every key of the app, read from the one registry of actions."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from leadbox_tui.ui import keymap
from leadbox_tui.ui.widgets.key_bar import KeyBar


def help_text() -> RenderableType:
    """One table per scope: the keys, what they do, and the palette name of the action."""
    parts: list[RenderableType] = [
        Text("Leadbox keys", style="bold"),
        Text("Every action is also in the command palette (ctrl+p), by the name on the right."),
    ]
    for scope, scope_title in keymap.SCOPES.items():
        table = Table(
            title=scope_title,
            title_justify="left",
            title_style="bold",
            show_edge=False,
            box=None,
            padding=(0, 2, 0, 0),
            show_header=False,
        )
        table.add_column("Keys", min_width=14, style="bold", no_wrap=True)
        table.add_column("Does", min_width=26)
        table.add_column("Palette", style="dim")
        for command in (c for c in keymap.COMMANDS if c.scope == scope):
            table.add_row(
                Text(keymap.key_names(command.keys)),
                Text(command.description),
                Text(command.title),
            )
        parts += [Text(""), table]
    return Group(*parts)


class HelpBody(VerticalScroll, can_focus=False, inherit_bindings=False):
    """Scrolled by the screen's keys, so it adds no bindings of its own."""


class HelpScreen(Screen[None], inherit_bindings=False):
    BINDINGS = keymap.bindings("help")

    def compose(self) -> ComposeResult:
        with HelpBody(id="help-body"):
            yield Static(help_text(), id="help-text")
        yield KeyBar()

    def action_close(self) -> None:
        self.dismiss()

    def action_scroll_down(self) -> None:
        self.query_one(HelpBody).scroll_down(animate=False)

    def action_scroll_up(self) -> None:
        self.query_one(HelpBody).scroll_up(animate=False)
