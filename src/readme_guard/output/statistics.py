"""`check --statistics`: how many findings of each rule, like ruff's `--statistics`."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any, TextIO

from readme_guard.output import Report


def rows(report: Report) -> list[dict[str, Any]]:
    """Per rule (most findings first, then by code): code, name, count, fixable count."""
    counts: Counter[tuple[str, str]] = Counter()
    fixable: Counter[str] = Counter()
    for d in report.diagnostics:
        counts[(d.code, d.rule)] += 1
        fixable[d.code] += d.fixable
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0][0]))
    return [
        {"code": code, "name": name, "count": count, "fixable": fixable[code]}
        for (code, name), count in ordered
    ]


def render_text(report: Report, stream: TextIO, color: bool) -> None:
    table = rows(report)
    width = max((len(str(row["count"])) for row in table), default=1)
    for row in table:
        marker = "[*]" if row["fixable"] == row["count"] else "[-]" if row["fixable"] else "   "
        stream.write(f"{row['count']:>{width}}\t{row['code']}\t{marker} {row['name']}\n")
    stream.write(f"Found {sum(row['count'] for row in table)} findings.\n")


def render_json(report: Report, stream: TextIO, color: bool) -> None:
    json.dump(rows(report), stream, ensure_ascii=False, indent=2)
    stream.write("\n")
