"""Baselines: `check --write-baseline FILE` records today's findings; `check --baseline FILE`
reports only findings not recorded, and the entries that no longer match any finding.

An entry is a finding's `fingerprint.key` (rule, file relative to the repository, line text)
with its file, line, code and message for the reader; matching counts keys, so two identical
findings need two entries, and line numbers never matter. The file is JSON, sorted by file and
line, so it diffs well in review and shrinks as findings are fixed.
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from readme_guard.errors import UsageError
from readme_guard.fingerprint import keyed, split, surplus

if TYPE_CHECKING:
    from readme_guard.output import Report

VERSION = 1
MAX_BYTES = 64 * 1024 * 1024  # a baseline of a million findings is smaller
_FIELDS = {"key": str, "path": str, "line": int, "code": str, "message": str}


@dataclass(frozen=True, order=True)
class Entry:
    path: str
    line: int
    code: str
    message: str
    key: str

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in _FIELDS}


def entries(report: Report) -> list[Entry]:
    """One entry per finding of `report`, in file and line order."""
    from readme_guard.output.sarif import RepositoryPaths

    paths = RepositoryPaths()
    found: list[Entry] = []
    for result in report.results:
        relative, _ = paths.relative(result, result.source.path)
        keys = keyed(relative, result.source, result.diagnostics)
        for d, key in zip(result.diagnostics, keys, strict=True):
            found.append(Entry(relative, d.span.line, d.code, d.message, key))
    return sorted(found)


def write(path: Path, report: Report) -> int:
    """Record every finding of `report` in `path`; the number recorded."""
    recorded = entries(report)
    document = {"version": VERSION, "findings": [e.as_dict() for e in recorded]}
    text = json.dumps(document, ensure_ascii=False, indent=1) + "\n"
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"{path}: cannot write: {(exc.strerror or str(exc)).lower()}") from None
    return len(recorded)


def read(path: Path) -> list[Entry]:
    """The entries of a baseline file; a missing or malformed file is one UsageError."""
    try:
        if path.stat().st_size > MAX_BYTES:
            raise UsageError(f"{path}: not a readme-guard baseline (larger than 64 MiB)")
        document = json.loads(path.read_bytes().decode("utf-8"))
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {(exc.strerror or str(exc)).lower()}") from None
    except (UnicodeDecodeError, RecursionError, ValueError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise UsageError(f"{path}: not a readme-guard baseline: {reason}") from None
    if not isinstance(document, dict) or document.get("version") != VERSION:
        raise UsageError(f'{path}: not a readme-guard baseline (expected {{"version": 1, ...}})')
    findings = document.get("findings")
    if not isinstance(findings, list):
        raise UsageError(f"{path}: not a readme-guard baseline: `findings` is not a list")
    found: list[Entry] = []
    for index, item in enumerate(findings):
        if not isinstance(item, dict) or any(
            type(item.get(name)) is not kind for name, kind in _FIELDS.items()
        ):
            fields = ", ".join(_FIELDS)
            raise UsageError(
                f"{path}: not a readme-guard baseline: finding {index + 1} needs {fields}"
            )
        found.append(Entry(**{name: item[name] for name in _FIELDS}))
    return found


def apply(report: Report, recorded: list[Entry]) -> Report:
    """`report` without the findings `recorded`, with the entries that matched none as
    `stale`."""
    from readme_guard.output.sarif import RepositoryPaths

    paths = RepositoryPaths()
    allowance = Counter(e.key for e in recorded)
    kept, previous = [], []
    for result in report.results:
        relative, _ = paths.relative(result, result.source.path)
        keys = list(keyed(relative, result.source, result.diagnostics))
        new = surplus(keys, allowance.elements(), lambda _: False)
        for index, key in enumerate(keys):
            if index not in new:
                allowance[key] -= 1
        fresh, known = split(result, new)
        kept.append(fresh)
        previous.append(known)
    stale: list[Entry] = []
    for entry in sorted(recorded, reverse=True):  # the last ones of a key are the stale ones
        if allowance[entry.key] > 0:
            allowance[entry.key] -= 1
            stale.append(entry)
    return dataclasses.replace(
        report,
        results=kept,
        previous=[*report.previous, *previous],
        stale=sorted(stale),
        label="not in the baseline",
    )
