"""The deals: the table query, the board, stage moves, won and lost, deleted deals and restore."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from leadbox_tui.services import deal_detail, deals, pipelines
from leadbox_tui.services.deals import DealFilter, DealQuery, DealSort
from leadbox_tui.services.history import undo_last
from leadbox_tui.services.inbox import InboxSort
from leadbox_tui.services.pipelines import DealError
from leadbox_tui.services.users import add_user
from leadbox_tui.store.models import Deal
from tests.services.deal_helpers import new_deals


def stage(name: str) -> int:
    return pipelines.find_stage(pipelines.default_pipeline(), name).id


def titles(query: DealQuery) -> list[str]:
    return [row.title for row in query.rows(0, 100)]


def test_the_table_sorts_on_every_column_both_ways(inbox_path: Path) -> None:
    new_deals("Initech", value="300", currency="EUR", stage_id=stage("Proposal made"))
    new_deals("Acme", value="1000", currency="EUR", person="Zoé Martin")
    new_deals("Globex", stage_id=stage("Contact made"), expected_close=dt.date(2026, 1, 5))
    by = {
        "title": ["Acme lead", "Globex lead", "Initech lead"],
        "value": ["Initech lead", "Acme lead", "Globex lead"],  # no value last
        "stage": ["Acme lead", "Globex lead", "Initech lead"],  # in the pipeline's order
        "expected_close": ["Globex lead", "Initech lead", "Acme lead"],  # ties: oldest first
        "created": ["Initech lead", "Acme lead", "Globex lead"],
        "person": ["Acme lead", "Initech lead", "Globex lead"],
    }
    for column, expected in by.items():
        assert titles(DealQuery(sort=DealSort(column, descending=False))) == expected, column
        assert titles(DealQuery(sort=DealSort(column, descending=True))) == expected[::-1], column
    for column in deals.COLUMNS:
        assert len(titles(DealQuery(sort=DealSort(column)))) == 3


def test_an_unknown_sort_column_or_status_is_refused(inbox_path: Path) -> None:
    with pytest.raises(ValueError, match="cannot sort by 'colour'"):
        DealSort("colour")
    with pytest.raises(DealError, match="no status 'pending'"):
        DealFilter(status="pending")


def test_the_next_sort_column_cycles_through_the_table(inbox_path: Path) -> None:
    sort = DealSort("title", descending=False)
    seen = [sort.column]
    for _ in deals.DEFAULT_COLUMNS:
        sort = sort.next_column()
        seen.append(sort.column)
    assert seen == [*deals.DEFAULT_COLUMNS, "title"]
    assert sort.reversed() == DealSort("title", descending=True)
    assert DealSort("status").next_column(["status", "owner"]) == DealSort("owner")


def test_the_deals_and_the_inbox_share_one_sort_each_with_its_own_columns() -> None:
    """The sort both tables share keeps its kind: a deal sort never becomes an inbox one."""
    assert type(DealSort().next_column()) is DealSort
    assert type(InboxSort().reversed()) is InboxSort
    assert DealSort("status").column == "status"
    with pytest.raises(ValueError, match="cannot sort by 'status'"):
        InboxSort("status")  # a deals column
    with pytest.raises(ValueError, match="cannot sort by 'activity'"):
        DealSort("activity")  # an inbox column


def test_filters_by_status_pipeline_stage_owner_and_text(inbox_path: Path) -> None:
    ana = add_user("Ana Souza")
    won, lost, _ = new_deals("Initech", "Globex", "Umbrella")
    [theirs] = new_deals("Hooli", person="Zoé Martin", owner="Ana Souza")
    partners = pipelines.add_pipeline("Partners")
    [other] = new_deals(
        "Stark", stage_id=pipelines.find_stage(pipelines.get_pipeline(partners), "Qualified").id
    )
    deals.mark_won([won])
    deals.mark_lost([lost], "Went with a competitor")
    assert DealQuery().total == 5
    assert titles(DealQuery(DealFilter(status="won"))) == ["Initech lead"]
    assert titles(DealQuery(DealFilter(status="lost"))) == ["Globex lead"]
    assert DealQuery(DealFilter(status="open")).total == 3
    assert titles(DealQuery(DealFilter(pipeline_id=partners))) == ["Stark lead"]
    assert DealQuery(DealFilter(stage_id=stage("Qualified"))).total == 4
    assert titles(DealQuery(DealFilter(owner_id=ana.id))) == ["Hooli lead"]
    assert titles(DealQuery(DealFilter(search="zoe mar"))) == ["Hooli lead"]
    assert titles(DealQuery(DealFilter(search="umbrel"))) == ["Umbrella lead"]
    assert other not in DealQuery(DealFilter(pipeline_id=pipelines.default_pipeline().id)).ids(
        0, 10
    )
    assert theirs in DealQuery().all_ids()


def test_windows_page_through_the_deals_in_order(inbox_path: Path) -> None:
    new_deals(*(f"Company {i:02}" for i in range(25)))
    query = DealQuery(sort=DealSort("title", descending=False))
    page = query.page(20, 10)
    assert page.total == 25
    assert [row.title for row in page.rows] == [f"Company {i} lead" for i in range(20, 25)]
    assert query.ids(0, 25) == query.all_ids()
    assert query.ids(0, 0) == [] and query.ids(-1, 5) == []


def test_rows_carry_what_the_table_shows(inbox_path: Path) -> None:
    [deal_id] = new_deals(
        "Initech",
        person="Zoé Martin",
        value="1200.50",
        currency="EUR",
        expected_close=dt.date(2026, 12, 31),
    )
    [row] = deals.deal_rows([deal_id])
    assert (row.title, row.value, row.currency) == ("Initech lead", Decimal("1200.50"), "EUR")
    assert (row.pipeline, row.stage, row.status) == ("Pipeline", "Qualified", "open")
    assert (row.person, row.organization) == ("Zoé Martin", "Initech")
    assert row.expected_close == dt.date(2026, 12, 31)


def test_the_board_has_a_column_per_stage_with_its_open_deals_and_totals(
    inbox_path: Path,
) -> None:
    a, b = new_deals("Initech", "Globex", value="100", currency="EUR")
    new_deals("Umbrella", value="50", currency="USD")
    [c] = new_deals("Hooli", stage_id=stage("Proposal made"), value="7", currency="EUR")
    deals.mark_won([b])
    board = deals.board()
    assert [col.stage.name for col in board.columns] == [
        "Qualified",
        "Contact made",
        "Proposal made",
        "Negotiations started",
    ]
    first, _, third, _ = board.columns
    assert [d.title for d in first.deals] == ["Initech lead", "Umbrella lead"]
    assert first.count == 2
    assert first.totals == (("EUR", Decimal("100.00")), ("USD", Decimal("50.00")))
    assert [d.id for d in third.deals] == [c]
    assert deals.board(per_stage=1).columns[0].count == 2
    assert len(deals.board(per_stage=1).columns[0].deals) == 1
    assert a in [d.id for d in first.deals]


def test_a_deal_steps_along_its_pipeline_and_stops_at_the_ends(inbox_path: Path) -> None:
    [deal_id] = new_deals("Initech")
    assert deals.step_stage(deal_id, -1) is None
    assert deals.step_stage(deal_id, 1).name == "Contact made"
    assert deals.step_stage(deal_id, 2).name == "Negotiations started"
    assert deals.step_stage(deal_id, 1) is None
    assert Deal[deal_id].stage_id == stage("Negotiations started")
    undo_last()
    assert Deal[deal_id].stage_id == stage("Contact made")


def test_moving_a_deal_to_another_pipeline_moves_its_pipeline_too(inbox_path: Path) -> None:
    [deal_id] = new_deals("Initech")
    partners = pipelines.get_pipeline(pipelines.add_pipeline("Partners"))
    assert deals.move_deals([deal_id], partners.stages[2].id) == 1
    assert (Deal[deal_id].pipeline_id, Deal[deal_id].stage_id) == (
        partners.id,
        partners.stages[2].id,
    )


def test_lost_keeps_its_reason_in_the_deal_and_its_change_log(inbox_path: Path) -> None:
    [deal_id] = new_deals("Initech")
    deals.mark_lost([deal_id], "  Went with\na competitor ")
    detail = deal_detail.deal_detail(deal_id)
    assert (detail.status, detail.lost_reason) == ("lost", "Went with a competitor")
    assert ("status", "open", "lost") in [(c.field, c.old, c.new) for c in detail.changes]
    deals.reopen([deal_id])
    assert (Deal[deal_id].status, Deal[deal_id].lost_reason) == ("open", None)
    deals.mark_won([deal_id])
    assert Deal[deal_id].status == "won"


def test_deleted_deals_have_their_own_view_and_come_back_on_restore(inbox_path: Path) -> None:
    a, b = new_deals("Initech", "Globex")
    deals.delete_deals([a])
    assert DealQuery().all_ids() == [b]
    assert DealQuery(DealFilter(deleted=True)).all_ids() == [a]
    with pytest.raises(DealError, match="deleted; restore it first"):
        deals.move_deals([a], stage("Proposal made"))
    with pytest.raises(DealError, match="deleted; restore it first"):
        deals.mark_won([a, b])
    assert Deal[b].status == "open"
    with pytest.raises(DealError, match=f"deal {b} is not deleted"):
        deals.restore_deals([b])
    assert deals.restore_deals([a]) == 1
    assert set(DealQuery().all_ids()) == {a, b}
    assert DealQuery(DealFilter(deleted=True)).total == 0


def test_a_deal_whose_making_was_undone_is_not_a_deleted_deal(inbox_path: Path) -> None:
    [deal_id] = new_deals("Initech")
    undo_last()
    assert Deal[deal_id].deleted_at is not None
    assert DealQuery(DealFilter(deleted=True)).total == 0
    with pytest.raises(DealError, match=f"no deleted deal {deal_id}"):
        deals.restore_deals([deal_id])


def test_unknown_deals_are_refused_by_name(inbox_path: Path) -> None:
    with pytest.raises(DealError, match="there is no deal 42"):
        deals.mark_won([42])
