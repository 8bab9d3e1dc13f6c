"""The demo generator on real inbox files: deterministic, realistic, and true to the services."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest
from rapidfuzz import fuzz

from leadbox_tui.services import leads as leads_service
from leadbox_tui.services.activities import (
    ACTIVITY_TYPES,
    ActivityStatus,
    refresh_next_activity,
    status_of,
)
from leadbox_tui.services.demo import (
    DemoError,
    DemoSummary,
    build_demo,
    contacts_for,
    create_throwaway_demo,
)
from leadbox_tui.services.demo_contacts import strip_accents
from leadbox_tui.services.demo_leads import DemoTeam
from leadbox_tui.services.demo_rows import (
    DemoPlan,
    DemoRowsError,
    batches_in_background,
    demo_batches,
)
from leadbox_tui.services.history import label_names_key
from leadbox_tui.services.inbox import COLUMNS, InboxFilter, InboxQuery, InboxSort
from leadbox_tui.services.normalize import (
    email_key,
    fold,
    organization_key,
    person_key,
    phone_key,
)
from leadbox_tui.services.session import close_database, open_inbox
from leadbox_tui.services.users import UserInfo
from leadbox_tui.store.models import (
    Activity,
    ContactPoint,
    DemoTwin,
    EmailMessage,
    Label,
    Lead,
    LeadLabel,
    Note,
    NoteMention,
    Organization,
    Person,
    User,
    database_proxy,
)

TODAY = dt.date(2026, 3, 18)
LEADS = 3000
DUMPED = (Organization, Person, ContactPoint, DemoTwin, Lead, LeadLabel, Activity, Note)
DUMPED += (NoteMention, EmailMessage)


def dump() -> dict[str, list[tuple]]:
    """Every row the demo writes, table by table, in id order."""
    return {
        model._meta.table_name: database_proxy.execute_sql(
            f'SELECT * FROM "{model._meta.table_name}" ORDER BY 1, 2'
        ).fetchall()
        for model in DUMPED
    }


def build_into(path: Path, leads: int = LEADS, seed: int = 0) -> tuple[DemoSummary, dict]:
    open_inbox(str(path))
    try:
        summary = build_demo(leads, seed=seed, today=TODAY)
        return summary, dump()
    finally:
        close_database()


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, DemoSummary]]:
    """One demo inbox shared by the tests that only read it (phones read as in France)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LEADBOX_PHONE_REGION", "FR")
        path = tmp_path_factory.mktemp("demo") / "demo.db"
        summary, _ = build_into(path)
        yield path, summary


@pytest.fixture
def demo(
    demo_file: tuple[Path, DemoSummary], monkeypatch: pytest.MonkeyPatch
) -> Iterator[DemoSummary]:
    monkeypatch.setenv("LEADBOX_PHONE_REGION", "FR")
    path, summary = demo_file
    open_inbox(str(path))
    yield summary
    close_database()


def test_the_same_seed_and_day_give_the_same_inbox(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("LEADBOX_PHONE_REGION", "FR")
    _, first = build_into(tmp_path / "a.db", 800, seed=7)
    _, again = build_into(tmp_path / "b.db", 800, seed=7)
    _, other = build_into(tmp_path / "c.db", 800, seed=8)
    assert first == again
    assert first["lead"] != other["lead"] and first["person"] != other["person"]


def plan_for(leads: int, organizations: int, people: int) -> DemoPlan:
    team = DemoTeam(
        me=1,
        me_email="me@leadbox.example",
        teammates=[
            UserInfo(2, "Ann Lee", "ann.lee", None, False),
            UserInfo(3, "Bo Li", "bo.li", None, False),
        ],
        owners=[1, 2, 3, None],
        owner_weights=[4, 5, 6, 7],
        label_sets=[((), ""), ((1,), "Hot")],
        label_set_weights=[1, 2],
    )
    return DemoPlan(
        leads=leads, organizations=organizations, people=people, seed=3, today=TODAY,
        newest=dt.datetime(2026, 3, 18, 8), region="FR", team=team,
        first_organization=1, first_person=1, first_lead=1, first_note=1,
    )  # fmt: skip


def test_a_background_process_makes_the_same_rows_as_this_one() -> None:
    plan = plan_for(25_000, 900, 6000)
    made_here = list(demo_batches(plan))
    assert list(batches_in_background(plan)) == made_here
    assert [table for table, _ in made_here[-6:]] == [
        "lead", "lead_label", "activity", "note", "note_mention", "email_message"
    ]  # fmt: skip


def test_a_failure_in_the_background_process_is_reported_here() -> None:
    with pytest.raises(DemoRowsError, match="IndexError"):
        list(batches_in_background(plan_for(10, 0, 5)))  # leads with no organisation to pick


def test_the_summary_counts_what_was_written(demo: DemoSummary) -> None:
    assert demo.leads == Lead.select().count() == LEADS
    assert demo.people == Person.select().count()
    assert demo.organizations == Organization.select().count()
    assert demo.activities == Activity.select().count()
    assert demo.notes == Note.select().count()
    assert demo.emails == EmailMessage.select().count() > 0
    assert demo.person_twins + demo.organization_twins == DemoTwin.select().count()
    assert "3,000 demo leads" in demo.line()


def test_contacts_are_fewer_than_leads_and_shared_between_them(demo: DemoSummary) -> None:
    assert 0 < demo.organizations < demo.people < demo.leads
    per_person = Counter(pid for (pid,) in Lead.select(Lead.person).tuples() if pid)
    assert max(per_person.values()) > 1
    assert Lead.select().where(Lead.person.is_null(), Lead.organization.is_null()).count() == 0
    assert Lead.select().where(Lead.person.is_null()).count() > 0  # organisation only
    assert Lead.select().where(Lead.organization.is_null()).count() > 0  # person only


def test_big_inboxes_reuse_their_contacts_more() -> None:
    assert contacts_for(2000, 4) == 500 and contacts_for(2000, 16) == 125
    sizes = [contacts_for(n, 4) for n in (1, 10, 40_000, 40_001, 100_000, 1_000_000)]
    assert sizes == sorted(sizes) and sizes[0] == 1
    assert contacts_for(1_000_000, 4) < 1_000_000 // 4


def test_names_come_from_several_cultures_with_their_accents(demo: DemoSummary) -> None:
    names = " ".join(name for (name,) in Person.select(Person.name).tuples())
    letters = {
        "French": "éèêëçàâîïôûœ",
        "Spanish": "ñáíóú",
        "German": "äöüß",
        "Portuguese": "ãõç",
        "Polish": "łśżźćń",
        "Vietnamese": "ễơưđĐạảấầậắằẹếềệịọốồộớờụủứừựỳ",
        "Japanese romanised": "ōū",
    }
    for culture, accents in letters.items():
        assert set(accents) & set(names), culture
    assert "O'Brien" in names or "McAllister" in names or "El Amrani" in names
    companies = [
        fold(name.replace(".", "")) for (name,) in Organization.select(Organization.name).tuples()
    ]
    for suffix in ("SA", "SARL", "SAS", "GmbH", "AG", "Ltd", "Inc", "LLC", "BV"):
        assert any(name.endswith(f" {suffix.lower()}") for name in companies), suffix
    with_address = Organization.select().where(Organization.address.is_null(False)).count()
    with_site = Organization.select().where(Organization.website.is_null(False)).count()
    assert 0 < with_address < demo.organizations and 0 < with_site < demo.organizations


def test_phones_come_in_several_national_formats(demo: DemoSummary) -> None:
    phones = [
        v
        for (v,) in ContactPoint.select(ContactPoint.value)
        .where(ContactPoint.kind == "phone")
        .tuples()
    ]
    patterns = {
        "French international": r"^\+33 \d( \d\d){4}$",
        "French national": r"^0\d( \d\d){4}$",
        "German": r"^\+49 ",
        "American": r"^\(\d{3}\) 555-\d{4}$",
        "British": r"^\+44 ",
        "Japanese": r"^\+81 ",
    }
    for what, pattern in patterns.items():
        assert any(re.match(pattern, phone) for phone in phones), what


def test_every_key_is_what_normalize_computes(demo: DemoSummary) -> None:
    for kind, value, key in ContactPoint.select(
        ContactPoint.kind, ContactPoint.value, ContactPoint.key
    ).tuples():
        assert key == (email_key(value) if kind == "email" else phone_key(value, "FR")), value
    for name, key in Person.select(Person.name, Person.name_key).tuples():
        assert key == person_key(name)
    for name, key in Organization.select(Organization.name, Organization.name_key).tuples():
        assert key == organization_key(name)


def test_phone_keys_follow_the_region_normalize_assumes(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("LEADBOX_PHONE_REGION", "US")
    open_inbox(str(tmp_path / "us.db"))
    try:
        build_demo(1500, today=TODAY)
        points = ContactPoint.select(ContactPoint.value, ContactPoint.key).where(
            ContactPoint.kind == "phone"
        )
        for value, key in points.tuples():
            assert key == phone_key(value, "US"), value
        assert any(v.startswith("(") and k.startswith("1") for v, k in points.tuples())
    finally:
        close_database()


def test_every_source_is_present(demo: DemoSummary) -> None:
    sources = {s for (s,) in Lead.select(Lead.source).distinct().tuples()}
    assert sources == set(leads_service.SOURCES)


def test_every_activity_status_is_present_and_the_sort_key_is_the_services_own(
    demo: DemoSummary,
) -> None:
    start_of_day = dt.datetime.combine(TODAY, dt.time(0, 0))
    before = dict(Lead.select(Lead.id, Lead.next_activity_at).tuples())
    statuses = Counter(status_of(due, start_of_day) for due in before.values())
    assert set(statuses) == set(ActivityStatus)
    assert all(count > LEADS * 0.04 for count in statuses.values()), statuses
    assert Activity.select().where(Activity.done_at.is_null(False)).count() > 0
    assert {t for (t,) in Activity.select(Activity.type).distinct().tuples()} == set(ACTIVITY_TYPES)
    with database_proxy.atomic() as transaction:
        refresh_next_activity(list(before))
        assert dict(Lead.select(Lead.id, Lead.next_activity_at).tuples()) == before
        transaction.rollback()


def test_label_names_are_the_sort_key_of_the_leads_labels(demo: DemoSummary) -> None:
    names = dict(Label.select(Label.id, Label.name).tuples())
    labels: dict[int, list[int]] = defaultdict(list)
    for lead_id, label_id in LeadLabel.select(LeadLabel.lead, LeadLabel.label).tuples():
        labels[lead_id].append(label_id)
    for lead_id, key in Lead.select(Lead.id, Lead.label_names).tuples():
        assert key == label_names_key(labels.get(lead_id, []), names)
    counts = Counter(len(v) for v in labels.values())
    assert counts[1] > 0 and counts[2] > 0
    assert len(labels) < LEADS  # some leads have none
    assert {"Hot", "Warm", "Cold"} <= set(names.values())


def test_owners_values_dates_and_seen_flags_are_mixed(demo: DemoSummary) -> None:
    owners = {o for (o,) in Lead.select(Lead.owner).distinct().tuples() if o}
    assert 4 <= len(owners) <= 6
    assert User.get(User.is_me == True).id in owners  # noqa: E712
    currencies = {c for (c,) in Lead.select(Lead.currency).distinct().tuples()}
    assert {"EUR", "USD", "GBP", "CHF", "JPY", None} <= currencies
    assert Lead.select().where(Lead.value_minor.is_null()).count() > 0
    assert Lead.select().where(Lead.expected_close.is_null(False)).count() > 0
    created = [c for (c,) in Lead.select(Lead.created_at).tuples()]
    assert sum(c.date() == TODAY for c in created) > 0
    assert sum(c.date() < TODAY - dt.timedelta(days=90) for c in created) > LEADS / 3
    assert min(created).date() >= TODAY - dt.timedelta(days=731)
    assert max(created) <= dt.datetime.combine(TODAY, dt.time(8, 0))
    seen = Counter(s for (s,) in Lead.select(Lead.was_seen).tuples())
    assert seen[True] > 0 and seen[False] > 0
    assert Lead.select().where(Lead.archived_at.is_null(False)).count() > 0


def test_notes_mention_users_by_handle(demo: DemoSummary) -> None:
    handles = dict(User.select(User.id, User.handle).tuples())
    mentions = list(NoteMention.select(NoteMention.note, NoteMention.user).tuples())
    assert mentions
    bodies = dict(Note.select(Note.id, Note.body).tuples())
    for note_id, user_id in mentions:
        assert f"@{handles[user_id]}" in bodies[note_id]
    mentioned = {note_id for note_id, _ in mentions}
    assert all("@" not in body for note_id, body in bodies.items() if note_id not in mentioned)


def test_leads_that_came_by_email_have_their_message(demo: DemoSummary) -> None:
    by_email = Lead.select(Lead.id).where(Lead.source == "E-mail", Lead.person.is_null(False))
    received = {
        m
        for (m,) in EmailMessage.select(EmailMessage.lead)
        .where(EmailMessage.direction == "in")
        .tuples()
    }
    assert received and received <= {i for (i,) in by_email.tuples()}


def test_about_five_percent_are_twins_with_real_variations(demo: DemoSummary) -> None:
    twins = list(DemoTwin.select().tuples())
    kinds = Counter(kind for _, kind, *_ in twins)
    assert kinds["person"] == round(demo.people * 0.05)
    assert kinds["organization"] == round(demo.organizations * 0.05)
    people = dict(Person.select(Person.id, Person.name).tuples())
    orgs = dict(Organization.select(Organization.id, Organization.name).tuples())
    points: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
    for pid, kind, value, key in ContactPoint.select(
        ContactPoint.person, ContactPoint.kind, ContactPoint.value, ContactPoint.key
    ).tuples():
        points[pid].append((kind, value, key))
    variations = Counter()
    for _, kind, original, twin, variation in twins:
        assert original < twin
        variations[(kind, variation)] += 1
        if kind == "organization":
            a, b = orgs[original], orgs[twin]
            assert a != b
            check_organization_twin(a, b, variation)
        else:
            a, b = people[original], people[twin]
            check_person_twin(a, b, points[original], points[twin], variation)
    assert {v for k, v in variations if k == "person"} == {
        "typo", "swapped name order", "e-mail casing", "phone format", "accents dropped"
    }  # fmt: skip
    assert {"typo", "legal suffix dropped", "upper case"} <= {
        v for k, v in variations if k == "organization"
    }


def check_organization_twin(original: str, twin: str, variation: str) -> None:
    if variation == "legal suffix dropped":
        assert original.startswith(twin + " ")
    elif variation == "legal suffix added":
        assert twin.startswith(original + " ")
    elif variation == "upper case":
        assert twin == original.upper()
    else:
        assert fold(twin) != fold(original) and fuzz.ratio(twin, original) > 80


def check_person_twin(original: str, twin: str, before: list, after: list, variation: str) -> None:
    if variation == "typo":
        assert fold(twin) != fold(original) and fuzz.ratio(twin, original) > 75
    elif variation == "swapped name order":
        assert twin != original and sorted(twin.split()) == sorted(original.split())
    elif variation == "accents dropped":
        assert twin != original and twin == strip_accents(original)
    else:
        assert twin == original
        kind = "email" if variation == "e-mail casing" else "phone"
        [(_, old, old_key)] = [p for p in before if p[0] == kind][:1]
        [(_, new, new_key)] = [p for p in after if p[0] == kind]
        assert new != old
        if kind == "email":
            assert new_key == old_key
        else:
            assert re.sub(r"\D", "", new)[-8:] == re.sub(r"\D", "", old)[-8:]


def test_only_twins_share_an_address_a_number_or_a_company_name(demo: DemoSummary) -> None:
    original_of = {
        (kind, twin): original
        for kind, original, twin in DemoTwin.select(
            DemoTwin.kind, DemoTwin.original_id, DemoTwin.twin_id
        ).tuples()
    }
    holders: dict[tuple[str, str], set[int]] = defaultdict(set)
    for pid, kind, key in ContactPoint.select(
        ContactPoint.person, ContactPoint.kind, ContactPoint.key
    ).tuples():
        holders[(kind, key)].add(pid)
    companies: dict[str, set[int]] = defaultdict(set)
    for oid, key in Organization.select(Organization.id, Organization.name_key).tuples():
        companies[key].add(oid)
    for kind, groups in (("person", holders.values()), ("organization", companies.values())):
        shared = [group for group in groups if len(group) > 1]
        assert shared, kind
        for group in shared:
            assert len({original_of.get((kind, member), member) for member in group}) == 1


def test_the_inbox_query_sorts_the_demo_on_every_column(demo: DemoSummary) -> None:
    archived = Lead.select().where(Lead.archived_at.is_null(False)).count()
    for column in COLUMNS:
        for descending in (False, True):
            query = InboxQuery(sort=InboxSort(column, descending))
            rows = query.rows(0, 40)
            assert len(rows) == 40 and query.total == LEADS - archived
            assert len({row.id for row in rows}) == 40
    assert InboxQuery(InboxFilter(archived=True)).total == archived > 0


def test_the_schema_is_whole_after_a_build(demo: DemoSummary, tmp_path: Path) -> None:
    assert database_proxy.execute_sql("PRAGMA foreign_key_check").fetchall() == []
    assert database_proxy.execute_sql("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert database_proxy.execute_sql("PRAGMA journal_mode").fetchone() == ("wal",)
    assert database_proxy.execute_sql("PRAGMA foreign_keys").fetchone() == (1,)
    assert database_proxy.execute_sql("SELECT count(*) FROM sqlite_stat1").fetchone()[0] > 0
    indexes = "SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name"
    built = database_proxy.execute_sql(indexes).fetchall()
    close_database()
    open_inbox(str(tmp_path / "empty.db"))
    assert database_proxy.execute_sql(indexes).fetchall() == built


def test_an_inbox_with_leads_is_refused_and_left_alone(inbox_path: Path) -> None:
    leads_service.create_lead(leads_service.NewLead(person="Ada Lovelace"))
    before = (Lead.select().count(), Person.select().count(), User.select().count())
    with pytest.raises(DemoError, match="already has leads"):
        build_demo(100)
    assert (Lead.select().count(), Person.select().count(), User.select().count()) == before
    assert Label.select().where(Label.name == "VIP").count() == 0


@pytest.mark.parametrize("count", [0, -5, True, 2.5, "12"])
def test_a_count_that_is_not_a_positive_whole_number_is_refused(inbox_path: Path, count) -> None:
    with pytest.raises(DemoError, match="whole number above 0"):
        build_demo(count)
    assert Lead.select().count() == 0


def test_progress_climbs_to_its_total_and_the_settings_come_back(inbox_path: Path) -> None:
    pragmas = ("foreign_keys", "cache_size", "journal_mode", "threads", "analysis_limit")
    before = [database_proxy.execute_sql(f"PRAGMA {p}").fetchone() for p in pragmas]
    calls: list[tuple[int, int]] = []
    build_demo(500, today=TODAY, progress=lambda done, total: calls.append((done, total)))
    assert calls[-1][0] == calls[-1][1] and len({t for _, t in calls}) == 1
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    assert [database_proxy.execute_sql(f"PRAGMA {p}").fetchone() for p in pragmas] == before


def test_a_throwaway_demo_is_a_new_inbox_in_a_fresh_folder(monkeypatch) -> None:
    monkeypatch.setenv("LEADBOX_PHONE_REGION", "FR")
    try:
        path = create_throwaway_demo(250)
        assert path.exists() and [p.name for p in path.parent.glob("*.db")] == ["demo.db"]
        assert Lead.select().count() == 250
        assert path.parent.stat().st_mode & 0o077 == 0
    finally:
        close_database()
