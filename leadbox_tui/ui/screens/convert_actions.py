"""The inbox's ``c``: convert the lead under the cursor (or shown in the detail panel) to a deal
through the convert dialog, or the whole selection at once with a progress bar.

``InboxScreen`` inherits these. The proposal, pipelines and users are read in a worker, the
dialog dismisses the choices, the conversion runs through ``services.convert`` in a worker;
the converted leads leave the table, and ``u`` (the triage undo) brings them back. The convert
service, its dialogs and the deals and contacts screens load on first use, not with the inbox.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from leadbox_tui.services import users
from leadbox_tui.services.bulk import BulkResult
from leadbox_tui.services.inbox import InboxQuery
from leadbox_tui.ui.literal import one_line
from leadbox_tui.ui.screens.inbox_bulk import SelectionActions, Target, Work
from leadbox_tui.ui.screens.triage_actions import TriageActions, quoted

if TYPE_CHECKING:
    from leadbox_tui.services import convert
    from leadbox_tui.ui.modals.convert import BulkConvert
    from leadbox_tui.ui.screens.deals import LeftDeals


def converted_text(report: convert.ConvertReport) -> str:
    """What moved with the converted leads, for the notification."""
    from leadbox_tui.ui.modals.convert import plural

    moved = ", ".join(
        (
            plural(report.notes, "note"),
            plural(report.activities, "activity").replace("activitys", "activities"),
            plural(report.emails, "e-mail"),
        )
    )
    said = f"{moved} moved"
    if report.unarchived:
        said += f"; {plural(report.unarchived, 'archived lead')} unarchived first"
    return said


def _bulk_work(choice: BulkConvert) -> Work:
    """``convert_leads`` as a bulk action: the selection's ids (read now if it is ``*``)."""
    from leadbox_tui.services import convert
    from leadbox_tui.ui.modals.convert import plural

    def run(target: Target, progress: convert.Progress) -> BulkResult:
        ids: Sequence[int] = (
            target.ids(0, target.total) if isinstance(target, InboxQuery) else target
        )
        report = convert.convert_leads(
            ids, choice.pipeline_id, choice.stage_id, choice.owner_id, progress
        )
        count = len(report.converted)
        said = f"Converted {plural(count, 'lead')} to deals ({converted_text(report)})"
        return BulkResult(said, count, count)

    return run


class ConvertActions(TriageActions, SelectionActions):
    def action_deals(self) -> None:
        """``2``: the deals; back from them, the leads read again if deals became leads."""
        from leadbox_tui.ui.screens.deals import DealsScreen

        self.app.push_screen(DealsScreen(), self._back_from_deals)

    def _back_from_deals(self, left: LeftDeals | None) -> None:
        if left is not None and left.made_leads:
            self.table.reload()
        if left is not None and left.go_to == "contacts":
            self.action_contacts()
        if left is not None and left.open_lead is not None:  # enter on a deal's lead line
            from leadbox_tui.ui.screens.lead_finder import show_lead

            show_lead(self, left.open_lead)  # type: ignore[arg-type]

    def action_open_deal(self) -> None:
        """``enter`` on the "converted from deal" line of a lead's change log (or the palette):
        the deal it came from, in the deleted deals while it stays deleted."""
        shown, item = self.detail.shown, self.detail.selected
        if shown is None or shown.origin_deal is None:
            if item is None:  # the palette, not enter on the panel's line of another thing
                self.notify("This lead did not come from a deal.", severity="warning")
            return
        if item is None or item[0] == "deal":
            from leadbox_tui.ui.screens.deals import DealsScreen

            self.app.push_screen(DealsScreen(open_deal=shown.origin_deal), self._back_from_deals)

    def action_contacts(self) -> None:
        """``3``: people and organisations; ``2`` there goes on to the deals."""
        from leadbox_tui.ui.screens.contacts import ContactsScreen

        self.app.push_screen(ContactsScreen(), self._back_from_contacts)

    def _back_from_contacts(self, go_to: str | None) -> None:
        if go_to == "deals":
            self.action_deals()

    def action_convert(self) -> None:
        from leadbox_tui.services import convert, pipelines
        from leadbox_tui.ui.modals.convert import ConvertModal

        if self.selection:
            self._convert_selection()
            return
        found = self._lead_here()
        if found is None:
            return
        lead_id = found[0]
        self._read_then(
            lambda: (convert.propose(lead_id), pipelines.list_pipelines(), users.list_users()),
            lambda found: self._push(ConvertModal(*found), self._convert_chosen(lead_id)),
        )

    def _lead_here(self) -> tuple[int, str] | None:
        """The lead the detail panel shows while it has the focus, else the table's."""
        shown = self.detail.lead_id
        if self.detail.has_focus and shown is not None:
            row = self.table.row_at(self.table.cursor)
            return shown, row.title if row is not None and row.id == shown else ""
        row = self._lead()
        return (row.id, row.title) if row is not None else None

    def action_to_contact(self) -> None:
        """``K``: as Business Contact Manager does, keep the lead's person and organisation as
        contacts and take the lead out of the inbox."""
        from leadbox_tui.services import convert
        from leadbox_tui.ui.modals.confirm import ConfirmModal

        found = self._lead_here()
        if found is None:
            return
        lead_id, title = found
        question = ConfirmModal(
            f"Convert {quoted(title) if title else 'this lead'} to a contact?",
            "Its person and organisation stay as contacts (3 shows them); the lead leaves "
            "the inbox. u undoes it.",
            "Convert",
        )

        def confirmed(yes: bool | None) -> None:
            if yes:
                said = "Converted to a contact: the lead left the inbox (u undoes it)."
                self._triage_write(lambda: convert.convert_to_contact(lead_id), said, None)

        self._push(question, confirmed)

    def _convert_chosen(self, lead_id: int):
        from leadbox_tui.services import convert

        def chosen(choices: convert.DealChoices | None) -> None:
            if choices is None:
                return

            def said(deal_id: int) -> str:
                return (
                    f"Converted {quoted(choices.title)} to deal {deal_id}: the lead left the "
                    "inbox (u undoes it)."
                )

            self._triage_write(lambda: convert.convert_lead(lead_id, choices), said, None)

        return chosen

    def _convert_selection(self) -> None:
        from leadbox_tui.services import pipelines
        from leadbox_tui.ui.modals.convert import BulkConvertModal

        target, what = self.selection.target(self.sort), self.selection.describe()

        def chosen(choice: BulkConvert | None) -> None:
            if choice is None or self._bulk_running:
                return
            label = f"Converting {what} to deals"
            self.task_bar.start(f"{label}…")  # always a bar: a conversion moves a lot
            self._start(label, target, _bulk_work(choice))

        self._fetch_then(
            lambda: (pipelines.list_pipelines(), users.list_users()),
            lambda found: self.app.push_screen(BulkConvertModal(one_line(what), *found), chosen),
        )
