from decimal import Decimal

import pytest

from leadbox_tui.services.normalize import (
    email_key,
    fold,
    from_minor,
    organization_key,
    person_key,
    phone_key,
    to_minor,
)


def test_fold_ignores_case_accents_and_punctuation() -> None:
    assert fold("  José-María  O'Neil ") == "jose maria o neil"
    assert person_key("ZOË Müller") == person_key("zoe muller")


def test_organisation_keys_drop_the_legal_form() -> None:
    assert organization_key("ACME S.A.R.L.") == organization_key("Acme") == "acme"
    assert organization_key("Müller GmbH") == "muller"
    assert organization_key("Globex Inc.") == organization_key("globex")
    assert organization_key("SA") == "sa"  # a name that is only a legal form stays


def test_email_keys_ignore_case_and_spaces() -> None:
    assert email_key(" Jose@Example.COM ") == "jose@example.com"


@pytest.mark.parametrize(
    "typed",
    ["+33 6 12 34 56 78", "06 12 34 56 78", "0612345678", "+33 (0)6 12 34 56 78", "0033612345678"],
)
def test_french_phones_in_every_format_share_one_key(typed: str) -> None:
    assert phone_key(typed, "FR") == "33612345678"


def test_foreign_phones_keep_their_country_code() -> None:
    assert phone_key("+1 (415) 555-0100", "FR") == "14155550100"
    assert phone_key("+49 30 1234567", "FR") == "49301234567"


def test_money_is_kept_in_minor_units_without_floats() -> None:
    assert to_minor("1200.50", "EUR") == 120050
    assert to_minor("1 200,5", "EUR") == 120050
    assert to_minor(Decimal("0.1") + Decimal("0.2"), "USD") == 30
    assert to_minor("1500", "JPY") == 1500
    assert from_minor(120050, "EUR") == Decimal("1200.50")
    assert to_minor(None, "EUR") is None


@pytest.mark.parametrize("bad", ["abc", "1e999999", "NaN", "inf"])
def test_an_amount_that_is_not_money_is_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        to_minor(bad, "EUR")
