"""Edit one field of a lead (``e``): pick the field, or come with it from the detail panel.

Text fields are typed (``enter`` or ``ctrl+s`` saves); the owner, the source and the score are
picked from a list (``enter`` saves). What was typed is checked here with the same rules the
write uses (``bulk.bulk_value``), so a mistake is told beside the field and the dialog stays
open; the dialog dismisses a ``FieldEdit`` and the screen writes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from leadbox_tui.services.bulk import BULK_FIELDS, bulk_value
from leadbox_tui.services.detail import LeadDetail
from leadbox_tui.services.leads import SOURCES, LeadError
from leadbox_tui.services.users import UserInfo
from leadbox_tui.ui import keymap
from leadbox_tui.ui.literal import one_line
from leadbox_tui.ui.widgets.detail_view import DASH, day, stars
from leadbox_tui.ui.widgets.form import FieldRow, show_error
from leadbox_tui.ui.widgets.key_bar import KeyBar

EDITABLE = ("title", "value", "currency", "expected_close", "owner", "source", "stage", "score")
PICKED = frozenset({"owner", "source", "score"})
HINTS = {
    "value": "An amount like 1200.50; empty clears it.",
    "currency": "Three letters, like EUR; empty clears it.",
    "expected_close": "A date like 2026-12-31; empty clears it.",
    "stage": "Empty clears it.",
}
BY_CRITERIA = "By the criteria (automatic)"


@dataclass(frozen=True)
class FieldEdit:
    """The new value of one field, as ``bulk.bulk_edit`` takes it; ``None`` clears the field."""

    field: str
    value: object


def typed(detail: LeadDetail, field: str) -> str:
    """The field's value as the seller would type it."""
    value = {
        "title": detail.title,
        "value": None if detail.value is None else str(detail.value),
        "currency": detail.currency,
        "expected_close": detail.expected_close and detail.expected_close.isoformat(),
        "stage": detail.stage,
    }.get(field)
    return value or ""


def shown(detail: LeadDetail, field: str) -> str:
    """The field's value as the detail panel shows it."""
    if field == "value":
        return "" if detail.value is None else f"{detail.value:,}"
    if field == "expected_close":
        return day(detail.expected_close)
    if field == "owner":
        return detail.owner or ""
    if field == "source":
        return detail.source
    if field == "score":
        return stars(detail.score, detail.score_mode)
    return typed(detail, field)


class EditFieldModal(ModalScreen[FieldEdit | None]):
    CSS_PATH = "../triage.tcss"  # loaded when first opened, not with the inbox
    BINDINGS = keymap.bindings("form")

    def __init__(
        self, detail: LeadDetail, users: Sequence[UserInfo], field: str | None = None
    ) -> None:
        super().__init__()
        self.detail = detail
        self.users = list(users)
        self.field = field
        self.choices: list[object] = []  # the values of the list being picked from

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(f"Edit {one_line(self.detail.title)!r}"), classes="dialog--title")
            yield Static("", id="edit-hint", classes="dialog--hint")
            yield OptionList(
                *(
                    Option(Text(f"{BULK_FIELDS[f]:<22}{one_line(shown(self.detail, f)) or DASH}"))
                    for f in EDITABLE
                ),
                id="fields",
            )
            yield Vertical(id="editor")
        yield KeyBar()

    def on_mount(self) -> None:
        if self.field is None:
            self.query_one("#edit-hint", Static).update("Which field? enter to edit it.")
            self.query_one("#fields", OptionList).focus()
        else:
            self._edit(self.field)

    def _edit(self, field: str) -> None:
        """Swap the list of fields for the editor of ``field``."""
        self.field = field
        self.query_one("#fields").display = False
        hint = HINTS.get(field, "enter to choose." if field in PICKED else "")
        self.query_one("#edit-hint", Static).update(hint)
        if field in PICKED:
            control: Input | OptionList = self._choices(field)
        else:
            control = Input(
                typed(self.detail, field), id="edit-value", select_on_focus=False, compact=True
            )
        self.query_one("#editor").mount(FieldRow(field, BULK_FIELDS[field], control))
        control.focus()

    def _choices(self, field: str) -> OptionList:
        if field == "owner":
            labels = [user.name for user in self.users]
            self.choices = [user.id for user in self.users]
            current = self.detail.owner
        elif field == "source":
            labels, self.choices, current = list(SOURCES), list(SOURCES), self.detail.source
        else:
            scores = range(5, -1, -1)
            labels = [*(f"{stars(n, 'auto')}  {n}" for n in scores), BY_CRITERIA]
            self.choices = [*scores, None]
            by_hand = self.detail.score_mode == "manual" and self.detail.score is not None
            current = labels[5 - (self.detail.score or 0)] if by_hand else BY_CRITERIA
        choices = OptionList(*(Option(Text(one_line(label))) for label in labels), id="choices")
        if current in labels:
            choices.highlighted = labels.index(current)
        return choices

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_list.id == "fields":
            self._edit(EDITABLE[event.option_index])
        else:
            self.dismiss(FieldEdit(self.field or "", self.choices[event.option_index]))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return action != "save_new"

    def action_save(self) -> None:
        if self.field is None:
            return
        if self.field in PICKED:
            choices = self.query_one("#choices", OptionList)
            if choices.highlighted is not None:
                self.dismiss(FieldEdit(self.field, self.choices[choices.highlighted]))
            return
        text = self.query_one("#edit-value", Input).value
        try:
            bulk_value(self.field, text)
        except LeadError as error:
            show_error(self, self.field, str(error))
            return
        self.dismiss(FieldEdit(self.field, text if text.strip() else None))

    def action_cancel(self) -> None:
        self.dismiss(None)
