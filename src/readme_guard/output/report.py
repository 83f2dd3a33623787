"""The report a run hands to a format: each file's results and what the run filtered."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from readme_guard.baseline import Entry
    from readme_guard.diagnostic import Diagnostic
    from readme_guard.linter import FileResult


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
