"""The TOC regions of a document: marker pairs, else (`toc.detect: auto`) a detected list."""

from __future__ import annotations

from readme_guard.document import Document
from readme_guard.settings import TocSpec
from readme_guard.toc.anchors import Anchors
from readme_guard.toc.detect import detect_list
from readme_guard.toc.entries import TocRegion, read_marker_region
from readme_guard.toc.markers import marker_pairs


def find_regions(document: Document, spec: TocSpec, anchors: Anchors) -> list[TocRegion]:
    """Every TOC region, in order; the first is the document's TOC and the only one whose
    entries are read (a file of thousands of marker pairs must stay linear)."""
    pairs = marker_pairs(document)
    if not pairs:
        found = detect_list(document, anchors) if spec.detect == "auto" else None
        return [found] if found else []
    later = [
        TocRegion(
            p.style,
            p.start.line,
            p.end.line,
            (p.start_last_line + 1, p.end.line - 1),
            (),
            p.levels,
            None,
        )
        for p in pairs[1:]
    ]
    return [read_marker_region(document, pairs[0]), *later]
