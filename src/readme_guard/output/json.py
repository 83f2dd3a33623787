"""`--format json`: one object for the whole run, the contract of DESIGN.md."""

from __future__ import annotations

import json
from typing import Any, TextIO

from readme_guard.output import Report


def as_dict(report: Report) -> dict[str, Any]:
    diagnostics = report.diagnostics
    found: dict[str, Any] = {
        "version": 1,
        "diagnostics": [
            {
                "path": d.path,
                "line": d.span.line,
                "column": d.span.column,
                "end_line": d.span.end_line,
                "end_column": d.span.end_column,
                "code": d.code,
                "rule": d.rule,
                "severity": d.severity,
                "message": d.message,
                "fixable": d.fixable,
            }
            for d in diagnostics
        ],
        "summary": {
            "files": len(report.results),
            "errors": sum(1 for d in diagnostics if d.severity == "error"),
            "warnings": sum(1 for d in diagnostics if d.severity == "warning"),
            "fixable": sum(1 for d in diagnostics if d.fixable),
        },
    }
    if report.label is not None:  # filtered by --changed-since or --baseline
        found["summary"]["known"] = sum(len(r.diagnostics) for r in report.previous)
        found["stale_baseline_entries"] = [e.as_dict() for e in report.stale]
    return found


def render(report: Report, stream: TextIO, color: bool) -> None:
    json.dump(as_dict(report), stream, ensure_ascii=False, indent=2)
    stream.write("\n")
