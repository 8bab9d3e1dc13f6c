"""Fuzzy, as-you-type search: accents, typos, e-mails and phones, best first, on real inboxes."""

from __future__ import annotations

from pathlib import Path

import pytest

from leadbox_tui.services import leads, search
from leadbox_tui.services.filters import InboxFilter
from leadbox_tui.services.history import recorded, undo_last
from leadbox_tui.services.inbox import InboxQuery
from leadbox_tui.services.leads import NewLead
from leadbox_tui.store.models import Lead, LeadSearchPending, Organization, Person


def add(**fields: object) -> int:
    return leads.create_lead(NewLead(**fields))


def found(text: str, **filter_fields: object) -> list[int]:
    return InboxQuery(InboxFilter(search=text, **filter_fields)).ids(0, 100)


@pytest.fixture
def people(inbox_path: Path) -> dict[str, int]:
    return {
        "jose": add(
            person="José García",
            organization="Acme SARL",
            emails=["jgarcia@acme.fr"],
            phones=["06 12 34 56 78"],
        ),
        "joseph": add(person="Joseph Martin", organization="Globex"),
        "muller": add(person="Jürgen Müller", organization="Müller & Söhne GmbH"),
        "zoe": add(organization="Zoë Ñúñez Consulting", title="Rebranding"),
    }


def test_plain_letters_find_accented_names(people: dict[str, int]) -> None:
    assert people["jose"] in found("jose")
    assert found("JOSÉ GARCÍA") == [people["jose"]]
    assert found("muller") == [people["muller"]]
    assert found("zoe nunez") == [people["zoe"]]


def test_every_keystroke_of_a_name_finds_it(people: dict[str, int]) -> None:
    for end in range(2, len("garcia") + 1):
        assert people["jose"] in found("garcia"[:end]), "garcia"[:end]


def test_a_typo_is_forgiven(people: dict[str, int]) -> None:
    assert found("garcai") == [people["jose"]]  # two letters swapped
    assert found("gracia") == [people["jose"]]
    assert found("mulller") == [people["muller"]]  # a letter doubled
    assert people["jose"] in found("jsoe")
    assert found("rebrandng") == [people["zoe"]]  # a letter dropped


def test_title_email_and_phone_are_searched(people: dict[str, int]) -> None:
    assert found("rebranding") == [people["zoe"]]
    assert found("jgarcia@acme") == [people["jose"]]
    assert found("06 12 34") == [people["jose"]]
    assert found("+33 6 12 34 56 78") == [people["jose"]]
    assert found("0612345678") == [people["jose"]]


def test_the_best_matches_come_first(inbox_path: Path) -> None:
    typo = add(person="Josr Ortiz")  # one typo away from "jose"
    longer = add(person="Josephine Baker")  # starts with "jose"
    exact = add(person="Jose Luis")
    plan = search.plan_search("jose")
    assert plan is not None and plan.fuzzy is not None  # few plain matches: typos are welcome
    assert found("jose") == [exact, longer, typo]


def test_the_whole_name_typed_in_order_scores_above_the_words_scattered(inbox_path: Path) -> None:
    in_order = add(person="Anna Berg", organization="Tools")
    scattered = add(person="Anna Smith", organization="Berg Tools")  # newer: first on a tie
    assert found("anna berg") == [in_order, scattered]
    assert found("anna be") == [in_order, scattered]


def test_search_stays_within_the_filter(people: dict[str, int]) -> None:
    leads.archive([people["joseph"]])
    assert found("jose") == [people["jose"]]
    assert found("jose", archived=True) == [people["joseph"]]
    assert found("jose", sources=("API",)) == []


def test_a_search_is_counted_without_the_leads_outside_the_inbox(inbox_path: Path) -> None:
    """A search alone is counted in its index, less the archived, deleted, converted or
    merged leads: the same number as counting the leads the filter keeps."""
    made = [add(person=f"Rosa Ortiz {i}", organization="Ortiz SL") for i in range(8)]
    leads.archive(made[:2])
    leads.delete(made[2:3])
    Lead.update(merged_into=made[4]).where(Lead.id == made[3]).execute()
    add(person="Someone Else")
    for text in ("ortiz", "ros", "o", "rosa ortiz"):
        searched = InboxFilter(search=text)
        assert InboxQuery(searched).total == 4 == len(found(text)), text
        assert Lead.select().where(*searched.conditions()).count() == 4
    assert InboxQuery(InboxFilter(search="ortiz", archived=True)).total == 2


def test_the_index_follows_every_change(people: dict[str, int]) -> None:
    jose = people["jose"]
    with recorded("edit", "rename") as rec:
        rec.set(Person, Lead[jose].person_id, "name", "Pepe Romero")
        rec.set(Organization, Lead[jose].organization_id, "name", "Initech")
    assert found("garcia") == []
    assert found("pepe initech") == [jose]
    leads.update_lead(jose, title="Fiber upgrade")
    assert found("fiber") == [jose]
    undo_last()
    assert found("fiber") == []
    leads.delete([jose])
    assert found("pepe") == []
    assert LeadSearchPending.select().count() == 0  # all indexed by the searches


def test_a_new_lead_is_found_at_once(inbox_path: Path) -> None:
    lead = add(person="Quentin Blake")
    assert LeadSearchPending.select().count() == 1  # listed by the trigger, not yet indexed
    assert found("quen") == [lead]


def test_empty_or_blank_search_is_the_whole_filter(people: dict[str, int]) -> None:
    assert search.plan_search("  ") is None
    assert search.plan_search("--") is None
    assert sorted(found("")) == sorted(people.values())


def test_matches_beyond_the_ranked_ones_follow_newest_first(
    inbox_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = [add(person=f"Smith {i}") for i in range(12)]
    monkeypatch.setattr(search, "CANDIDATES", 5)
    query = InboxQuery(InboxFilter(search="smith"))
    window = query.ids(0, 100)
    assert sorted(window) == sorted(ids)  # every match once
    assert window[5:] == sorted(ids, reverse=True)[5:]  # after the ranked head: by recency
    assert query.ids(3, 4) == window[3:7]  # any window, the same order
    assert query.total == 12


def test_catch_up_indexes_a_backlog_in_chunks_with_progress(
    inbox_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for i in range(7):
        add(person=f"Backlog {i}")
    monkeypatch.setattr(search, "INDEX_CHUNK", 3)
    steps: list[tuple[int, int]] = []
    assert search.catch_up(lambda done, total: steps.append((done, total))) == 7
    assert steps == [(3, 7), (6, 7), (7, 7)]
    assert search.catch_up() == 0


def test_a_large_backlog_is_left_to_catch_up_so_a_keystroke_never_waits(
    inbox_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "INLINE_BACKLOG", 3)
    ids = [add(person=f"Import {i}") for i in range(5)]
    assert found("import") == []  # five to index: more than a search does itself
    assert search.catch_up() == 5
    assert sorted(found("import")) == ids
