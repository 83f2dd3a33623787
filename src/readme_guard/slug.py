"""GitHub heading-anchor slugs (the github-slugger algorithm).

``github_slug`` lowercases the text, drops every character that is not a "word" character,
a hyphen or an ASCII space, and turns each space into ``-``.  Word characters are those that
are Alphabetic (letters, letter numbers and a few letter-like symbols), marks, decimal digits
or connector punctuation, as of Unicode 13.0 like github-slugger.  Nothing is trimmed and
hyphens are not collapsed.

``Slugger`` adds GitHub's de-duplication: the second ``foo`` becomes ``foo-1`` and so on.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right

__all__ = ["Slugger", "github_slug"]

# General categories that are always kept: letters, marks, decimal digits, letter numbers
# (Nl is Alphabetic, so e.g. roman numeral "Ⅳ" survives) and connector punctuation ("_").
# Everything else goes: other numbers ("½", "²"), all other punctuation, symbols, separators
# other than U+0020, controls, format characters, private use, unassigned code points, and
# lone surrogates (github-slugger would keep those, but they cannot be written out as UTF-8).
_KEEP_CATEGORIES = frozenset({"Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc", "Me", "Nd", "Nl", "Pc"})

# Symbols (gc=So) that carry the Other_Alphabetic property and are therefore kept:
# circled, squared and negative-squared Latin letters. unicodedata has no property lookup,
# so they are listed explicitly (inclusive ranges, unchanged since Unicode 6).
_ALPHABETIC_SYMBOLS: tuple[tuple[int, int], ...] = (
    (0x24B6, 0x24E9),  # Ⓐ..ⓩ
    (0x1F130, 0x1F149),  # 🄰..🅉
    (0x1F150, 0x1F169),  # 🅐..🅩
    (0x1F170, 0x1F189),  # 🅰..🆉
)

# github-slugger's character table is frozen at Unicode 13.0, so a letter or mark assigned later
# is "unassigned" there and gets stripped. Python 3.10 ships Unicode 13.0 but newer Pythons
# know those characters, so without this list the same heading would slug differently per
# Python version (the "Unassigned" conformance case fails on 3.12+: CJK Extension H). These
# are the word characters new in Unicode 14.0-17.0, as inclusive ranges; a range may also
# cover code points that Unicode 13 strips anyway. Sorted, for bisect.
# fmt: off
_NEWER_THAN_UNICODE_13: tuple[tuple[int, int], ...] = (
    (0x870, 0x89F), (0x8B5, 0x8B5), (0x8C8, 0x8D2), (0xC3C, 0xC3C), (0xC5C, 0xC5D),
    (0xCDC, 0xCDD), (0xCF3, 0xCF3), (0xECE, 0xECE), (0x170D, 0x170D), (0x1715, 0x171F),
    (0x180F, 0x180F), (0x1AC1, 0x1AEB), (0x1B4C, 0x1B4C), (0x1C89, 0x1C8A), (0x1DFA, 0x1DFA),
    (0x2C2F, 0x2C2F), (0x2C5F, 0x2C5F), (0x9FFD, 0x9FFF), (0xA7C0, 0xA7C1), (0xA7CB, 0xA7F4),
    (0x10570, 0x105F3), (0x10780, 0x107BA), (0x10940, 0x10959), (0x10D40, 0x10D85),
    (0x10EC2, 0x10EFF), (0x10F70, 0x10F85), (0x11070, 0x11075), (0x110C2, 0x110C2),
    (0x1123F, 0x11241), (0x11380, 0x113E2), (0x116D0, 0x116E3), (0x11740, 0x11746),
    (0x11AB0, 0x11ABF), (0x11B60, 0x11BF9), (0x11DB0, 0x11DE9), (0x11F00, 0x11F5A),
    (0x12F90, 0x12FF0), (0x1342F, 0x143FA), (0x16100, 0x16139), (0x16A70, 0x16AC9),
    (0x16D40, 0x16D79), (0x16EA0, 0x16ED3), (0x16FF2, 0x16FF6), (0x187F8, 0x187FF),
    (0x18CFF, 0x18CFF), (0x18D09, 0x1AFFE), (0x1B11F, 0x1B132), (0x1B155, 0x1B155),
    (0x1CCF0, 0x1CF46), (0x1DF00, 0x1DF2A), (0x1E030, 0x1E08F), (0x1E290, 0x1E2AE),
    (0x1E4D0, 0x1E7FE), (0x2A6DE, 0x2A6DF), (0x2B735, 0x2B73F), (0x2CEA2, 0x2CEAD),
    (0x2EBF0, 0x2EE5D), (0x31350, 0x33479),
)
# fmt: on

# Capital letters new in Unicode 16 whose lowercase is an old letter: JS toLowerCase (and
# Python 3.14+) folds them to a kept letter, older Pythons leave them as-is.
_LATE_LOWERCASE = {0xA7CB: 0x0264, 0xA7DC: 0x019B}  # Ɤ -> ɤ, Ƛ -> ƛ

_SPACE = 0x20
_HYPHEN = 0x2D
_MAX_CODE_POINT = 0x10FFFF


def _in_ranges(code_point: int, ranges: tuple[tuple[int, int], ...]) -> bool:
    index = bisect_right(ranges, (code_point, _MAX_CODE_POINT)) - 1
    return index >= 0 and ranges[index][0] <= code_point <= ranges[index][1]


def _decide(code_point: int) -> int | None:
    """Translation target for one (already lowercased) code point; None deletes it."""
    if code_point == _SPACE:
        return _HYPHEN
    if code_point == _HYPHEN:
        return code_point
    if code_point in _LATE_LOWERCASE:
        return _LATE_LOWERCASE[code_point]
    if unicodedata.category(chr(code_point)) in _KEEP_CATEGORIES:
        return None if _in_ranges(code_point, _NEWER_THAN_UNICODE_13) else code_point
    return code_point if _in_ranges(code_point, _ALPHABETIC_SYMBOLS) else None


class _SlugTable(dict[int, int | None]):
    """``str.translate`` table that fills itself on first sight of each code point.

    Import stays free of work, and after the first sighting each lookup is a C-level dict hit.
    """

    def __missing__(self, key: int) -> int | None:
        value = _decide(key)
        self[key] = value
        return value


_TABLE = _SlugTable()
# Plain dict, complete for ASCII once built: translate() looks up exact dicts ~30% faster than
# subclasses, and most headings are ASCII.
_ASCII_TABLE: dict[int, int | None] = {}


def _ascii_table() -> dict[int, int | None]:
    if not _ASCII_TABLE:
        _ASCII_TABLE.update({code_point: _decide(code_point) for code_point in range(128)})
    return _ASCII_TABLE


def github_slug(text: str) -> str:
    """Return GitHub's anchor slug for heading ``text`` (without de-duplication)."""
    # str.lower() applies the full Unicode case mapping (İ -> i̇, final sigma) like JS
    # toLowerCase, and must happen before filtering: e.g. Ⓖ lowercases to ⓖ.
    lowered = text.lower()
    if lowered.isascii():
        return lowered.translate(_ASCII_TABLE or _ascii_table())
    return lowered.translate(_TABLE)


class Slugger:
    """Stateful slugger that de-duplicates anchors in document order, like GitHub."""

    def __init__(self) -> None:
        # For each slug handed out: how many numbered variants of it were tried so far.
        self.occurrences: dict[str, int] = {}

    def slug(self, text: str) -> str:
        """Return the unique anchor for ``text``, registering it as used."""
        original = github_slug(text)
        result = original
        occurrences = self.occurrences
        # The counter lives on the base slug, so the n-th repeat resumes at "-n" instead of
        # probing "-1", "-2", ... again: linear overall even for 100,000 equal headings.
        while result in occurrences:
            occurrences[original] += 1
            result = f"{original}-{occurrences[original]}"
        occurrences[result] = 0
        return result

    def reset(self) -> None:
        """Forget all anchors handed out so far."""
        self.occurrences.clear()
