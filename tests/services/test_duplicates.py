"""The duplicate scan, "not duplicates" and live suggestions, on a real inbox."""

from __future__ import annotations

import csv
import datetime as dt
import time
from collections import defaultdict
from itertools import combinations
from pathlib import Path

import pytest

from leadbox_tui.services import history
from leadbox_tui.services.duplicates import (
    DuplicatesError,
    mark_not_duplicates,
    scan_duplicates,
    similar_leads,
    suggest_organizations,
    suggest_people,
)
from leadbox_tui.services.leads import NewLead, create_lead
from leadbox_tui.services.matching import Thresholds
from leadbox_tui.services.merge import merge_leads
from leadbox_tui.services.normalize import email_key, organization_key, person_key, phone_key
from leadbox_tui.store.models import (
    ContactPoint,
    Lead,
    NotDuplicate,
    Organization,
    Person,
    database_proxy,
)


def organization(name: str, website: str | None = None) -> int:
    return Organization.create(name=name, name_key=organization_key(name), website=website).id


def contact(
    name: str,
    emails: tuple[str, ...] = (),
    phones: tuple[str, ...] = (),
    org: int | None = None,
    title: str | None = None,
) -> tuple[int, int]:
    """A person and a lead of theirs, written as an import that checked nothing would."""
    person = Person.create(name=name, name_key=person_key(name), organization=org).id
    for n, value in enumerate(emails):
        ContactPoint.create(
            person=person, kind="email", value=value, key=email_key(value), position=n
        )
    for n, value in enumerate(phones, len(emails)):
        ContactPoint.create(
            person=person, kind="phone", value=value, key=phone_key(value), position=n
        )
    lead = Lead.create(title=title or f"{name} lead", person=person, organization=org).id
    return person, lead


@pytest.fixture
def twins(inbox_path: Path) -> dict[str, int]:
    acme = organization("ACME SARL", "https://www.acme.fr")
    acme_again = organization("Acme", "acme.fr")
    globex = organization("Globex")
    jean, jean_lead = contact("Jean Dupont", ("jean.dupont@acme.fr",), ("06 12 34 56 78",), acme)
    jean2, jean2_lead = contact("DUPONT Jean", ("Jean.Dupont@ACME.fr",), (), acme_again)
    zoe, zoe_lead = contact("Zoé Müller", phones=("+33 6 99 88 77 66",), org=globex)
    zoe2, zoe2_lead = contact("Zoe Muler", phones=("06 99 88 77 66",), title="Zoé Müller lead")
    contact("Paul Durand", ("paul@initech.com",))
    return {
        "acme": acme,
        "acme_again": acme_again,
        "jean": jean,
        "jean2": jean2,
        "jean_lead": jean_lead,
        "jean2_lead": jean2_lead,
        "zoe": zoe,
        "zoe2": zoe2,
        "zoe_lead": zoe_lead,
        "zoe2_lead": zoe2_lead,
    }


def groups_by_kind(groups) -> dict[str, list[set[int]]]:
    found: dict[str, list[set[int]]] = {"lead": [], "person": [], "organization": []}
    for group in groups:
        found[group.kind].append(set(group.ids))
    return found


def test_the_scan_finds_twin_people_organisations_and_leads(twins: dict[str, int]) -> None:
    found = groups_by_kind(scan_duplicates())
    assert found["person"] == [{twins["jean"], twins["jean2"]}, {twins["zoe"], twins["zoe2"]}]
    assert found["organization"] == [{twins["acme"], twins["acme_again"]}]
    assert found["lead"] == [
        {twins["jean_lead"], twins["jean2_lead"]},
        {twins["zoe_lead"], twins["zoe2_lead"]},
    ]


def test_groups_come_most_certain_first_and_say_why(twins: dict[str, int]) -> None:
    groups = scan_duplicates()
    assert [g.score for g in groups] == sorted((g.score for g in groups), reverse=True)
    jean = next(g for g in groups if g.kind == "person" and twins["jean"] in g.ids)
    assert jean.reasons == ("same e-mail", "same name (swapped)", "same organisation")
    zoe = next(g for g in groups if g.kind == "person" and twins["zoe"] in g.ids)
    assert zoe.reasons[0] == "same phone" and zoe.reasons[1].startswith("name ")
    acme = next(g for g in groups if g.kind == "organization")
    assert acme.reasons == ("same website", "same name")
    lead = next(g for g in groups if g.kind == "lead")
    assert [(m.name, m.title) for m in lead.members] == [
        ("Jean Dupont", "Jean Dupont lead"),
        ("DUPONT Jean", "DUPONT Jean lead"),
    ]


def test_a_higher_threshold_offers_fewer_groups(twins: dict[str, int]) -> None:
    assert len(scan_duplicates(Thresholds.uniform(100))) < len(scan_duplicates())
    assert scan_duplicates(kinds=("organization",))[0].kind == "organization"


def test_not_duplicates_are_remembered_and_undo_offers_them_again(
    twins: dict[str, int],
) -> None:
    pair = (twins["zoe"], twins["zoe2"])
    assert mark_not_duplicates("person", pair) == 1
    assert set(pair) not in groups_by_kind(scan_duplicates())["person"]
    assert mark_not_duplicates("person", pair) == 0  # already remembered
    history.undo_last()
    history.undo_last()
    assert NotDuplicate.select().count() == 0
    assert set(pair) in groups_by_kind(scan_duplicates())["person"]


def test_not_duplicates_needs_two_records_of_a_known_kind(twins: dict[str, int]) -> None:
    with pytest.raises(DuplicatesError, match="at least two"):
        mark_not_duplicates("person", [twins["zoe"], twins["zoe"]])
    with pytest.raises(DuplicatesError, match="unknown kind"):
        mark_not_duplicates("deal", [1, 2])
    with pytest.raises(DuplicatesError, match="unknown kind"):
        scan_duplicates(kinds=("deal",))


def test_merged_records_are_not_offered_again(twins: dict[str, int]) -> None:
    merge_leads(twins["jean_lead"], twins["jean2_lead"])
    assert groups_by_kind(scan_duplicates())["lead"] == [{twins["zoe_lead"], twins["zoe2_lead"]}]


def test_deleted_people_are_not_offered(twins: dict[str, int]) -> None:
    Person.update(deleted_at=dt.datetime(2026, 1, 1)).where(Person.id == twins["zoe2"]).execute()
    assert all(twins["zoe2"] not in g for g in groups_by_kind(scan_duplicates())["person"])


def test_the_scan_reports_progress_to_the_end(twins: dict[str, int]) -> None:
    seen: list[tuple[int, int, str]] = []
    scan_duplicates(progress=lambda done, total, stage: seen.append((done, total, stage)))
    assert seen[0][0] == 0 and seen[-1][:2] == (100, 100)
    assert [d for d, _, _ in seen] == sorted(d for d, _, _ in seen)
    assert {s for _, _, s in seen} >= {"Reading the inbox", "Comparing people", "Grouping"}


def test_people_are_suggested_while_the_name_is_typed(twins: dict[str, int]) -> None:
    assert suggest_people("J") == []
    typed = suggest_people("Jean Du")
    assert {s.id for s in typed[:2]} == {twins["jean"], twins["jean2"]}
    assert "name starts alike" in typed[0].reasons
    full = suggest_people("Jean Dupont")[0]
    assert full.id == twins["jean"]  # the name as typed before the same name swapped
    assert full.score == 100 and full.reasons == ("same name",)
    assert full.organization == "ACME SARL" and full.emails == ("jean.dupont@acme.fr",)
    assert full.phones == ("06 12 34 56 78",)


def test_people_are_suggested_by_email_or_phone_whatever_the_name(
    twins: dict[str, int],
) -> None:
    by_mail = suggest_people("J. D.", emails=["JEAN.DUPONT@acme.fr"])
    assert {s.id for s in by_mail} == {twins["jean"], twins["jean2"]}
    assert all("same e-mail" in s.reasons for s in by_mail)
    by_phone = suggest_people("", phones=["+33 6 99 88 77 66"])
    assert {s.id for s in by_phone} == {twins["zoe"], twins["zoe2"]}


def test_swapped_names_and_nicknames_are_suggested(inbox_path: Path) -> None:
    bob, _ = contact("Smith Robert")
    assert suggest_people("Bob Smith")[0].id == bob
    assert suggest_people("Bob Smith")[0].reasons == ("same name (nickname)",)


def test_a_slip_in_any_word_of_a_name_still_finds_the_person(inbox_path: Path) -> None:
    jean, _ = contact("Jean Dupont")
    contact("Paul Dupont")
    contact("Jeanne Martin")
    for n in range(30):  # namesakes of the last name, whose first names sort between
        contact(f"{'Jacques Jade Jakob James Janusz Jasper Javier'.split()[n % 7]} Dupont")
    for typed in ("Jaen Dupont", "Jean Dpuont", "Dupont Jaen", "JEAN DUPOMT"):
        found = suggest_people(typed)
        assert found[0].id == jean, typed
        assert found[0].reasons[0].startswith("name 9"), typed
    assert jean not in {s.id for s in suggest_people("Jaen Martin")}  # another person


def test_a_slip_in_the_first_word_of_an_organisation_still_finds_it(inbox_path: Path) -> None:
    atelier = organization("Atelier Brunet SARL")
    for word in "Alpin Bernard Caron Colin Dubois Faure Morel Roux Vidal".split():
        organization(f"Atelier {word}")  # between the slip and the name, in name order
        organization(f"Garage Brunet {word}")
    found = suggest_organizations("Atleier Brunet")
    assert found[0].id == atelier and found[0].reasons == ("name 92%",)


def test_merged_people_are_not_suggested(twins: dict[str, int]) -> None:
    Person.update(merged_into=twins["jean"]).where(Person.id == twins["jean2"]).execute()
    assert [s.id for s in suggest_people("Jean Dupont")] == [twins["jean"]]


def test_organisations_are_suggested_whatever_their_legal_form(twins: dict[str, int]) -> None:
    found = suggest_organizations("acme s.a.s.")
    assert {s.id for s in found} == {twins["acme"], twins["acme_again"]}
    assert found[0].score == 100
    assert suggest_organizations("Groupe Acme")[0].id in {twins["acme"], twins["acme_again"]}
    assert suggest_organizations("Acme", website="http://acme.fr")[0].reasons[0] == "same website"
    assert suggest_organizations("Zzz Unknown") == []


def test_suggestions_are_limited_and_fast(inbox_path: Path) -> None:
    for n in range(300):
        contact(f"Jean Dupont{n:03d}")
    started = time.perf_counter()
    found = suggest_people("Jean Dupont", limit=3)
    assert len(found) == 3
    assert time.perf_counter() - started < 0.5


LABELLED = Path(__file__).parent.parent / "data" / "dedupe_labelled.csv"


def test_the_labelled_set_is_found_with_high_precision_and_recall(inbox_path: Path) -> None:
    """tests/data/dedupe_labelled.csv (made by benchmarks/dedupe_quality.py): 3,000 people and
    organisations, 750 of them typed again with a slip, among namesakes and look-alikes."""
    with LABELLED.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    ids: dict[str, int] = {}
    truth: dict[str, dict[str, list[int]]] = {
        k: defaultdict(list) for k in ("person", "organization")
    }
    with database_proxy.atomic():
        for row in rows:
            if row["kind"] == "organization":
                ids[row["row"]] = organization(row["name"], row["website"] or None)
            else:
                org = ids[row["organization"]] if row["organization"] else None
                emails = tuple(filter(None, row["emails"].split("|")))
                phones = tuple(filter(None, row["phones"].split("|")))
                ids[row["row"]] = contact(row["name"], emails, phones, org)[0]
            truth[row["kind"]][row["cluster"]].append(ids[row["row"]])
    groups = scan_duplicates(kinds=("person", "organization"))
    for kind in ("person", "organization"):
        expected = {p for c in truth[kind].values() for p in combinations(sorted(c), 2)}
        found = {p for g in groups if g.kind == kind for p in combinations(sorted(g.ids), 2)}
        precision = len(found & expected) / len(found)
        recall = len(found & expected) / len(expected)
        assert precision >= 0.95 and recall >= 0.9, (kind, precision, recall)


def test_similar_leads_are_offered_to_pick_the_lead_to_merge(twins: dict[str, int]) -> None:
    [twin] = [s for s in similar_leads(twins["jean_lead"]) if s.score >= 85]
    assert twin.id == twins["jean2_lead"] and twin.name == "DUPONT Jean"
    assert twin.reasons[0] == "same e-mail" and twin.reasons[-1] == "same title"
    other = create_lead(
        NewLead(person="Jean Dupont", emails=["jean.dupont@acme.fr"], title="Solar")
    )
    found = {s.id: s for s in similar_leads(twins["jean_lead"])}
    assert found[other].reasons[0] == "same person" and found[other].score < 85
    assert similar_leads(9999) == []


def test_a_third_look_alike_does_not_bring_back_two_records_marked_not_duplicates(
    inbox_path: Path,
) -> None:
    one, _ = contact("Marc Lefort", ("marc@lefort.fr",))
    two, _ = contact("Marc Lefort", phones=("06 11 22 33 44",))
    contact("Marc Lefrot")
    assert any({one, two} <= set(g.ids) for g in scan_duplicates(kinds=("person",)))
    mark_not_duplicates("person", [one, two])
    assert not any({one, two} <= set(g.ids) for g in scan_duplicates(kinds=("person",)))
