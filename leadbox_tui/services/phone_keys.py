"""``normalize.phone_key`` for a whole import: the same keys, mostly without libphonenumber.

libphonenumber's ``parse`` walks a number character by character in Python: a phone cost an
import about 30 µs, a third of its time. For the shapes spreadsheets hold (an international
"+33 6 12 34 56 78", a national "06 12 34 56 78": digits and punctuation only), parse comes down
to a few regular expressions of the region's metadata, which ``_quick`` runs step by step as
parse does. Any other shape (letters, an extension, an international dialling prefix such as
"0033", a national number starting with the country code, a prefix rule that rewrites digits)
goes to ``phone_key`` itself. Keys are remembered per text, since phones repeat in a file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import phonenumbers
from phonenumbers import COUNTRY_CODE_TO_REGION_CODE, PhoneMetadata, region_code_for_country_code

from leadbox_tui.services.normalize import default_phone_region, phone_key

_SHAPE = re.compile(r"^\+?[0-9 ().\-/]+$")
_PUNCTUATION = str.maketrans("", "", " ().-/")
MIN_NSN, MAX_NSN = 2, 17  # libphonenumber's bounds on a national number's length


@dataclass(frozen=True)
class _Region:
    """What parse reads of a region's metadata, compiled once."""

    code: int
    code_digits: str  # the code as written: a national number starting so is left to parse
    idd: re.Pattern[str] | None  # the international dialling prefix ("00")
    national: re.Pattern[str] | None  # the national prefix, as parsing strips it ("0")
    rewrites: bool  # the national prefix rule rewrites digits (Argentina, Mexico...)
    general: re.Pattern[str] | None  # every national number of the region
    lengths: tuple[int, ...]
    local_only: tuple[int, ...]

    def strip(self, number: str) -> str | None:
        """The national number without its national prefix, as parse decides; ``None`` when
        the prefix rule rewrites digits (left to libphonenumber)."""
        found = self.national.match(number) if self.national else None
        if found is None:
            return number
        if self.rewrites:
            return None
        rest = number[found.end() :]
        general = self.general
        if general is not None and general.fullmatch(number) and not general.fullmatch(rest):
            return number  # viable as written and not without the prefix: it is no prefix
        # parse's length test: not too short, not local-only, not an impossible length
        size, lengths = len(rest), self.lengths
        if size in self.local_only or not lengths:
            return number
        if size <= lengths[0] or size > lengths[-1]:
            return rest if size >= lengths[0] else number
        return rest if size in lengths else number


def _compiled(pattern: str | None) -> re.Pattern[str] | None:
    return re.compile(pattern) if pattern else None


@cache
def _region(code: int, name: str) -> _Region | None:
    metadata = PhoneMetadata.metadata_for_region_or_calling_code(code, name)
    if metadata is None:
        return None
    general = metadata.general_desc
    return _Region(
        code=metadata.country_code,
        code_digits=str(metadata.country_code),
        idd=_compiled(metadata.international_prefix),
        national=_compiled(metadata.national_prefix_for_parsing),
        rewrites=bool(metadata.national_prefix_transform_rule),
        general=_compiled(general.national_number_pattern if general else None),
        lengths=tuple(general.possible_length) if general else (),
        local_only=tuple(general.possible_length_local_only) if general else (),
    )


@cache
def _calling_code(head: str) -> tuple[int, _Region | None]:
    """(its length, its region) of the country code an international number's first three
    digits start with; (0, None) when they start with none."""
    for size in (1, 2, 3):
        code = int(head[:size])
        if code in COUNTRY_CODE_TO_REGION_CODE:
            return size, _region(code, region_code_for_country_code(code))
    return 0, None


def _home(name: str) -> _Region | None:
    code = phonenumbers.country_code_for_valid_region(name)
    return _region(code, name) if code else None


def _quick(phone: str, home: _Region | None) -> str | None:
    """The key of a phone made of digits and punctuation, as ``phone_key`` gives it; ``None``
    for a shape left to libphonenumber."""
    if not _SHAPE.match(phone):
        return None
    digits = phone.translate(_PUNCTUATION)
    if digits[:1] == "+":
        rest = digits[1:]
        if len(rest) <= MIN_NSN or not rest.isdigit() or rest[0] == "0":
            return None
        size, region = _calling_code(rest[:3])
        if not size:
            return None
        national = rest[size:]
    else:
        region = home
        if region is None or len(digits) <= MIN_NSN or not digits.isdigit():
            return None
        if (region.idd and region.idd.match(digits)) or digits.startswith(region.code_digits):
            return None
        national = digits
    if region is None or len(national) < MIN_NSN:
        return None
    national = region.strip(national)
    if national is None or not MIN_NSN <= len(national) <= MAX_NSN:
        return None
    return region.code_digits + str(int(national))


class PhoneKeys:
    """``phone_key`` for many phones of one default region, quick for the common shapes."""

    def __init__(self, region: str | None = None) -> None:
        self.region = (region or default_phone_region()).upper()
        self._home = _home(self.region)
        self._known: dict[str, str] = {}

    def __call__(self, phone: str) -> str:
        key = self._known.get(phone)
        if key is None:
            key = _quick(phone, self._home) or phone_key(phone, self.region)
            self._known[phone] = key
        return key
