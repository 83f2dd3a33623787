"""`readme-guard fix`: collect the fixes of a check, splice them in, verify, write atomically.

The safety contract, point by point:

* Splice only: an edit replaces whole source lines; every other line keeps its bytes and its
  own line ending; a replaced line keeps its ending, an inserted one takes the file's
  dominant newline; BOM and final newline stay.
* Verify: GitHub's renderer (cmark-gfm) renders the text before and after. Outside the TOC
  region the HTML must be the same once runs of whitespace outside `<pre>`/`<code>` are
  folded (the region is a sentinel comment on both sides, and the real TOC must leave the
  HTML around it intact). A fix that changes the page is dropped and reported, never
  written. Bad fixes are found by halving the set, so a clean file costs one rendering.
* Idempotent: fixing runs in passes until a check of the result offers nothing new, so a
  second run finds only the fixes that were already refused.
* Atomic: a temporary file beside the original, flushed and fsynced, then `os.replace`; the
  mode is kept; a file that changed on disk since it was read is not written.

Example (the lazy line gains its prefix; the page is unchanged)::

    >>> from readme_guard.linter import Options, Run
    >>> from readme_guard.source import Source
    >>> text = "## Papers\\n\\n> A title (CVPR 2022)\\n> [Paper](https://x.org)\\nwrapped\\n"
    >>> outcome = fix_source(Run(Options(isolated=True, select=("RG501",))),
    ...                      Source("README.md", text), None)
    >>> print(outcome.text, end="")
    ## Papers
    <BLANKLINE>
    > A title (CVPR 2022)
    > [Paper](https://x.org)
    > wrapped
    >>> outcome.fixed, outcome.refused
    (1, ())
    >>> fix_source(Run(Options(isolated=True)), Source("README.md", outcome.text), None).changed
    False
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import stat
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from readme_guard.diagnostic import Diagnostic, Edit, Fix
from readme_guard.errors import ReadmeGuardError
from readme_guard.source import Source
from readme_guard.toc import SENTINEL, sentinel_for

if TYPE_CHECKING:
    from readme_guard.linter import FileResult, Run

MAX_PASSES = 8
_PRESERVED = re.compile(r"(<pre\b.*?</pre>|<code\b.*?</code>)", re.DOTALL)
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")  # what a browser folds; U+00A0 (&nbsp;) is kept


class WriteError(ReadmeGuardError):
    """The fixed text could not be written; the original file is unchanged."""


class ConflictError(ReadmeGuardError):
    """The file holds unresolved merge-conflict markers: fixing it could hide them."""


@dataclass(frozen=True)
class Refusal:
    """A fix that was not applied, and why."""

    diagnostic: Diagnostic  # as the final check reports it (lines of the fixed text)
    reason: str  # "would change rendering"
    line: int  # where the fix would apply, in the fixed text
    original_line: int  # the same place in the file as it was read

    def __str__(self) -> str:
        return f"{self.reason} at line {self.line}"


@dataclass(frozen=True)
class Outcome:
    """What fixing one file did: the new text, and what was and was not fixed."""

    source: Source  # as read
    text: str  # the fixed text, without the BOM
    fixed: int  # findings fixed
    fixed_codes: tuple[str, ...]  # their rule codes, one per finding
    edits: int  # edits applied
    refused: tuple[Refusal, ...]
    result: FileResult  # the check of the fixed text

    @property
    def changed(self) -> bool:
        return self.text != self.source.text

    @property
    def remaining(self) -> list[Diagnostic]:
        """The findings left after fixing; refused fixes say why they were not applied."""
        reasons = {id(r.diagnostic): str(r) for r in self.refused}
        return [
            dataclasses.replace(
                d, message=f"{d.message} (not fixed: {reasons[id(d)]})", fixable=False, fix=None
            )
            if id(d) in reasons
            else d
            for d in self.result.diagnostics
        ]

    def data(self) -> bytes:
        """The bytes to write: the BOM if the file had one, then the fixed text."""
        return encoded(self.source, self.text)


def summary(outcome: Outcome) -> str:
    """`14 findings (RG204 ×4, RG402 ×1, RG501 ×9)`."""
    codes = sorted(set(outcome.fixed_codes))
    counts = ", ".join(f"{code} ×{outcome.fixed_codes.count(code)}" for code in codes)
    noun = "finding" if outcome.fixed == 1 else "findings"
    return f"{outcome.fixed} {noun} ({counts})"


def encoded(source: Source, text: str) -> bytes:
    return (("\ufeff" if source.bom else "") + text).encode("utf-8")


# -- splicing ------------------------------------------------------------------------------


def splice(source: Source, edits: Iterable[Edit]) -> str:
    """`source.text` with `edits` applied; edits must not overlap.

    Lines outside the edits keep their own endings; a replacement line takes the ending of
    the line it replaces, an inserted line the file's dominant newline. A file without a
    final newline still has none afterwards.
    """
    lines, endings, newline = source.lines, source.endings, source.newline
    pieces: list[list[str]] = []
    position = 0  # 0-based index of the next original line to copy
    last_is_new = False
    for edit in sorted(edits, key=lambda e: (e.start_line, e.end_line)):
        if not (
            1 <= edit.start_line <= len(lines) + 1
            and edit.start_line - 1 <= edit.end_line <= len(lines)
        ):
            raise ValueError(f"edit {edit} is outside the {len(lines)} lines of the file")
        start = edit.start_line - 1
        if start < position:
            raise ValueError(f"edit {edit} overlaps another edit")
        if start > position:
            pieces.extend([lines[i], endings[i]] for i in range(position, start))
            last_is_new = False
        # A line replaced keeps its own ending: a mixed file stays mixed line by line.
        replaced = endings[start : edit.end_line] or (newline,)
        if edit.lines:
            pieces.extend(
                [line, replaced[min(i, len(replaced) - 1)]] for i, line in enumerate(edit.lines)
            )
            last_is_new = True
        position = edit.end_line
    if position < len(lines):
        pieces.extend([lines[i], endings[i]] for i in range(position, len(lines)))
        last_is_new = False
    for piece in pieces[:-1]:
        if piece[1] == "":  # the old last line, now followed by other lines
            piece[1] = newline
    if last_is_new and endings and endings[-1] == "":
        pieces[-1][1] = ""  # no final newline before, none after
    return "".join(text + ending for text, ending in pieces)


# -- verification --------------------------------------------------------------------------


@cache
def _render() -> Callable[[str], str]:
    import cmarkgfm  # type: ignore[import-untyped]
    from cmarkgfm.cmark import Options  # type: ignore[import-untyped]

    # As GitHub renders a README: raw HTML (<font>, <img>) kept, footnotes on.
    options = Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_FOOTNOTES

    def render(text: str) -> str:
        html: str = cmarkgfm.github_flavored_markdown_to_html(text, options)
        return html

    return render


def render_html(text: str) -> str:
    """GitHub's rendering of `text` (cmark-gfm with GitHub's extensions)."""
    return _render()(text)


def comparable(html: str) -> str:
    """`html` with runs of whitespace folded to one space outside `<pre>` and `<code>`:
    a browser shows `a,\\nb` and `a, b` alike, and nothing else is forgiven."""
    parts = _PRESERVED.split(html)
    return "".join(p if i % 2 else _HTML_SPACE.sub(" ", p) for i, p in enumerate(parts))


def verify(source: Source, fixes: Sequence[Fix]) -> list[Fix]:
    """Of non-overlapping `fixes`, those that keep GitHub's rendering of `source`: every TOC
    rewrite (its own region may change) and each other fix that leaves the page as it was."""
    toc = [f for f in fixes if f.toc]
    others = [f for f in fixes if not f.toc]
    verifier = _Verifier(source, toc)
    kept = verifier.safe_subset(others)
    if toc and not verifier.toc_stays_inside([*toc, *kept]):
        return verify(source, others)  # the TOC rewrite spills over: apply the rest alone
    return [*toc, *kept]


def _first_line(source: Source, edit: Edit) -> str:
    """The first line an edit replaces ("" for an insertion)."""
    return source.line(edit.start_line) if edit.end_line >= edit.start_line else ""


class _Verifier:
    """Answers "does the page stay the same with these fixes?" for one text."""

    def __init__(self, source: Source, toc_fixes: Sequence[Fix]) -> None:
        self.source = source
        # Both sides see the sentinel where the TOC is, so only the TOC may differ.
        self.masked = [
            Edit(e.start_line, e.end_line, (sentinel_for(_first_line(source, e)),))
            for f in toc_fixes
            for e in f.edits
        ]
        self.expected = render_html(splice(source, self.masked))
        self.folded = comparable(self.expected)

    def same(self, fixes: Sequence[Fix]) -> bool:
        edits = [*self.masked, *(e for f in fixes for e in f.edits)]
        html = render_html(splice(self.source, edits))
        # Most layout fixes leave the HTML byte for byte; folding is only for the rest.
        return html == self.expected or comparable(html) == self.folded

    def toc_stays_inside(self, fixes: Sequence[Fix]) -> bool:
        """With the real TOC in place, the page around it is still what the sentinel saw:
        a rewrite that swallowed or split its neighbours would show up here."""
        html = comparable(render_html(splice(self.source, [e for f in fixes for e in f.edits])))
        parts = self.folded.split(SENTINEL)
        if len(parts) < 2:  # the region is not a block of its own (inside code, say)
            return False
        first, *middle, last = parts
        if not html.startswith(first):
            return False
        position = len(first)
        for part in middle:  # between two TOC regions
            found = html.find(part, position)
            if found < 0:
                return False
            position = found + len(part)
        return html.endswith(last) and len(html) - len(last) >= position

    def safe_subset(self, fixes: Sequence[Fix]) -> list[Fix]:
        """The fixes that keep the page, found by halving: about k·log(n) renderings for k
        bad fixes among n. Fixes that pass alone but not together are then dropped greedily."""
        if self.same(fixes):
            return list(fixes)
        good = self._isolate(fixes, known_bad=True)
        if self.same(good):
            return good
        kept: list[Fix] = []
        for candidate in good:
            if self.same([*kept, candidate]):
                kept.append(candidate)
        return kept

    def _isolate(self, fixes: Sequence[Fix], known_bad: bool = False) -> list[Fix]:
        if not known_bad and self.same(fixes):
            return list(fixes)
        if len(fixes) <= 1:
            return []
        middle = len(fixes) // 2
        return self._isolate(fixes[:middle]) + self._isolate(fixes[middle:])


# -- choosing fixes ------------------------------------------------------------------------


def _shifted(fix: Fix, applied: Sequence[Edit]) -> Fix:
    """`fix` in the numbering of the text after `applied`, which left its lines alone."""

    def moved(line: int) -> int:
        return line + sum(
            len(e.lines) - (e.end_line - e.start_line + 1) for e in applied if e.end_line < line
        )

    edits = tuple(
        Edit(moved(e.start_line), moved(e.start_line) + e.end_line - e.start_line, e.lines)
        for e in fix.edits
    )
    return dataclasses.replace(fix, edits=edits)


def _non_overlapping(fixes: Sequence[Fix]) -> list[Fix]:
    """Fixes whose edits touch disjoint lines, earliest and widest first; the others wait
    for the next pass, where the text they see already has these applied."""
    taken_lines: set[int] = set()  # lines replaced
    inner_gaps: set[int] = set()  # a gap g is "before line g"; inside a replaced range
    insert_gaps: set[int] = set()
    chosen: list[Fix] = []

    def order(fix: Fix) -> tuple[int, int]:
        first = min(fix.edits, key=lambda e: e.start_line)
        return first.start_line, -(first.end_line - first.start_line)

    for fix in sorted(fixes, key=order):
        lines = {n for e in fix.edits for n in range(e.start_line, e.end_line + 1)}
        inner = {g for e in fix.edits for g in range(e.start_line + 1, e.end_line + 1)}
        inserts = {e.start_line for e in fix.edits if e.end_line < e.start_line}
        if lines & taken_lines or inner & insert_gaps or inserts & (inner_gaps | insert_gaps):
            continue
        taken_lines |= lines
        inner_gaps |= inner
        insert_gaps |= inserts
        chosen.append(fix)
    return chosen


def fix_source(run: Run, source: Source, path: Path | None) -> Outcome:
    """Fix one file's text in memory: every fixable finding of the selected rules whose fix
    keeps GitHub's rendering. Nothing is written."""
    current = source
    refused: dict[Fix, str] = {}  # fixes not applied (in the current numbering), and why
    fixed_codes: list[str] = []
    history: list[list[Edit]] = []  # the edits of each pass, to number lines as they were
    for attempt in range(MAX_PASSES):
        result = run.check_source(current, path)
        if attempt == 0:
            _refuse_conflicts(result)
        # Several findings may share one fix (a TOC rewrite answers RG402 and RG204 alike).
        by_fix: dict[Fix, list[Diagnostic]] = {}
        for d in result.diagnostics:
            if d.fixable and d.fix is not None and d.fix.edits and d.fix not in refused:
                by_fix.setdefault(d.fix, []).append(d)
        if not by_fix:
            break
        chosen = _non_overlapping(list(by_fix))
        kept = verify(current, chosen)
        refused.update(dict.fromkeys(set(chosen) - set(kept), "would change rendering"))
        applied = [e for f in kept for e in f.edits]
        if applied:
            current = Source(source.path, splice(current, applied), source.bom)
            refused = {_shifted(f, applied): why for f, why in refused.items()}
            history.append(applied)
            fixed_codes.extend(d.code for f in kept for d in by_fix[f])
    else:
        result = run.check_source(current, path)
    return Outcome(
        source=source,
        text=current.text,
        fixed=len(fixed_codes),
        fixed_codes=tuple(fixed_codes),
        edits=sum(len(applied) for applied in history),
        refused=tuple(_refusals(result.diagnostics, refused, history)),
        result=result,
    )


def _refuse_conflicts(result: FileResult) -> None:
    """A file with conflict markers is not fixed at all: a layout fix would take the marker
    lines for lazy lines and prefix them, and the conflict would vanish from git and RG601."""
    from readme_guard.rules.hygiene import conflicts

    document = result.document
    found = next(conflicts(document.source.lines, document.code_lines), None)
    if found is not None:
        raise ConflictError(
            f"{document.path}: unresolved merge conflict at lines {found[0]}-{found[-1]} "
            "(RG601): resolve it first; the file is left as it is"
        )


def _refusals(
    diagnostics: Iterable[Diagnostic], refused: dict[Fix, str], history: Sequence[list[Edit]]
) -> Iterable[Refusal]:
    """Every fixable finding still reported, with the reason its fix was not applied."""
    for d in diagnostics:
        if not d.fixable or d.fix is None:
            continue
        line = min((e.start_line for e in d.fix.edits), default=d.line)
        original = line
        for applied in reversed(history):
            original = _unmoved(original, applied)
        # Only fixes that keep undoing each other for MAX_PASSES passes have no reason.
        yield Refusal(d, refused.get(d.fix, "conflicts with another fix"), line, original)


def _unmoved(line: int, applied: Sequence[Edit]) -> int:
    """`line` of the text after `applied`, numbered as before them (a line an edit wrote
    maps to the start of that edit)."""
    delta = 0
    for edit in sorted(applied, key=lambda e: e.start_line):
        new_start = edit.start_line + delta
        if line < new_start:
            break
        if line < new_start + len(edit.lines):
            return edit.start_line
        delta += len(edit.lines) - (edit.end_line - edit.start_line + 1)
    return line - delta


# -- writing -------------------------------------------------------------------------------


def write_atomic(path: Path, data: bytes, expected: bytes) -> None:
    """Replace the file at `path` with `data`, provided it still holds `expected`.

    The new bytes go to a temporary file in the same folder, are flushed and fsynced, get the
    file's mode, and `os.replace` swaps them in: a reader sees the old file or the new one,
    never half of either, and a failure anywhere leaves the original untouched.
    """
    target = path.resolve()  # through a symlink: rewrite the file, keep the link
    try:
        current = target.read_bytes()
        status = target.stat()
    except OSError as exc:
        raise WriteError(f"{path}: cannot read it back: {_reason(exc)}; nothing written") from None
    if current != expected:
        raise WriteError(f"{path}: changed on disk while being fixed; nothing written")
    if not status.st_mode & 0o222 or not os.access(target, os.W_OK):
        raise WriteError(f"{path}: the file is read-only; nothing written")
    temporary: str | None = None
    try:
        descriptor, temporary = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".readme-guard.tmp", dir=target.parent
        )
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, stat.S_IMODE(status.st_mode))
        with contextlib.suppress(OSError):  # keep the owner where we may (running as root)
            if (status.st_uid, status.st_gid) != (os.getuid(), os.getgid()):
                os.chown(temporary, status.st_uid, status.st_gid)
        os.replace(temporary, target)
        temporary = None
    except OSError as exc:
        raise WriteError(f"{path}: cannot write: {_reason(exc)}; the file is unchanged") from None
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
    _sync_folder(target.parent)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (where the platform allows opening a folder)."""
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _reason(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower()


def unified_diff(outcome: Outcome, name: str) -> str:
    """The fix as a unified diff of `name` (as given, so `patch -p0` applies it), line
    endings as in the file."""
    import difflib

    before = outcome.source.text.splitlines(keepends=True)
    after = outcome.text.splitlines(keepends=True)
    lines = difflib.unified_diff(before, after, name, name)
    missing = "\n\\ No newline at end of file\n"
    return "".join(line if line.endswith(("\n", "\r")) else line + missing for line in lines)
