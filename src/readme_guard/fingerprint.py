"""Line-shift-stable identities of findings, shared by SARIF, `--changed-since` and baselines.

A finding is known by its rule, its file (relative to the repository) and the text of its line
with whitespace folded, never by its line number: adding or removing lines above it keeps it
the same finding. Identical (rule, file, text) findings are told apart by how many come first.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from readme_guard.diagnostic import Diagnostic
from readme_guard.source import Source

if TYPE_CHECKING:
    from readme_guard.linter import FileResult

_WHITESPACE = re.compile(r"\s+")


def normalise(line: str) -> str:
    return _WHITESPACE.sub(" ", line).strip()


def _digest(*parts: str) -> str:
    # surrogateescape: a file name that is not UTF-8 is hashed as its bytes
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogateescape")).hexdigest()[:32]


def key(code: str, path: str, line_text: str) -> str:
    """What a finding is, whatever its line number: rule, file and normalised line text."""
    return _digest(code, path, normalise(line_text))


def fingerprint(code: str, path: str, line_text: str, occurrence: int) -> str:
    """`key` plus how many identical (rule, file, text) findings came before this one."""
    return _digest(code, path, normalise(line_text), str(occurrence))


def keyed(path: str, source: Source, diagnostics: Iterable[Diagnostic]) -> Iterator[str]:
    """The `key` of each diagnostic of one file, in order."""
    for d in diagnostics:
        yield key(d.code, path, source.line(d.span.line))


def fingerprints(path: str, source: Source, diagnostics: Iterable[Diagnostic]) -> Iterator[str]:
    """The `fingerprint` of each diagnostic of one file, in order."""
    seen: Counter[tuple[str, str]] = Counter()
    for d in diagnostics:
        text = normalise(source.line(d.span.line))
        yield fingerprint(d.code, path, text, seen[(d.code, text)])
        seen[(d.code, text)] += 1


def surplus(current: Sequence[str], known: Iterable[str], first: Callable[[int], bool]) -> set[int]:
    """Positions in `current` of keys beyond the number of times `known` holds them: of the
    findings that share a key, those `first` picks, then the last in the file."""
    allowance = Counter(known)
    groups: dict[str, list[int]] = {}
    for index, found in enumerate(current):
        groups.setdefault(found, []).append(index)
    new: set[int] = set()
    for found, positions in groups.items():
        extra = len(positions) - allowance[found]
        if extra > 0:
            new.update(sorted(positions, key=lambda i: (not first(i), -i))[:extra])
    return new


def split(result: FileResult, new: set[int]) -> tuple[FileResult, FileResult]:
    """`result` as (its findings at positions `new`, the others)."""
    found = result.diagnostics
    return (
        dataclasses.replace(result, diagnostics=[found[i] for i in sorted(new)]),
        dataclasses.replace(result, diagnostics=[d for i, d in enumerate(found) if i not in new]),
    )
