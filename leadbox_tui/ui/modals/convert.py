"""The convert dialogs: one lead to a deal (the proposal of ``services.convert``, every value
editable, the look-alike contacts offered, what moves shown), and many leads at once (pipeline,
stage, owner). Each dismisses what to convert; the screen runs it in a worker.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Select, Static

from leadbox_tui.services.convert import (
    VISIBILITIES,
    ContactPick,
    ConvertProposal,
    DealChoices,
    Moves,
    ProposedOrganization,
    ProposedPerson,
)
from leadbox_tui.services.normalize import to_minor
from leadbox_tui.services.pipelines import PipelineInfo
from leadbox_tui.services.users import UserInfo
from leadbox_tui.ui import keymap
from leadbox_tui.ui.literal import one_line
from leadbox_tui.ui.modals.bulk_edit import owner_choices
from leadbox_tui.ui.widgets.form import FieldRow, clear_errors, show_error
from leadbox_tui.ui.widgets.key_bar import KeyBar

NO_CONTACT = -1  # Select values cannot be None: "no person" / "each lead keeps its owner"
VISIBLE = {"owner": "The owner only", "everyone": "Everyone"}


@dataclass(frozen=True)
class BulkConvert:
    pipeline_id: int
    stage_id: int
    owner_id: int | None  # None: each deal keeps its lead's owner


def plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def moves_text(moves: Moves, archived: bool) -> str:
    """What follows the lead to the deal, in words."""
    parts = [plural(moves.notes, "note"), plural(moves.activities, "activity")]
    parts[-1] = parts[-1].replace("activitys", "activities")
    parts.append(plural(moves.emails, "e-mail"))
    said = f"Moves to the deal: {', '.join(parts)}."
    if moves.labels:
        said += f" Labels copied: {', '.join(one_line(n) for n in moves.labels)}."
    said += f" The lead's history ({plural(moves.changes, 'change')}) stays readable from it."
    if archived:
        said += " The lead is archived: converting unarchives it first."
    return said


def look_alikes_text(count: int, one: str, many: str) -> str:
    what = f"1 existing {one} looks" if count == 1 else f"{count} existing {many} look"
    return f"{what} like it: choose one above to link the deal to it instead."


def person_options(person: ProposedPerson) -> list[tuple[Text, int]]:
    """The lead's own person first, then the existing people it may be."""
    options = [(Text(f"{one_line(person.name)} (this lead's contact)"), person.id)]
    for found in person.look_alikes:
        where = f" · {one_line(found.organization)}" if found.organization else ""
        why = f" — {', '.join(found.reasons)}" if found.reasons else ""
        options.append((Text(f"Link to existing: {one_line(found.name)}{where}{why}"), found.id))
    return options


def organization_options(org: ProposedOrganization) -> list[tuple[Text, int]]:
    options = [(Text(f"{one_line(org.name)} (this lead's organisation)"), org.id)]
    for found in org.look_alikes:
        why = f" — {', '.join(found.reasons)}" if found.reasons else ""
        options.append((Text(f"Link to existing: {one_line(found.name)}{why}"), found.id))
    return options


class PipelineForm(ModalScreen):
    """What both dialogs share: a pipeline choice whose stages fill the stage choice."""
    CSS_PATH = "../convert.tcss"  # loaded when first opened, not with the inbox

    BINDINGS = keymap.bindings("convert")

    def __init__(self, pipelines: Sequence[PipelineInfo], users: Sequence[UserInfo]) -> None:
        super().__init__()
        self.pipelines = {p.id: p for p in pipelines if p.stages}  # a deal needs a stage
        self.users = list(users)

    def pipeline_rows(self, pipeline_id: int, stage_id: int) -> ComposeResult:
        picks = [(Text(one_line(p.name)), p.id) for p in self.pipelines.values()]
        yield FieldRow(
            "pipeline",
            "Pipeline",
            Select(picks, value=pipeline_id, allow_blank=False, id="pipeline"),
        )
        stages = self._stage_options(pipeline_id)
        yield FieldRow(
            "stage", "Stage", Select(stages, value=stage_id, allow_blank=False, id="stage")
        )

    def _stage_options(self, pipeline_id: int) -> list[tuple[Text, int]]:
        return [(Text(one_line(s.name)), s.id) for s in self.pipelines[pipeline_id].stages]

    @on(Select.Changed, "#pipeline")
    def pipeline_changed(self, event: Select.Changed) -> None:
        event.stop()
        if not isinstance(event.value, int):
            return
        stage = self.query_one("#stage", Select)
        stages = [s.id for s in self.pipelines[event.value].stages]
        keep = stage.value if stage.value in stages else stages[0]
        stage.set_options(self._stage_options(event.value))
        stage.value = keep

    def picked(self, selector: str) -> int | None:
        value = self.query_one(selector, Select).value
        return value if isinstance(value, int) and value != NO_CONTACT else None

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConvertModal(PipelineForm):
    """One lead to a deal: ctrl+s dismisses the ``DealChoices``, esc None."""

    def __init__(
        self,
        proposal: ConvertProposal,
        pipelines: Sequence[PipelineInfo],
        users: Sequence[UserInfo],
    ) -> None:
        super().__init__(pipelines, users)
        self.proposal = proposal

    def compose(self) -> ComposeResult:
        c = self.proposal.choices
        with Vertical(classes="dialog"):
            yield Static(Text(f"Convert {one_line(c.title)!r} to a deal"), classes="dialog--title")
            yield Static(
                "Pre-filled from the lead. ctrl+s converts; u undoes it afterwards.",
                classes="dialog--hint",
            )
            # not selected on focus: a key typed just after c must not replace the title
            yield FieldRow("title", "Title", Input(c.title, select_on_focus=False, id="title"))
            yield from self.pipeline_rows(c.pipeline_id, c.stage_id)
            visible = [(Text(VISIBLE[v]), v) for v in VISIBILITIES]
            yield FieldRow(
                "visible_to",
                "Visible to",
                Select(visible, value=c.visible_to, allow_blank=False, id="visible_to"),
            )
            value = "" if c.value is None else str(c.value)
            yield FieldRow(
                "value",
                "Value",
                Input(value, placeholder="1200.50", id="value"),
                Input(c.currency or "", placeholder="EUR", max_length=3, id="currency"),
            )
            close = c.expected_close.isoformat() if c.expected_close else ""
            yield FieldRow(
                "expected_close",
                "Expected close",
                Input(close, placeholder="2026-12-31", id="expected_close"),
            )
            owners = owner_choices(self.users)
            known = {user_id for _, user_id in owners}
            yield FieldRow(
                "owner",
                "Owner",
                Select(
                    owners,
                    value=c.owner_id if c.owner_id in known else Select.NULL,
                    prompt="nobody",
                    id="owner",
                ),
            )
            yield from self._contact_rows()
            yield Static(
                Text(moves_text(self.proposal.moves, self.proposal.archived)),
                id="convert-moves",
            )
            yield Static("", classes="field-error", id="error-form")
        yield KeyBar()

    def _contact_rows(self) -> ComposeResult:
        person, org = self.proposal.person, self.proposal.organization
        if person is not None:
            yield FieldRow(
                "person",
                "Person",
                Select(person_options(person), value=person.id, allow_blank=False, id="person"),
            )
            if person.look_alikes:
                yield Static(
                    Text(look_alikes_text(len(person.look_alikes), "person", "people")),
                    classes="look-alikes",
                )
        if org is not None:
            yield FieldRow(
                "organization",
                "Organisation",
                Select(
                    organization_options(org), value=org.id, allow_blank=False, id="organization"
                ),
            )
            if org.look_alikes:
                yield Static(
                    Text(look_alikes_text(len(org.look_alikes), "organisation", "organisations")),
                    classes="look-alikes",
                )

    def on_mount(self) -> None:
        self.query_one("#title", Input).focus()

    def _text(self, field: str) -> str:
        return self.query_one(f"#{field}", Input).value.strip()

    def action_save(self) -> None:
        clear_errors(self)
        choices = self._choices()
        if choices is not None:
            self.dismiss(choices)

    def _choices(self) -> DealChoices | None:
        """The choices, checked as the service checks them; None after saying what is wrong."""
        title = self._text("title")
        if not title:
            show_error(self, "title", "A deal needs a title.")
            return None
        currency = self._text("currency").upper() or None
        value = self._text("value") or None
        try:
            to_minor(value, currency)
        except ValueError as error:
            show_error(self, "value", f"{error}.")
            return None
        close: dt.date | None = None
        if self._text("expected_close"):
            try:
                close = dt.date.fromisoformat(self._text("expected_close"))
            except ValueError:
                show_error(self, "expected_close", "A date, like 2026-12-31.")
                return None
        stage_id = self.picked("#stage")
        if stage_id is None:
            show_error(self, "stage", "Choose a stage.")
            return None
        person: ContactPick = self.picked("#person") if self.proposal.person else None
        organization: ContactPick = (
            self.picked("#organization") if self.proposal.organization else None
        )
        return DealChoices(
            title=title,
            pipeline_id=self.picked("#pipeline") or 0,
            stage_id=stage_id,
            visible_to=str(self.query_one("#visible_to", Select).value),
            value=value,
            currency=currency,
            expected_close=close,
            owner_id=self.picked("#owner"),
            person=person,
            organization=organization,
        )


class BulkConvertModal(PipelineForm):
    """Many leads to deals: pipeline, stage and owner for all of them."""

    def __init__(
        self, what: str, pipelines: Sequence[PipelineInfo], users: Sequence[UserInfo]
    ) -> None:
        super().__init__(pipelines, users)
        self.what = what

    def compose(self) -> ComposeResult:
        first = next(iter(self.pipelines.values()))
        with Vertical(classes="dialog"):
            yield Static(Text(f"Convert {self.what} to deals"), classes="dialog--title")
            yield Static(
                "Each deal is pre-filled from its lead; its notes, activities and e-mails move "
                "to it. ctrl+s converts them all at once; u undoes it afterwards.",
                classes="dialog--hint",
            )
            yield from self.pipeline_rows(first.id, first.stages[0].id)
            owners = [(Text("Each lead's owner"), NO_CONTACT), *owner_choices(self.users)]
            yield FieldRow(
                "owner", "Owner", Select(owners, value=NO_CONTACT, allow_blank=False, id="owner")
            )
            yield Static("", classes="field-error", id="error-form")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#pipeline", Select).focus()

    def action_save(self) -> None:
        pipeline_id, stage_id = self.picked("#pipeline"), self.picked("#stage")
        if pipeline_id is None or stage_id is None:
            show_error(self, "form", "Choose a pipeline and a stage.")
            return
        self.dismiss(BulkConvert(pipeline_id, stage_id, self.picked("#owner")))
