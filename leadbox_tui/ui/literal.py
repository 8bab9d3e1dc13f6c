"""User text shown literally: never parsed as markup, and no control character reaches the terminal.

Rich ``Text`` objects built from plain strings are never parsed for markup; what is left is the
characters a terminal would obey (escape sequences, carriage returns, bidi overrides). Each is
replaced by a visible stand-in, so ``"\\x1b[2J"`` shows as ``"␛[2J"`` and clears nothing.
"""

from __future__ import annotations

_C0 = {code: chr(0x2400 + code) for code in range(0x20)}  # "␀" to "␟": ESC shows as "␛"
_C1 = {code: f"\\x{code:02x}" for code in range(0x80, 0xA0)}
_BIDI = {
    code: f"\\u{code:04x}"
    for code in (
        0x061C,
        0x200E,
        0x200F,
        0x2028,
        0x2029,
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
    )
}
_ONE_LINE = str.maketrans({**_C0, 0x7F: "␡", **_C1, **_BIDI})
_MULTI_LINE = str.maketrans({**_C0, 0x7F: "␡", **_C1, **_BIDI, 0x0A: "\n", 0x09: "    "})


def one_line(text: str | None) -> str:
    """Text for a single screen line: every control character, newlines too, made visible.
    (Every character replaced is unprintable: most text is returned as it is, without the
    character-by-character translation, which took a fifth of drawing a table of leads.)"""
    if not text or text.isprintable():
        return text or ""
    return text.translate(_ONE_LINE)


def multi_line(text: str | None) -> str:
    """Text that may span lines (a note's body): newlines kept, tabs as spaces, the rest visible."""
    return (text or "").replace("\r\n", "\n").translate(_MULTI_LINE)
