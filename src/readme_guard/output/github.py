"""`--format github`: workflow commands that GitHub Actions turns into annotations.

The runner shows at most 10 annotations of each type (error, warning, notice) per step and drops
the rest without a word. So at most 10 of each are printed: first the findings on lines (or
paper blocks) the change touched (with `--changed-since`), then the others, each group chosen
round-robin over the rules in code order (the first finding of every rule, then the second of
every rule, ...) so one noisy rule cannot hide the others; every other finding is printed as a
plain log line, followed by one `::notice` that counts them. When `GITHUB_STEP_SUMMARY` names a
file, the job summary is appended to it, kept under GitHub's 1 MiB limit: the findings new in
the pull request (or all of them), the diff `fix` would make for each fixable one, counts per
rule and per file, and the full list collapsed.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from readme_guard.diagnostic import Diagnostic
from readme_guard.output import Report, plural
from readme_guard.output.escape import escape_data, escape_property, in_log, log_line, uri_path
from readme_guard.output.escape import markdown as escape_markdown
from readme_guard.output.sarif import RepositoryPaths

if TYPE_CHECKING:
    from readme_guard.suggestions import Suggestion

ANNOTATION_LIMIT = 10
SUMMARY_LIMIT = 1024 * 1024  # bytes per step, GitHub's limit
_SUMMARY_MARGIN = 4096  # room for the truncation note


@dataclass(frozen=True)
class Finding:
    """A diagnostic with its path relative to the repository, as annotations need it."""

    file: str
    diagnostic: Diagnostic
    touched: bool = False  # on a line or paper block the change touched
    new: bool = True  # False: known (at REF, or in the baseline), listed only in the summary


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
    line = f"{finding.file}:{d.span.line}:{d.span.column}: {d.severity} {d.code} {d.message}"
    return log_line(line)


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
    """Positions of the findings to print as annotations: up to the limit of each type,
    those on touched lines first."""
    shown: set[int] = set()
    for is_error in (True, False):
        of_type = [
            i for i, f in enumerate(findings) if (f.diagnostic.severity == "error") is is_error
        ]
        room = ANNOTATION_LIMIT
        for touched in (True, False):
            positions = [i for i in of_type if findings[i].touched is touched]
            codes = [findings[i].diagnostic.code for i in positions]
            picked = [positions[j] for j in choose(codes, room)] if room else []
            shown.update(picked)
            room -= len(picked)
    return shown


def _findings(report: Report) -> tuple[list[Finding], list[Finding]]:
    """(the findings reported, the known ones left out), with repository paths."""
    paths = RepositoryPaths()
    touched = report.touched or {}
    found: list[Finding] = []
    for result in report.results:
        relative, _ = paths.relative(result, result.source.path)
        lines = touched.get(result.source.path, frozenset())
        found.extend(
            Finding(
                relative, d, touched=any(n in lines for n in range(d.line, d.span.end_line + 1))
            )
            for d in result.diagnostics
        )
    known = [
        Finding(paths.relative(result, result.source.path)[0], d, new=False)
        for result in report.previous
        for d in result.diagnostics
    ]
    return found, known


def _counts(findings: Iterable[Finding]) -> tuple[int, int]:
    severities = [f.diagnostic.severity for f in findings]
    errors = severities.count("error")
    return errors, len(severities) - errors


def render(report: Report, stream: TextIO, color: bool) -> None:
    findings, known = _findings(report)
    shown = annotated(findings)
    for index, finding in enumerate(findings):
        stream.write((command(finding) if index in shown else plain(finding)) + "\n")
    hidden = [f for i, f in enumerate(findings) if i not in shown]
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if hidden:
        errors, warnings = _counts(hidden)
        where = "above in this log" + (" and in the job summary" if summary_file else "")
        stream.write(
            f"::notice title=readme-guard::{plural(len(hidden), 'more finding')} "
            f"({plural(errors, 'error')}, {plural(warnings, 'warning')}) not annotated: "
            f"GitHub shows at most {ANNOTATION_LIMIT} annotations of each type per step. "
            f"All findings are listed {where}.\n"
        )
    files = len(report.results)
    stream.write(f"readme-guard: {plural(len(findings), 'finding')} in {plural(files, 'file')}.\n")
    if summary_file:
        append_summary(Path(summary_file), findings, files, Summary.of(report, known))


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


@dataclass(frozen=True)
class Summary:
    """What the job summary shows beside the findings reported."""

    known: Sequence[Finding] = ()
    label: str | None = None  # how the findings were filtered, if they were
    fixes: Sequence[Suggestion] = ()
    fail_on: str = "error"

    @classmethod
    def of(cls, report: Report, known: Sequence[Finding]) -> Summary:
        from readme_guard.suggestions import suggestions

        paths = RepositoryPaths()
        fixes = [
            s
            for result in report.results
            for s in suggestions(
                paths.relative(result, result.source.path)[0], result.source, result.diagnostics
            )
        ]
        return cls(known, report.label, fixes, report.fail_on)


class _Budget:
    """Markdown parts collected while they fit in `limit` bytes (with room for a last note)."""

    def __init__(self, limit: int) -> None:
        self.parts: list[str] = []
        self.room = limit - _SUMMARY_MARGIN
        self.full = False

    def add(self, text: str) -> bool:
        size = len(text.encode("utf-8"))
        if self.full or size > self.room:
            self.full = True
            return False
        self.parts.append(text)
        self.room -= size
        return True


def _rule_link(d: Diagnostic) -> str:
    from readme_guard.rules import lookup

    found = lookup(d.code)
    label = f"{d.code} {d.rule}"
    return f"[{label}]({found.help_uri})" if found is not None else label


def _row(finding: Finding, new_column: bool) -> str:
    d = finding.diagnostic
    cells = [_location(finding), _rule_link(d), d.severity, escape_markdown(d.message)]
    if new_column:
        cells.insert(0, "new" if finding.new else "")
    return "| " + " | ".join(cells) + " |\n"


def fenced(text: str, info: str) -> str:
    """`text` (lines ending in a newline) in a code block whose fence no backtick run inside
    it can close: README text stays inert in the summary and in review comments."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{info}\n{text}{fence}\n"


def _lead_heading(label: str | None) -> str:
    if label is None:
        return "Findings"
    if os.environ.get("GITHUB_EVENT_NAME", "").startswith("pull_request"):
        return "New in this pull request"
    return f"Findings {escape_markdown(label)}"


def summary_markdown(
    findings: Sequence[Finding], files: int, limit: int, extra: Summary | None = None
) -> str:
    """The job summary, at most `limit` bytes: the findings reported (new ones first, when
    filtered), the diff `fix` would make for each fixable one, counts per rule and per file,
    and every finding, known ones too, collapsed."""
    extra = extra or Summary()
    budget = _Budget(limit)
    budget.add("### readme-guard\n\n")
    known = len(extra.known)
    if not findings:
        budget.add(f"All checks passed ({plural(files, 'file')}).\n\n")
        if known:
            label = escape_markdown(extra.label or "")
            budget.add(f"{plural(known, 'known finding')} not counted ({label}).\n\n")
        return "".join(budget.parts)
    errors, warnings = _counts(findings)
    fixable = sum(1 for f in findings if f.diagnostic.fixable)
    head = (
        f"#### {_lead_heading(extra.label)}\n\n"
        f"{plural(len(findings), 'finding')} ({plural(errors, 'error')}, "
        f"{plural(warnings, 'warning')}) in {plural(files, 'file')}"
        + (f"; {fixable} fixable with `readme-guard fix`" if fixable else "")
        + "."
        + (f" {plural(known, 'known finding')} not counted, listed below." if known else "")
        + ("" if errors or extra.fail_on == "warning" else " Warnings do not fail the run.")
        + "\n\n"
    )
    budget.add(head)
    table = "| Location | Rule | Severity | Message |\n| --- | --- | --- | --- |\n"
    if extra.label is not None:  # filtered: the new findings lead, in a table of their own
        budget.add(table)
        for finding in findings:
            budget.add(_row(finding, False))
        budget.add("\n")
    _fix_section(budget, extra.fixes)
    _counts_section(budget, findings)
    everything = [*findings, *extra.known]
    title = f"All {plural(len(everything), 'finding')}" + (" (new and known)" if known else "")
    budget.add(f"<details><summary>{title}</summary>\n\n")
    if known:
        budget.add(
            "| New | Location | Rule | Severity | Message |\n| --- | --- | --- | --- | --- |\n"
        )
    else:
        budget.add(table)
    listed = 0
    for finding in sorted(everything, key=lambda f: (f.file, f.diagnostic.sort_key())):
        if not budget.add(_row(finding, bool(known))):
            break
        listed += 1
    closing = "\n</details>\n\n"
    if listed < len(everything):
        closing = (
            f"\n{plural(len(everything) - listed, 'more finding')} not listed: the job summary "
            "is limited to 1 MiB. Run `readme-guard check` for all of them.\n" + closing
        )
    if budget.full:  # the margin is kept for this last part
        budget.parts.append(closing)
    else:
        budget.add(closing)
    return "".join(budget.parts)


def _fix_section(budget: _Budget, fixes: Sequence[Suggestion]) -> None:
    if not fixes:
        return
    budget.add("#### What `readme-guard fix` would change\n\n")
    for fix in fixes:
        first = fix.diagnostics[0]
        where = _location(Finding(fix.file, first))
        codes = ", ".join(sorted({d.code for d in fix.diagnostics}))
        shown = "".join(f"{in_log(line)}\n" for line in fix.diff().splitlines())
        budget.add(f"{where} ({codes}):\n\n" + fenced(shown, "diff") + "\n")


def _counts_section(budget: _Budget, findings: Sequence[Finding]) -> None:
    by_rule: dict[str, list[Finding]] = {}
    by_file: dict[str, list[Finding]] = {}
    for finding in findings:
        by_rule.setdefault(finding.diagnostic.code, []).append(finding)
        by_file.setdefault(finding.file, []).append(finding)
    rows = ["| Rule | Findings | Fixable |\n| --- | --- | --- |\n"]
    for code in sorted(by_rule):
        found = by_rule[code]
        fixable = sum(1 for f in found if f.diagnostic.fixable)
        rows.append(f"| {_rule_link(found[0].diagnostic)} | {len(found)} | {fixable} |\n")
    rows.append("\n| File | Errors | Warnings |\n| --- | --- | --- |\n")
    for file in sorted(by_file):
        errors, warnings = _counts(by_file[file])
        rows.append(f"| {escape_markdown(file)} | {errors} | {warnings} |\n")
    budget.add("".join(rows) + "\n")


def append_summary(
    path: Path, findings: Sequence[Finding], files: int, extra: Summary | None = None
) -> None:
    try:
        used = path.stat().st_size if path.exists() else 0
        text = summary_markdown(findings, files, SUMMARY_LIMIT - used, extra)
        with path.open("a", encoding="utf-8") as stream:
            stream.write(text)
    except OSError as exc:
        from readme_guard.errors import UsageError

        reason = (exc.strerror or str(exc)).lower()
        raise UsageError(f"{path}: cannot write the job summary: {reason}") from None
