"""The custom filter builder: conditions (field, operator, value) in two groups, "all of" and
"any of", and a name; dismisses a ``FilterDraft`` the saved-filters list writes.

Each condition offers the operators its field allows (``conditions.FIELDS``); the value is a
list to pick from for sources, owners and labels, typed for the rest, and hidden for "is
empty" and "is not empty". Nothing is saved until every condition reads: a wrong date or
number is said beside its condition and the dialog stays open.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, Select, Static

from leadbox_tui.services.conditions import (
    FIELDS,
    ME,
    Condition,
    FilterError,
    Kind,
    Operator,
    condition,
)
from leadbox_tui.services.filters import InboxFilter
from leadbox_tui.services.labels import LabelInfo
from leadbox_tui.services.users import UserInfo
from leadbox_tui.ui import keymap
from leadbox_tui.ui.literal import one_line
from leadbox_tui.ui.widgets.key_bar import KeyBar

MAX_NAME = 100
PLACEHOLDERS = {
    Kind.TEXT: "text",
    Kind.NUMBER: "a number",
    Kind.MONEY: "an amount, like 1200.50",
    Kind.DATE: "a date, like 2026-12-31",
    Kind.MOMENT: "a date, like 2026-12-31",
    Kind.LOCAL_MOMENT: "a date, like 2026-12-31",
}


@dataclass(frozen=True)
class FilterDraft:
    """What the builder made: the name and the whole filter to save under it."""

    name: str
    filter: InboxFilter


@dataclass(frozen=True)
class Choices:
    """What the value lists offer: the inbox's labels and users (read by the caller)."""

    labels: Sequence[LabelInfo]
    users: Sequence[UserInfo]

    def for_kind(self, kind: Kind, field: str) -> list[tuple[Text, Any]] | None:
        """The values to pick from for this kind of field; None when the value is typed."""
        if kind is Kind.CHOICE:
            return [(Text(choice), choice) for choice in FIELDS[field].choices]
        if kind is Kind.USER:
            people = [(Text(one_line(u.name)), u.id) for u in self.users if not u.is_me]
            return [(Text("Me (whoever uses the inbox)"), ME), *people]
        if kind is Kind.LABEL:
            return [(Text(one_line(label.name)), label.id) for label in self.labels]
        return None


class ConditionRow(Horizontal):
    """One condition: its field, its operator and (when the operator needs one) its value."""

    def __init__(self, choices: Choices, cond: Condition | None = None) -> None:
        super().__init__(classes="condition")
        self.choices = choices
        self.field = cond.field if cond else "title"
        self.operator = cond.operator if cond else FIELDS[self.field].operators[0]
        self.initial: Any = cond.value if cond else None

    def compose(self) -> ComposeResult:
        fields = [(Text(spec.label), key) for key, spec in FIELDS.items()]
        yield Select(fields, value=self.field, allow_blank=False, classes="condition-field")
        yield Select(
            self._operators(),
            value=self.operator.value,
            allow_blank=False,
            classes="condition-operator",
        )
        yield self._value_widget(self.initial)
        yield Static("", classes="condition-error")

    def on_mount(self) -> None:
        self._show_value()

    def _operators(self) -> list[tuple[Text, str]]:
        return [(Text(op.label), op.value) for op in FIELDS[self.field].operators]

    def _value_widget(self, value: Any = None) -> Widget:
        spec = FIELDS[self.field]
        picks = self.choices.for_kind(spec.kind, self.field)
        if picks is not None and self.operator is not Operator.WITHIN_DAYS:
            legal = {v for _, v in picks}
            start = value if value in legal else Select.NULL
            return Select(picks, value=start, prompt="choose…", classes="condition-value")
        typed = "" if value is None else str(value)
        return Input(typed, placeholder=self._placeholder(), classes="condition-value")

    def _placeholder(self) -> str:
        if self.operator is Operator.WITHIN_DAYS:
            return "a number of days"
        return PLACEHOLDERS.get(FIELDS[self.field].kind, "")

    def _show_value(self) -> None:
        value = self.query_one(".condition-value")
        value.display = self.operator.needs_value
        if isinstance(value, Input):
            value.placeholder = self._placeholder()

    @on(Select.Changed, ".condition-field")
    async def field_changed(self, event: Select.Changed) -> None:
        event.stop()
        if event.value == self.field or event.value is Select.NULL:
            return
        self.field = str(event.value)
        self.operator = FIELDS[self.field].operators[0]
        operators = self.query_one(".condition-operator", Select)
        operators.set_options(self._operators())
        await self._replace_value()

    @on(Select.Changed, ".condition-operator")
    async def operator_changed(self, event: Select.Changed) -> None:
        event.stop()
        if event.value is Select.NULL or event.value == self.operator.value:
            return
        before = self.operator
        self.operator = Operator(str(event.value))
        if Operator.WITHIN_DAYS in (before, self.operator):  # days are typed, even for dates
            await self._replace_value()
        self._show_value()

    async def _replace_value(self) -> None:
        await self.query_one(".condition-value").remove()
        await self.mount(self._value_widget(), after=self.query_one(".condition-operator"))
        self._show_value()

    def read(self) -> Condition:
        """The condition as typed; ``FilterError`` says what is wrong with it."""
        widget = self.query_one(".condition-value")
        value: Any = None
        if isinstance(widget, Select):
            value = None if widget.value is Select.NULL else widget.value
        elif isinstance(widget, Input):
            value = widget.value
        return condition(self.field, self.operator, value if self.operator.needs_value else None)

    def show_error(self, message: str) -> None:
        self.query_one(".condition-error", Static).update(Text(one_line(message)))


class FilterBuilderModal(ModalScreen[FilterDraft | None]):
    CSS_PATH = "../triage_b.tcss"  # loaded when first opened, not with the inbox
    BINDINGS = keymap.bindings("builder")

    def __init__(
        self,
        base: InboxFilter,
        choices: Choices,
        *,
        name: str = "",
        also: str = "",
        taken: Collection[str] = (),
    ) -> None:
        """``base``: the filter whose conditions are edited (its other parts are kept and
        described in ``also``); ``taken``: the names of the other saved filters."""
        super().__init__()
        self.base = base
        self.choices = choices
        self.name_given = name
        self.also = also
        self.taken = {n.casefold() for n in taken}

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog"):
            title = f"Edit the filter {one_line(self.name_given)!r}" if self.name_given else ""
            yield Static(Text(title or "New custom filter"), classes="dialog--title")
            yield Static(
                "ctrl+n adds a condition to “all of”, ctrl+o to “any of”; ctrl+r removes the "
                "one you are on; ctrl+s saves and shows the leads it finds.",
                classes="dialog--hint",
            )
            with Horizontal(classes="field-row"):
                yield Static("Name", classes="field-label")
                yield Input(self.name_given, placeholder="Hot leads in Paris", id="filter-name")
            if self.also:
                also = Text("Kept from the filter bar: ", style="bold")
                also.append(one_line(self.also))
                yield Static(also, classes="dialog--hint")
            yield Static("All of these conditions", classes="builder-heading")
            with Vertical(id="all-of", classes="condition-group"):
                for cond in self.base.all_of:
                    yield ConditionRow(self.choices, cond)
            yield Static("Any of these conditions (at least one)", classes="builder-heading")
            with Vertical(id="any-of", classes="condition-group"):
                for cond in self.base.any_of:
                    yield ConditionRow(self.choices, cond)
            yield Static("", id="builder-error", classes="field-error")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#filter-name", Input).focus()

    def _rows(self, group: str) -> list[ConditionRow]:
        return list(self.query_one(f"#{group}").query(ConditionRow))

    async def _add(self, group: str) -> None:
        row = ConditionRow(self.choices)
        await self.query_one(f"#{group}", Vertical).mount(row)
        row.query_one(".condition-field", Select).focus()
        row.scroll_visible()

    async def action_add_all(self) -> None:
        await self._add("all-of")

    async def action_add_any(self) -> None:
        await self._add("any-of")

    async def action_remove(self) -> None:
        ancestors = self.focused.ancestors if self.focused is not None else []
        row = next((node for node in ancestors if isinstance(node, ConditionRow)), None)
        if row is None:
            self._say("Go to a condition first (tab), then ctrl+r removes it.")
            return
        await row.remove()
        self.query_one("#filter-name", Input).focus()

    def _say(self, message: str) -> None:
        self.query_one("#builder-error", Static).update(Text(one_line(message)))

    def _typed_name(self) -> str:
        name = " ".join(self.query_one("#filter-name", Input).value.split())
        if not name:
            raise FilterError("give the filter a name")
        if len(name) > MAX_NAME:
            raise FilterError(f"a filter name is at most {MAX_NAME} characters, not {len(name)}")
        if name.casefold() in self.taken:
            raise FilterError(f"a saved filter is already named {name!r}")
        return name

    def _conditions(self, group: str) -> tuple[Condition, ...]:
        read = []
        for row in self._rows(group):
            row.show_error("")
            try:
                read.append(row.read())
            except FilterError as error:
                row.show_error(str(error))
                row.query_one(".condition-value").focus()
                raise
        return tuple(read)

    def action_save(self) -> None:
        try:
            name = self._typed_name()
            view = replace(
                self.base, all_of=self._conditions("all-of"), any_of=self._conditions("any-of")
            )
        except FilterError as error:
            self._say(f"Not saved: {error}.")
            return
        if view == InboxFilter(search=view.search):
            self._say("Not saved: add a condition first (ctrl+n).")
            return
        self.dismiss(FilterDraft(name, view))

    def action_cancel(self) -> None:
        self.dismiss(None)
