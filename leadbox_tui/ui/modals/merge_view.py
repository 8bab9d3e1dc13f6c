"""The merge view: two leads (or people, or organisations) side by side, a choice per field.

The left record stays and the right one is merged into it; ``h``/``l`` take the left or right
value of the field under the cursor, ``s`` swaps which record stays (the values chosen stay
chosen). Below, the merged record as it will be and everything that moves to it. ``enter``
dismisses the seller's choice; the screen that opened the view does the merge.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Static

from leadbox_tui.services.merge import (
    KEEP,
    KINDS,
    OTHER,
    MergePlan,
    MergePreview,
    plan_merge,
    preview_merge,
)
from leadbox_tui.services.session import close_database
from leadbox_tui.ui import keymap
from leadbox_tui.ui.dedupe_messages import MergePlanned
from leadbox_tui.ui.literal import one_line
from leadbox_tui.ui.merging import MergeChoice
from leadbox_tui.ui.widgets.component_styles import ComponentStyles
from leadbox_tui.ui.widgets.key_bar import KeyBar

DASH = "—"
SHOWN_ITEMS = 5  # of each kind of record that moves; the rest are counted
TITLES = {
    "lead": "Merge two leads",
    "person": "Merge two people",
    "organization": "Merge two organisations",
}


def flipped(sides: Mapping[str, str]) -> dict[str, str]:
    """The same values chosen once the records change sides."""
    return {field: OTHER if side == KEEP else KEEP for field, side in sides.items()}


class MergeFields(Widget):
    """The side-by-side table: a row per field, the chosen value marked ● and the other ○."""

    COMPONENT_CLASSES = {
        "merge-fields--header",
        "merge-fields--label",
        "merge-fields--cursor",
        "merge-fields--chosen",
        "merge-fields--unchosen",
    }

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.plan: MergePlan | None = None
        self.sides: dict[str, str] = {}
        self.cursor: int | None = None  # a row whose values differ; None while none does
        self._styles = ComponentStyles(self)

    def show(self, plan: MergePlan, sides: dict[str, str], cursor: int | None) -> None:
        self.plan, self.sides, self.cursor = plan, sides, cursor
        self.refresh(layout=True)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()

    def _cell(self, value: str, chosen: bool, differs: bool) -> Text:
        shown = one_line(value) or DASH
        if not differs:
            return Text(f"  {shown}")
        style = self._styles("merge-fields--chosen" if chosen else "merge-fields--unchosen")
        return Text(f"{'●' if chosen else '○'} {shown}", style=style)

    def render(self) -> RenderableType:
        plan = self.plan
        if plan is None:
            return Text("Reading both records…", style=self._styles("merge-fields--unchosen"))
        noun = KINDS[plan.kind].noun.capitalize()
        table = Table(
            box=None,
            expand=True,
            show_edge=False,
            padding=(0, 1),
            header_style=self._styles("merge-fields--header"),
        )
        table.add_column("Field", no_wrap=True, style=self._styles("merge-fields--label"))
        table.add_column(f"← {noun} {plan.keep_id} stays", ratio=1, no_wrap=True)
        table.add_column(f"{noun} {plan.other_id} is merged in →", ratio=1, no_wrap=True)
        for index, field in enumerate(plan.fields):
            side = self.sides.get(field.field, field.default)
            table.add_row(
                Text(field.label),
                self._cell(field.keep, side == KEEP, field.differs),
                self._cell(field.other, side == OTHER, field.differs),
                style=self._styles("merge-fields--cursor") if index == self.cursor else None,
            )
        return table


class MergePreviewView(Static):
    """The merged record as it will be, and what moves to it from the other one."""

    COMPONENT_CLASSES = {"merge-preview--heading", "merge-preview--field", "merge-preview--muted"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._styles = ComponentStyles(self)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()

    def _grid(self, rows: Iterable[tuple[str, str]]) -> Table:
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style=self._styles("merge-preview--field"), no_wrap=True)
        grid.add_column(overflow="fold")
        for label, value in rows:
            grid.add_row(Text(f"  {label}"), Text(one_line(value) or DASH))
        return grid

    def show(self, plan: MergePlan, preview: MergePreview, sides: Mapping[str, str]) -> None:
        heading = self._styles("merge-preview--heading")
        muted = self._styles("merge-preview--muted")
        noun = KINDS[plan.kind].noun
        merged = [
            (f.label, f.other if sides.get(f.field, f.default) == OTHER else f.keep)
            for f in plan.fields
        ]
        if plan.kind == "lead":
            merged.append(("Labels", ", ".join(preview.labels)))
        parts: list[RenderableType] = [
            Text(f"After the merge: {noun} {plan.keep_id}", style=heading),
            self._grid(merged),
            Text(""),
        ]
        if preview.moving:
            parts.append(
                Text(f"Moves from {noun} {plan.other_id} to {noun} {plan.keep_id}", heading)
            )
            for moving in preview.moving:
                parts.append(Text(f"  {moving.what.capitalize()} ({len(moving.items)})"))
                for item in moving.items[:SHOWN_ITEMS]:
                    parts.append(Text(f"    {one_line(item) or DASH}", style=muted))
                if len(moving.items) > SHOWN_ITEMS:
                    more = len(moving.items) - SHOWN_ITEMS
                    parts.append(Text(f"    … and {more} more", style=muted))
        else:
            parts.append(Text(f"Nothing else moves from {noun} {plan.other_id}.", style=muted))
        ours, theirs = preview.change_log
        parts += [
            Text(""),
            Text(
                f"Both change logs are kept ({ours} and {theirs} entries); {noun} "
                f"{plan.other_id} stays, marked as merged into {plan.keep_id}. u undoes the merge.",
                style=muted,
            ),
        ]
        self.update(Group(*parts))


class MergeModal(ModalScreen[MergeChoice | None], inherit_bindings=False):
    """Both records side by side; dismisses the seller's choice, or None."""
    CSS_PATH = "../duplicates.tcss"  # loaded when first opened, not with the inbox

    BINDINGS = keymap.bindings("merge")

    def __init__(self, kind: str, keep_id: int, other_id: int) -> None:
        super().__init__()
        self.kind = kind
        self.plan: MergePlan | None = None
        self.preview: MergePreview | None = None
        self.sides: dict[str, str] = {}
        self._carry: dict[str, str] | None = None  # the sides to keep once a swap is read
        self._rows: list[int] = []  # the fields whose values differ: where the cursor goes
        self._at = 0  # the cursor, among those rows
        self._ids = (keep_id, other_id)

    def compose(self) -> ComposeResult:
        with Vertical(id="merge-box") as box:
            box.border_title = TITLES[self.kind]
            yield MergeFields(id="merge-fields")
            with VerticalScroll(id="merge-preview", can_focus=False):
                yield MergePreviewView(id="merge-preview-body")
        yield KeyBar()

    def on_mount(self) -> None:
        self._read(*self._ids)

    @work(thread=True, exclusive=True, group="merge-plan")
    def _read(self, keep_id: int, other_id: int) -> None:
        try:
            plan = plan_merge(self.kind, keep_id, other_id)
            self.post_message(MergePlanned(plan, preview_merge(plan)))
        except Exception as error:  # refused (merged already, deleted) or unreadable
            self.post_message(MergePlanned(None, None, str(error)))
        finally:
            close_database()

    def on_merge_planned(self, message: MergePlanned) -> None:
        if message.plan is None or message.preview is None:
            self.notify(f"Cannot merge: {message.error}", severity="error", markup=False)
            self.dismiss(None)
            return
        self.plan, self.preview = message.plan, message.preview
        self.sides = self._carry if self._carry is not None else self.plan.choices()
        self._carry = None
        self._rows = [i for i, f in enumerate(self.plan.fields) if f.differs]
        self._at = 0
        self._show()
        self.refresh_bindings()

    def _show(self) -> None:
        if self.plan is None or self.preview is None:
            return
        cursor = self._rows[self._at] if self._rows else None
        self.query_one(MergeFields).show(self.plan, self.sides, cursor)
        self.query_one(MergePreviewView).show(self.plan, self.preview, self.sides)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Choosing and confirming wait for both records to be read."""
        if action in {"take_left", "take_right", "swap", "confirm"} and self.plan is None:
            return None
        return True

    def _move(self, step: int) -> None:
        if self._rows:
            self._at = max(0, min(len(self._rows) - 1, self._at + step))
            self._show()

    def action_cursor_down(self) -> None:
        self._move(1)

    def action_cursor_up(self) -> None:
        self._move(-1)

    def _take(self, side: str) -> None:
        if self.plan is not None and self._rows:
            self.sides[self.plan.fields[self._rows[self._at]].field] = side
            self._show()

    def action_take_left(self) -> None:
        self._take(KEEP)

    def action_take_right(self) -> None:
        self._take(OTHER)

    def action_swap(self) -> None:
        if self.plan is None:
            return
        self._carry = flipped(self.sides)
        keep_id, other_id = self.plan.other_id, self.plan.keep_id
        self.plan = None
        self.refresh_bindings()
        self._read(keep_id, other_id)

    def action_scroll_down(self) -> None:
        self.query_one("#merge-preview", VerticalScroll).scroll_page_down(animate=False)

    def action_scroll_up(self) -> None:
        self.query_one("#merge-preview", VerticalScroll).scroll_page_up(animate=False)

    def action_confirm(self) -> None:
        if self.plan is not None:
            self.dismiss(MergeChoice(self.plan, dict(self.sides)))

    def action_cancel(self) -> None:
        self.dismiss(None)
