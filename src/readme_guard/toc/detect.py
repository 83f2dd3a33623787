"""A TOC without markers: the hand-made list of in-page links most paper lists keep.

What counts (with `toc.detect: auto`, the default, and no marker region in the file):

* a top-level list (`-`, `*`, `+` or numbered, nested levels included);
* that starts before the middle heading of the file ("near the top");
* with at least `MIN_ENTRIES` lines whose first link is an in-page link (`#fragment`);
* where those are at least 80% of the list's lines that hold a link, and at least half of
  them resolve on GitHub (a list of broken in-page links is no TOC anyone keeps).

The first such list is the TOC. It lists the sections after it: headings above it (a
title, an introduction, news) are expected in it only when it lists one of them. Its depth
is judged per section: a heading below the shallowest level it lists is expected only when
it lists a heading of that level in the same parent section (a section listed without its
sub-headings is listed shallow on purpose). When it misses more of the headings it is
expected to list than it lists, it is a section's own list of links rather than the file's
TOC: nothing is reported missing from it and `fix` leaves it alone (see merge.py). Lines of
`[a](#a) | [b](#b)` in a paragraph, TOCs written in HTML (`<li><a href="#a">`) and Typora's
`[TOC]` are no such list.
"""

from __future__ import annotations

from readme_guard.document import Document
from readme_guard.toc.anchors import Anchors
from readme_guard.toc.entries import TocRegion, in_page, links_by_line, read_region

MIN_ENTRIES = 3
_SHARE = 0.8


def detect_list(document: Document, anchors: Anchors) -> TocRegion | None:
    """The marker-less TOC of `document`, if it has one."""
    headings = document.headings
    if len(headings) < 2:
        return None
    middle = headings[len(headings) // 2].line
    link_lines: dict[int, bool] = {}  # line -> whether its first link is in-page
    for link in document.links:
        if link.line not in link_lines:
            link_lines[link.line] = in_page(link) is not None
    for container in document.containers:
        if container.start_line > middle:
            break
        if container.kind != "list":
            continue
        lines = range(container.start_line, container.end_line + 1)
        with_links = [n for n in lines if n in link_lines]
        entries = [n for n in with_links if link_lines[n]]
        if len(entries) < MIN_ENTRIES or len(entries) < _SHARE * len(with_links):
            continue
        first, last = container.start_line, container.end_line
        by_line = links_by_line(document, first, last)
        fragments = [in_page(links[0]) or "" for links in by_line.values()]
        if 2 * sum(anchors.resolve(f) is not None for f in fragments) < len(fragments):
            continue
        return read_region(document, "list", first, last, (first, last))
    return None
