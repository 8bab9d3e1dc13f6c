"""The filter bar, the predefined filters, custom conditions and saved filters, on real inboxes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from leadbox_tui.services import filters, leads
from leadbox_tui.services.activities import schedule_activity
from leadbox_tui.services.conditions import FilterError, condition
from leadbox_tui.services.filters import (
    InboxFilter,
    Predefined,
    UnknownFilterError,
    delete_saved_filter,
    list_saved_filters,
    rename_saved_filter,
    save_filter,
    saved_filter,
    set_favourite,
    update_saved_filter,
)
from leadbox_tui.services.history import undo_last
from leadbox_tui.services.inbox import InboxQuery, InboxSort
from leadbox_tui.services.labels import resolve_labels
from leadbox_tui.services.leads import NewLead
from leadbox_tui.services.users import add_user
from leadbox_tui.store.models import Lead, database_proxy


def add(**fields: object) -> int:
    return leads.create_lead(NewLead(**fields))


def titles(inbox_filter: InboxFilter, sort: InboxSort | None = None) -> list[str]:
    query = InboxQuery(inbox_filter, sort or InboxSort("title", False))
    return [row.title for row in query.rows(0, 100)]


def test_the_default_filter_is_the_inbox(inbox_path: Path) -> None:
    kept = add(person="Ana", title="kept")
    gone = add(person="Bo", title="archived")
    leads.archive([gone])
    assert InboxFilter() == InboxFilter(archived=False)
    assert titles(InboxFilter()) == ["kept"]
    assert titles(InboxFilter(archived=True)) == ["archived"]
    assert InboxQuery(InboxFilter()).total == 1 and kept


def test_the_bar_keeps_any_of_the_sources_and_labels_and_the_owner(inbox_path: Path) -> None:
    paula = add_user("Paula Prieto")
    add(person="A", title="api hot", source="API", labels=["Hot"])
    add(person="B", title="web cold", source="Web forms", labels=["Cold"])
    add(person="C", title="chat", source="Chatbot", owner=paula.name)
    hot, cold = resolve_labels(["Hot", "Cold"])
    assert titles(InboxFilter(sources=("API", "Chatbot"))) == ["api hot", "chat"]
    assert titles(InboxFilter(labels=(hot, cold))) == ["api hot", "web cold"]
    assert titles(InboxFilter(owner="me")) == ["api hot", "web cold"]
    assert titles(InboxFilter(owner=paula.id)) == ["chat"]
    assert titles(InboxFilter(sources=("API", "Web forms"), labels=(cold,), owner="me")) == [
        "web cold"
    ]


def test_an_unknown_source_in_the_bar_is_refused(inbox_path: Path) -> None:
    with pytest.raises(FilterError, match="unknown source 'Fax'"):
        InboxFilter(sources=("Fax",))


def test_each_predefined_filter_keeps_the_leads_it_names(inbox_path: Path) -> None:
    old = add(organization="Old Co", title="old")
    person = add(person="Pia", title="person")
    email = add(person="Eve", emails=["eve@x.fr"], title="email")
    phone = add(person="Phil", phones=["06 11 22 33 44"], title="phone")
    valued = add(organization="Val", value="10", currency="EUR", title="value")
    zero = add(organization="Zero", value="0", currency="EUR", title="zero value")
    planned = add(organization="Plan", title="planned")
    schedule_activity(planned, "call", "Call", dt.date.today() + dt.timedelta(days=3))
    long_ago = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(days=100)
    Lead.update(created_at=long_ago).where(Lead.id == old).execute()
    expected = {
        Predefined.OLDER_THAN_THREE_MONTHS: {old},
        Predefined.WITH_PERSON: {person, email, phone},
        Predefined.WITH_EMAIL: {email},
        Predefined.WITH_PHONE: {phone},
        Predefined.WITH_VALUE: {valued},
        Predefined.WITH_SCHEDULED_ACTIVITY: {planned},
        Predefined.WITHOUT_ACTIVITY: {old, person, email, phone, valued, zero},
    }
    for which, ids in expected.items():
        found = set(InboxQuery(InboxFilter(predefined=(which,))).ids(0, 100))
        assert found == ids, which.label


def test_three_months_ago_is_counted_in_calendar_months() -> None:
    assert filters.months_before(dt.date(2026, 5, 31), 3) == dt.date(2026, 2, 28)
    assert filters.months_before(dt.date(2026, 2, 15), 3) == dt.date(2025, 11, 15)
    assert filters.months_before(dt.date(2024, 5, 31), 3) == dt.date(2024, 2, 29)


@pytest.fixture
def contacts(inbox_path: Path) -> dict[str, int]:
    """Leads whose lead, person and organisation fields differ in one way each."""
    return {
        "jose": add(
            person="José García",
            organization="Acme SARL",
            emails=["jose@acme.fr"],
            phones=["+33 6 12 34 56 78"],
            value="1500",
            currency="EUR",
            title="jose",
            expected_close=dt.date(2026, 6, 30),
            address="1 rue de Paris",
        ),
        "anna": add(
            person="Anna Berg",
            organization="Globex GmbH",
            value="300",
            currency="EUR",
            title="anna",
            website="globex.de",
        ),
        "yen": add(organization="Tanaka KK", value="200000", currency="JPY", title="yen"),
        "bare": add(person="Bare Bones", title="bare"),
    }


@pytest.mark.parametrize(
    ("field", "operator", "value", "expected"),
    [
        ("title", "is", "JOSE", {"jose"}),
        ("title", "is not", "jose", {"anna", "yen", "bare"}),
        ("title", "contains", "an", {"anna"}),
        ("value", "greater", "1000", {"jose", "yen"}),  # ¥200,000 is 200000.00 > 1000
        ("value", "less", "500", {"anna"}),
        ("value", "is empty", None, {"bare"}),
        ("currency", "is", "jpy", {"yen"}),
        ("expected_close", "before", "2026-07-01", {"jose"}),
        ("expected_close", "after", "2026-06-30", set()),
        ("expected_close", "is empty", None, {"anna", "yen", "bare"}),
        ("source", "is", "Manually created", {"jose", "anna", "yen", "bare"}),
        ("owner", "is", "me", {"jose", "anna", "yen", "bare"}),
        ("owner", "is empty", None, set()),
        ("created", "within the last N days", "2", {"jose", "anna", "yen", "bare"}),
        ("created", "before", "2000-01-01", set()),
        ("labels", "is empty", None, {"jose", "anna", "yen", "bare"}),
        ("person", "is", "jose garcia", {"jose"}),  # accents and case ignored
        ("person", "contains", "BERG", {"anna"}),
        ("person", "is empty", None, {"yen"}),
        ("email", "is", "JOSE@ACME.FR", {"jose"}),
        ("email", "is not empty", None, {"jose"}),
        ("phone", "contains", "06 12 34", {"jose"}),
        ("phone", "is", "06 12 34 56 78", {"jose"}),
        ("organization", "is", "acme", {"jose"}),  # the legal form is not part of the name
        ("organization", "is not", "acme", {"anna", "yen", "bare"}),
        ("address", "contains", "paris", {"jose"}),
        ("address", "is empty", None, {"anna", "yen", "bare"}),
        ("website", "is", "GLOBEX.DE", {"anna"}),
    ],
)
def test_a_condition_keeps_the_leads_it_describes(
    contacts: dict[str, int], field: str, operator: str, value: str | None, expected: set[str]
) -> None:
    names = {v: k for k, v in contacts.items()}
    found = InboxQuery(InboxFilter(all_of=(condition(field, operator, value),))).ids(0, 100)
    assert {names[i] for i in found} == expected


def test_all_of_and_any_of_combine(contacts: dict[str, int]) -> None:
    both = InboxFilter(
        all_of=(condition("value", "is not empty"),),
        any_of=(condition("person", "contains", "berg"), condition("organization", "is", "Tanaka")),
    )
    assert titles(both) == ["anna", "yen"]
    assert titles(InboxFilter(any_of=(condition("title", "is", "bare"),))) == ["bare"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("colour", "is", "red"), "unknown field 'colour'; one of: title"),
        (("title", "resembles", "x"), "unknown operator 'resembles'"),
        (("title", "greater", "x"), "Title cannot be 'greater than'; use one of: is, is not"),
        (("created", "before", "2026-13-01"), "'2026-13-01' is not a date; write it like"),
        (("expected_close", "is", "31/12/2026"), "is not a date"),
        (("value", "greater", "lots"), "'lots' is not a number"),
        (("created", "within the last N days", "0"), "must be 1 or more"),
        (("created", "within the last N days", "a week"), "not a number of days"),
        (("title", "is", ""), "Title is needs a value"),
        (("labels", "is", "Purple"), "no label named 'Purple'"),
        (("owner", "is", "Nobody"), "no user named 'Nobody'"),
        (("source", "is", "Fax"), "unknown source 'Fax'"),
    ],
)
def test_a_wrong_condition_says_what_is_expected(
    inbox_path: Path, args: tuple[str, str, str], message: str
) -> None:
    with pytest.raises(FilterError, match=message.replace("(", r"\(")):
        condition(*args)


def test_a_filter_reads_back_from_json_the_same(inbox_path: Path) -> None:
    hot = resolve_labels(["Hot"])[0]
    original = InboxFilter(
        archived=True,
        sources=("API",),
        labels=(hot,),
        owner="me",
        predefined=(Predefined.WITH_EMAIL, Predefined.WITH_VALUE),
        all_of=(condition("created", "within the last N days", 30),),
        any_of=(condition("person", "contains", "jo"), condition("value", "greater", "10.5")),
        search="acme",
    )
    assert InboxFilter.from_json(original.to_json()) == original
    assert "Archived · Source: API · Label: Hot · Owner: me · With an e-mail" in original.describe()


def where_sql(inbox_filter: InboxFilter, order: list | None) -> str:
    return Lead.select(Lead.id).where(*inbox_filter.conditions(order=order)).sql()[0]


def test_parts_the_first_rows_meet_are_checked_row_by_row(
    inbox_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Met often in the sort order, a part is hidden from the planner (``+column``); met
    rarely, it is left to the planner to read through its index. The leads are the same."""
    for i in range(30):
        add(person=f"P{i}", source="API" if i % 3 else "Chatbot", labels=["Hot"] if i % 2 else [])
    old = Lead.select(Lead.id).order_by(Lead.id).limit(3)
    long_ago = dt.datetime(2020, 1, 1)
    Lead.update(created_at=long_ago).where(Lead.id.in_([r.id for r in old])).execute()
    hot = resolve_labels(["Hot"])[0]
    newest_first = [Lead.created_at.desc(), Lead.id.desc()]
    common = InboxFilter(
        sources=("API",), owner="me", labels=(hot,), predefined=(Predefined.WITHOUT_ACTIVITY,)
    )
    rare = InboxFilter(sources=("API",), predefined=(Predefined.OLDER_THAN_THREE_MONTHS,))
    common_sql = where_sql(common, newest_first)  # 10 of the 30 leads: enough
    assert '+"t1"."source"' in common_sql and '+"t1"."owner_id"' in common_sql
    assert "EXISTS" in common_sql and '+"t1"."next_activity_at" IS NULL' in common_sql
    monkeypatch.setattr(filters, "PROBE", 12)  # tried on the 12 newest leads only
    rare_sql = where_sql(rare, newest_first)
    assert '+"t1"."created_at"' not in rare_sql and '("t1"."created_at" <' in rare_sql
    assert '+"t1"."source"' in rare_sql  # the newest rows are often from the API

    for chosen in (common, rare):
        read = InboxQuery(chosen).ids(0, 100)  # through the shaped terms
        plain = Lead.select(Lead.id).where(*chosen.conditions()).order_by(*newest_first)
        assert read == [r.id for r in plain] and read
    assert len(InboxQuery(common).ids(0, 100)) == 10


def plan_of(inbox_filter: InboxFilter) -> str:
    query = (
        Lead.select(Lead.id)
        .where(*inbox_filter.conditions())
        .order_by(Lead.created_at.desc(), Lead.id.desc())
        .limit(50)
    )
    sql, params = query.sql()
    rows = database_proxy.execute_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall()
    return " | ".join(row[3] for row in rows)


def test_the_bar_filters_read_an_index_in_the_inbox_order(inbox_path: Path) -> None:
    """No sort step at a million leads: the first rows come straight from an index."""
    add(person="Ana", source="API")
    for bar in (
        InboxFilter(sources=("API",)),
        InboxFilter(owner="me"),
        InboxFilter(),
        InboxFilter(archived=True),
    ):
        plan = plan_of(bar)
        assert "USING INDEX lead_" in plan and "TEMP B-TREE" not in plan, (bar, plan)


@pytest.mark.parametrize("archived", [False, True])
def test_a_label_chosen_in_the_label_order_is_read_from_the_label_index_key_by_key(
    inbox_path: Path, monkeypatch: pytest.MonkeyPatch, archived: bool
) -> None:
    """Sorted by labels, the leads of a label come from the label index in order ("Cold, Hot",
    then "Hot", then "Hot, VIP"), with no sort step and the same leads as any other way."""
    resolve_labels(["VIP"], create=True)
    sets = [["Cold"], ["Cold", "Hot"], ["Hot"], ["Hot", "VIP"], ["VIP"], []] * 4
    made = [add(person=f"P{i}", labels=labels) for i, labels in enumerate(sets)]
    if archived:
        leads.archive(made)
    hot = resolve_labels(["Hot"])[0]
    chosen = InboxFilter(archived=archived, labels=(hot,))
    pairs = zip(made, sets, strict=True)
    with_hot = [(Lead[i].label_names, i) for i, labels in pairs if "Hot" in labels]
    for descending in (False, True):
        sort = InboxSort("labels", descending)
        expected = [i for _, i in sorted(with_hot, reverse=descending)]
        assert InboxQuery(chosen, sort).ids(0, 100) == expected
        order = chosen.in_order(sort.order())
        query = Lead.select(Lead.id).where(*chosen.conditions(order=sort.order()))
        sql, params = query.order_by(*order).limit(50).sql()
        plan = " | ".join(
            row[3] for row in database_proxy.execute_sql("EXPLAIN QUERY PLAN " + sql, params)
        )
        index = "lead_archived_labels" if archived else "lead_inbox_labels"
        assert f"{index} (<expr>=? AND label_names=?)" in plan and "TEMP B-TREE" not in plan
        monkeypatch.setattr(filters, "KEYS_WALKED", 2)  # too many keys: read as before
        assert InboxQuery(chosen, sort).ids(0, 100) == expected
        assert chosen.in_order(sort.order()) == sort.order()  # the "no label" key kept
        monkeypatch.undo()


def plan_in_order(inbox_filter: InboxFilter, sort: InboxSort) -> str:
    """The plan of the first page's query, as ``InboxQuery.ids`` writes it."""
    query = Lead.select(Lead.id).where(*inbox_filter.conditions(order=sort.order()))
    sql, params = query.order_by(*inbox_filter.in_order(sort.order())).limit(50).sql()
    rows = database_proxy.execute_sql("EXPLAIN QUERY PLAN " + sql, params)
    return " | ".join(row[3] for row in rows)


def test_with_or_without_activity_in_the_activity_order_reads_just_that_part_of_its_index(
    inbox_path: Path,
) -> None:
    made = [add(person=f"P{i}") for i in range(12)]
    for day, lead_id in enumerate(made[::2]):
        schedule_activity(lead_id, "call", "Call", dt.date.today() + dt.timedelta(days=day % 3))
    for which in (Predefined.WITH_SCHEDULED_ACTIVITY, Predefined.WITHOUT_ACTIVITY):
        chosen = InboxFilter(predefined=(which,))
        for descending in (False, True):
            sort = InboxSort("activity", descending)
            everyone = InboxQuery(InboxFilter(), sort).ids(0, 100)
            kept = set(InboxQuery(chosen, InboxSort()).ids(0, 100))
            assert len(kept) == 6
            assert InboxQuery(chosen, sort).ids(0, 100) == [i for i in everyone if i in kept]
            plan = plan_in_order(chosen, sort)
            assert "lead_inbox_activity (<expr>=?)" in plan and "TEMP B-TREE" not in plan, plan


def test_a_saved_filter_is_listed_reopened_changed_and_removed(inbox_path: Path) -> None:
    api = add(person="Ana", source="API", title="api")
    add(person="Bo", source="Chatbot", title="chat")
    save_filter("From the API", InboxFilter(sources=("API",)))
    save_filter("Chats", InboxFilter(sources=("Chatbot",)), favourite=False)
    save_filter("big", InboxFilter(all_of=(condition("value", "greater", "1000"),)))
    set_favourite("chats")  # names are found whatever their case
    assert [s.name for s in list_saved_filters()] == ["Chats", "big", "From the API"]
    assert InboxQuery(saved_filter("From the API")).ids(0, 10) == [api]

    update_saved_filter("From the API", InboxFilter(sources=("API", "Chatbot")))
    rename_saved_filter("From the API", "API and chats")
    assert titles(saved_filter("API and chats")) == ["api", "chat"]
    with pytest.raises(UnknownFilterError):
        saved_filter("From the API")

    delete_saved_filter("API and chats")
    assert "API and chats" not in [s.name for s in list_saved_filters()]
    assert undo_last().description == "Deleted filter 'API and chats'"
    assert titles(saved_filter("API and chats")) == ["api", "chat"]


def test_saved_filter_names_are_checked(inbox_path: Path) -> None:
    save_filter("Hot ones", InboxFilter())
    with pytest.raises(FilterError, match="already named"):
        save_filter("hot ONES", InboxFilter())
    with pytest.raises(FilterError, match="needs a name"):
        save_filter("   ", InboxFilter())
    delete_saved_filter("Hot ones")
    assert save_filter("Hot ones", InboxFilter(owner="me"))  # a removed filter frees its name
    assert saved_filter("Hot ones") == InboxFilter(owner="me")


def test_an_unknown_saved_filter_is_a_value_error_that_names_the_known_ones(
    inbox_path: Path,
) -> None:
    save_filter("Mine", InboxFilter(owner="me"))
    with pytest.raises(ValueError, match="no saved filter named 'Theirs' .saved filters: Mine."):
        saved_filter("Theirs")


def test_money_conditions_compare_amounts_not_minor_units(contacts: dict[str, int]) -> None:
    """¥300 is stored as 300 and €3 as 300 cents: only the euros are under 4."""
    add(organization="Cheap", value="3", currency="EUR", title="cheap")
    add(organization="Yen", value="300", currency="JPY", title="yen 300")
    found = titles(InboxFilter(all_of=(condition("value", "less", Decimal("4")),)))
    assert found == ["cheap"]
