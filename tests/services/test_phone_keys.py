"""The import's quick phone keys are exactly ``normalize.phone_key``'s, in every region."""

from __future__ import annotations

import random

import phonenumbers
import pytest

from leadbox_tui.services.normalize import phone_key
from leadbox_tui.services.phone_keys import PhoneKeys, _home, _quick

HOMES = ("FR", "US", "DE", "IT", "GB", "AR", "MX", "BR", "JP", "RU", "HU", "BE", "IN", "AU", "CH")
PREFIXES = ("", "+", "0", "00", "+0", "1", "33", "+33 ", "+1 ", "+39 0", "(0)", "+44 (0)", "8")


def written_numbers(rng: random.Random) -> list[str]:
    """Every region's example numbers as sellers write them, and random digit runs."""
    numbers = []
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for kind in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE):
            example = phonenumbers.example_number_for_type(region, kind)
            if example is not None:
                numbers += [
                    phonenumbers.format_number(example, style)
                    for style in (
                        phonenumbers.PhoneNumberFormat.E164,
                        phonenumbers.PhoneNumberFormat.INTERNATIONAL,
                        phonenumbers.PhoneNumberFormat.NATIONAL,
                    )
                ]
    for _ in range(1_500):
        digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(1, 14)))
        grouped = " ".join(digits[i : i + 2] for i in range(0, len(digits), 2))
        numbers.append(rng.choice(PREFIXES) + rng.choice((digits, grouped)))
    return numbers


@pytest.mark.parametrize("home", HOMES)
def test_quick_phone_keys_are_the_keys_libphonenumber_gives(home: str) -> None:
    keys = PhoneKeys(home)
    quick = 0
    for number in written_numbers(random.Random(home)):
        assert keys(number) == phone_key(number, home), number
        quick += _quick(number, _home(home)) is not None
    assert quick > 1_000  # the quick way is taken for most of them


def test_shapes_the_quick_way_leaves_to_libphonenumber() -> None:
    home = _home("FR")
    for number in ("0033 6 12 34 56 78", "33612345678", "06 12 34 56 78 ext. 12", "+33 6 CALL ME"):
        assert _quick(number, home) is None
        assert PhoneKeys("FR")(number) == phone_key(number, "FR")
    assert _quick("06 12 34 56 78", home) == "33612345678"
    assert _quick("+1 (415) 555-0100", home) == "14155550100"
