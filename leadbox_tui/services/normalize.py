"""Normal forms of names, e-mails, phones and money, so the same contact is found however typed."""

from __future__ import annotations

import os
import re
import unicodedata
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from functools import cache

LEGAL_SUFFIXES = frozenset(
    (
        "sa sas sasu sarl eurl sci snc gmbh ag kg ohg ug bv nv ltd limited inc incorporated llc "
        "llp lp plc corp corporation co company srl spa sl sne oy ab as aps kk pty pte lda ltda "
        "jsc sro bvba sprl"
    ).split()
)
LEGAL_PHRASES = (("sp", "z", "oo"), ("sarl", "au"), ("sa", "de", "cv"), ("s", "de", "rl"))
"""Legal forms of several words, as folded: "Sp. z o.o.", "SARL AU", "S.A. de C.V."."""
ZERO_DECIMAL_CURRENCIES = frozenset({"JPY", "KRW", "VND", "CLP", "ISK", "HUF", "XOF", "XAF"})
MAX_AMOUNT = Decimal(10) ** 15  # a quadrillion: beyond any lead, within 64-bit minor units
_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)


@cache
def _combining_marks() -> dict[int, None]:
    """The accents and other combining marks of the Basic Multilingual Plane, for ``translate``:
    built on the first accented text, not at start-up (65,536 look-ups)."""
    return {c: None for c in range(0x10000) if unicodedata.combining(chr(c))}


def fold(text: str) -> str:
    """Lower-case, accents removed, punctuation and runs of spaces turned into one space.

    Fast, since the duplicate scan folds a hundred thousand names: the marks are dropped by one
    ``translate`` (the rare marks beyond the BMP, one by one)."""
    bare = text.casefold()
    if not bare.isascii():
        bare = unicodedata.normalize("NFKD", bare).translate(_combining_marks())
        if bare and max(bare) > "\uffff":
            bare = "".join(ch for ch in bare if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", bare).replace("_", " ").strip()


def person_key(name: str) -> str:
    return fold(name)


def organization_key(name: str) -> str:
    """The organisation's name without its legal form: "ACME S.A.R.L." and "Acme" match."""
    words = fold(name.replace(".", "")).split()
    while True:
        phrase = next((p for p in LEGAL_PHRASES if tuple(words[-len(p) :]) == p), ())
        if phrase and len(words) > len(phrase):
            del words[-len(phrase) :]
        elif len(words) > 1 and words[-1] in LEGAL_SUFFIXES:
            words.pop()
        else:
            break
    while len(words) > 1 and words[0] in LEGAL_SUFFIXES:
        words.pop(0)
    return " ".join(words)


def email_key(email: str) -> str:
    return email.strip().lower()


def default_phone_region() -> str:
    """Where a phone number without a country code is assumed to be (``LEADBOX_PHONE_REGION``)."""
    return os.environ.get("LEADBOX_PHONE_REGION", "FR").upper()


def phone_key(phone: str, region: str | None = None) -> str:
    """Digits with the country code ("+33 6 12 34 56 78" and "06 12 34 56 78" give 33612345678).

    libphonenumber's metadata loads on the first phone, not with the inbox."""
    import phonenumbers

    try:
        parsed = phonenumbers.parse(phone, region or default_phone_region())
    except phonenumbers.NumberParseException:
        return re.sub(r"\D", "", phone)
    return f"{parsed.country_code}{parsed.national_number}"


def minor_exponent(currency: str | None) -> int:
    return 0 if (currency or "").upper() in ZERO_DECIMAL_CURRENCIES else 2


def to_minor(amount: Decimal | str | int | None, currency: str | None) -> int | None:
    """A money amount as integer minor units of its currency (cents); ``None`` stays ``None``."""
    if amount is None or amount == "":
        return None
    try:
        value = Decimal(str(amount).replace(" ", "").replace(",", "."))
    except InvalidOperation as error:
        raise ValueError(f"not an amount: {amount!r}") from error
    if not value.is_finite() or abs(value) >= MAX_AMOUNT:
        raise ValueError(f"not an amount: {amount!r}")
    scaled = value.scaleb(minor_exponent(currency)).quantize(Decimal(1), ROUND_HALF_EVEN)
    return int(scaled)


def from_minor(minor: int | None, currency: str | None) -> Decimal | None:
    if minor is None:
        return None
    return Decimal(minor).scaleb(-minor_exponent(currency))
