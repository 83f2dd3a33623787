"""Output formats: each is a module with a `render(report, stream, color)` function.

Formats are looked up by name and imported only when chosen, so `--format json` never pays
for the text renderer and the start-up path imports none of them.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from readme_guard.baseline import Entry
    from readme_guard.diagnostic import Diagnostic
    from readme_guard.linter import FileResult

FORMATS: dict[str, str] = {
    "full": "readme_guard.output.text:render_full",
    "concise": "readme_guard.output.text:render_concise",
    "json": "readme_guard.output.json:render",
    "github": "readme_guard.output.github:render",
    "sarif": "readme_guard.output.sarif:render",
    "rdjson": "readme_guard.output.rdjson:render",
    "statistics": "readme_guard.output.statistics:render_text",
    "statistics-json": "readme_guard.output.statistics:render_json",
}


@dataclass
class Report:
    """Everything a format may show: each file's source and its diagnostics."""

    results: Sequence[FileResult]
    previous: Sequence[FileResult] = ()
    """Known findings left out (REF's with --changed-since, the baseline's), per file."""
    touched: Mapping[str, frozenset[int]] | None = None
    """With --changed-since: per file (its path as shown), the lines the change touched."""
    hunks: Mapping[str, tuple[tuple[int, int], ...]] | None = None
    """With --changed-since: per file, the line ranges of its diff (what a review may
    comment on)."""
    stale: Sequence[Entry] = ()
    """Baseline entries that no longer match a finding."""
    fail_on: str = "error"
    """The lowest severity that fails the run: `error` or `warning`."""
    label: str | None = None
    """What the findings are when filtered: `new since HEAD~1`, `not in the baseline`."""

    def failing(self) -> list[Diagnostic]:
        """The findings that make the run fail."""
        return [d for d in self.diagnostics if self.fail_on == "warning" or d.severity == "error"]

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return [d for result in self.results for d in result.diagnostics]


Renderer = Callable[[Report, TextIO, bool], None]


def plural(count: int, word: str) -> str:
    """`1 finding`, `2 findings`."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def renderer(name: str) -> Renderer:
    module_name, _, function = FORMATS[name].partition(":")
    found: Renderer = getattr(importlib.import_module(module_name), function)
    return found
