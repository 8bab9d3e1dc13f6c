"""The relinking merge and convert share: records follow their owner, in one undoable step."""

from __future__ import annotations

from pathlib import Path

from leadbox_tui.services.history import recorded, undo_last
from leadbox_tui.services.leads import NewLead, create_lead
from leadbox_tui.services.notes import add_note
from leadbox_tui.services.relink import relink_records
from leadbox_tui.store.models import Note
from tests.services.deal_helpers import new_deals


def owners(*note_ids: int) -> list[tuple[int | None, int | None]]:
    return [(Note[i].lead_id, Note[i].deal_id) for i in note_ids]


def test_records_follow_their_owner_to_another_record_of_the_same_kind(inbox_path: Path) -> None:
    first, second, keep = (create_lead(NewLead(organization=n)) for n in ("A", "B", "C"))
    notes = [add_note(first, "one"), add_note(second, "two"), add_note(keep, "three")]
    with recorded("test", "merge-like") as rec:
        moved = relink_records(rec, Note, "lead", {first: keep, second: keep})
    assert sorted(moved) == sorted(notes[:2])
    assert owners(*notes) == [(keep, None)] * 3
    undo_last()
    assert owners(*notes) == [(first, None), (second, None), (keep, None)]


def test_records_move_to_an_owner_of_another_kind(inbox_path: Path) -> None:
    lead = create_lead(NewLead(organization="Initech"))
    note = add_note(lead, "met at the fair")
    [deal] = new_deals("Globex")
    with recorded("test", "convert-like") as rec:
        assert relink_records(rec, Note, "lead", {lead: deal}, to_field="deal") == [note]
    assert owners(note) == [(None, deal)]
    undo_last()
    assert owners(note) == [(lead, None)]


def test_nothing_to_move_writes_nothing(inbox_path: Path) -> None:
    lead = create_lead(NewLead(organization="Initech"))
    with recorded("test", "nothing") as rec:
        assert relink_records(rec, Note, "lead", {lead: lead + 1}) == []
