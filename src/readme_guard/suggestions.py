"""The fixes of new findings as line replacements: what `readme-guard fix` would change, for
the job summary's diffs, GitHub suggestion comments and reviewdog's suggestions.

Each fix is verified alone as `fix` verifies (GitHub's rendering must stay the same outside
the TOC), so nothing is suggested that `fix` would refuse. An edit that only inserts lines
becomes a replacement of the line before it (or after it, at the top of the file), since a
suggestion always replaces at least one line.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher

from readme_guard.diagnostic import Diagnostic, Edit, Fix
from readme_guard.source import Source

MAX_FIXES = 200  # per run: each one costs two renderings


@dataclass(frozen=True)
class Suggestion:
    """Replace lines `start_line`..`end_line` (1-based, inclusive) of `file` with `after`."""

    file: str  # relative to the repository, `/`-separated
    start_line: int
    end_line: int
    before: tuple[str, ...]
    after: tuple[str, ...]
    diagnostics: tuple[Diagnostic, ...]  # the findings the fix answers

    def diff(self) -> str:
        """The change as a unified diff hunk."""
        head = f"@@ -{self.start_line},{len(self.before)} +{self.start_line},{len(self.after)} @@\n"
        return (
            head
            + "".join(f"-{line}\n" for line in self.before)
            + "".join(f"+{line}\n" for line in self.after)
        )


def _replacement(source: Source, edit: Edit) -> tuple[int, int, tuple[str, ...]]:
    """(first line, last line, new lines) replacing at least one line."""
    if edit.end_line >= edit.start_line:
        return edit.start_line, edit.end_line, edit.lines
    before = edit.start_line - 1
    if before >= 1:
        return before, before, (source.line(before), *edit.lines)
    return edit.start_line, edit.start_line, (*edit.lines, source.line(edit.start_line))


def suggestions(file: str, source: Source, diagnostics: list[Diagnostic]) -> Iterator[Suggestion]:
    """The verified fixes of `diagnostics` (one file), one suggestion per edit."""
    from readme_guard.fixing import verify

    by_fix: dict[Fix, list[Diagnostic]] = {}
    for d in diagnostics:
        if d.fixable and d.fix is not None and d.fix.edits:
            by_fix.setdefault(d.fix, []).append(d)
    for fix, answered in list(by_fix.items())[:MAX_FIXES]:
        if not verify(source, [fix]):
            continue
        for edit in fix.edits:
            yield from _hunks(file, source, edit, tuple(answered))


def _hunks(
    file: str, source: Source, edit: Edit, answered: tuple[Diagnostic, ...]
) -> Iterator[Suggestion]:
    """The lines an edit really changes, one suggestion per changed run: a TOC rewrite that
    corrects one entry suggests that entry, not the whole region."""
    start, end, after = _replacement(source, edit)
    before = tuple(source.line(n) for n in range(start, end + 1))
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if i1 == i2:  # a pure insertion: replace the line before it (or after it) too
            if i1 > 0:
                i1, j1 = i1 - 1, j1 - 1
            else:
                i2, j2 = i2 + 1, j2 + 1
        yield Suggestion(file, start + i1, start + i2 - 1, before[i1:i2], after[j1:j2], answered)
