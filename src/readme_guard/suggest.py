""" "Did you mean ...?": the one place that picks the closest known spelling."""

from __future__ import annotations

from collections.abc import Iterable


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice most like `word`, if any is close enough to be a likely typo."""
    import difflib  # only when a message needs it: kept off the start-up path

    found = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return found[0] if found else None
