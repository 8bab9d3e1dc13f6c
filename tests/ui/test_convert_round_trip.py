"""The round trip from the keyboard, through the pilot: a lead becomes a deal (c, ctrl+s), the
deal goes back to the inbox (2, c, 1), and every note and e-mail is still there; the new lead's
change log says when it came back, and enter on that line opens the deleted deal."""

from __future__ import annotations

from pathlib import Path

from leadbox_tui.services.notes import add_note
from leadbox_tui.store.models import Activity, Change, Deal, EmailMessage, Lead, Note
from leadbox_tui.ui.app import LeadboxApp
from leadbox_tui.ui.modals.convert import ConvertModal
from leadbox_tui.ui.screens.deals import DealsScreen
from leadbox_tui.ui.widgets.deal_table import DealTable
from leadbox_tui.ui.widgets.detail_panel import DetailPanel
from tests.ui.conftest import SIZE, add_lead, detail_shows, loaded, wait_until
from tests.ui.test_deals_screen import deals_screen
from tests.ui.test_triage_a import back_to_inbox, opens, says


def bodies(model: type[Note] | type[EmailMessage], **where: object) -> list[str]:
    column = "body" if model is Note else "subject"
    query = model.select().where(*(getattr(model, k) == v for k, v in where.items()))
    return sorted(getattr(row, column) for row in query)


async def test_lead_to_deal_to_lead_keeps_every_note_and_email(inbox_path: Path) -> None:
    lead_id = add_lead("Roof repair", value="1200", currency="EUR")
    add_note(lead_id, "Wants it before winter")
    add_note(lead_id, "Call after 6 pm")
    EmailMessage.create(direction="in", sender="a@b.fr", subject="Quote?", body="Hi", lead=lead_id)
    EmailMessage.create(
        direction="out",
        sender="me@x.fr",
        to="a@b.fr",
        subject="Re: Quote?",
        body="Yes",
        lead=lead_id,
    )
    Activity.create(type="call", subject="Call back", due_date="2026-06-01", lead=lead_id)
    notes, emails = bodies(Note, lead=lead_id), bodies(EmailMessage, lead=lead_id)
    lead_history = Change.select().where(Change.record_id == lead_id).count()
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        table = await loaded(pilot)
        await pilot.press("c")
        await opens(pilot, ConvertModal)
        await pilot.press("ctrl+s")
        await back_to_inbox(pilot)
        await says(pilot, "to deal")
        await wait_until(pilot, lambda: table.total == 0)
        deal_id = Deal.get(Deal.lead_origin == lead_id).id
        assert bodies(Note, deal=deal_id) == notes and bodies(EmailMessage, deal=deal_id) == emails

        await deals_screen(pilot)
        await pilot.press("c")  # the deal under the cursor back to a lead
        await says(pilot, "Back to the inbox as 1 lead")
        await pilot.press("1")
        inbox = await loaded(pilot)
        await wait_until(pilot, lambda: inbox.total == 1)
        back = Lead.get(Lead.origin_deal == deal_id)
        assert inbox.current_lead_id == back.id
        assert (back.title, back.source, back.value_minor) == ("Roof repair", "Deal", 120000)
        assert bodies(Note, lead=back.id) == notes  # copies on the lead...
        assert bodies(EmailMessage, lead=back.id) == emails
        assert bodies(Note, deal=deal_id) == notes  # ...and the deal keeps its own
        assert Activity.get(Activity.deal == deal_id).subject == "Call back"
        # both histories: the first lead's whole, the deal's, the new lead's from its start
        assert Change.select().where(Change.record_id == lead_id).count() > lead_history
        assert Change.select().where(Change.record_type == "deal").count() > 0

        await pilot.press("tab")  # the detail panel, its cursor down to the change log
        await detail_shows(pilot, f"converted from deal {deal_id}")
        panel = pilot.app.screen.query_one(DetailPanel)
        for _ in range(30):
            await pilot.press("j")
        assert panel.selected == ("deal", deal_id)
        await pilot.press("enter")
        deals = await opens(pilot, DealsScreen)
        deal_table = deals.query_one(DealTable)
        await wait_until(pilot, lambda: deal_table.current_lead_id == deal_id)
        assert deals.filter.deleted  # the deleted deals, where R restores it
        await pilot.press("R")
        await says(pilot, "Restored 1 deal")
    assert Deal[deal_id].deleted_at is None
    assert Lead[back.id].deleted_at is None  # the lead made by the conversion stays
