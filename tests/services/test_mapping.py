"""Column mapping: headers as sellers and CRMs write them, saved mappings, what cells mean."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

from leadbox_tui.services.mapping import (
    REJECTION_COLUMN,
    Mapping,
    MappingError,
    guess_mapping,
    load_mapping,
    mapping_from_json,
    mapping_to_json,
    parse_amount,
    parse_date,
    parse_source,
    phone_text,
    save_mapping,
    saved_mapping_names,
)


def fields(*headers: str) -> list[str | None]:
    return list(guess_mapping(headers).fields)


def test_english_headers_are_guessed() -> None:
    assert fields(
        "First Name", "Last Name", "Company", "E-mail", "Phone", "Title", "Value", "Currency",
        "Expected close date", "Owner", "Source", "Labels", "Notes", "Website", "Address",
    ) == [
        "first_name", "last_name", "organization", "email", "phone", "title", "value", "currency",
        "expected_close", "owner", "source", "labels", "note", "website", "address",
    ]  # fmt: skip


def test_french_headers_are_guessed_with_or_without_accents() -> None:
    assert fields(
        "Prénom", "Nom", "Société", "Courriel", "Téléphone", "Valeur", "Devise",
        "Date de clôture prévue", "Propriétaire", "Étiquettes", "Commentaire", "Entreprise",
    ) == [
        "first_name", "last_name", "organization", "email", "phone", "value", "currency",
        "expected_close", "owner", "labels", "note", None,  # one organisation column only
    ]  # fmt: skip
    assert fields("PRENOM", "NOM", "SOCIETE", "Date de cloture prevue") == [
        "first_name", "last_name", "organization", "expected_close",
    ]  # fmt: skip


def test_crm_export_headers_are_guessed() -> None:
    pipedrive = ("Lead - Title", "Lead - Value", "Person - Name", "Person - Email",
                 "Person - Phone", "Organization - Name", "Lead - Labels",
                 "Lead - Owner")  # fmt: skip
    assert fields(*pipedrive) == [
        "title", "value", "person", "email", "phone", "organization", "labels", "owner",
    ]  # fmt: skip
    google = ("Given Name", "Family Name", "E-mail 1 - Value", "E-mail 2 - Value",
              "Phone 1 - Value", "Phone 2 - Value", "Organization 1 - Name")  # fmt: skip
    assert fields(*google) == [
        "first_name", "last_name", "email", "email", "phone", "phone", "organization",
    ]  # fmt: skip
    outlook = ("First Name", "Last Name", "Company", "E-mail Address", "E-mail 2 Address",
               "Business Phone", "Mobile Phone", "Business Street", "Business City",
               "Business Postal Code", "Web Page")  # fmt: skip
    assert fields(*outlook) == [
        "first_name", "last_name", "organization", "email", "email", "phone", "phone",
        "address", "address", "address", "website",
    ]  # fmt: skip
    salesforce = ("Lead Owner", "Lead Source", "Lead Status", "Email", "Phone 1", "E-mail 2")
    assert fields(*salesforce) == ["owner", "source", "stage", "email", "phone", "email"]


def test_a_lone_name_column_is_the_whole_name() -> None:
    assert fields("Nom", "Email") == ["person", "email"]
    assert fields("First name", "Company") == ["person", "organization"]
    assert fields("Nom", "Prénom") == ["last_name", "first_name"]


def test_unknown_headers_and_the_rejection_column_are_not_imported() -> None:
    assert fields("Job title", "Shoe size", REJECTION_COLUMN, "Name") == [
        None, None, None, "person",
    ]  # fmt: skip


def test_changing_a_column_moves_a_single_field_and_adds_a_repeatable_one() -> None:
    mapping = guess_mapping(["Name", "Full name", "Email", "Other"])
    assert mapping.fields == ("person", None, "email", None)
    moved = mapping.with_field(1, "person")
    assert moved.fields == (None, "person", "email", None)
    assert moved.with_field(3, "email").fields == (None, "person", "email", "email")
    with pytest.raises(MappingError, match="unknown field 'shoe'"):
        mapping.with_field(0, "shoe")


def test_a_mapping_saved_as_json_applies_to_the_same_headers_in_another_order() -> None:
    headers = ["Prénom", "Nom", "Notes", "Client"]
    mapping = guess_mapping(headers).with_field(3, "person")
    mapping = Mapping(mapping.fields, unmapped_to_note=True, day_first=False)
    text = mapping_to_json(mapping, headers)
    assert json.loads(text)["columns"] == {
        "Prénom": "first_name", "Nom": "last_name", "Notes": "note", "Client": "person",
    }  # fmt: skip
    again = mapping_from_json(text, ["client", "Notes", "Extra", "Nom"])
    assert again.fields == ("person", "note", None, "last_name")
    assert (again.unmapped_to_note, again.day_first) == (True, False)


def test_a_bad_mapping_file_is_refused_with_a_reason() -> None:
    with pytest.raises(MappingError, match="not valid JSON"):
        mapping_from_json("{", ["A"])
    with pytest.raises(MappingError, match='no "columns" object'):
        mapping_from_json("[]", ["A"])
    with pytest.raises(MappingError, match="unknown field 'shoe' in the mapping"):
        mapping_from_json('{"columns": {"A": "shoe"}}', ["A"])


def test_named_mappings_are_kept_in_the_inbox(inbox_path: Path) -> None:
    headers = ["Client", "Mail"]
    save_mapping("Trade show", guess_mapping(headers).with_field(0, "organization"), headers)
    save_mapping("Web form", guess_mapping(headers), headers)
    assert saved_mapping_names() == ["Trade show", "Web form"]
    assert load_mapping("Trade show", headers).fields == ("organization", "email")
    with pytest.raises(MappingError, match="no saved mapping named 'Nope'"):
        load_mapping("Nope", headers)


@pytest.mark.parametrize(
    ("cell", "amount", "currency"),
    [
        (1200, Decimal(1200), None),
        (1200.5, Decimal("1200.5"), None),
        ("1 234,50 €", Decimal("1234.50"), "EUR"),
        ("$1,234.50", Decimal("1234.50"), "USD"),
        ("1.234.567,89", Decimal("1234567.89"), None),
        ("1.500", Decimal(1500), None),
        ("0.125", Decimal("0.125"), None),
        ("12,5", Decimal("12.5"), None),
        ("EUR 99", Decimal(99), "EUR"),
        ("99 CHF", Decimal(99), "CHF"),
        ("-40", Decimal(-40), None),
        ("1 500 euros", Decimal(1500), "EUR"),
    ],
)
def test_amounts_are_read_as_sellers_write_them(
    cell: object, amount: Decimal, currency: str
) -> None:
    assert parse_amount(cell) == (amount, currency)


@pytest.mark.parametrize("cell", ["abc", "about 12 apples", "", True])
def test_what_is_not_an_amount_is_refused(cell: object) -> None:
    with pytest.raises(ValueError, match="is not an amount"):
        parse_amount(cell)


def test_dates_are_read_day_first_unless_told_or_impossible() -> None:
    assert parse_date("03/04/2026") == dt.date(2026, 4, 3)
    assert parse_date("03/04/2026", day_first=False) == dt.date(2026, 3, 4)
    assert parse_date("03/25/2026") == dt.date(2026, 3, 25)  # only month-first makes a date
    assert parse_date("2026-03-31 10:00") == dt.date(2026, 3, 31)
    assert parse_date("31.03.26") == dt.date(2026, 3, 31)
    assert parse_date(dt.datetime(2026, 3, 31, 9)) == dt.date(2026, 3, 31)
    assert parse_date(46112) == dt.date(2026, 3, 31)  # an Excel day number
    with pytest.raises(ValueError, match="'soon' is not a date"):
        parse_date("soon")
    with pytest.raises(ValueError, match="is not a date"):
        parse_date("31/31/2026")


def test_a_phone_stored_as_a_number_comes_back_as_a_phone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEADBOX_PHONE_REGION", "FR")
    assert phone_text(612345678.0) == "06 12 34 56 78"
    assert phone_text(33612345678) == "06 12 34 56 78"  # the country code read as such
    assert phone_text(442079460958) == "+44 20 7946 0958"
    assert phone_text(12.0) == "12"  # not a phone anywhere: its digits, never "1.2e1"
    assert phone_text("06 12 34 56 78") == "06 12 34 56 78"


def test_sources_are_read_in_english_and_french() -> None:
    assert parse_source("web forms") == "Web forms"
    assert parse_source("Formulaires web") == "Web forms"
    assert parse_source("Créé manuellement") == "Manually created"
    assert parse_source("Trade show") is None
