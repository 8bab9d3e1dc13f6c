"""Triage from the keyboard, through the pilot: add a lead (with and without an existing contact
offered and chosen), save and new, refused input; edit a field; notes with mentions; activities;
labels; archive, delete, undo and the trash."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual import events
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, OptionList, SelectionList, Static, TextArea

from leadbox_tui.services.inbox import rows_for
from leadbox_tui.services.labels import create_label, label_ids_of, list_labels
from leadbox_tui.services.leads import NewLead, archive, create_lead
from leadbox_tui.services.notes import add_note, notes_of
from leadbox_tui.services.users import add_user
from leadbox_tui.store.models import Activity, Change, Label, Lead, NoteMention, Person
from leadbox_tui.ui import keymap
from leadbox_tui.ui.app import LeadboxApp
from leadbox_tui.ui.modals.activity import ActivityModal
from leadbox_tui.ui.modals.add_lead import AddLeadModal, SuggestingInput
from leadbox_tui.ui.modals.confirm import ConfirmModal
from leadbox_tui.ui.modals.edit_field import EditFieldModal
from leadbox_tui.ui.modals.manage_labels import LabelsModal
from leadbox_tui.ui.modals.note import NoteEditor, NoteModal
from leadbox_tui.ui.modals.pick_labels import LabelChoices, PickLabelsModal
from leadbox_tui.ui.screens.inbox import InboxScreen
from leadbox_tui.ui.screens.trash import TrashScreen
from leadbox_tui.ui.widgets.detail_panel import DetailPanel
from tests.ui.conftest import (
    SIZE,
    add_lead,
    cursor_line,
    detail_shows,
    detail_text,
    loaded,
    table_lines,
    wait_until,
)


def notified(pilot: Pilot) -> list[str]:
    return [notification.message for notification in pilot.app._notifications]


async def says(pilot: Pilot, text: str) -> None:
    """Wait for a notification that contains ``text``."""
    await wait_until(pilot, lambda: any(text in message for message in notified(pilot)))


def footer_actions(pilot: Pilot) -> set[str]:
    """The actions the footer offers now (those whose check lets them through)."""
    return {active.binding.action for active in pilot.app.screen.active_bindings.values()}


async def opens(pilot: Pilot, kind: type[Screen]) -> Screen:
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, kind))
    await pilot.pause()
    return pilot.app.screen


async def back_to_inbox(pilot: Pilot) -> None:
    await opens(pilot, InboxScreen)


def error_beside(screen: Screen, field: str) -> str:
    """The message beside ``field``, in lower case."""
    return str(screen.query_one(f"#error-{field}", Static).render()).lower()


def field(screen: Screen, name: str) -> Input:
    return screen.query_one(f"#{name}", Input)


async def type_into(pilot: Pilot, screen: Screen, name: str, text: str) -> None:
    """Focus the field and type ``text`` key by key, as the seller would."""
    field(screen, name).focus()
    await pilot.press(*text)


async def offered(pilot: Pilot, screen: Screen, kind: str) -> OptionList:
    """The contacts offered for ``kind``, once the look-up has answered."""
    offers = screen.query_one(f"#suggest-{kind}", OptionList)
    await wait_until(pilot, lambda: offers.display and offers.option_count)
    return offers


def existing_contact() -> Lead:
    lead_id = create_lead(
        NewLead(person="Jean Dupont", organization="Acme SA", emails=["jean.dupont@acme.fr"])
    )
    Lead.update(created_at=dt.datetime(2024, 1, 1)).where(Lead.id == lead_id).execute()
    return Lead.get_by_id(lead_id)


# -- adding a lead -----------------------------------------------------------------------------


async def test_n_adds_a_lead_with_only_a_person_name(inbox_path: Path) -> None:
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("n")
        form = await opens(pilot, AddLeadModal)
        await pilot.press(*"Ada Lovelace")
        assert field(form, "title").placeholder == "Ada Lovelace lead"
        await pilot.press("ctrl+s")
        await back_to_inbox(pilot)
        await says(pilot, "Added lead 'Ada Lovelace lead'")
        table = await loaded(pilot)
        await wait_until(pilot, lambda: table.total == 1)
        await wait_until(pilot, lambda: "Ada Lovelace lead" in cursor_line(table))
        await wait_until(pilot, lambda: pilot.app.focused is table)  # the inbox was empty
    lead = Lead.get()
    assert lead.person.name == "Ada Lovelace" and lead.source == "Manually created"


async def test_a_name_typed_before_the_form_is_up_goes_into_it(inbox_path: Path) -> None:
    """ "n" and a name arriving at once: the form is read for in a worker, and Textual hands
    each key to the widget focused when it arrives (the table: "a" would archive, "e" edit).
    The keys are held for the form and land in its first field."""
    add_lead("Office move")
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        await loaded(pilot)
        for key in ["n", *"Zoe Martin"]:
            pilot.app.post_message(events.Key("space" if key == " " else key, key))
        form = await opens(pilot, AddLeadModal)
        await wait_until(pilot, lambda: field(form, "person").value == "Zoe Martin")
        assert Lead.get().archived_at is None  # no key of the inbox ran


async def test_a_contact_offered_while_typing_is_linked_when_chosen(inbox_path: Path) -> None:
    first = existing_contact()
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("n")
        form = await opens(pilot, AddLeadModal)
        await pilot.press(*"Jean Dupond")
        offers = await offered(pilot, form, "person")
        assert "Jean Dupont" in str(offers.get_option_at_index(0).prompt)
        await pilot.press("down", "enter")
        assert field(form, "person").value == "Jean Dupont"
        assert "Links to the existing person Jean Dupont" in str(
            form.query_one("#chosen-person", Static).render()
        )
        # the person's organisation comes with them, linked once it is found
        assert field(form, "organization").value == "Acme SA"
        chosen = form.query_one("#chosen-organization", Static)
        await wait_until(pilot, lambda: chosen.display)
        await type_into(pilot, form, "phone", "0612345678")
        await pilot.press("ctrl+s")
        await back_to_inbox(pilot)
        await says(pilot, "Added lead 'Acme SA lead'")
    new = Lead.select().order_by(Lead.id.desc()).get()
    assert (new.person_id, new.organization_id) == (first.person_id, first.organization_id)
    assert Person.select().count() == 1
    assert {p.kind for p in new.person.contact_points} == {"email", "phone"}


async def test_a_contact_offered_but_not_chosen_leaves_a_new_person(inbox_path: Path) -> None:
    existing_contact()
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("n")
        form = await opens(pilot, AddLeadModal)
        await pilot.press(*"Jean Dupond")
        await offered(pilot, form, "person")
        await pilot.press("ctrl+s")  # the seller knows better: another Jean
        await back_to_inbox(pilot)
        await says(pilot, "Added lead 'Jean Dupond lead'")
    assert sorted(p.name for p in Person.select()) == ["Jean Dupond", "Jean Dupont"]


async def test_typing_on_after_choosing_unlinks_the_contact(inbox_path: Path) -> None:
    existing_contact()
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("n")
        form = await opens(pilot, AddLeadModal)
        await pilot.press(*"Jean Dup")
        await offered(pilot, form, "person")
        await pilot.press("down", "enter")
        assert form.chosen["person"] is not None
        await pilot.press(*"-Martin")
        assert form.chosen["person"] is None
        assert not form.query_one("#chosen-person", Static).display


async def test_save_and_new_keeps_the_form_open_for_the_next_lead(inbox_path: Path) -> None:
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("n")
        form = await opens(pilot, AddLeadModal)
        await pilot.press(*"First Person", "ctrl+n")
        await says(pilot, "Added lead 'First Person lead'")
        await wait_until(pilot, lambda: field(form, "person").value == "")
        assert pilot.app.screen is form and pilot.app.focused is field(form, "person")
        await type_into(pilot, form, "organization", "Second Org")
        await pilot.press("ctrl+s")
        await back_to_inbox(pilot)
        table = await loaded(pilot)
        await wait_until(pilot, lambda: table.total == 2)
    assert sorted(lead.title for lead in Lead.select()) == ["First Person lead", "Second Org lead"]


async def test_a_refused_lead_says_why_beside_the_field_and_saves_nothing(
    inbox_path: Path,
) -> None:
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("n")
        form = await opens(pilot, AddLeadModal)
        await pilot.press("ctrl+s")  # nothing typed
        await wait_until(pilot, lambda: error_beside(form, "person"))
        assert "person or an organisation name" in error_beside(form, "person")
        await pilot.press(*"Ada")
        assert error_beside(form, "person") == ""  # typing in the field clears its message
        await type_into(pilot, form, "expected_close", "2026-13-01")
        await pilot.press("ctrl+s")
        assert "not a date" in error_beside(form, "expected_close")
        field(form, "expected_close").value = "2026-12-01"
        await type_into(pilot, form, "value", "12O0")
        await type_into(pilot, form, "currency", "eu")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: error_beside(form, "value"))
        assert "currency code" in error_beside(form, "value")
        assert pilot.app.focused is field(form, "currency")
        field(form, "currency").value = "EUR"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "not an amount" in error_beside(form, "value"))
        assert pilot.app.screen is form
        assert Lead.select().count() == 0
        field(form, "value").value = "1200"
        await pilot.press("ctrl+s")
        await back_to_inbox(pilot)
    lead = Lead.get()
    assert (lead.value_minor, lead.currency, lead.expected_close) == (
        120000,
        "EUR",
        dt.date(2026, 12, 1),
    )


async def test_esc_on_a_form_with_typing_asks_before_discarding(inbox_path: Path) -> None:
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("n")
        await opens(pilot, AddLeadModal)
        await pilot.press(*"Half typed", "escape")
        await opens(pilot, ConfirmModal)
        await pilot.press("n")
        await opens(pilot, AddLeadModal)
        await pilot.press("escape")
        await opens(pilot, ConfirmModal)
        await pilot.press("y")
        await back_to_inbox(pilot)
    assert Lead.select().count() == 0


# -- editing -----------------------------------------------------------------------------------


async def test_e_edits_a_picked_field_and_the_change_lands_in_the_change_log(
    inbox_path: Path,
) -> None:
    lead_id = add_lead("Old title")
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("e")
        editor = await opens(pilot, EditFieldModal)
        await pilot.press("enter")  # the first field: the title
        title = editor.query_one("#edit-value", Input)
        assert title.value == "Old title"
        title.value = ""
        await pilot.press(*"New title", "enter")
        await back_to_inbox(pilot)
        await says(pilot, "Changed the title of 'Old title'")
        shown = await detail_shows(pilot, "title: Old title → New title")
        assert shown.splitlines()[0].strip() == "New title"
    assert Change.select().where(Change.record_id == lead_id, Change.field == "title").count() == 1


async def test_e_on_a_field_of_the_detail_panel_edits_that_field(inbox_path: Path) -> None:
    lead_id = add_lead("A lead", source="Import")
    add_user("Alice Martin")
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await detail_shows(pilot, "Change log")
        await pilot.press("tab", "j", "j")  # the title, the value, then the owner
        assert pilot.app.screen.query_one(DetailPanel).selected == ("field", "owner")
        await pilot.press("e")
        editor = await opens(pilot, EditFieldModal)
        assert editor.field == "owner"
        choices = editor.query_one("#choices", OptionList)
        names = [str(choices.get_option_at_index(i).prompt) for i in range(choices.option_count)]
        steps = names.index("Alice Martin") - (choices.highlighted or 0)
        await pilot.press(*(["down"] * steps if steps > 0 else ["up"] * -steps))
        await pilot.press("enter")
        await back_to_inbox(pilot)
        await detail_shows(pilot, "→ Alice Martin")
    assert rows_for([lead_id])[0].owner == "Alice Martin"


async def test_a_value_typed_wrong_in_the_editor_is_refused_beside_it(inbox_path: Path) -> None:
    add_lead("A lead")
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("e")
        editor = await opens(pilot, EditFieldModal)
        await pilot.press("down", "enter")  # the value
        await pilot.press(*"lots", "enter")
        assert "not an amount" in error_beside(editor, "value")
        assert pilot.app.screen is editor
        await pilot.press("escape")
        await back_to_inbox(pilot)
    assert Lead.get().value_minor is None


# -- notes -------------------------------------------------------------------------------------


async def test_a_note_with_a_mention_is_stored_and_shown(inbox_path: Path) -> None:
    lead_id = add_lead("A lead")
    alice = add_user("Alice Martin")
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("N")
        modal = await opens(pilot, NoteModal)
        await pilot.press(*"Ask @ali")
        mentions = modal.query_one("#mentions", OptionList)
        await wait_until(pilot, lambda: mentions.display and mentions.option_count)
        await pilot.press("tab")
        editor = modal.query_one(TextArea)
        assert editor.text == "Ask @alice.martin "
        await pilot.press(*"about it", "enter", *"Second line")
        assert editor.text == "Ask @alice.martin about it\nSecond line"
        await pilot.press("ctrl+s")
        await back_to_inbox(pilot)
        await says(pilot, "Added a note to 'A lead'")
        shown = await detail_shows(pilot, "Ask @alice.martin about it")
        assert "Notes (1)" in shown and "Second line" in shown
    [note] = notes_of(lead_id)
    assert [user.id for user in note.mentions] == [alice.id]
    assert NoteMention.select().count() == 1


async def test_notes_can_be_pinned_and_deleted_from_the_detail_panel(inbox_path: Path) -> None:
    lead_id = add_lead("A lead")
    add_note(lead_id, "Older note")
    add_note(lead_id, "Newer note")
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await detail_shows(pilot, "Notes (2)")
        shown = detail_text(pilot)
        assert shown.index("Newer note") < shown.index("Older note")  # newest first
        panel = pilot.app.screen.query_one(DetailPanel)
        await pilot.press("tab")
        while panel.selected is None or panel.selected[0] != "note":
            await pilot.press("j")
        assert "screen.pin_note" in footer_actions(pilot)
        await pilot.press("j", "p")  # the older note, pinned
        shown = await detail_shows(pilot, "Pinned ·")
        assert shown.index("Older note") < shown.index("Newer note")
        await pilot.press("d")  # the note under the cursor, still the older one
        await opens(pilot, ConfirmModal)
        await pilot.press("y")
        await back_to_inbox(pilot)
        await detail_shows(pilot, "Notes (1)")
    assert [n.body for n in notes_of(lead_id)] == ["Newer note"]
    assert Lead.get_by_id(lead_id).deleted_at is None  # the note went, not the lead


# -- activities --------------------------------------------------------------------------------


async def test_scheduling_then_marking_done_changes_the_activity_column(
    inbox_path: Path,
) -> None:
    add_lead("A lead")
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        table = await loaded(pilot)
        assert "⚠" in cursor_line(table)  # no activity
        await pilot.press("t")
        modal = await opens(pilot, ActivityModal)
        assert "Today" in str(modal.query_one("#due-day", Static).render())
        field(modal, "due").value = ""
        await type_into(pilot, modal, "due", "tomorrow")
        assert "Tomorrow" in str(modal.query_one("#due-day", Static).render())
        await type_into(pilot, modal, "subject", "Call back about the quote")
        await type_into(pilot, modal, "time", "9h30")
        await pilot.press("enter")
        await back_to_inbox(pilot)
        await says(pilot, "Scheduled call on 'A lead': Tomorrow")
        tomorrow = dt.date.today() + dt.timedelta(days=1)
        day = f"{tomorrow.day} {tomorrow.strftime('%b')}"
        await wait_until(pilot, lambda: day in cursor_line(table))
        await detail_shows(pilot, "call: Call back about the quote")
        await pilot.press("tab")
        panel = pilot.app.screen.query_one(DetailPanel)
        assert "screen.mark_done" not in footer_actions(pilot)  # on the title
        while panel.selected is None or panel.selected[0] != "activity":
            await pilot.press("j")
        assert "screen.mark_done" in footer_actions(pilot)
        await pilot.press("x")
        await says(pilot, "Marked done")
        await wait_until(pilot, lambda: "⚠" in cursor_line(table))
        await detail_shows(pilot, "✓")
    activity = Activity.get()
    assert activity.done_at is not None and activity.due_time == dt.time(9, 30)


async def test_a_due_date_typed_wrong_is_refused_beside_it(inbox_path: Path) -> None:
    add_lead("A lead")
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("t")
        modal = await opens(pilot, ActivityModal)
        field(modal, "due").value = "someday"
        await pilot.press("ctrl+s")
        assert "not a date" in error_beside(modal, "due")
        assert pilot.app.screen is modal
    assert Activity.select().count() == 0


# -- labels ------------------------------------------------------------------------------------


async def test_labels_are_toggled_on_the_lead_from_the_picker(inbox_path: Path) -> None:
    lead_id = add_lead("A lead", labels=["Cold"])
    names = [label.name for label in list_labels()]  # Cold, Hot, Warm
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        table = await loaded(pilot)
        await pilot.press("l")
        await opens(pilot, PickLabelsModal)
        await pilot.press("space")  # Cold off
        await pilot.press("down", "space")  # Hot on
        await pilot.press("enter")
        await back_to_inbox(pilot)
        await says(pilot, "Changed the labels of 'A lead'")
        await wait_until(pilot, lambda: "Hot" in cursor_line(table))
        assert "Cold" not in cursor_line(table)
    assert [names[0], names[1]] == ["Cold", "Hot"]
    assert label_ids_of(lead_id) == [Label.get(Label.name == "Hot").id]


async def test_labels_are_created_renamed_recoloured_and_deleted(inbox_path: Path) -> None:
    lead_id = add_lead("A lead", labels=["Hot"])
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        table = await loaded(pilot)
        await pilot.press("L")
        modal = await opens(pilot, LabelsModal)
        listing = modal.query_one("#label-list", OptionList)
        await wait_until(pilot, lambda: listing.option_count == 3)
        await pilot.press("n", *"Partner", "enter")  # then its colour
        await pilot.press("home", "down", "down", "enter")  # red, orange, yellow
        await says(pilot, "Created label 'Partner'")
        await wait_until(pilot, lambda: listing.option_count == 4)
        assert Label.get(Label.name == "Partner").colour == "yellow"
        listing.highlighted = [label.name for label in modal.labels].index("Hot")
        await pilot.press("r")
        modal.query_one("#label-name", Input).value = ""
        await pilot.press(*"Burning", "enter")
        await says(pilot, "Renamed 'Hot' to 'Burning'")
        await pilot.press("c", "down", "enter")
        await says(pilot, "'Burning' is orange now")
        listing.highlighted = [label.name for label in modal.labels].index("Cold")
        await pilot.press("d")
        await opens(pilot, ConfirmModal)
        await pilot.press("y")
        await says(pilot, "Deleted label 'Cold'")
        await opens(pilot, LabelsModal)
        await pilot.press("escape")
        await back_to_inbox(pilot)
        await wait_until(pilot, lambda: "Burning" in cursor_line(table))
    assert sorted(label.name for label in list_labels()) == ["Burning", "Partner", "Warm"]
    assert Label.get(Label.name == "Burning").colour == "orange"
    assert label_ids_of(lead_id) == [Label.get(Label.name == "Burning").id]


# -- archive, delete, undo, trash --------------------------------------------------------------


async def test_a_archives_the_lead_and_u_undoes_it(inbox_path: Path) -> None:
    add_lead("Stays", created=dt.datetime(2024, 1, 1))
    gone = add_lead("Goes", created=dt.datetime(2024, 2, 1))
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        table = await loaded(pilot)
        await pilot.press("a")
        await says(pilot, "Archived 'Goes'")
        await wait_until(pilot, lambda: table.total == 1 and "Stays" in cursor_line(table))
        assert Lead.get_by_id(gone).archived_at is not None
        await pilot.press("u")
        await says(pilot, "Undid: Archived 1 lead")
        await wait_until(pilot, lambda: table.total == 2 and "Goes" in cursor_line(table))
        await pilot.press("u")  # then what came before: the lead was added
        await says(pilot, "Undid: Added lead 'Goes'")
        await wait_until(pilot, lambda: table.total == 1)
    lead = Lead.get_by_id(gone)
    assert lead.archived_at is None and lead.deleted_at is not None


async def test_a_in_the_archived_view_unarchives(inbox_path: Path) -> None:
    lead_id = add_lead("Archived one")
    archive([lead_id])
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        table = await loaded(pilot)
        await pilot.press("A")
        await wait_until(pilot, lambda: table.total == 1 and table.current_lead_id == lead_id)
        await pilot.press("a")
        await says(pilot, "Unarchived 'Archived one'")
        await wait_until(pilot, lambda: table.total == 0)
    assert Lead.get_by_id(lead_id).archived_at is None


async def test_d_asks_first_then_deletes_to_the_trash_where_it_is_restored(
    inbox_path: Path,
) -> None:
    lead_id = add_lead("Doomed")
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        table = await loaded(pilot)
        await pilot.press("d")
        question = await opens(pilot, ConfirmModal)
        assert "Delete the lead 'Doomed'?" in str(question.query_one(".dialog--title").render())
        await pilot.press("n")  # not yet
        await back_to_inbox(pilot)
        assert Lead.get_by_id(lead_id).deleted_at is None
        await pilot.press("d")
        await opens(pilot, ConfirmModal)
        await pilot.press("y")
        await says(pilot, "Deleted 'Doomed'")
        await wait_until(pilot, lambda: table.total == 0)
        await pilot.press("T")
        trash = await opens(pilot, TrashScreen)
        listing = trash.query_one("#trash-list", OptionList)
        await wait_until(pilot, lambda: listing.option_count == 1)
        assert "Doomed" in str(listing.get_option_at_index(0).prompt)
        await pilot.press("r")
        await says(pilot, "Restored 1 lead")
        await wait_until(pilot, lambda: trash.query_one("#trash-empty").display)
        await pilot.press("escape")
        await back_to_inbox(pilot)
        await wait_until(pilot, lambda: table.total == 1)
        assert "Doomed" in table_lines(table)[1]
    assert Lead.get_by_id(lead_id).deleted_at is None


async def test_u_undoes_a_delete_and_an_edit_whatever_came_last(inbox_path: Path) -> None:
    lead_id = add_lead("Kept")
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        table = await loaded(pilot)
        await pilot.press("d", "y")
        await wait_until(pilot, lambda: table.total == 0)
        await pilot.press("u")
        await says(pilot, "Undid: Deleted 1 lead")
        await wait_until(pilot, lambda: table.total == 1)
        await pilot.press("e")
        await opens(pilot, EditFieldModal)
        await pilot.press("enter")
        pilot.app.screen.query_one("#edit-value", Input).value = "Renamed"
        await pilot.press("enter")
        await back_to_inbox(pilot)
        await wait_until(pilot, lambda: "Renamed" in cursor_line(table))
        await pilot.press("u")
        await says(pilot, "Undid: Edited title of 1 lead")
        await wait_until(pilot, lambda: "Kept" in cursor_line(table))
    assert Lead.get_by_id(lead_id).title == "Kept"


async def test_lead_keys_on_an_empty_inbox_leave_the_footer_and_n_still_adds(
    inbox_path: Path,
) -> None:
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        await loaded(pilot)
        screen = pilot.app.screen
        await wait_until(pilot, lambda: screen.has_class("-empty"))
        shown = {binding.binding.action for binding in screen.active_bindings.values()}
        assert "new_lead" in shown and "edit" not in shown and "delete" not in shown
        await pilot.press("e", "d", "a")  # nothing to act on: nothing happens
        assert pilot.app.screen is screen
        await pilot.press("n")
        await opens(pilot, AddLeadModal)


async def test_seller_text_in_the_dialogs_is_shown_literally(inbox_path: Path) -> None:
    add_lead("[b]Bold?[/b]")
    create_label("[red]x[/]", "red")
    async with LeadboxApp(str(inbox_path)).run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("l")
        picker = await opens(pilot, PickLabelsModal)
        assert "Labels of '[b]Bold?[/b]'" in str(picker.query_one(".dialog--title").render())
        choices = picker.query_one(SelectionList)
        prompts = [str(choices.get_option_at_index(i).prompt) for i in range(choices.option_count)]
        assert "● [red]x[/]" in prompts


def test_every_key_of_the_triage_dialogs_comes_from_the_registry() -> None:
    """Their keys are in the help and the palette because they are in the one registry."""
    ours = [
        ConfirmModal,
        AddLeadModal,
        SuggestingInput,
        EditFieldModal,
        NoteModal,
        NoteEditor,
        ActivityModal,
        LabelChoices,
        LabelsModal,
        TrashScreen,
    ]
    for cls in ours:
        own = cls.__dict__.get("BINDINGS", [])
        keys = [key for binding in own for key in binding.key.split(",")]
        assert len(keys) == len(set(keys)), cls
        for binding in own:
            assert binding.id in keymap.BY_ID and binding.description, binding
