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

import bisect
import contextlib
import dataclasses
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from readme_guard.diagnostic import Diagnostic, Edit, Fix
from readme_guard.errors import ReadmeGuardError
from readme_guard.source import Source
from readme_guard.toc import SENTINEL, sentinel_for

if TYPE_CHECKING:
    from readme_guard.linter import FileResult, Run

MAX_PASSES = 8
# Whitespace shows as written inside these (any letter case: HTML tag names are not).
_PRESERVED = re.compile(
    r"(<(pre|code|textarea|script|style)\b.*?</\2\s*>)", re.DOTALL | re.IGNORECASE
)
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
    detail: str = ""  # what GitHub would show differently, and what to do, in one line

    def __str__(self) -> str:
        return self.describe(self.line)

    def describe(self, line: int) -> str:
        """The reason with the line numbered as the caller shows the file."""
        return f"{self.reason} at line {line}" + (f": {self.detail}" if self.detail else "")


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
    """`html` with runs of whitespace folded to one space outside `<pre>`, `<code>`,
    `<textarea>`, `<script>` and `<style>` (in any letter case): a browser shows `a,\\nb`
    and `a, b` alike, and nothing else is forgiven."""
    parts: list[str] = []
    position = 0
    for kept in _PRESERVED.finditer(html):
        parts.append(_HTML_SPACE.sub(" ", html[position : kept.start()]))
        parts.append(kept.group())
        position = kept.end()
    parts.append(_HTML_SPACE.sub(" ", html[position:]))
    return "".join(parts)


def verify(source: Source, fixes: Sequence[Fix]) -> list[Fix]:
    """Of non-overlapping `fixes`, those that keep GitHub's rendering of `source`: every TOC
    rewrite (its own region may change) and each other fix that leaves the page as it was."""
    return verify_explained(source, fixes)[0]


def verify_explained(source: Source, fixes: Sequence[Fix]) -> tuple[list[Fix], dict[Fix, str]]:
    """`verify`, and for each fix dropped, what changes on GitHub (one line, or "")."""
    toc = [f for f in fixes if f.toc]
    others = [f for f in fixes if not f.toc]
    verifier = _Verifier(source, toc)
    kept = verifier.safe_subset(others)
    if toc and not verifier.toc_stays_inside([*toc, *kept]):
        # the TOC rewrite spills over: apply the rest alone
        rest, details = verify_explained(source, others)
        return rest, {
            **details,
            **dict.fromkeys(toc, "the new TOC would take in the text around it"),
        }
    return [*toc, *kept], verifier.details


def _first_line(source: Source, edit: Edit) -> str:
    """The first line an edit replaces ("" for an insertion)."""
    return source.line(edit.start_line) if edit.end_line >= edit.start_line else ""


class _Verifier:
    """Answers "does the page stay the same with these fixes?" for one text."""

    def __init__(self, source: Source, toc_fixes: Sequence[Fix]) -> None:
        self.source = source
        self.toc_fixes = tuple(toc_fixes)
        # Both sides see the sentinel where the TOC is, so only the TOC may differ.
        self.masked = [
            Edit(e.start_line, e.end_line, (sentinel_for(_first_line(source, e)),))
            for f in toc_fixes
            for e in f.edits
        ]
        self.expected = render_html(splice(source, self.masked))
        self.folded = comparable(self.expected)
        self.details: dict[Fix, str] = {}

    def same(self, fixes: Sequence[Fix]) -> bool:
        return self._same_html(self._render(fixes))

    def _render(self, fixes: Sequence[Fix]) -> str:
        return render_html(
            splice(self.source, [*self.masked, *(e for f in fixes for e in f.edits)])
        )

    def _same_html(self, html: str) -> bool:
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
        """The fixes that keep the page. A clean set costs one rendering. Otherwise each
        region of the file between top-level blocks is verified on its own (so a file whose
        every fix is refused costs renderings of its regions, not of the whole file per
        fix), and the result is confirmed on the whole file; only when regions interact
        (a reference definition far away, say) is the whole file halved."""
        if self.same(fixes):
            return list(fixes)
        kept: list[Fix] = []
        for region in _regions(self.source, fixes, self.masked):
            kept.extend(region.safe_fixes(self.toc_fixes, self.details))
        if self.same(kept):
            return kept
        return self.halving(kept)

    def halving(self, fixes: Sequence[Fix]) -> list[Fix]:
        """About k·log(n) renderings for k bad fixes among n; fixes that pass alone but not
        together are then dropped greedily."""
        good = self._isolate(fixes)
        if self.same(good):
            return good
        kept: list[Fix] = []
        for candidate in good:
            if self.same([*kept, candidate]):
                kept.append(candidate)
        return kept

    def _isolate(self, fixes: Sequence[Fix]) -> list[Fix]:
        html = self._render(fixes)
        if self._same_html(html):
            return list(fixes)
        if len(fixes) == 1:
            self.details[fixes[0]] = _difference(self.expected, html, fixes[0], self.source)
            return []
        middle = len(fixes) // 2
        return self._isolate(fixes[:middle]) + self._isolate(fixes[middle:])


@dataclass
class _Region:
    """Lines `first`..`last` of a text and the fixes inside them, verified as a text alone."""

    source: Source
    first: int
    last: int
    fixes: list[Fix]

    def safe_fixes(self, toc_fixes: Sequence[Fix], details: dict[Fix, str]) -> list[Fix]:
        offset = self.first - 1
        lines = self.source.lines[offset : self.last]
        endings = self.source.endings[offset : self.last]
        text = "".join(line + ending for line, ending in zip(lines, endings, strict=True))
        local = Source(self.source.path, text)
        inside = [
            f
            for f in toc_fixes
            if all(self.first <= e.start_line <= self.last + 1 for e in f.edits)
        ]
        moved = {_moved(f, -offset): f for f in self.fixes}
        verifier = _Verifier(local, [_moved(f, -offset) for f in inside])
        local_fixes = list(moved)
        kept = local_fixes if verifier.same(local_fixes) else verifier.halving(local_fixes)
        for fix, detail in verifier.details.items():
            details[moved[fix]] = detail
        return [moved[f] for f in kept]


def _moved(fix: Fix, by: int) -> Fix:
    edits = tuple(Edit(e.start_line + by, e.end_line + by, e.lines) for e in fix.edits)
    return dataclasses.replace(fix, edits=edits)


_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
# HTML blocks that a blank line does not end (CommonMark types 1 to 5).
_HTML_UNTIL_END = re.compile(
    r" {0,3}<(?:(pre|script|style|textarea)\b|!--|\?|![A-Za-z]|!\[CDATA\[)", re.I
)
_HTML_END = {
    "pre": re.compile(r"</pre\s*>", re.I),
    "script": re.compile(r"</script\s*>", re.I),
    "style": re.compile(r"</style\s*>", re.I),
    "textarea": re.compile(r"</textarea\s*>", re.I),
    "!--": re.compile(r"-->"),
    "?": re.compile(r"\?>"),
    "!": re.compile(r">"),
    "![CDATA[": re.compile(r"\]\]>"),
}
_LIST_ITEM = re.compile(r"(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)")


def _cut_points(source: Source) -> list[int]:
    """Lines (1-based) where a new block starts after a blank line, at any quote depth
    (`>` alone, then `> > [next entry]`), outside fences and HTML blocks, and neither
    indented nor a list item (either could continue what came before). cmark-gfm has
    closed every paragraph there, so the lines before and after render alike on their own
    and in the file (up to reference definitions, which the whole-file check catches)."""
    cuts: list[int] = []
    fence: str | None = None
    html_end: re.Pattern[str] | None = None
    blank_before = False
    for number, line in enumerate(source.lines, start=1):
        content = _QUOTE_PREFIX.sub("", line, count=1)
        if fence is not None:
            if content.lstrip(" ").startswith(fence) and not content.strip().strip(fence[0]):
                fence = None
            blank_before = False
            continue
        if html_end is not None:
            if html_end.search(content):
                html_end = None
            blank_before = False
            continue
        if not content.strip():
            blank_before = True
            continue
        if blank_before and not content[0].isspace() and not _LIST_ITEM.match(content):
            cuts.append(number)
        blank_before = False
        opened = _FENCE.match(content)
        if opened:
            fence = opened.group(1)
            continue
        html = _HTML_UNTIL_END.match(content)
        if html:
            kind = (html.group(1) or "").lower() or html.group()[html.group().index("<") + 1 :]
            key = kind if kind in _HTML_END else ("![CDATA[" if kind.startswith("![") else "!")
            end = _HTML_END[key]
            if not end.search(content, html.end()):
                html_end = end
    return cuts


def _regions(source: Source, fixes: Sequence[Fix], masked: Sequence[Edit]) -> list[_Region]:
    """The fixes grouped by region: the file cut at `_cut_points` that no edit spans."""
    spans = [(e.start_line, e.end_line) for f in fixes for e in f.edits]
    spans += [(e.start_line, e.end_line) for e in masked]
    blocked: set[int] = set()
    for start, end in spans:
        blocked.update(range(start + 1, end + 1))  # a cut inside an edit's lines
    cuts = [c for c in _cut_points(source) if c not in blocked]
    bounds = [1, *cuts, len(source.lines) + 1]
    grouped: dict[int, list[Fix]] = {}
    for fix in fixes:
        first = min(e.start_line for e in fix.edits)
        last = max(max(e.end_line, e.start_line) for e in fix.edits)
        index = bisect.bisect_right(bounds, first) - 1
        if bisect.bisect_right(bounds, last) - 1 != index:  # spans regions: the whole file
            index = -1
        grouped.setdefault(index, []).append(fix)
    regions: list[_Region] = []
    for index, members in grouped.items():
        if index < 0:
            regions.append(_Region(source, 1, len(source.lines), members))
        else:
            regions.append(_Region(source, bounds[index], bounds[index + 1] - 1, members))
    return regions


def _difference(expected: str, html: str, fix: Fix, source: Source) -> str:
    """What a refused fix changes on GitHub, in one line."""
    original = source.line(min(e.start_line for e in fix.edits))
    content = _QUOTE_PREFIX.sub("", original)
    if content.startswith("<") and f"\n{content}" in f"\n{expected}":
        return (
            "GitHub starts an HTML block on this line, so it does not continue the paragraph "
            "above; edit it by hand if it should"
        )
    before, after = comparable(expected), comparable(html)
    start = len(os.path.commonprefix([before, after]))  # noqa: RUF071 (text, not paths)
    # Both from the element the difference is in, so they read alike.
    opening = [m.start() for m in _OPENING_TAG.finditer(before, max(0, start - 80), start + 1)]
    begin = opening[-1] if opening else start
    return (
        f"GitHub would show {_snippet(after, begin)} instead of {_snippet(before, begin)}; "
        "edit it by hand"
    )


_QUOTE_PREFIX = re.compile(r"^(?: {0,3}> ?)*")
_OPENING_TAG = re.compile(r"<[A-Za-z]")


def _snippet(html: str, begin: int) -> str:
    return repr(html[begin : begin + 50].strip())


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
    # fixes not applied (in the current numbering): why, and what GitHub would show instead
    refused: dict[Fix, tuple[str, str]] = {}
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
        kept, details = verify_explained(current, chosen)
        for dropped in set(chosen) - set(kept):
            refused[dropped] = ("would change rendering", details.get(dropped, ""))
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
    from readme_guard.rules.hygiene import first_conflict

    document = result.document
    found = first_conflict(document)
    if found is not None:
        raise ConflictError(
            f"{document.path}: unresolved merge conflict at lines {found[0]}-{found[-1]} "
            "(RG601): resolve it first; the file is left as it is"
        )


def _refusals(
    diagnostics: Iterable[Diagnostic],
    refused: dict[Fix, tuple[str, str]],
    history: Sequence[list[Edit]],
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
        reason, detail = refused.get(d.fix, ("conflicts with another fix", ""))
        yield Refusal(d, reason, line, original, detail)


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


_TEMP_SUFFIX = ".readme-guard.tmp"
# `.NAME.PID.RANDOM.readme-guard.tmp`: the PID tells a later run whether its writer is gone.
_TEMP_NAME = re.compile(r"\.(?P<name>.*)\.(?P<pid>\d+)\.[a-z0-9_]{8}" + re.escape(_TEMP_SUFFIX))


def write_atomic(path: Path, data: bytes, expected: bytes, root: Path | None = None) -> None:
    """Replace the file at `path` with `data`, provided it still holds `expected`.

    The new bytes go to a temporary file in the same folder, are flushed and fsynced, get the
    file's mode, owner and extended attributes (ACLs are among them), and `os.replace` swaps
    them in: a reader sees the old file or the new one, never half of either, and a failure
    anywhere leaves the original untouched. The file is read once more just before the
    rename, so a save made while fix verified or wrote is kept (what remains is the moment
    between that read and the rename). Refused: a file with several hard links (replacing
    one name would leave the others with the old text), one whose attributes cannot be
    copied, and, with `root`, a symlink leading outside it. SIGTERM and SIGINT in the
    write window remove the temporary file; one left by a killed run is removed by the next.
    """
    target = Path(os.path.realpath(path))  # through a symlink: rewrite the file, keep the link
    if root is not None and not target.is_relative_to(root.resolve()):
        raise WriteError(f"{path}: a symbolic link leading outside the repository; not written")
    try:
        current = target.read_bytes()
        status = target.stat()
    except OSError as exc:
        raise WriteError(f"{path}: cannot read it back: {_reason(exc)}; nothing written") from None
    if current != expected:
        raise WriteError(f"{path}: changed on disk while being fixed; nothing written")
    if not status.st_mode & 0o222 or not os.access(target, os.W_OK):
        raise WriteError(f"{path}: the file is read-only; nothing written")
    if status.st_nlink > 1:
        raise WriteError(
            f"{path}: has {status.st_nlink} hard links; replacing it would leave the other "
            "names with the old text, so nothing is written (run `readme-guard fix --diff` "
            "and apply the diff in place)"
        )
    _remove_stale_temporaries(target)
    with _cleanup_on_signal() as pending:
        try:
            temporary = _write_temporary(target, data, pending)
            os.chmod(temporary, stat.S_IMODE(status.st_mode))
            with contextlib.suppress(OSError):  # keep the owner where we may (running as root)
                if (status.st_uid, status.st_gid) != (os.getuid(), os.getgid()):
                    os.chown(temporary, status.st_uid, status.st_gid)
            _copy_attributes(target, temporary, path)
            if target.read_bytes() != expected:  # a save while we wrote: it wins
                raise WriteError(f"{path}: changed on disk while being fixed; nothing written")
            os.replace(temporary, target)
            pending.clear()
        except OSError as exc:
            raise WriteError(
                f"{path}: cannot write: {_reason(exc)}; the file is unchanged"
            ) from None
    _sync_folder(target.parent)


def write_output(path: Path, data: bytes) -> None:
    """Write a report to `path` through a temporary file renamed over it: whatever is at
    `path` (a symlink a pull request put there, say) is replaced, never followed."""
    with _cleanup_on_signal() as pending:
        temporary = _write_temporary(path, data, pending)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
        pending.clear()


def _write_temporary(beside: Path, data: bytes, pending: list[str]) -> str:
    """A new temporary file in `beside`'s folder holding `data`, flushed and fsynced."""
    import tempfile  # only to write: `check` imports this module for the TOC's rendering check

    descriptor, temporary = tempfile.mkstemp(
        prefix=_temporary_prefix(beside), suffix=_TEMP_SUFFIX, dir=beside.parent
    )
    pending.append(temporary)
    with os.fdopen(descriptor, "wb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())
    return temporary


def _temporary_prefix(target: Path) -> str:
    """`.NAME.PID.`, NAME cut so the whole temporary name fits the folder's NAME_MAX."""
    try:
        limit = os.pathconf(target.parent, "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):
        limit = 255
    pid = f".{os.getpid()}."
    room = limit - 1 - len(pid) - 8 - len(_TEMP_SUFFIX)  # mkstemp adds 8 random characters
    return "." + os.fsdecode(os.fsencode(target.name)[: max(room, 1)]) + pid


def _remove_stale_temporaries(target: Path) -> None:
    """Remove this tool's temporary files for `target` whose writing process is gone (a
    kill -9 in the write window); a live process's file is left alone."""
    name = _temporary_prefix(target)[1:].rsplit(".", 2)[0]
    with contextlib.suppress(OSError), os.scandir(target.parent) as entries:
        for entry in entries:
            found = _TEMP_NAME.fullmatch(entry.name)
            if not found or found["name"] != name:
                continue
            if not entry.is_file(follow_symlinks=False) or _alive(int(found["pid"])):
                continue
            with contextlib.suppress(OSError):
                os.unlink(entry.path)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # an earlier run that had our number is gone
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


class _Interrupted(BaseException):
    """SIGTERM or SIGINT arrived while a temporary file existed."""

    def __init__(self, number: int) -> None:
        self.number = number


@contextlib.contextmanager
def _cleanup_on_signal() -> Iterator[list[str]]:
    """While the block runs, SIGTERM and SIGINT first remove the temporary files listed in
    the yielded list, then end the process as the signal would have."""
    import signal

    pending: list[str] = []
    numbers = (signal.SIGTERM, signal.SIGINT)
    previous: dict[int, Any] = {}

    def interrupted(number: int, frame: object) -> None:
        raise _Interrupted(number)

    try:
        for number in numbers:
            previous[number] = signal.signal(number, interrupted)
    except ValueError:  # not the main thread: signals stay as they were
        pass
    try:
        yield pending
    except _Interrupted as stop:
        _unlink_all(pending)
        pending.clear()
        _restore(previous)
        previous.clear()
        signal.raise_signal(stop.number)  # the default action, now that nothing is left
        raise SystemExit(128 + stop.number) from None
    finally:
        _unlink_all(pending)
        _restore(previous)


def _restore(previous: dict[int, Any]) -> None:
    import signal

    for number, handler in previous.items():
        signal.signal(number, handler)


def _unlink_all(paths: Iterable[str]) -> None:
    for temporary in paths:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


def _copy_attributes(source: Path, temporary: str, shown: Path) -> None:
    """Copy every extended attribute (POSIX ACLs are `system.posix_acl_*` ones) or refuse."""
    if not hasattr(os, "listxattr"):
        return  # not Linux: the platform keeps no attributes this way
    try:
        names = os.listxattr(source)
    except OSError:
        return  # the file system has none
    for name in names:
        try:
            os.setxattr(temporary, name, os.getxattr(source, name))
        except OSError as exc:
            raise WriteError(
                f"{shown}: cannot keep its extended attribute {name} ({_reason(exc)}); "
                "nothing written"
            ) from None


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
