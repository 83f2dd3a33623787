"""TOC regions: found by their marker comments, compared with the headings, rendered back.

A region is a pair of marker comments, each a top-level HTML block of its own:

    jetbrains     <!-- TOC -->               ... <!-- TOC -->
    vscode        <!-- TOC [options] -->     ... <!-- /TOC -->
    doctoc        <!-- START doctoc ... -->  ... <!-- END doctoc ... -->
    mdformat-toc  <!-- mdformat-toc start ... --> ... <!-- mdformat-toc end -->
    md-toc        <!--TOC-->                 ... <!--TOC-->

Its entries are the list lines `[text](#anchor)` between the markers. A region is rendered in
the style it was found in: same marker lines, bullet, indentation unit and base indent; every
line inside the markers that is not part of the entry list (a title, blank lines) is kept.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Literal

from readme_guard.destinations import parse_destination
from readme_guard.diagnostic import Edit, Fix
from readme_guard.document import Document, Heading, Span
from readme_guard.settings import Config, TocSpec

MarkerStyle = Literal["jetbrains", "vscode", "doctoc", "mdformat-toc", "md-toc"]

# What each style writes when `fix` inserts a new TOC (`{lo}`/`{hi}`: the levels listed).
NEW_MARKERS: dict[MarkerStyle, tuple[str, str]] = {
    "jetbrains": ("<!-- TOC -->", "<!-- TOC -->"),
    "vscode": ("<!-- TOC -->", "<!-- /TOC -->"),
    "doctoc": (
        "<!-- START doctoc generated TOC please keep comment here to allow auto update -->",
        "<!-- END doctoc generated TOC please keep comment here to allow auto update -->",
    ),
    "mdformat-toc": (
        "<!-- mdformat-toc start --slug=github --maxlevel={hi} --minlevel={lo} -->",
        "<!-- mdformat-toc end -->",
    ),
    "md-toc": ("<!--TOC-->", "<!--TOC-->"),
}
USER_CONTENT = "user-content-"  # GitHub's prefix of heading ids; `#x` and `#user-content-x` work

_TOC_START = re.compile(r"<!--(?P<space>\s*)TOC\b(?P<options>[^>]*?)\s*-->")
_END: dict[MarkerStyle, re.Pattern[str]] = {
    "jetbrains": re.compile(r"<!--\s+TOC\s*-->"),
    "vscode": re.compile(r"<!--\s*/TOC\s*-->"),
    "md-toc": re.compile(r"<!--TOC-->"),
    "doctoc": re.compile(r"<!--\s*END doctoc\b.*-->", re.S),
    "mdformat-toc": re.compile(r"<!--\s*mdformat-toc end\s*-->"),
}
_START: dict[MarkerStyle, re.Pattern[str]] = {
    "doctoc": re.compile(r"<!--\s*START doctoc\b.*-->", re.S),
    "mdformat-toc": re.compile(r"<!--\s*mdformat-toc start\b.*-->", re.S),
}
_MIN_LEVEL = re.compile(r"(?:depthFrom:|--minlevel=)\s*([1-6])")
_MAX_LEVEL = re.compile(r"(?:depthTo:|--maxlevel=)\s*([1-6])")
_ENTRY = re.compile(
    r"^(?P<indent>[ \t]*)(?P<marker>(?:[-*+]|\d{1,9}[.)])[ \t]+)"
    r"\[(?P<text>.*)\]\((?P<destination>.*)\)[ \t]*$"
)
# A link inside a heading cannot stay a link inside the TOC's link text: keep its text only.
_INNER_LINK = re.compile(r"(?<!!)\[([^\]]*)\]\([^)]*\)")
_LINE_BREAK = re.compile(r"[ \t]*\n[ \t]*")  # a setext heading may span lines


@dataclass(frozen=True, slots=True)
class TocEntry:
    line: int
    indent: int  # columns of leading whitespace, a tab counting 4
    marker: str  # the bullet and the blanks after it, e.g. "* "
    text: str  # the link text as written
    fragment: str | None  # percent-decoded, without `#`; None unless the link is `#...`
    span: Span  # from the bullet to the end of the line


@dataclass(frozen=True, slots=True)
class TocRegion:
    style: MarkerStyle
    start_line: int  # the start marker's line
    end_line: int  # the end marker's line
    entries: tuple[TocEntry, ...]
    strays: tuple[Span, ...]  # non-blank lines among the entries that are no entry
    marker_levels: tuple[int | None, int | None]  # vscode depthFrom/To, mdformat-toc levels

    def holds(self, line: int) -> bool:
        return self.start_line <= line <= self.end_line


@dataclass(frozen=True)
class TocCheck:
    """One region compared with the headings it should list."""

    region: TocRegion
    levels: tuple[int, int]
    expected: tuple[Heading, ...]  # the headings the TOC should list, in document order
    matches: tuple[Heading | None, ...]  # per entry: the heading it stands for
    targets: tuple[Heading | None, ...]  # per entry: the heading its anchor leads to, if any
    by_text: frozenset[int]  # entries matched by their text, not by their anchor
    entry_levels: tuple[int, ...]  # per entry: the level its indentation shows
    placed_levels: dict[int, int]  # heading line -> the level its entry is indented as
    fix: Fix | None  # the rewrite of the whole region; None when it is already right


class Anchors:
    """Which heading a `#fragment` leads to, as GitHub resolves it.

    GitHub's ids are `user-content-` + slug and its page script also finds `#slug`; the
    script compares case-insensitively, so `#Deep-Learning` reaches `deep-learning` too.
    """

    def __init__(self, headings: Sequence[Heading]) -> None:
        self._exact = {h.anchor: h for h in headings}
        self._folded: dict[str, Heading] = {}
        for heading in headings:
            self._folded.setdefault(heading.anchor.lower(), heading)

    def heading(self, fragment: str) -> Heading | None:
        name = fragment.removeprefix(USER_CONTENT)
        return self._exact.get(name) or self._folded.get(name.lower())


# -- finding regions ------------------------------------------------------------------------


def find_regions(document: Document) -> list[TocRegion]:
    """Every TOC region of `document`, in order. An unpaired start marker is no region."""
    comments = [c for c in document.comments if c.top_level]
    # Where each style's end marker stands, so a start finds its end by bisection: a file of
    # thousands of unclosed markers must not scan the rest of the file from each.
    ends: dict[MarkerStyle, list[int]] = {style: [] for style in _END}
    for position, comment in enumerate(comments):
        text = comment.text.strip()
        for style, end in _END.items():
            if end.fullmatch(text):
                ends[style].append(position)
    regions: list[TocRegion] = []
    index = 0
    while index < len(comments):
        start = comments[index]
        closing = _next_end(ends, _closing_styles(start.text), index)
        if closing is not None:
            end_index, style = closing
            levels = (_level_option(_MIN_LEVEL, start.text), _level_option(_MAX_LEVEL, start.text))
            regions.append(_read(document, style, start.line, comments[end_index].line, levels))
            index = end_index + 1
        else:
            index += 1
    return regions


def _next_end(
    ends: dict[MarkerStyle, list[int]], styles: list[MarkerStyle], after: int
) -> tuple[int, MarkerStyle] | None:
    """The first end marker after comment `after` that closes one of `styles`."""
    best: tuple[int, MarkerStyle] | None = None
    for style in styles:
        found = ends[style]
        at = bisect_right(found, after)
        if at < len(found) and (best is None or found[at] < best[0]):
            best = (found[at], style)
    return best


def _closing_styles(text: str) -> list[MarkerStyle]:
    """The styles whose end marker may close a region opened by comment `text`."""
    text = text.strip()
    toc = _TOC_START.fullmatch(text)
    if toc is None:
        return [style for style, begin in _START.items() if begin.fullmatch(text)]
    if not toc.group("space") and not toc.group("options").strip():
        return ["md-toc"]
    # `<!-- TOC -->` is closed by `<!-- /TOC -->` (VS Code) or by itself (JetBrains); a start
    # marker carrying options (`depthFrom:2`) is VS Code's.
    return ["vscode"] if toc.group("options").strip() else ["vscode", "jetbrains"]


def _level_option(pattern: re.Pattern[str], text: str) -> int | None:
    found = pattern.search(text)
    return int(found.group(1)) if found else None


def _read(
    document: Document,
    style: MarkerStyle,
    start: int,
    end: int,
    levels: tuple[int | None, int | None],
) -> TocRegion:
    entries: list[TocEntry] = []
    others: list[Span] = []
    for number in range(start + 1, end):
        text = document.source.line(number)
        found = _ENTRY.match(text)
        if found is None:
            if text.strip():
                column = len(text) - len(text.lstrip()) + 1
                others.append(Span(number, column, number, len(text) + 1))
            continue
        destination = parse_destination(found.group("destination"))
        indent = found.group("indent")
        entries.append(
            TocEntry(
                line=number,
                indent=len(indent.expandtabs(4)),
                marker=found.group("marker"),
                text=found.group("text"),
                fragment=None if destination.url or destination.path else destination.fragment,
                span=Span(number, len(indent) + 1, number, len(text) + 1),
            )
        )
    first = entries[0].line if entries else end
    last = entries[-1].line if entries else start
    strays = tuple(span for span in others if first < span.line < last)
    return TocRegion(style, start, end, tuple(entries), strays, levels)


# -- which headings a TOC lists ---------------------------------------------------------------


def toc_text(heading: Heading) -> str:
    """The link text of a heading's entry: its source text on one line, links reduced to
    their text."""
    return _INNER_LINK.sub(r"\1", _LINE_BREAK.sub(" ", heading.source_text))


def listable(document: Document) -> list[Heading]:
    """Headings a TOC may list: top-level ones (not in quotes or lists), not marked
    `omit from toc`, with an anchor. Headings in fences and HTML blocks are no headings."""
    return [h for h in document.headings if h.top_level and not h.omit_from_toc and h.anchor]


def default_levels(headings: Sequence[Heading]) -> tuple[int, int]:
    """Levels for a TOC that shows none: from the top level used, down to 6. A lone top-level
    heading that opens the document is its title, not a section."""
    if not headings:
        return (2, 6)
    top = min(h.level for h in headings)
    at_top = [h for h in headings if h.level == top]
    if len(at_top) == 1 and at_top[0] is headings[0] and top < 6 and len(headings) > 1:
        top += 1
    return (top, 6)


def compare(
    document: Document, spec: TocSpec, regions: list[TocRegion] | None = None
) -> list[TocCheck]:
    """The document's TOC (its first region) compared with its headings.

    Only the first region is the TOC: comparing every region with every heading would cost
    regions x headings, and a file of thousands of stray markers must stay linear. Later
    regions are reported on their own. `regions`: `find_regions(document)`, when known."""
    if regions is None:
        regions = find_regions(document)
    if not regions:
        return []
    candidates = listable(document)
    anchors = Anchors(document.headings)
    return [_compare(document, spec, regions[0], candidates, anchors)]


def _compare(
    document: Document,
    spec: TocSpec,
    region: TocRegion,
    candidates: list[Heading],
    anchors: Anchors,
) -> TocCheck:
    entries = region.entries
    # First pass over every candidate: the levels the existing entries show.
    shown = _match(entries, candidates, anchors)
    shown_levels = [h.level for h, _ in shown if h is not None]
    marker_lo, marker_hi = region.marker_levels
    fallback = (
        (min(shown_levels), max(shown_levels)) if shown_levels else default_levels(candidates)
    )
    lo = spec.min_level or marker_lo or fallback[0]
    hi = spec.max_level or marker_hi or fallback[1]
    expected = [h for h in candidates if lo <= h.level <= hi]
    matched = _match(entries, expected, anchors)
    layout = _layout(entries)
    _, unit, base = layout
    lowest = min((h.level for h in expected), default=lo)
    entry_levels = tuple(lowest + round((e.indent - base) / unit) for e in entries)
    placed = {h.line: lowest + depth for h, depth in zip(expected, _depths(expected), strict=True)}
    rendered = _render_region(document, region, expected, layout)
    current = [document.source.line(n) for n in range(region.start_line, region.end_line + 1)]
    fix = None
    if rendered != current:
        fix = Fix(
            "regenerate the TOC from the headings",
            (Edit(region.start_line, region.end_line, tuple(rendered)),),
            toc=True,
        )
    return TocCheck(
        region=region,
        levels=(lo, hi),
        expected=tuple(expected),
        matches=tuple(h for h, _ in matched),
        targets=tuple(_target(anchors, e) for e in entries),
        by_text=frozenset(i for i, (h, text) in enumerate(matched) if h is not None and text),
        entry_levels=entry_levels,
        placed_levels=placed,
        fix=fix,
    )


def _match(
    entries: Sequence[TocEntry], expected: Sequence[Heading], anchors: Anchors
) -> list[tuple[Heading | None, bool]]:
    """Per entry, the expected heading it stands for and whether only its text says so.

    By anchor first; then an entry left over (its anchor leads nowhere, as a JetBrains
    `#font-colorgreen-navigation-font-`, or to a heading another entry has, as a second
    `#papers` for GitHub's `#papers-1`) counts as the unclaimed heading whose source text it
    repeats.
    """
    wanted = {id(h) for h in expected}
    claimed: set[int] = set()
    result: list[tuple[Heading | None, bool]] = []
    for entry in entries:
        heading = _target(anchors, entry)
        if heading is not None and id(heading) in wanted and id(heading) not in claimed:
            claimed.add(id(heading))
            result.append((heading, False))
        else:
            result.append((None, False))
    for index, entry in enumerate(entries):
        if result[index][0] is not None:
            continue
        text = entry.text.strip()
        for heading in expected:
            if id(heading) not in claimed and toc_text(heading).strip() == text:
                claimed.add(id(heading))
                result[index] = (heading, True)
                break
    return result


def _target(anchors: Anchors, entry: TocEntry) -> Heading | None:
    return anchors.heading(entry.fragment) if entry.fragment is not None else None


def out_of_order(matches: Sequence[Heading | None], expected: Sequence[Heading]) -> set[int]:
    """Indexes of matched entries outside a longest run in document order (the fewest moves)."""
    position = {id(h): i for i, h in enumerate(expected)}
    items = [(i, position[id(h)]) for i, h in enumerate(matches) if h is not None]
    # Longest increasing subsequence by patience sorting, with back links to recover it.
    tails: list[int] = []  # per run length, the index into items of its smallest tail
    back: list[int] = [-1] * len(items)
    for k, (_, value) in enumerate(items):
        length = bisect_left(tails, value, key=lambda t: items[t][1])
        back[k] = tails[length - 1] if length else -1
        if length == len(tails):
            tails.append(k)
        else:
            tails[length] = k
    keep: set[int] = set()
    k = tails[-1] if tails else -1
    while k >= 0:
        keep.add(items[k][0])
        k = back[k]
    return {i for i, _ in items if i not in keep}


# -- rendering --------------------------------------------------------------------------------


def _layout(entries: Sequence[TocEntry]) -> tuple[str, int, int]:
    """(marker, indentation unit, base indent) of the existing entries; `- `, 2, 0 if none."""
    if not entries:
        return ("- ", 2, 0)
    indents = sorted({e.indent for e in entries})
    steps = [b - a for a, b in pairwise(indents)]
    marker = entries[0].marker
    return (marker, min(steps) if steps else len(marker), indents[0])


def _depths(headings: Sequence[Heading]) -> list[int]:
    """Each entry's nesting: its level below the shallowest listed, but never more than one
    deeper than the entry before it. A Markdown list cannot open two levels at once: an entry
    indented further would turn into a code block, then into a wider indent on every fix."""
    lowest = min((h.level for h in headings), default=1)
    depths: list[int] = []
    previous = -1
    for heading in headings:
        previous = min(heading.level - lowest, previous + 1)
        depths.append(previous)
    return depths


def _entry_lines(headings: Sequence[Heading], layout: tuple[str, int, int]) -> list[str]:
    marker, unit, base = layout
    return [
        f"{' ' * (base + unit * depth)}{marker}[{toc_text(h)}](#{h.anchor})"
        for h, depth in zip(headings, _depths(headings), strict=True)
    ]


def _render_region(
    document: Document,
    region: TocRegion,
    expected: Sequence[Heading],
    layout: tuple[str, int, int],
) -> list[str]:
    line = document.source.line
    entries = region.entries
    first = entries[0].line if entries else region.end_line
    last = entries[-1].line if entries else region.end_line - 1
    head = [line(n) for n in range(region.start_line, first)]
    tail = [line(n) for n in range(last + 1, region.end_line + 1)]
    return [*head, *_entry_lines(expected, layout), *tail]


def new_toc(document: Document, spec: TocSpec) -> list[str]:
    """A TOC in the configured marker style, for a document that has none."""
    candidates = listable(document)
    fallback = default_levels(candidates)
    lo, hi = spec.min_level or fallback[0], spec.max_level or fallback[1]
    begin, end = NEW_MARKERS[spec.marker]
    headings = [h for h in candidates if lo <= h.level <= hi]
    return [begin.format(lo=lo, hi=hi), *_entry_lines(headings, _layout(())), end]


def render_toc(document: Document, config: Config) -> list[str]:
    """The TOC `fix` would write, markers included: the first region regenerated in its own
    style, or a new one in the configured style when the document has none."""
    checks = compare(document, config.toc)
    if not checks:
        return new_toc(document, config.toc)
    check = checks[0]
    region = check.region
    if check.fix is None:
        return [document.source.line(n) for n in range(region.start_line, region.end_line + 1)]
    return list(check.fix.edits[0].lines)


def insertion(document: Document, spec: TocSpec) -> Fix | None:
    """The edit that inserts a new TOC after the heading `toc.insert_after` names."""
    if spec.insert_after is None:
        return None
    heading = _heading_named(document, spec.insert_after)
    if heading is None:
        return None
    last = next(
        (
            c.end_line
            for c in document.containers
            if c.kind == "heading" and c.start_line == heading.line
        ),
        heading.line,
    )
    after = document.source.line(last + 1)
    lines = ["", *new_toc(document, spec)]
    if after.strip() and last < len(document.source.lines):
        lines.append("")
    return Fix(
        f"insert a TOC after the heading '{heading.text.strip()}'",
        (Edit(last + 1, last, tuple(lines)),),
        toc=True,
    )


def _heading_named(document: Document, wanted: str) -> Heading | None:
    """The first top-level heading whose text is `wanted`, else whose text it matches as a regex."""
    headings = [h for h in document.headings if h.top_level]
    for heading in headings:
        if wanted.strip() in (heading.text.strip(), heading.source_text.strip()):
            return heading
    from readme_guard.patterns import PatternError, compile_pattern

    try:
        pattern = compile_pattern(wanted)  # from rules.yaml: linear-time
    except PatternError:
        return None
    return next((h for h in headings if pattern.search(h.text.strip())), None)
