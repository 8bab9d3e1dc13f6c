"""The matching engine on its own: names, evidence, reasons, blocking and groups."""

from __future__ import annotations

import random

import pytest

from leadbox_tui.services.matching import (
    UNKNOWN_NAME,
    LeadRecord,
    Match,
    OrganizationRecord,
    PeopleScorer,
    Score,
    Thresholds,
    company_domains,
    group_matches,
    is_free_mail,
    lead_record,
    match_leads,
    match_organizations,
    match_people,
    name_similarity,
    organization_name_form,
    person_name_form,
    person_record,
    score_organizations,
    score_people,
    website_domain,
)
from leadbox_tui.services.matching.blocking import candidate_pairs
from leadbox_tui.services.normalize import email_key, fold, organization_key, phone_key


def person(
    pid: int, name: str, emails: tuple[str, ...] = (), phones: tuple[str, ...] = (), org: str = ""
):
    return person_record(
        pid, name, [email_key(e) for e in emails], [phone_key(p, "FR") for p in phones], org
    )


def org(oid: int, name: str, website: str = "", mails: tuple[str, ...] = ()):
    return OrganizationRecord(
        oid, name, organization_name_form(name), website_domain(website), company_domains(mails)
    )


def similarity(a: str, b: str) -> float:
    return name_similarity(person_name_form(a), person_name_form(b))


def test_names_match_whatever_the_case_accents_and_word_order() -> None:
    assert similarity("José-María Álvarez", "jose maria ALVAREZ") == 100
    assert similarity("Jean Dupont", "DUPONT Jean") == 100
    assert score_people(person(1, "Jean Dupont"), person(2, "Dupont Jean")).reasons == (
        "same name (swapped)",
    )


def test_nicknames_are_read_as_the_full_first_name() -> None:
    assert similarity("Bob Smith", "Robert Smith") == 100
    assert similarity("Cathy Martin", "Katherine Martin") == 100
    score = score_people(person(1, "Bob Smith"), person(2, "Robert Smith"))
    assert score.reasons == ("same name (nickname)",)
    assert similarity("Liam Robinson", "Liab Robinson") > 90  # a typo, not William


def test_one_typo_is_a_typo_but_two_names_are_two_names() -> None:
    assert similarity("Jean Dupont", "Jean Dupnot") >= 88
    assert similarity("Agnès Noël", "Agnèss Noël") >= 88
    assert similarity("Solène Guérin", "Hélène Guérin") < 85
    assert similarity("Jean Dupont", "Jean-Pierre Dupont") < 85


def test_a_shared_email_or_phone_is_strong_evidence_and_says_so() -> None:
    by_mail = score_people(
        person(1, "Jean Dupont", ("Jean.Dupont@Acme.fr",)),
        person(2, "J. Dupont", ("jean.dupont@acme.fr",)),
    )
    assert by_mail.value >= 90 and by_mail.reasons[0] == "same e-mail"
    by_phone = score_people(
        person(1, "Jean Dupont", phones=("+33 6 12 34 56 78",)),
        person(2, "Jean Dupond", phones=("06.12.34.56.78",)),
    )
    assert by_phone.value >= 90 and by_phone.reasons[:2] == ("same phone", "name 90%")


def test_a_phone_matches_even_when_its_country_was_guessed_wrong() -> None:
    # a German mobile typed without its country code in a French inbox
    wrong = person(1, "Lena Wagner", phones=("0179 9984 6896",))
    right = person(2, "Lena Wagner", phones=("+49 179 99846896",))
    assert "same phone" in score_people(wrong, right).reasons


def test_an_email_address_as_a_name_tells_nothing_but_the_address_does() -> None:
    score = score_people(
        person(1, "jdupont@acme.fr", ("jdupont@acme.fr",)),
        person(2, "Jean Dupont", ("JDupont@acme.fr",)),
    )
    assert score.value >= 90 and score.reasons == ("same e-mail",)


def test_namesakes_with_other_details_are_someone_else() -> None:
    one = person(1, "Jean Martin", ("jm@acme.fr",), ("0612345678",), org="Acme")
    other = person(2, "Jean Martin", ("jean.martin@globex.com",), ("0698765432",), org="Globex")
    assert score_people(one, other).value < 50


def test_a_number_added_to_an_address_is_another_person_but_a_slip_is_not() -> None:
    a = person(1, "Emily Thompson", ("emily_thompson@outlook.com",))
    assert score_people(a, person(2, "Emily Thompson", ("emily_thompson2@outlook.com",))).value < 85
    slip = score_people(a, person(3, "Emily Thompson", ("emily_thomspon@outlook.com",)))
    assert slip.value == 100 and "similar e-mail" in slip.reasons


def test_a_common_name_alone_is_weak_evidence_unless_at_the_same_organisation() -> None:
    bare = [person(i, "Jean Martin") for i in range(1, 6)]
    scorer = PeopleScorer(bare)
    score = scorer(bare[0], bare[1])
    assert score.value < 85 and "5 people share this name" in score.reasons
    typo = person(9, "Jean Matrin")
    assert PeopleScorer([*bare, typo])(bare[0], typo).value < 85
    colleagues = [person(i, "Jean Martin", org="Acme") for i in (7, 8)]
    assert PeopleScorer(bare + colleagues)(*colleagues).value == 100


def test_free_mail_domains_say_nothing_about_an_organisation() -> None:
    for domain in ("gmail.com", "yahoo.fr", "hotmail.co.uk", "outlook.de", "orange.fr", "gmx.net"):
        assert is_free_mail(domain), domain
    assert not is_free_mail("acme.fr")
    assert company_domains(["a@gmail.com", "b@acme.fr", "c@free.fr"]) == {"acme.fr"}
    both_on_gmail = score_organizations(
        org(1, "Boulangerie Petit", mails=("a@gmail.com",)),
        org(2, "Garage Martin", mails=("b@gmail.com",)),
    )
    assert both_on_gmail.value < 50


def test_organisations_match_without_their_legal_form() -> None:
    assert organization_key("Okna Nowak Sp. z o.o.") == "okna nowak"
    score = score_organizations(org(1, "ACME S.A.R.L."), org(2, "Acme SAS"))
    assert score == Score(100, ("same name",))


def test_the_website_backs_an_organisation_or_tells_two_apart() -> None:
    assert website_domain("https://www.Acme.fr/contact?x=1") == "acme.fr"
    assert website_domain("acme.fr:8080") == "acme.fr"
    same = score_organizations(org(1, "Acme", "acme.fr"), org(2, "Acme Group", "www.acme.fr"))
    assert same.value >= 95 and same.reasons[0] == "same website"
    by_mail = score_organizations(
        org(1, "Globex", "globex.com"), org(2, "Globex Corp", mails=("ann@globex.com",))
    )
    assert by_mail.reasons[0] == "same e-mail domain"
    apart = score_organizations(
        org(1, "Müller Holzbau", "mueller-holzbau.de"), org(2, "Möller Holzbau", "moeller.de")
    )
    assert apart.value < 85


def test_thresholds_are_scores_from_0_to_100() -> None:
    assert Thresholds.uniform(70) == Thresholds(70, 70, 70)
    with pytest.raises(ValueError, match="0 to 100"):
        Thresholds(person=120)


FIRST = ["Jean", "Marie", "Pierre", "Sophie", "Luc", "Camille", "Hugo", "Léa", "Louis", "Emma"]
LAST = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand"]


def typo(name: str, rng: random.Random) -> str:
    """Two letters swapped (not digits: they stand for the rest of a big inbox's names)."""
    i = rng.choice([i for i in range(1, len(name) - 1) if name[i : i + 2].isalpha()])
    return name[:i] + name[i + 1] + name[i] + name[i + 2 :]


def test_blocking_finds_typos_among_thousands_without_comparing_every_pair() -> None:
    rng = random.Random(7)
    people = [
        person(i, f"{rng.choice(FIRST)} {rng.choice(LAST)}{i:05d}x", org=f"Org {i % 50}")
        for i in range(5_000)
    ]
    twins = {i: person(10_000 + i, typo(people[i].name, rng)) for i in range(0, 5_000, 100)}
    everyone = [*people, *twins.values()]
    found = {m.pair for m in match_people(everyone, 85)}
    assert {(i, t.id) for i, t in twins.items()} <= found
    records = [(p.id, p.form, p.organization) for p in everyone]
    candidates = candidate_pairs(records, [], 85, 75, None)
    assert len(candidates) < len(everyone) * 5  # pairwise would be 12.7 million


def test_progress_is_told_and_can_stop_the_step() -> None:
    people = [person(i, f"Person {i:04d}") for i in range(2_000)]
    seen: list[float] = []
    match_people(people, 85, seen.append)
    assert seen and seen == sorted(seen) and seen[-1] == 1.0

    class Stop(Exception):
        pass

    def stop(_: float) -> None:
        raise Stop

    with pytest.raises(Stop):
        match_people(people, 85, stop)


def test_organisation_twins_are_found_by_name_and_website() -> None:
    orgs = [org(1, "Acme SARL", "acme.fr"), org(2, "ACME"), org(3, "Initech", "initech.com")]
    orgs += [org(4, "Inittech GmbH", "initech.com"), org(5, "Globex")]
    assert {m.pair for m in match_organizations(orgs, 88)} == {(1, 2), (3, 4)}


def lead(lid: int, title: str, person_id: int | None, org_id: int | None = None) -> LeadRecord:
    return lead_record(lid, title, "", person_id, org_id)


def test_leads_are_twins_when_one_contact_has_two_about_the_same_thing() -> None:
    leads = [
        lead(1, "kitchen equipment", 10),
        lead(2, "kitchen equipment", 10),
        lead(3, "solar panels", 10),  # the same person, another need
        lead(4, "kitchen equipement", 11),  # a twin of person 10
        lead(5, "kitchen equipment", 12, 7),  # someone else at the same organisation
        lead(6, "kitchen equipment", None, 7),  # the organisation only
    ]
    twins_10_11 = Match(10, 11, 95, ("same e-mail", "name 93%"))
    found = {m.pair: m for m in match_leads(leads, [twins_10_11], [], 85)}
    assert set(found) == {(1, 2), (1, 4), (2, 4), (5, 6)}
    assert found[(1, 2)].reasons == ("same person", "same title")
    assert found[(1, 4)].reasons[:2] == ("same e-mail", "name 93%")


def test_groups_do_not_chain_namesakes_through_a_record_with_no_details() -> None:
    # 1 has no details: alike 2 and 3, which are two different people
    matches = [Match(1, 2, 90, ()), Match(1, 3, 90, ()), Match(4, 5, 99, ())]
    groups = group_matches(matches, lambda x, y: {x, y} != {2, 3})
    assert sorted(sorted({i for m in g for i in m.pair}) for g in groups) == [[1, 2], [4, 5]]


def test_titles_are_compared_without_the_names_of_the_contacts() -> None:
    names = "Jean Dupont Acme SA"
    kitchen = lead_record(1, "Kitchen equipment – Acme SA", names, 10, None)
    solar = lead_record(2, "Solar panels – ACME SA", names, 10, None)
    again = lead_record(3, "Kitchen équipment, Acme", names, 10, None)
    assert kitchen.topic == "kitchen equipment"
    assert {m.pair for m in match_leads([kitchen, solar, again], [], [], 85)} == {(1, 3)}
    # a twin's lead, titled with the other spelling of the name
    twin = lead_record(4, "Kitchen equipment – Jean Dupond", "Jean Dupond", 11, None)
    twins = Match(10, 11, 95, ("same e-mail",))
    assert (1, 4) in {m.pair for m in match_leads([kitchen, twin], [twins], [], 85)}


def test_fold_drops_every_combining_mark_as_before_only_faster() -> None:
    assert fold("Zoë  Müller-Đỗ") == "zoe muller đo"
    assert fold("e\u0301\U0001d167x") == "ex"  # a mark beyond the BMP goes too
    assert fold("\u0301") == ""
    assert person_name_form("12345") == person_name_form("jean@acme.fr") == UNKNOWN_NAME


def test_another_separator_in_an_address_is_another_person() -> None:
    a = person(1, "Bérénice Guérin", ("bereniceguerin@free.fr",))
    b = person(2, "Bérénice Guérin", ("berenice_guerin@free.fr",))
    assert "similar e-mail" not in score_people(a, b).reasons
    assert score_people(a, b).value < 85


def test_a_bare_name_against_a_detailed_record_is_only_a_name() -> None:
    bare = person(1, "Raphaël Chevalier")
    detailed = person(2, "Raphaël Chevalier", ("raphael@gauthier.fr",), org="Gauthier")
    score = PeopleScorer([bare, detailed])(bare, detailed)
    assert score.value < Thresholds().person and "only a name on one side" in score.reasons
    assert score_people(bare, detailed).value == 100  # being typed, as a suggestion
    assert PeopleScorer([bare])(bare, person(3, "Raphael Chevalier")).value == 100  # both bare
