"""TOC marker styles, and the pairs of marker comments that enclose a TOC region.

    jetbrains     <!-- TOC -->               ... <!-- TOC -->
    vscode        <!-- TOC [options] -->     ... <!-- /TOC -->
    doctoc        <!-- START doctoc ... -->  ... <!-- END doctoc ... -->
    mdformat-toc  <!-- mdformat-toc start ... --> ... <!-- mdformat-toc end -->
    md-toc        <!--TOC-->                 ... <!--TOC-->

A marker is a comment with only indentation or quote markers before it on its line (so a
region may be indented, in a list or in a quote); both markers may share one line. This
module is imported by settings.py, so it imports nothing heavy.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from readme_guard.toc import line_prefix

if TYPE_CHECKING:
    from readme_guard.document import Comment, Document

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


@dataclass(frozen=True, slots=True)
class MarkerPair:
    style: MarkerStyle
    start: Comment
    end: Comment
    levels: tuple[int | None, int | None]  # vscode depthFrom/To, mdformat-toc levels

    @property
    def start_last_line(self) -> int:
        """The last line of the start marker (a doctoc marker may span lines)."""
        return self.start.line + self.start.text.count("\n")


def marker_pairs(document: Document) -> list[MarkerPair]:
    """Every pair of TOC markers of `document`, in order. An unpaired start is no region."""
    comments = [c for c in document.comments if _standalone(document, c)]
    # Where each style's end marker stands, so a start finds its end by bisection: a file of
    # thousands of unclosed markers must not scan the rest of the file from each.
    ends: dict[MarkerStyle, list[int]] = {style: [] for style in _END}
    for position, comment in enumerate(comments):
        text = comment.text.strip()
        for style, end in _END.items():
            if end.fullmatch(text):
                ends[style].append(position)
    pairs: list[MarkerPair] = []
    index = 0
    while index < len(comments):
        start = comments[index]
        closing = _next_end(ends, _closing_styles(start.text), index)
        if closing is not None:
            end_index, style = closing
            levels = (_level(_MIN_LEVEL, start.text), _level(_MAX_LEVEL, start.text))
            pairs.append(MarkerPair(style, start, comments[end_index], levels))
            index = end_index + 1
        else:
            index += 1
    return pairs


def _standalone(document: Document, comment: Comment) -> bool:
    """Only indentation or quote markers before the comment, or another comment ending
    right before it (`<!-- TOC --> <!-- /TOC -->`)."""
    if comment.line in document.code_lines:
        return False
    before = document.source.line(comment.line)[: comment.column - 1]
    return line_prefix(before) == before or before.rstrip().endswith("-->")


def _next_end(
    ends: dict[MarkerStyle, list[int]], styles: Sequence[MarkerStyle], after: int
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


def _level(pattern: re.Pattern[str], text: str) -> int | None:
    found = pattern.search(text)
    return int(found.group(1)) if found else None
