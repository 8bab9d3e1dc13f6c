"""Bulk actions on a selection: one transaction, one undo step, progress, and the trash."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from leadbox_tui.services import bulk, leads, trash
from leadbox_tui.services.filters import InboxFilter
from leadbox_tui.services.history import undo_last
from leadbox_tui.services.inbox import InboxQuery
from leadbox_tui.services.labels import resolve_labels
from leadbox_tui.services.leads import NewLead
from leadbox_tui.services.normalize import from_minor
from leadbox_tui.services.users import add_user, ensure_me
from leadbox_tui.store.models import Action, Lead, LeadLabel, database_proxy


def snapshot() -> dict[int, dict[str, Any]]:
    """Every lead, every column but the time of the last change."""
    rows = Lead.select().order_by(Lead.id).dicts()
    return {row["id"]: {k: v for k, v in row.items() if k != "updated_at"} for row in rows}


def fill(count: int) -> list[int]:
    """Leads written in one go: values in two currencies, sources, owners and stages mixed."""
    me = ensure_me().id
    rows = [
        {
            "title": f"Lead {i}",
            "source": leads.SOURCES[i % 4],
            "owner": me if i % 3 else None,
            "value_minor": (i * 100) if i % 2 else None,
            "currency": ("EUR", "JPY", None)[i % 3],
            "stage": "cold" if i % 5 == 0 else None,
        }
        for i in range(count)
    ]
    with database_proxy.atomic():
        for start in range(0, count, 500):
            Lead.insert_many(rows[start : start + 500]).execute()
    return [row[0] for row in Lead.select(Lead.id).order_by(Lead.id).tuples()]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("stage", "Qualified"),
        ("stage", bulk.CLEAR),
        ("value", "99.90"),
        ("currency", "JPY"),
        ("owner", "Paula Prieto"),
        ("score", "4"),
        ("expected_close", "2026-12-31"),
        ("source", "API"),
    ],
)
def test_undoing_a_bulk_edit_restores_every_lead_exactly(
    inbox_path: Path, field: str, value: str | None
) -> None:
    add_user("Paula Prieto")
    ids = fill(3_000)
    before = snapshot()
    result = bulk.bulk_edit(ids[::2], field, value)
    assert result.selected == 1_500 and result.changed > 0
    assert snapshot() != before
    assert undo_last().description == result.description
    assert snapshot() == before


def test_a_bulk_edit_is_one_undo_step_with_progress(inbox_path: Path) -> None:
    ids = fill(25_000)
    before = snapshot()
    steps: list[tuple[int, int]] = []
    actions = Action.select().count()
    result = bulk.bulk_edit(ids, "expected_close", "2026-12-31", lambda *s: steps.append(s))
    assert (result.description, result.changed) == (
        "Edited expected close date of 25,000 leads",
        25_000,
    )
    assert Action.select().count() == actions + 1
    assert steps == [(10_000, 25_000), (20_000, 25_000), (25_000, 25_000)]
    assert Lead[ids[-1]].expected_close == dt.date(2026, 12, 31)
    assert undo_last().changes == 25_000  # every chunk of the edit, in one step
    assert snapshot() == before


def test_everything_the_filter_matches_can_be_the_selection(inbox_path: Path) -> None:
    fill(40)
    deals = InboxQuery(InboxFilter(sources=("Deal",)))
    expected = set(deals.ids(0, 100))
    result = bulk.archive(deals)
    assert result.changed == len(expected) == 10
    assert set(InboxQuery(InboxFilter(archived=True)).ids(0, 100)) == expected
    searched = InboxQuery(InboxFilter(search="lead 1"))  # "lead" and a word starting with 1
    assert bulk.selected_ids(searched) == sorted(searched.ids(0, 100))


def test_a_value_is_set_in_each_leads_own_currency(inbox_path: Path) -> None:
    eur = leads.create_lead(NewLead(person="E", value="1", currency="EUR"))
    yen = leads.create_lead(NewLead(person="Y", value="1", currency="JPY"))
    bulk.bulk_edit([eur, yen], "value", "1200,50")
    assert (Lead[eur].value_minor, Lead[yen].value_minor) == (120_050, 1_200)


def test_a_new_currency_keeps_the_amount(inbox_path: Path) -> None:
    eur = leads.create_lead(NewLead(person="E", value="12.50", currency="EUR"))
    bulk.bulk_edit([eur], "currency", "jpy")
    lead = Lead[eur]
    assert (lead.currency, from_minor(lead.value_minor, lead.currency)) == ("JPY", Decimal(12))
    undo_last()
    assert (Lead[eur].currency, Lead[eur].value_minor) == ("EUR", 1250)


def test_a_manual_score_overrides_the_criteria_until_cleared(inbox_path: Path) -> None:
    ids = fill(3)
    bulk.bulk_edit(ids, "score", 5)
    assert {(Lead[i].score, Lead[i].score_mode) for i in ids} == {(5, "manual")}
    bulk.bulk_edit(ids, "score", bulk.CLEAR)
    assert {(Lead[i].score, Lead[i].score_mode) for i in ids} == {(None, "auto")}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "", "Title cannot be cleared"),
        ("source", None, "Source cannot be cleared"),
        ("source", "Fax", "unknown source 'Fax'"),
        ("value", "lots", "not an amount"),
        ("currency", "euro", "not a currency code"),
        ("expected_close", "31/12", "is not a date"),
        ("owner", "Nobody", "no user named 'Nobody'"),
        ("score", "9", "0 to 5 stars"),
        ("visible_to", "team", "one of: owner, everyone"),
        ("archived_at", "x", "cannot edit 'archived_at' in bulk"),
    ],
)
def test_a_wrong_bulk_value_changes_nothing(
    inbox_path: Path, field: str, value: str | None, message: str
) -> None:
    ids = fill(5)
    before = snapshot()
    with pytest.raises(bulk.BulkError, match=message):
        bulk.bulk_edit(ids, field, value)
    assert snapshot() == before


def test_unknown_leads_in_a_selection_change_nothing(inbox_path: Path) -> None:
    ids = fill(3)
    with pytest.raises(bulk.BulkError, match=r"no lead #998 \(and 1 more\)"):
        bulk.archive([*ids, 998, 999])
    assert InboxQuery().total == 3


def test_owner_labels_and_archive_each_one_undo_step(inbox_path: Path) -> None:
    paula = add_user("Paula Prieto")
    ids = fill(30)
    hot, cold = resolve_labels(["Hot", "Cold"])
    assert bulk.assign_owner(ids, "Paula Prieto").changed == 30
    assert {Lead[i].owner_id for i in ids} == {paula.id}
    assert bulk.add_labels(ids, [hot, cold]).description == "Added Hot, Cold to 30 leads"
    assert {Lead[i].label_names for i in ids} == {"Cold, Hot"}
    assert bulk.remove_labels(ids[:10], [hot]).changed == 10
    assert bulk.archive(ids[:5]).changed == 5
    assert bulk.unarchive(ids[:2]).changed == 2
    assert InboxQuery().total == 27
    for expected in (
        "Unarchived 2 leads",
        "Archived 5 leads",
        "Removed Hot from 10 leads",
        "Added Hot, Cold to 30 leads",
        "Edited owner of 30 leads",
    ):
        assert undo_last().description == expected
    assert InboxQuery().total == 30
    assert {Lead[i].label_names for i in ids} == {""}
    with pytest.raises(bulk.BulkError, match="choose one or more labels"):
        bulk.add_labels(ids, [])


def test_deleted_leads_wait_in_the_trash_newest_first(inbox_path: Path) -> None:
    ids = fill(6)
    bulk.delete(ids[:2])
    bulk.delete(ids[4:5])
    assert trash.trash_count() == 3
    assert [t.id for t in trash.trashed()] == [ids[4], ids[1], ids[0]]
    assert InboxQuery().total == 3
    assert trash.restore([ids[0]]).description == "Restored 1 lead"
    assert [t.id for t in trash.trashed()] == [ids[4], ids[1]]
    with pytest.raises(bulk.BulkError, match=f"lead #{ids[2]} is not in the trash"):
        trash.restore([ids[2]])
    undo_last()  # the restore
    undo_last()  # the second delete
    assert [t.id for t in trash.trashed()] == [ids[1], ids[0]]
    assert trash.trashed(1, 1)[0].id == ids[0]


def test_labels_added_and_removed_in_bulk_keep_each_pair_and_key_and_undo_exactly(
    inbox_path: Path,
) -> None:
    ids = fill(300)
    hot, warm, cold = resolve_labels(["Hot", "Warm", "Cold"])
    bulk.add_labels(ids[::2], [warm])
    bulk.add_labels(ids[::3], [cold, hot])

    def labelled() -> dict[int, tuple[set[int], str]]:
        pairs = LeadLabel.select(LeadLabel.lead, LeadLabel.label).tuples()
        held: dict[int, set[int]] = {i: set() for i in ids}
        for lead_id, label_id in pairs:
            held[lead_id].add(label_id)
        return {i: (held[i], Lead[i].label_names) for i in ids}

    before = labelled()
    assert bulk.add_labels(ids, [hot]).changed == 300 - len(ids[::3])
    assert bulk.remove_labels(ids[:150], [cold, warm]).changed == len(
        [i for i in ids[:150] if before[i][0] & {cold, warm}]
    )
    names = {hot: "Hot", warm: "Warm", cold: "Cold"}
    for i, (held, key) in labelled().items():
        expected = before[i][0] | {hot}
        expected -= {cold, warm} if i in ids[:150] else set()
        assert held == expected and key == ", ".join(sorted(names[x] for x in expected))
    undo_last()
    undo_last()
    assert labelled() == before
