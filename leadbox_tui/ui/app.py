"""The Leadbox app: the inbox screen on an inbox the command line has already opened."""

from __future__ import annotations

import sys
from collections.abc import Iterable

from textual import events
from textual.app import App, SystemCommand
from textual.screen import Screen
from textual.widgets import Input

from leadbox_tui.services.first_rows import FirstRows
from leadbox_tui.ui import keymap
from leadbox_tui.ui.commands import LeadboxCommands
from leadbox_tui.ui.screens.inbox import InboxScreen

HANGUP_CHECK_SECONDS = 1.0


class LeadboxApp(App[None], inherit_bindings=False):
    # the inbox's styles; each feature's screens and dialogs load their own when first opened
    CSS_PATH = "app.tcss"
    TITLE = "Leadbox"
    BINDINGS = keymap.bindings("app")
    COMMANDS = App.COMMANDS | {LeadboxCommands}

    def __init__(self, location: str, first_rows: FirstRows | None = None) -> None:
        super().__init__()
        self.location = location
        self.sub_title = location
        self.first_rows = first_rows  # the inbox's first rows, read since it opened

    def on_mount(self) -> None:
        if not self.is_headless and sys.__stdin__ is not None and sys.__stdin__.isatty():
            self.set_interval(HANGUP_CHECK_SECONDS, self._exit_if_terminal_gone)

    def _exit_if_terminal_gone(self) -> None:
        """Quit once the terminal is gone (its window closed without a hangup signal): reads
        then return nothing at once, and Textual's input thread would spin on them forever."""
        import termios

        try:
            termios.tcgetattr(sys.__stdin__)
        except (termios.error, OSError):
            self.exit(return_code=1)

    def on_key(self, event: events.Key) -> None:
        """A printable key that came up to the app while a text box has the focus was typed
        before the focus moved there: Textual hands each key to the widget focused when the
        key arrives, so "/jose" typed fast or pasted, or a name typed right after ``n``, went
        to the table and was lost. It goes into the box (a key the box had would have stopped
        there)."""
        focused = self.focused
        if isinstance(focused, Input) and event.is_printable:
            focused.post_message(events.Key(event.key, event.character))

    def get_default_screen(self) -> Screen:
        return InboxScreen(self.first_rows)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's own commands (theme, screenshot...) minus the quit our registry offers."""
        return (c for c in super().get_system_commands(screen) if c.title != "Quit")

    def action_help(self) -> None:
        from leadbox_tui.ui.screens.help import HelpScreen  # the first ?, not the first frame

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())
