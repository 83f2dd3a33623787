"""`--format github`: workflow commands that GitHub Actions turns into annotations.

The runner shows at most 10 annotations of each type (error, warning, notice) per step and drops
the rest without a word. So at most 10 of each are printed, chosen round-robin over the rules in
code order (the first finding of every rule, then the second of every rule, ...) so one noisy
rule cannot hide the others; every other finding is printed as a plain log line, followed by one
`::notice` that counts them. When `GITHUB_STEP_SUMMARY` names a file, a Markdown table of all
findings is appended to it (the job summary), kept under GitHub's 1 MiB limit.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from readme_guard.diagnostic import Diagnostic
from readme_guard.output import Report
from readme_guard.output.escape import escape_data, escape_property, in_log, log_line, uri_path
from readme_guard.output.escape import markdown as escape_markdown
from readme_guard.output.sarif import RepositoryPaths

ANNOTATION_LIMIT = 10
SUMMARY_LIMIT = 1024 * 1024  # bytes per step, GitHub's limit
_SUMMARY_MARGIN = 4096  # room for the truncation note


@dataclass(frozen=True)
class Finding:
    """A diagnostic with its path relative to the repository, as annotations need it."""

    file: str
    diagnostic: Diagnostic


def command(finding: Finding) -> str:
    d = finding.diagnostic
    span = d.span
    properties = [("file", finding.file), ("line", str(span.line))]
    properties.append(("endLine", str(span.end_line)))
    if span.end_line == span.line:  # columns are only allowed on one-line annotations
        properties.append(("col", str(span.column)))
        properties.append(("endColumn", str(max(span.end_column, span.column))))
    properties.append(("title", f"{d.code} {d.rule}"))
    kind = "error" if d.severity == "error" else "warning"
    rendered = ",".join(f"{key}={escape_property(in_log(value))}" for key, value in properties)
    return f"::{kind} {rendered}::{escape_data(in_log(d.message))}"


def plain(finding: Finding) -> str:
    d = finding.diagnostic
    return log_line(f"{finding.file}:{d.span.line}:{d.span.column}: {d.code} {d.message}")


def choose(codes: Sequence[str], limit: int = ANNOTATION_LIMIT) -> list[int]:
    """Positions of up to `limit` findings with these rule codes (given in file order):
    round-robin over the rules in code order, each rule's findings in file order."""
    by_rule: dict[str, list[int]] = {}
    for index, code in enumerate(codes):
        by_rule.setdefault(code, []).append(index)
    queues = [by_rule[code] for code in sorted(by_rule)]
    chosen: list[int] = []
    depth = 0
    while len(chosen) < limit and any(depth < len(q) for q in queues):
        chosen.extend(q[depth] for q in queues if depth < len(q))
        depth += 1
    return sorted(chosen[:limit])


def annotated(findings: Sequence[Finding]) -> set[int]:
    """Positions of the findings to print as annotations: up to the limit of each type."""
    shown: set[int] = set()
    for is_error in (True, False):
        positions = [
            i for i, f in enumerate(findings) if (f.diagnostic.severity == "error") is is_error
        ]
        codes = [findings[i].diagnostic.code for i in positions]
        shown.update(positions[j] for j in choose(codes))
    return shown


def _findings(report: Report) -> list[Finding]:
    paths = RepositoryPaths()
    found: list[Finding] = []
    for result in report.results:
        relative, _ = paths.relative(result, result.source.path)
        found.extend(Finding(relative, d) for d in result.diagnostics)
    return found


def _counts(findings: Iterable[Finding]) -> tuple[int, int]:
    severities = [f.diagnostic.severity for f in findings]
    errors = severities.count("error")
    return errors, len(severities) - errors


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def render(report: Report, stream: TextIO, color: bool) -> None:
    findings = _findings(report)
    shown = annotated(findings)
    for index, finding in enumerate(findings):
        stream.write((command(finding) if index in shown else plain(finding)) + "\n")
    hidden = [f for i, f in enumerate(findings) if i not in shown]
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if hidden:
        errors, warnings = _counts(hidden)
        where = "above in this log" + (" and in the job summary" if summary_file else "")
        stream.write(
            f"::notice title=readme-guard::{_plural(len(hidden), 'more finding')} "
            f"({_plural(errors, 'error')}, {_plural(warnings, 'warning')}) not annotated: "
            f"GitHub shows at most {ANNOTATION_LIMIT} annotations of each type per step. "
            f"All findings are listed {where}.\n"
        )
    files = len(report.results)
    stream.write(
        f"readme-guard: {_plural(len(findings), 'finding')} in {_plural(files, 'file')}.\n"
    )
    if summary_file:
        append_summary(Path(summary_file), findings, files)


def _location(finding: Finding) -> str:
    d = finding.diagnostic
    label = escape_markdown(f"{finding.file}:{d.span.line}:{d.span.column}")
    server = os.environ.get("GITHUB_SERVER_URL")
    repository = os.environ.get("GITHUB_REPOSITORY")
    sha = os.environ.get("GITHUB_SHA")
    if not (server and repository and sha):
        return label
    url = f"{server}/{repository}/blob/{sha}/{uri_path(finding.file)}#L{d.span.line}"
    return f"[{label}]({url})"


def summary_markdown(findings: Sequence[Finding], files: int, limit: int) -> str:
    """The job summary: a count line and a table of every finding that fits in `limit` bytes."""
    if not findings:
        return f"### readme-guard\n\nAll checks passed ({_plural(files, 'file')}).\n\n"
    errors, warnings = _counts(findings)
    fixable = sum(1 for f in findings if f.diagnostic.fixable)
    head = (
        f"### readme-guard\n\n{_plural(len(findings), 'finding')} ({_plural(errors, 'error')}, "
        f"{_plural(warnings, 'warning')}) in {_plural(files, 'file')}"
        + (f"; {fixable} fixable with `readme-guard fix`" if fixable else "")
        + ".\n\n| Location | Rule | Severity | Message |\n| --- | --- | --- | --- |\n"
    )
    parts = [head]
    size = len(head.encode("utf-8"))
    for index, finding in enumerate(findings):
        d = finding.diagnostic
        row = (
            f"| {_location(finding)} | {d.code} {d.rule} | {d.severity} | "
            f"{escape_markdown(d.message)} |\n"
        )
        size += len(row.encode("utf-8"))
        if size > limit - _SUMMARY_MARGIN:
            rest = len(findings) - index
            parts.append(
                f"\n{_plural(rest, 'more finding')} not listed: the job summary is limited to "
                "1 MiB. Run `readme-guard check` for all of them.\n"
            )
            break
        parts.append(row)
    parts.append("\n")
    return "".join(parts)


def append_summary(path: Path, findings: Sequence[Finding], files: int) -> None:
    try:
        used = path.stat().st_size if path.exists() else 0
        text = summary_markdown(findings, files, SUMMARY_LIMIT - used)
        with path.open("a", encoding="utf-8") as stream:
            stream.write(text)
    except OSError as exc:
        from readme_guard.errors import UsageError

        reason = (exc.strerror or str(exc)).lower()
        raise UsageError(f"{path}: cannot write the job summary: {reason}") from None
