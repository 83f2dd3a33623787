"""What rules report: findings, and the text edits that fix them."""

from __future__ import annotations

from dataclasses import dataclass

from readme_guard.document import Span


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace lines `start_line`..`end_line` (1-based, inclusive) with `lines`.

    `end_line == start_line - 1` inserts before `start_line`. Lines carry no newline: the
    writer adds the file's own newline style, so CRLF files stay CRLF.
    """

    start_line: int
    end_line: int
    lines: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Fix:
    description: str
    edits: tuple[Edit, ...]
    toc: bool = False
    """A TOC rewrite: it may change the rendering of the lines it replaces, and nothing else.
    Every other fix must leave GitHub's rendering of the whole file unchanged."""


@dataclass(frozen=True, slots=True)
class Finding:
    """What a rule yields; the linter adds the rule's code, name, severity and the path."""

    span: Span
    message: str
    fix: Fix | None = None


@dataclass(frozen=True, slots=True)
class Diagnostic:
    path: str
    span: Span
    code: str
    rule: str
    severity: str
    message: str
    fixable: bool
    fix: Fix | None = None

    @property
    def line(self) -> int:
        return self.span.line

    @property
    def column(self) -> int:
        return self.span.column

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.span.line, self.span.column, self.code)
