"""Add a lead (``n``): only a person or an organisation name is needed.

While the seller types a name, an e-mail or a phone, existing contacts that look alike are
offered under the field, each with why; ``down`` and ``enter`` link the lead to one instead of
creating a twin. The look-ups run in thread workers, a moment after the last key, and only the
newest answer is shown.

This dialog writes the lead itself (through ``leads.create_lead``, in a worker), unlike the
small dialogs that hand a value to the screen: a refused lead keeps the form open with the
message beside the field to blame, and "save and new" keeps it open for the next lead. It
dismisses the ids of the leads it added.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from rich.console import RenderableType
from rich.text import Text
from textual import work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Input, OptionList, Select, SelectionList, Static
from textual.widgets.option_list import Option
from textual.widgets.selection_list import Selection

from leadbox_tui.services.duplicates import (
    OrganizationSuggestion,
    PersonSuggestion,
    suggest_organizations,
    suggest_people,
)
from leadbox_tui.services.labels import LabelInfo
from leadbox_tui.services.leads import SOURCES, LeadError, NewLead, create_lead, default_title
from leadbox_tui.services.session import close_database
from leadbox_tui.services.users import UserInfo
from leadbox_tui.ui import keymap
from leadbox_tui.ui.literal import one_line
from leadbox_tui.ui.modals.confirm import ConfirmModal
from leadbox_tui.ui.modals.pick_labels import label_prompt
from leadbox_tui.ui.widgets.form import FieldRow, clear_errors, show_error
from leadbox_tui.ui.widgets.key_bar import KeyBar

Kind = Literal["person", "organization"]
Suggestion = PersonSuggestion | OrganizationSuggestion
SETTLE_SECONDS = 0.15  # how long typing pauses before contacts are looked up
TEXT_FIELDS = ("person", "email", "phone", "organization", "address", "website")
TEXT_FIELDS += ("title", "value", "currency", "expected_close")
KIND_OF: dict[str, Kind] = {"person": "person", "email": "person", "phone": "person"}
KIND_OF |= {"organization": "organization", "website": "organization"}
ERROR_ROWS = {"emails": "email", "phones": "phone"}  # NewLead field -> the row that shows it


@dataclass(frozen=True)
class Chosen:
    """An existing contact the seller linked the lead to, and the name it goes by."""

    id: int
    name: str


class SuggestionsFound(Message, bubble=False):
    """Contacts that look like the one typed, for the look-up numbered ``generation``."""

    def __init__(self, kind: Kind, generation: int, found: Sequence[Suggestion]) -> None:
        super().__init__()
        self.kind = kind
        self.generation = generation
        self.found = list(found)


class LeadSaved(Message, bubble=False):
    def __init__(self, lead_id: int, title: str, keep_open: bool) -> None:
        super().__init__()
        self.lead_id = lead_id
        self.title = title
        self.keep_open = keep_open


class LeadRefused(Message, bubble=False):
    def __init__(self, message: str, field: str | None) -> None:
        super().__init__()
        self.message = message
        self.field = field


def suggestion_prompt(found: Suggestion) -> RenderableType:
    """ "Jean Dupont · Acme SA · jean@acme.fr" over why it is offered."""
    if isinstance(found, PersonSuggestion):
        parts = [found.name, found.organization or "", *found.emails[:1], *found.phones[:1]]
    else:
        parts = [found.name, found.website or ""]
    line = " · ".join(one_line(part) for part in parts if part)
    return Text.assemble(line, "\n", ("  " + ", ".join(found.reasons), "dim"))


class SuggestingInput(Input):
    """A name, e-mail or phone field: ``down``/``up`` go through the contacts offered for it,
    ``enter`` links the one highlighted (or moves on, as in any field of the form)."""

    BINDINGS = keymap.bindings("suggest")

    def __init__(self, kind: Kind, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.kind = kind

    @property
    def _offers(self) -> OptionList:
        return self.screen.query_one(f"#suggest-{self.kind}", OptionList)

    def _step(self, step: int) -> None:
        offers = self._offers
        if not offers.display or not offers.option_count:
            raise SkipAction()
        if offers.highlighted is None:
            offers.highlighted = 0 if step > 0 else offers.option_count - 1
        elif step > 0:
            offers.action_cursor_down()
        else:
            offers.action_cursor_up()

    def action_next_suggestion(self) -> None:
        self._step(1)

    def action_previous_suggestion(self) -> None:
        self._step(-1)

    async def action_choose(self) -> None:
        offers = self._offers
        if offers.display and offers.highlighted is not None:
            offers.action_select()
        else:
            await self.action_submit()


class AddLeadModal(ModalScreen[list[int]]):
    CSS_PATH = "../triage.tcss"  # loaded when first opened, not with the inbox
    BINDINGS = keymap.bindings("form")

    def __init__(self, users: Sequence[UserInfo], labels: Sequence[LabelInfo]) -> None:
        super().__init__()
        self.users = list(users)
        self.labels = list(labels)
        self.added: list[int] = []
        self.chosen: dict[Kind, Chosen | None] = {"person": None, "organization": None}
        self.offered: dict[Kind, list[Suggestion]] = {"person": [], "organization": []}
        self._generation: dict[Kind, int] = {"person": 0, "organization": 0}
        self._settle: dict[Kind, Timer | None] = {"person": None, "organization": None}
        self._saving = False
        self._organization_of_person = ""  # filled in from a chosen person: link it too

    # -- the form --------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        me = next((user for user in self.users if user.is_me), None)
        with Vertical(classes="dialog"):
            yield Static("Add a lead", classes="dialog--title")
            yield Static(
                "A person or an organisation name is enough; everything else can wait.",
                classes="dialog--hint",
            )
            with VerticalScroll(id="add-lead-fields"):
                yield FieldRow("person", "Person", self._suggesting("person", "person", "Name"))
                yield from self._offers_for("person")
                yield FieldRow("email", "E-mail", self._suggesting("person", "email", ""))
                yield FieldRow("phone", "Phone", self._suggesting("person", "phone", ""))
                yield FieldRow(
                    "organization",
                    "Organisation",
                    self._suggesting("organization", "organization", "Name"),
                )
                yield from self._offers_for("organization")
                yield FieldRow("address", "Address", Input(id="address", compact=True))
                yield FieldRow(
                    "website", "Website", self._suggesting("organization", "website", "")
                )
                yield FieldRow(
                    "title", "Title", Input(id="title", placeholder="Title", compact=True)
                )
                yield FieldRow(
                    "value",
                    "Value",
                    Input(id="value", placeholder="1200.00", compact=True),
                    Input(id="currency", placeholder="EUR", max_length=3, compact=True),
                )
                yield FieldRow(
                    "expected_close",
                    "Expected close",
                    Input(id="expected_close", placeholder="YYYY-MM-DD", compact=True),
                )
                yield FieldRow(
                    "owner",
                    "Owner",
                    Select(
                        [(Text(one_line(user.name)), user.handle) for user in self.users],
                        id="owner",
                        allow_blank=False,
                        compact=True,
                        value=me.handle if me else Select.NULL,
                    ),
                )
                yield FieldRow(
                    "source",
                    "Source",
                    Select(
                        [(source, source) for source in SOURCES],
                        id="source",
                        allow_blank=False,
                        compact=True,
                        value=SOURCES[0],
                    ),
                )
                yield FieldRow(
                    "labels",
                    "Labels",
                    SelectionList[str](
                        *(Selection(label_prompt(lb), lb.name) for lb in self.labels),
                        id="labels",
                        compact=True,
                    ),
                )
            yield Static("", id="error-form", classes="field-error")
        yield KeyBar()

    def _suggesting(self, kind: Kind, field: str, placeholder: str) -> SuggestingInput:
        return SuggestingInput(kind, id=field, placeholder=placeholder, compact=True)

    def _offers_for(self, kind: Kind) -> ComposeResult:
        yield Static("", id=f"chosen-{kind}", classes="chosen")
        yield OptionList(id=f"suggest-{kind}", classes="suggestions")

    def on_mount(self) -> None:
        for kind in ("person", "organization"):
            self._show_offers(kind, [])
            self._show_chosen(kind)
        self.query_one("#person", Input).focus()

    def _text(self, field: str) -> str:
        return self.query_one(f"#{field}", Input).value

    @property
    def dirty(self) -> bool:
        return any(self._text(field).strip() for field in TEXT_FIELDS)

    # -- contacts offered while typing ----------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        field = event.input.id or ""
        if event.input.has_class("-refused"):
            event.input.remove_class("-refused")
            show_error(self, "value" if field == "currency" else field, "")
        kind = KIND_OF.get(field)
        if kind == field:  # a name: the title it makes, and a link that no longer holds
            self._update_title_placeholder()
            chosen = self.chosen[kind]
            if chosen is not None and event.value.strip() != chosen.name:
                self.chosen[kind] = None
                self._show_chosen(kind)
        if kind is not None:
            self._look_up_soon(kind)

    def _update_title_placeholder(self) -> None:
        person, organization = self._text("person").strip(), self._text("organization").strip()
        named = person or organization
        self.query_one("#title", Input).placeholder = (
            default_title(person, organization) if named else "Title"
        )

    def _look_up_soon(self, kind: Kind) -> None:
        """Look the contact up once typing pauses; a newer look-up makes older answers moot."""
        self._generation[kind] += 1
        timer = self._settle[kind]
        if timer is not None:
            timer.stop()
        if self.chosen[kind] is not None:
            self._show_offers(kind, [])
            return
        self._settle[kind] = self.set_timer(SETTLE_SECONDS, lambda: self._start_look_up(kind))

    def _start_look_up(self, kind: Kind) -> None:
        if kind == "person":
            query = (
                self._text("person"),
                self._text("email"),
                self._text("phone"),
                self._text("organization"),
            )
        else:
            query = (self._text("organization"), self._text("website"))
        self._look_up(kind, self._generation[kind], query)

    @work(thread=True, group="contact-suggestions")
    def _look_up(self, kind: Kind, generation: int, query: tuple[str, ...]) -> None:
        try:
            if kind == "person":
                name, email, phone, organization = query
                found: Sequence[Suggestion] = suggest_people(
                    name, [email], [phone], organization=organization
                )
            else:
                name, website = query
                found = suggest_organizations(name, website=website or None)
        except Exception:  # a locked file: no suggestions this time, the form still works
            found = []
        finally:
            close_database()  # this worker thread's connection
        self.post_message(SuggestionsFound(kind, generation, found))

    def on_suggestions_found(self, message: SuggestionsFound) -> None:
        if message.generation != self._generation[message.kind]:
            return
        same = [found for found in message.found if found.name == self._organization_of_person]
        if message.kind == "organization" and same and self._text("organization") == same[0].name:
            self.choose("organization", same[0], focus=False)  # the chosen person's own
        else:
            self._show_offers(message.kind, message.found)

    def _show_offers(self, kind: Kind, found: Sequence[Suggestion]) -> None:
        self.offered[kind] = list(found)
        offers = self.query_one(f"#suggest-{kind}", OptionList)
        offers.set_options(Option(suggestion_prompt(item)) for item in found)
        offers.display = bool(found)
        offers.border_title = "Already in the inbox? down to look, enter to link" if found else ""

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        kind: Kind = "person" if event.option_list.id == "suggest-person" else "organization"
        self.choose(kind, self.offered[kind][event.option_index])

    def choose(self, kind: Kind, found: Suggestion, focus: bool = True) -> None:
        """Link the lead to ``found``: its name goes into the field, the offers go away; a
        person's organisation fills an empty organisation field (and is linked once found)."""
        self.chosen[kind] = Chosen(found.id, found.name)
        name = self.query_one(f"#{kind}", Input)
        name.value = found.name
        name.cursor_position = len(found.name)
        if focus:
            name.focus()
        if isinstance(found, PersonSuggestion) and found.organization:
            organization = self.query_one("#organization", Input)
            if not organization.value.strip():
                organization.value = self._organization_of_person = found.organization
        self._generation[kind] += 1  # an answer still on its way is for the old name
        self._show_offers(kind, [])
        self._show_chosen(kind)

    def _show_chosen(self, kind: Kind) -> None:
        chosen = self.chosen[kind]
        line = self.query_one(f"#chosen-{kind}", Static)
        line.display = chosen is not None
        if chosen is not None:
            what = "person" if kind == "person" else "organisation"
            name = one_line(chosen.name)
            line.update(Text(f"↳ Links to the existing {what} {name} (#{chosen.id})"))

    # -- saving ----------------------------------------------------------------------------

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """``enter`` moves on to the next field; on the last one it saves."""
        event.stop()
        if event.input.id == "expected_close":
            self.action_save()
        else:
            self.focus_next()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("save", "save_new"):
            return None if self._saving else True
        return True

    def action_save(self) -> None:
        self._submit(keep_open=False)

    def action_save_new(self) -> None:
        self._submit(keep_open=True)

    def _submit(self, keep_open: bool) -> None:
        if self._saving:
            return
        clear_errors(self)
        new = self._new_lead()
        if new is None:
            return
        self._saving = True
        self.refresh_bindings()
        self._save(new, keep_open)

    def _new_lead(self) -> NewLead | None:
        """What the form says, or None (with the message beside the field) if it cannot say."""
        when = self._text("expected_close").strip()
        try:
            expected_close = dt.date.fromisoformat(when) if when else None
        except ValueError:
            self._refuse(f"{when!r} is not a date; write it like 2026-12-31", "expected_close")
            return None
        person, organization = self.chosen["person"], self.chosen["organization"]
        return NewLead(
            person=self._text("person"),
            organization=self._text("organization"),
            title=self._text("title"),
            emails=[self._text("email")],
            phones=[self._text("phone")],
            value=self._text("value").strip() or None,
            currency=self._text("currency"),
            expected_close=expected_close,
            owner=str(self.query_one("#owner", Select).value),
            source=str(self.query_one("#source", Select).value),
            labels=list(self.query_one("#labels", SelectionList).selected),
            address=self._text("address"),
            website=self._text("website"),
            person_id=person.id if person else None,
            organization_id=organization.id if organization else None,
        )

    @work(thread=True, group="add-lead")
    def _save(self, new: NewLead, keep_open: bool) -> None:
        try:
            lead_id = create_lead(new)
            title = new.title.strip() or default_title(new.person.strip(), new.organization.strip())
            self.post_message(LeadSaved(lead_id, title, keep_open))
        except LeadError as error:
            self.post_message(LeadRefused(str(error), error.field))
        except Exception as error:  # a locked or read-only file: nothing was written
            self.post_message(LeadRefused(f"Not saved: {error}", None))
        finally:
            close_database()  # this worker thread's connection

    def on_lead_refused(self, message: LeadRefused) -> None:
        self._saving = False
        self.refresh_bindings()
        self._refuse(message.message, message.field)

    def _refuse(self, message: str, field: str | None) -> None:
        """Say why beside the field to blame (under the form if none) and go to that field."""
        message = message[:1].upper() + message[1:]
        control = ERROR_ROWS.get(field or "", field or "")
        row = "value" if control == "currency" else control  # the currency shares its line
        if not (field and show_error(self, row, message)):
            show_error(self, "form", message)
            return
        widget = self.query_one(f"#{control}")
        widget.add_class("-refused")
        widget.focus()

    def on_lead_saved(self, message: LeadSaved) -> None:
        self._saving = False
        self.refresh_bindings()
        self.added.append(message.lead_id)
        self.notify(f"Added lead {one_line(message.title)!r}", markup=False)
        if message.keep_open:
            self._reset()
        else:
            self.dismiss(self.added)

    def _reset(self) -> None:
        """Ready for the next lead: empty fields, no links; owner, source and labels kept."""
        for field in TEXT_FIELDS:
            self.query_one(f"#{field}", Input).value = ""
        self._organization_of_person = ""
        for kind in ("person", "organization"):
            self.chosen[kind] = None
            self._generation[kind] += 1
            self._show_offers(kind, [])
            self._show_chosen(kind)
        self.query_one("#add-lead-fields", VerticalScroll).scroll_home(animate=False)
        self.query_one("#person", Input).focus()

    # -- leaving ---------------------------------------------------------------------------

    def action_cancel(self) -> None:
        if not self.dirty:
            self.dismiss(self.added)
            return
        question = ConfirmModal("Discard this lead?", "What you typed is not saved.", "Discard")
        self.app.push_screen(question, lambda yes: self.dismiss(self.added) if yes else None)
