"""Schedule an activity (``t``): its type, a subject, when it is due and, if it matters, at what
time. The due date takes the quick choices as words (today, tomorrow, next week: completed as
they are typed, ``right`` accepts) or a date, and says which day that is before anything is
saved. The dialog dismisses an ``ActivityRequest``; the screen writes it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Select, Static

from leadbox_tui.services.activities import (
    ACTIVITY_TYPES,
    QUICK_DUE,
    ActivityError,
    parse_due,
    parse_time,
)
from leadbox_tui.ui import keymap
from leadbox_tui.ui.literal import one_line
from leadbox_tui.ui.widgets.form import FieldRow, clear_errors, show_error
from leadbox_tui.ui.widgets.key_bar import KeyBar

TYPE_NAMES = {"email": "E-mail"}


@dataclass(frozen=True)
class ActivityRequest:
    """What ``activities.schedule_activity`` needs."""

    kind: str
    subject: str
    due_date: dt.date
    due_time: dt.time | None

    def said_on(self, title: str, today: dt.date) -> str:
        """What the notification says once it is scheduled on the lead or deal ``title``."""
        at = f" at {self.due_time:%H:%M}" if self.due_time else ""
        when = due_words(self.due_date, today)
        return f"Scheduled {type_name(self.kind).lower()} on {one_line(title)!r}: {when}{at}."


def type_name(kind: str) -> str:
    return TYPE_NAMES.get(kind, kind.capitalize())


def due_words(due: dt.date, today: dt.date) -> str:
    """ "Tue 5 Mar 2024", or "Today" / "Tomorrow" in front of it."""
    when = f"{due.strftime('%a')} {due.day} {due.strftime('%b %Y')}"
    near = {today: "Today", today + dt.timedelta(days=1): "Tomorrow"}.get(due)
    return f"{near}, {when}" if near else when


class ActivityModal(ModalScreen[ActivityRequest | None]):
    CSS_PATH = "../triage.tcss"  # loaded when first opened, not with the inbox
    BINDINGS = keymap.bindings("form")

    def __init__(self, lead_title: str, today: dt.date | None = None) -> None:
        super().__init__()
        self.lead_title = lead_title
        self.today = today or dt.date.today()

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(
                Text(f"Schedule an activity on {one_line(self.lead_title)!r}"),
                classes="dialog--title",
            )
            yield Static(
                "Due: today, tomorrow, next week, or a date like 2026-12-31.",
                classes="dialog--hint",
            )
            kinds = [(type_name(kind), kind) for kind in ACTIVITY_TYPES]
            yield FieldRow(
                "kind",
                "Type",
                Select(kinds, id="kind", allow_blank=False, value="call", compact=True),
            )
            yield FieldRow(
                "subject", "Subject", Input(id="subject", placeholder="Call", compact=True)
            )
            yield FieldRow(
                "due",
                "Due",
                Input(
                    "today",
                    id="due",
                    compact=True,
                    suggester=SuggestFromList(QUICK_DUE, case_sensitive=False),
                ),
            )
            yield Static("", id="due-day", classes="chosen")
            yield FieldRow(
                "time", "Time", Input(id="time", placeholder="14:30 (optional)", compact=True)
            )
        yield KeyBar()

    def on_mount(self) -> None:
        self._show_day()
        self.query_one("#kind", Select).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        self.query_one("#subject", Input).placeholder = type_name(str(event.value))

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "due":
            self._show_day()

    def _show_day(self) -> None:
        """Which day the due date typed is, or nothing while it is not one yet."""
        try:
            day = due_words(parse_due(self.query_one("#due", Input).value, self.today), self.today)
        except ActivityError:
            day = ""
        self.query_one("#due-day", Static).update(f"↳ {day}" if day else "")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "time":
            self.action_save()
        else:
            self.focus_next()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return action != "save_new"

    def action_save(self) -> None:
        clear_errors(self)
        try:
            due_date = parse_due(self.query_one("#due", Input).value, self.today)
        except ActivityError as error:
            show_error(self, "due", str(error))
            self.query_one("#due").focus()
            return
        try:
            due_time = parse_time(self.query_one("#time", Input).value)
        except ActivityError as error:
            show_error(self, "time", str(error))
            self.query_one("#time").focus()
            return
        kind = str(self.query_one("#kind", Select).value)
        subject = self.query_one("#subject", Input).value.strip()
        self.dismiss(ActivityRequest(kind, subject, due_date, due_time))

    def action_cancel(self) -> None:
        self.dismiss(None)
