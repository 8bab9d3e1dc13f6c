"""The inbox query returns exactly the window of a full sort, for every column and direction."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest

from leadbox_tui.services import inbox
from leadbox_tui.services.activities import ActivityStatus, status_of
from leadbox_tui.services.history import write_labels
from leadbox_tui.services.inbox import COLUMNS, InboxFilter, InboxQuery, InboxSort
from leadbox_tui.services.labels import resolve_labels
from leadbox_tui.services.users import add_user, ensure_me
from leadbox_tui.store.models import Lead, User

NOW = dt.datetime(2026, 6, 15, 12, 0)
COUNT = 457


@pytest.fixture
def crowded_inbox(inbox_path: Path) -> list[int]:
    """Leads with many ties on every column, so the id tie-breaker matters."""
    rng = random.Random(7)
    owners = [ensure_me().id, add_user("Zed").id, add_user("adam").id, None]
    labels = resolve_labels(["Hot", "Warm", "Cold"])
    rows = []
    for i in range(COUNT):
        rows.append({
            "title": rng.choice(["Alpha", "beta", "Gamma", "Émile", "zulu"]) + str(i % 3),
            "source": rng.choice(["Import", "API", "Web forms"]),
            "owner": rng.choice(owners),
            "created_at": dt.datetime(2025, 1, 1) + dt.timedelta(days=rng.randrange(30)),
            "next_activity_at": rng.choice(
                [None, NOW - dt.timedelta(days=2), NOW + dt.timedelta(hours=3),
                 NOW + dt.timedelta(days=9)]),
            "archived_at": NOW if i % 10 == 0 else None,
        })
    Lead.insert_many(rows).execute()
    ids = [lead.id for lead in Lead.select(Lead.id)]
    write_labels({i: set(rng.sample(labels, rng.randrange(3))) for i in ids})
    return ids


def python_order(column: str, descending: bool, archived: bool) -> list[int]:
    names = {u.id: u.name.lower() for u in User.select()}
    leads = [lead for lead in Lead.select() if (lead.archived_at is not None) == archived]

    def key(lead: Lead):
        value = {
            "title": (lead.title,),
            "activity": (lead.next_activity_at is None, lead.next_activity_at or dt.datetime.min),
            "labels": (lead.label_names == "", lead.label_names),
            "source": (lead.source,),
            "created": (lead.created_at,),
            "owner": (lead.owner_id is None, names.get(lead.owner_id, ""), lead.owner_id or 0),
        }[column]
        return (*value, lead.id)

    return [lead.id for lead in sorted(leads, key=key, reverse=descending)]


@pytest.mark.parametrize("near", [0, inbox.NEAR], ids=["from-either-end", "from-the-top"])
@pytest.mark.parametrize("archived", [False, True])
@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("column", list(COLUMNS))
def test_every_window_matches_the_full_sort(
    crowded_inbox: list[int], column: str, descending: bool, archived: bool, near: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(inbox, "NEAR", near)
    expected = python_order(column, descending, archived)
    query = InboxQuery(InboxFilter(archived=archived), InboxSort(column, descending))
    assert query.total == len(expected)
    for offset in (0, 1, 37, len(expected) // 2 - 3, len(expected) - 40, len(expected) - 1):
        assert query.ids(offset, 25) == expected[offset : offset + 25], offset
    assert query.ids(len(expected), 25) == []


def test_a_new_sort_keeps_the_count_already_taken(crowded_inbox: list[int]) -> None:
    query = InboxQuery()
    assert query.total == COUNT - COUNT // 10 - 1
    Lead.delete().where(Lead.id == query.ids(0, 1)[0]).execute()  # the count is not taken again
    assert query.with_sort(InboxSort("title")).total == query.total
    assert InboxQuery(sort=InboxSort("title")).total == query.total - 1


def test_rows_carry_what_the_table_shows(crowded_inbox: list[int]) -> None:
    query = InboxQuery(sort=InboxSort("title", False))
    rows = query.rows(0, 50, now=NOW)
    assert [r.id for r in rows] == query.ids(0, 50)
    for row in rows:
        lead = Lead[row.id]
        assert row.title == lead.title
        assert row.activity == status_of(lead.next_activity_at, NOW)
        assert ", ".join(t.name for t in row.labels) == lead.label_names


def test_activity_status_follows_the_earliest_open_activity() -> None:
    assert status_of(None, NOW) is ActivityStatus.NONE
    assert status_of(NOW - dt.timedelta(days=1), NOW) is ActivityStatus.OVERDUE
    assert status_of(NOW - dt.timedelta(minutes=5), NOW) is ActivityStatus.OVERDUE
    assert status_of(NOW + dt.timedelta(hours=2), NOW) is ActivityStatus.TODAY
    assert status_of(NOW + dt.timedelta(days=1), NOW) is ActivityStatus.PLANNED


def test_an_unknown_sort_column_is_refused() -> None:
    with pytest.raises(ValueError, match="cannot sort by"):
        InboxSort("colour")


def test_the_next_sort_column_cycles_through_the_default_columns() -> None:
    sort = InboxSort("title", True)
    seen = []
    for _ in COLUMNS:
        seen.append(sort.column)
        sort = sort.next_column()
    assert sort.column == "title" and sort.descending
    assert sorted(seen) == sorted(COLUMNS)


def test_every_default_sort_reads_an_index_not_the_table(crowded_inbox: list[int]) -> None:
    db = Lead._meta.database
    for column in COLUMNS:
        for descending in (False, True):
            query = InboxQuery(sort=InboxSort(column, descending))
            if column == "owner":
                continue  # walked one owner at a time, each through lead_inbox_owner
            sql, params = (
                Lead.select(Lead.id).where(*query.filter.conditions())
                .order_by(*[k.desc() if descending else k for k in
                            (*COLUMNS[column].sort_keys, Lead.id)]).limit(5).sql()
            )
            plan = " ".join(r[3] for r in db.execute_sql("EXPLAIN QUERY PLAN " + sql, params))
            assert "lead_inbox_" in plan and "TEMP B-TREE" not in plan, (column, plan)
