"""Human formats in ruff's style: `full` shows the source line and a caret, `concise` one line."""

from __future__ import annotations

import unicodedata
from typing import TextIO

from readme_guard.diagnostic import Diagnostic
from readme_guard.output import Report, plural
from readme_guard.output.escape import visible

_RESET = "\033[0m"
_STYLES = {
    "path": "\033[1m",
    "code": "\033[1;31m",
    "warning": "\033[1;33m",
    "dim": "\033[34m",
    "fix": "\033[36m",
    "caret": "\033[1;31m",
}


class _Painter:
    def __init__(self, color: bool) -> None:
        self.color = color

    def __call__(self, style: str, text: str) -> str:
        return f"{_STYLES[style]}{text}{_RESET}" if self.color else text


def _headline(d: Diagnostic, paint: _Painter) -> str:
    """`path:line:col: error RG102 [*] message`: the severity as a word, not only a colour."""
    code_style = "warning" if d.severity == "warning" else "code"
    marker = " [*]" if d.fixable else ""
    location = paint("path", visible(f"{d.path}:{d.span.line}:{d.span.column}:"))
    severity = paint(code_style, f"{d.severity} {d.code}")
    return f"{location} {severity}{paint('fix', marker)} {visible(d.message)}"


# A str.translate table deleting ASCII: every ASCII character is one column wide.
_DROP_ASCII: dict[int, None] = dict.fromkeys(range(128))


def _width(text: str) -> int:
    """Terminal columns: CJK and other wide characters take two."""
    if text.isascii():  # most slices a caret is drawn under: one column per character
        return len(text)
    others = text.translate(_DROP_ASCII)
    return len(text) + sum(1 for c in others if unicodedata.east_asian_width(c) in "WF")


def render_concise(report: Report, stream: TextIO, color: bool) -> None:
    paint = _Painter(color)
    for d in report.diagnostics:
        stream.write(_headline(d, paint) + "\n")
    _summary(report, stream, paint)


def render_full(report: Report, stream: TextIO, color: bool) -> None:
    paint = _Painter(color)
    for result in report.results:
        for d in result.diagnostics:
            stream.write(_headline(d, paint) + "\n")
            line = result.source.line(d.span.line).replace("\t", " ")
            gutter = " " * len(str(d.span.line))
            start = max(d.span.column - 1, 0)
            length = d.span.end_column - d.span.column if d.span.end_line == d.span.line else 0
            # The caret is measured on the line as shown, control characters escaped.
            marked = visible(line[start : start + max(length, 1)])
            underline = "^" * max(_width(marked), 1)
            stream.write(f"{paint('dim', gutter + ' |')}\n")
            stream.write(f"{paint('dim', f'{d.span.line} |')} {visible(line)}\n")
            pad = " " * _width(visible(line[:start]))
            stream.write(f"{paint('dim', gutter + ' |')} {pad}{paint('caret', underline)}\n\n")
    _summary(report, stream, paint)


def _summary(report: Report, stream: TextIO, paint: _Painter) -> None:
    diagnostics = report.diagnostics
    for entry in report.stale:
        stream.write(
            f"{entry.path}:{entry.line}: {entry.code} baseline entry matches no finding "
            f"any more: {entry.message}\n"
        )
    if report.stale:
        count = len(report.stale)
        entries = "1 baseline entry matches" if count == 1 else f"{count} baseline entries match"
        stream.write(f"{entries} no finding: write the baseline again to drop them.\n")
    label = f" {report.label}" if report.label else ""
    if not diagnostics:
        files = len(report.results)
        stream.write(f"All checks passed ({plural(files, 'file')}).\n")
        known = sum(len(r.diagnostics) for r in report.previous)
        if known:
            stream.write(f"{plural(known, 'known finding')} not shown (only findings{label}).\n")
        return
    errors = sum(1 for d in diagnostics if d.severity == "error")
    counts = f"{plural(errors, 'error')}, {plural(len(diagnostics) - errors, 'warning')}"
    stream.write(f"Found {plural(len(diagnostics), 'finding')}{label} ({counts}).\n")
    fixable = sum(1 for d in diagnostics if d.fixable)
    if fixable:
        stream.write(paint("fix", "[*]") + f" {fixable} fixable with `readme-guard fix`.\n")
    if not report.failing():
        stream.write(f"No finding at or above --fail-on {report.fail_on}: the run passes.\n")
