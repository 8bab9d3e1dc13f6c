"""Notes on a lead: multi-line, newest first, one pinned, @mentions stored as links to users."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from leadbox_tui.services import leads, notes
from leadbox_tui.services.detail import lead_detail
from leadbox_tui.services.history import undo_last
from leadbox_tui.services.leads import NewLead
from leadbox_tui.services.notes import NoteError, add_note, edit_note, mention_candidates, notes_of
from leadbox_tui.services.users import add_user, ensure_me
from leadbox_tui.store.models import Note, NoteMention


@pytest.fixture
def lead(inbox_path: Path) -> int:
    return leads.create_lead(NewLead(person="Ana Souza"))


def mentioned(note_id: int) -> set[str]:
    return {link.user.handle for link in NoteMention.select().where(NoteMention.note == note_id)}


def test_notes_are_multi_line_newest_first_with_author_and_time(lead: int) -> None:
    first = add_note(lead, "Called.\nWill call back\ton Monday.")
    time.sleep(0.01)
    second = add_note(lead, "Sent the quote.")
    shown = notes_of(lead)
    assert [n.id for n in shown] == [second, first]
    assert shown[1].body == "Called.\nWill call back\ton Monday."
    assert shown[0].author == ensure_me().name
    assert shown[0].created_at >= shown[1].created_at


def test_one_note_is_pinned_on_top(lead: int) -> None:
    a = add_note(lead, "a")
    b = add_note(lead, "b")
    c = add_note(lead, "c")
    notes.pin_note(a)
    assert [n.id for n in notes_of(lead)] == [a, c, b]
    notes.pin_note(b)  # pinning another unpins the first
    assert [(n.id, n.pinned) for n in notes_of(lead)] == [(b, True), (c, False), (a, False)]
    undo_last()
    assert notes_of(lead)[0].id == a


def test_mentions_are_stored_and_shown(lead: int) -> None:
    jose = add_user("José García")
    jo = add_user("Jo")
    note = add_note(lead, "Ask @jose.garcia. about it, and @Jo too; not bob@jo.fr")
    assert mentioned(note) == {jose.handle, jo.handle}
    assert {u.name for u in notes_of(lead)[0].mentions} == {"José García", "Jo"}


def test_a_longer_handle_is_not_mistaken_for_a_shorter_one(lead: int) -> None:
    add_user("Jo")
    jo_smith = add_user("Jo Smith")
    assert mentioned(add_note(lead, "cc @jo.smith")) == {jo_smith.handle}
    assert mentioned(add_note(lead, "mail bob@jo.smith today")) == set()


def test_mentions_follow_an_edit_and_its_undo(lead: int) -> None:
    add_user("Paula")
    add_user("Rui")
    note = add_note(lead, "for @paula")
    assert edit_note(note, "for @rui instead")
    assert mentioned(note) == {"rui"}
    assert undo_last().description == "Edited a note"
    assert mentioned(note) == {"paula"}
    assert Note[note].body == "for @paula"


def test_a_deleted_note_leaves_the_lead_and_undo_brings_it_back(lead: int) -> None:
    note = add_note(lead, "keep me")
    notes.delete_note(note)
    assert notes_of(lead) == []
    assert lead_detail(lead).notes == ()
    with pytest.raises(NoteError, match=f"no note #{note}"):
        edit_note(note, "too late")
    undo_last()
    assert [n.body for n in notes_of(lead)] == ["keep me"]


def test_undoing_an_added_note_removes_it(lead: int) -> None:
    add_note(lead, "oops")
    assert undo_last().description == "Added a note to 'Ana Souza lead'"
    assert notes_of(lead) == []


def test_empty_notes_and_unknown_leads_are_refused(lead: int) -> None:
    with pytest.raises(NoteError, match="cannot be empty"):
        add_note(lead, " \n\t ")
    with pytest.raises(NoteError, match="no lead #999"):
        add_note(999, "hello")
    assert Note.select().count() == 0


def test_mention_candidates_complete_handles_and_names(inbox_path: Path) -> None:
    me = ensure_me()
    paula = add_user("Paula Prieto")
    pablo = add_user("Pablo Ruiz")
    ruiz = add_user("Ana Ruiz")
    assert [u.id for u in mention_candidates("@pa")] == [pablo.id, paula.id]
    assert [u.id for u in mention_candidates("ruiz")] == [ruiz.id, pablo.id]
    assert me.id in [u.id for u in mention_candidates("")]
    assert mention_candidates("zz") == []
