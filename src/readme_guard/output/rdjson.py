"""`--format rdjson`: reviewdog's Diagnostic Format (a `DiagnosticResult` as JSON).

Every finding is a diagnostic with its rule as `code` (linked to its documentation); the fix
`readme-guard fix` would make, verified as `fix` verifies it, is attached as `suggestions`, so
`reviewdog -f=rdjson -reporter=github-pr-review` posts it as a suggested change. Columns in
this format count UTF-8 bytes; readme-guard's count characters, so they are converted.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, TextIO

from readme_guard.output import Report
from readme_guard.output.sarif import INFORMATION_URI

if TYPE_CHECKING:
    from readme_guard.diagnostic import Diagnostic
    from readme_guard.source import Source
    from readme_guard.suggestions import Suggestion


def _position(source: Source, line: int, column: int) -> dict[str, int]:
    """A 1-based (line, character column) as rdjson's (line, UTF-8 byte column)."""
    text = source.line(line)
    return {"line": line, "column": len(text[: max(column - 1, 0)].encode("utf-8")) + 1}


def _suggestion(suggestion: Suggestion) -> dict[str, Any]:
    # Whole lines with their line ending, up to the start of the line after the last one.
    return {
        "range": {
            "start": {"line": suggestion.start_line, "column": 1},
            "end": {"line": suggestion.end_line + 1, "column": 1},
        },
        "text": "".join(line + "\n" for line in suggestion.after),
    }


def _diagnostic(
    d: Diagnostic, source: Source, fixes: list[Suggestion], help_uri: str | None
) -> dict[str, Any]:
    span = d.span
    item: dict[str, Any] = {
        "message": d.message,
        "location": {
            "path": d.path,
            "range": {
                "start": _position(source, span.line, span.column),
                "end": _position(source, span.end_line, max(span.end_column, 1)),
            },
        },
        "severity": "ERROR" if d.severity == "error" else "WARNING",
        "code": {"value": d.code, **({"url": help_uri} if help_uri else {})},
    }
    if fixes:
        item["suggestions"] = [_suggestion(s) for s in fixes]
    return item


def as_dict(report: Report) -> dict[str, Any]:
    from readme_guard.rules import lookup
    from readme_guard.suggestions import suggestions

    diagnostics = []
    for result in report.results:
        by_finding: dict[int, list[Suggestion]] = {}
        for found in suggestions(result.source.path, result.source, result.diagnostics):
            for d in found.diagnostics:
                by_finding.setdefault(id(d), []).append(found)
        for d in result.diagnostics:
            rule = lookup(d.code)
            help_uri = rule.help_uri if rule is not None else None
            diagnostics.append(_diagnostic(d, result.source, by_finding.get(id(d), []), help_uri))
    return {"source": {"name": "readme-guard", "url": INFORMATION_URI}, "diagnostics": diagnostics}


def render(report: Report, stream: TextIO, color: bool) -> None:
    json.dump(as_dict(report), stream, ensure_ascii=False, indent=2)
    stream.write("\n")
