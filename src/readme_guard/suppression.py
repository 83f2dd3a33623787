"""Suppression comments, in markdownlint's grammar with our prefix.

    <!-- readme-guard-disable RG104 missing-link -->   until a matching enable
    <!-- readme-guard-enable -->                        ends every open disable
    <!-- readme-guard-disable-next-line RG104 -->       the line after the comment
    <!-- readme-guard-disable-file -->                  the whole file

No rule list means every rule. A comment that names an unknown rule or suppresses nothing is
itself reported as RG602.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from readme_guard.diagnostic import Diagnostic
from readme_guard.document import Document, Span

_COMMENT = re.compile(
    r"<!--\s*readme-guard-(?P<kind>disable-next-line|disable-file|disable|enable)"
    r"(?P<rules>(?:\s+[^\s>]+?)*?)\s*-->"
)
_ALL = "*"


@dataclass
class _Directive:
    kind: str
    codes: tuple[str, ...]  # resolved codes, or (_ALL,)
    unknown: tuple[str, ...]
    span: Span
    start: int  # first line it covers
    end: int  # last line it covers (inclusive)
    used: bool = field(default=False)

    def covers(self, diagnostic: Diagnostic) -> bool:
        return self.start <= diagnostic.line <= self.end and (
            _ALL in self.codes or diagnostic.code in self.codes
        )


@dataclass
class Suppressions:
    """The suppression comments of one file, and which of them suppressed something."""

    directives: list[_Directive]

    def apply(self, diagnostics: Sequence[Diagnostic]) -> list[Diagnostic]:
        """The diagnostics no comment covers; the comments that cover one are marked used."""
        if not self.directives:
            return list(diagnostics)
        kept = []
        for diagnostic in diagnostics:
            covering = [d for d in self.directives if d.covers(diagnostic)]
            for directive in covering:
                directive.used = True
            if not covering:
                kept.append(diagnostic)
        return kept

    def problems(self) -> Iterator[tuple[Span, str]]:
        """After `apply`: each comment naming an unknown rule, or suppressing nothing."""
        for directive in self.directives:
            if directive.kind == "enable":
                continue
            for name in directive.unknown:
                yield directive.span, f"unknown rule '{name}' in suppression"
            if not directive.used and not directive.unknown:
                yield directive.span, "suppression comment suppresses nothing"


def read(document: Document, resolve: Callable[[str], str | None]) -> Suppressions:
    """The suppression comments of `document`; `resolve` turns a rule name into its code."""
    return Suppressions(_directives(document, resolve))


def _directives(document: Document, resolve: Callable[[str], str | None]) -> list[_Directive]:
    """Directives from real HTML comments only: not from code spans or fenced code."""
    last_line = len(document.source.lines)
    found: list[_Directive] = []
    open_ranges: list[_Directive] = []
    for comment in sorted(document.comments, key=lambda c: (c.line, c.column)):
        match = _COMMENT.fullmatch(comment.text)
        if match is None:
            continue
        names = [n for n in re.split(r"[\s,]+", match.group("rules")) if n]
        codes = [resolve(n) for n in names]
        unknown = tuple(n for n, c in zip(names, codes, strict=True) if c is None)
        resolved = tuple(c for c in codes if c is not None) or ((_ALL,) if not names else ())
        line = comment.line
        span = Span(line, comment.column, line, comment.column + len(comment.text.split("\n")[0]))
        kind = match.group("kind")
        directive = _Directive(kind, resolved, unknown, span, line, line)
        if kind == "disable-next-line":
            directive.start = directive.end = line + 1
        elif kind == "disable-file":
            directive.start, directive.end = 1, last_line
        elif kind == "disable":
            directive.end = last_line
            open_ranges.append(directive)
        else:
            _close(open_ranges, resolved, line)
        found.append(directive)
    return found


def _close(open_ranges: list[_Directive], codes: tuple[str, ...], line: int) -> None:
    for directive in list(open_ranges):
        if _ALL in codes or set(directive.codes) <= set(codes):
            directive.end = line
            open_ranges.remove(directive)
