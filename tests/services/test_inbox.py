"""The inbox query returns exactly the window of a full sort, for every column and direction."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest

from leadbox_tui.services import inbox
from leadbox_tui.services.activities import ActivityStatus, status_of
from leadbox_tui.services.history import write_labels
from leadbox_tui.services.inbox import (
    COLUMNS,
    DEFAULT_COLUMNS,
    InboxFilter,
    InboxQuery,
    InboxSort,
)
from leadbox_tui.services.labels import resolve_labels
from leadbox_tui.services.users import add_user, ensure_me
from leadbox_tui.store.models import ContactPoint, Lead, Organization, Person, User

NOW = dt.datetime(2026, 6, 15, 12, 0)
COUNT = 457


@pytest.fixture
def crowded_inbox(inbox_path: Path) -> list[int]:
    """Leads with many ties on every column, so the id tie-breaker matters."""
    rng = random.Random(7)
    owners = [ensure_me().id, add_user("Zed").id, add_user("adam").id, None]
    labels = resolve_labels(["Hot", "Warm", "Cold"])
    people, orgs = contacts(rng)
    rows = []
    for i in range(COUNT):
        rows.append({
            "person": rng.choice(people),
            "organization": rng.choice(orgs),
            "value_minor": rng.choice([None, 0, 1250, 99_900, 1250]),
            "expected_close": rng.choice([None, dt.date(2026, 1, 9), dt.date(2025, 3, 1)]),
            "score": rng.choice([None, 0, 3, 5]),
            "stage": rng.choice([None, "Qualified", "Demo"]),
            "origin": rng.choice([None, "fair.xlsx", "Deal #4"]),
            "updated_at": dt.datetime(2025, 2, 1) + dt.timedelta(hours=rng.randrange(9)),
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


def contacts(rng: random.Random) -> tuple[list[int | None], list[int | None]]:
    """A few people (some with no e-mail or phone) and organisations (some with no address)."""
    people: list[int | None] = [None]
    for n, name in enumerate(["Émile Zola", "ada Byron", "Bob", "Zoé", "Bob"]):
        person = Person.create(name=name, name_key=name.lower().replace("é", "e"))
        people.append(person.id)
        for position in rng.sample(range(3), rng.randrange(3)):
            for kind in ("email", "phone"):
                value = f"{kind}{rng.randrange(4)}-{n}"
                ContactPoint.create(person=person, kind=kind, value=value, key=value,
                                    position=position)
    orgs: list[int | None] = [None]
    for name in ["Acme", "zeta", "Ölmühle", "Acme"]:
        org = Organization.create(
            name=name, name_key=name.lower(), address=rng.choice([None, "1 rue Haute", "Berlin"]),
            website=rng.choice([None, "acme.example", "b.example"]))
        orgs.append(org.id)
    return people, orgs


def first_point(person_id: int | None, kind: str) -> str | None:
    cp = ContactPoint
    first = cp.select().where(cp.person == person_id, cp.kind == kind).order_by(cp.position, cp.id)
    first = first.first()
    return first.value if first else None


def related(lead: Lead, column: str) -> object:
    """What the person's or organisation's columns sort by, None when the lead has nothing."""
    person = Person.get_or_none(Person.id == lead.person_id)
    org = Organization.get_or_none(Organization.id == lead.organization_id)
    return {
        "person": person and person.name_key,
        "email": first_point(lead.person_id, "email"),
        "phone": first_point(lead.person_id, "phone"),
        "organization": org and org.name_key,
        "address": org and org.address,
        "website": org and org.website,
    }[column]


OWN = {"value_minor", "expected_close", "score", "stage", "origin", "updated_at"}


def python_order(column: str, descending: bool, archived: bool) -> list[int]:
    """The full sort in Python: an added column puts the leads with nothing in it last."""
    names = {u.id: u.name.lower() for u in User.select()}
    leads = [lead for lead in Lead.select() if (lead.archived_at is not None) == archived]
    if column not in DEFAULT_COLUMNS:
        own = {"value": "value_minor", "updated": "updated_at"}.get(column, column)
        values = {
            lead.id: getattr(lead, own) if own in OWN else related(lead, column) for lead in leads
        }
        empty = [lead.id for lead in leads if values[lead.id] is None]
        kept = sorted(
            (lead.id for lead in leads if values[lead.id] is not None),
            key=lambda i: (values[i], i),
            reverse=descending,
        )
        return kept + sorted(empty, reverse=descending)

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
    for _ in DEFAULT_COLUMNS:
        seen.append(sort.column)
        sort = sort.next_column()
    assert sort.column == "title" and sort.descending
    assert sorted(seen) == sorted(DEFAULT_COLUMNS)


def test_the_next_sort_column_cycles_through_the_columns_on_screen() -> None:
    shown = ("title", "value", "person")
    sort = InboxSort("value", False)
    assert sort.next_column(shown) == InboxSort("person", False)
    assert sort.next_column(shown).next_column(shown) == InboxSort("title", False)


def test_every_default_sort_reads_an_index_not_the_table(crowded_inbox: list[int]) -> None:
    db = Lead._meta.database
    for column in DEFAULT_COLUMNS:
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
