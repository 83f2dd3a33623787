"""Regexes from rules.yaml, compiled with a linear-time engine (RE2).

A rules.yaml may come from a stranger's pull request, and Python's `re` backtracks: `(a+)+$`
against 40 `a`s and a `!` runs for minutes. RE2 (google-re2) matches in time linear in the
text, whatever the pattern, and refuses what would need backtracking (backreferences,
lookaround). The patterns of the shipped profiles are ours and reviewed, so they keep
Python's `re` and its Unicode classes; every other pattern goes through RE2.

Syntax RE2 accepts differs from Python's in a few places (README, "Regexes"): no
lookahead or lookbehind, no backreferences, no `(?#...)` comments, no possessive `a++`,
repetition counts up to 1000, and `\\w`, `\\d`, `\\s` and `\\b` are ASCII-only (use `\\pL`,
`\\p{Han}`, `[\\p{L}\\p{N}_]` for other scripts).
"""

from __future__ import annotations

import re
from functools import cache
from typing import cast

_QUOTED_SETTING = re.compile(
    r"\s*(?:-|(?:start|pattern|label_pattern|insert_after):)\s*'((?:[^']|'')*)'\s*(?:#.*)?$"
)


# RE2's compiled patterns and matches answer the calls the rules make (search, match,
# group, start, end, groupindex, .re) as `re`'s do, so callers see one type.
Pattern = re.Pattern[str]


class PatternError(ValueError):
    """A pattern RE2 cannot compile; the message says why in one line."""


@cache
def compile_pattern(pattern: str) -> Pattern:
    """`pattern` compiled once per run: with `re` when a shipped profile holds it, else RE2."""
    if pattern in _shipped_patterns():
        return re.compile(pattern)
    import re2

    options = re2.Options()
    options.log_errors = False  # RE2 would print its own line on stderr
    try:
        compiled = re2.compile(pattern, options)
    except re2.error as exc:
        raise PatternError(_describe(exc)) from None
    return cast(Pattern, compiled)


_HINTS = (
    (
        re.compile(r"invalid perl operator: \(\?<?[=!]"),
        "lookahead and lookbehind are not supported",
    ),
    (
        re.compile(r"invalid perl operator: \(\?P$|invalid escape sequence: \\[1-9]"),
        "backreferences are not supported",
    ),
    (re.compile(r"invalid perl operator: \(\?#"), "(?#...) comments are not supported"),
)


def _describe(exc: Exception) -> str:
    """RE2's reason in one line, with what Python's `re` accepts and RE2 does not named."""
    detail = exc.args[0] if exc.args else str(exc)
    text = detail.decode("utf-8", "replace") if isinstance(detail, bytes) else str(detail)
    text = " ".join(text.split())
    hint = next((h for pattern, h in _HINTS if pattern.search(text)), None)
    return f"{text} ({hint}; RE2 syntax)" if hint else text


@cache
def _shipped_patterns() -> frozenset[str]:
    """Every single-quoted string of the shipped profiles that is a list item or a regex
    setting (`  start: '...'`, `    - '...'`): read by line, so no YAML parser is imported."""
    from readme_guard.config import _profile_text, profile_names

    found: set[str] = set()
    for name in profile_names():
        for line in _profile_text(name).splitlines():
            quoted = _QUOTED_SETTING.match(line)
            if quoted:
                found.add(quoted.group(1).replace("''", "'"))
    return frozenset(found)
