"""The Leadbox app: the inbox screen on an inbox the command line has already opened."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import Any

from textual import events
from textual.app import App, SystemCommand
from textual.screen import Screen
from textual.widgets import Input

from leadbox_tui.services.first_rows import FirstRows
from leadbox_tui.ui import keymap
from leadbox_tui.ui.commands import LeadboxCommands
from leadbox_tui.ui.screens.inbox import InboxScreen

HANGUP_CHECK_SECONDS = 1.0
HOLD_KEYS_AT_MOST = 2.0  # seconds a dialog on its way holds the keys typed, at most


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
        self._held_keys: list[events.Key] | None = None  # typed while a screen is on its way

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

    # -- keys typed ahead of a dialog ------------------------------------------------------

    def hold_keys(self) -> None:
        """A screen is on its way (pushed, or read for first in a worker): the keys typed
        meanwhile are held, and handed to it once it has the focus. Textual hands each key to
        the widget focused when the key arrives: a name typed right after ``n`` went to the
        inbox's keys, where "a" archived the lead under the cursor."""
        if self._held_keys is None:
            self._held_keys = []
            self.set_timer(HOLD_KEYS_AT_MOST, self.release_keys)  # a screen that never came

    def release_keys(self) -> None:
        held, self._held_keys = self._held_keys or [], None
        for key in held:
            self.post_message(events.Key(key.key, key.character))

    def push_screen(self, *args: Any, **kwargs: Any) -> Any:
        self.hold_keys()
        pushed = super().push_screen(*args, **kwargs)
        self.call_after_refresh(self.release_keys)  # the screen mounted and focused
        return pushed

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded and self._held_keys is not None:
            self._held_keys.append(event)  # not handed to the widget focused now
            return
        await super().on_event(event)

    def on_key(self, event: events.Key) -> None:
        """A key back up at the app, before the app looks up its binding (this handler runs
        first), was handed to the widget focused when it arrived. If a screen is on its way
        since, it is held for it; if a text box has the focus since ("/jose" typed fast or
        pasted: the box opened after "j" went to the table), it goes into the box."""
        focused = self.focused
        if self._held_keys is not None:
            self._held_keys.append(event)
        elif isinstance(focused, Input) and event.is_printable:
            focused.post_message(events.Key(event.key, event.character))
        else:
            return
        event.prevent_default()  # no binding for it here

    def get_default_screen(self) -> Screen:
        return InboxScreen(self.first_rows)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's own commands (theme, screenshot...) minus the quit our registry offers."""
        return (c for c in super().get_system_commands(screen) if c.title != "Quit")

    def action_help(self) -> None:
        from leadbox_tui.ui.screens.help import HelpScreen  # the first ?, not the first frame

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())
