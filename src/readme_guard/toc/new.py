"""A TOC for a document that has none (RG401), and what `readme-guard toc` prints."""

from __future__ import annotations

from readme_guard.diagnostic import Edit, Fix
from readme_guard.document import Document, Heading
from readme_guard.settings import Config, TocSpec
from readme_guard.toc.anchors import Anchors
from readme_guard.toc.entries import entry_text
from readme_guard.toc.find import find_regions
from readme_guard.toc.markers import NEW_MARKERS
from readme_guard.toc.merge import compare, default_levels, depths, listable


def new_toc(document: Document, spec: TocSpec) -> list[str]:
    """A TOC in the configured marker style, for a document that has none."""
    candidates = listable(document)
    fallback = default_levels(candidates)
    lo, hi = spec.min_level or fallback[0], spec.max_level or fallback[1]
    begin, end = NEW_MARKERS[spec.marker]
    headings = [h for h in candidates if lo <= h.level <= hi]
    entries = [
        f"{'  ' * depth}- [{entry_text(h)}](#{h.anchor})"
        for h, depth in zip(headings, depths(headings), strict=True)
    ]
    return [begin.format(lo=lo, hi=hi), *entries, end]


def render_toc(document: Document, config: Config) -> list[str]:
    """The TOC `fix` would write, markers included: the first region updated in place, or a
    new one in the configured style when the document has none."""
    anchors = Anchors(document)
    regions = find_regions(document, config.toc, anchors)
    if not regions:
        return new_toc(document, config.toc)
    check = compare(document, config.toc, regions[0], anchors)
    region = check.region
    if check.lines is None:
        return [document.source.line(n) for n in range(region.start_line, region.end_line + 1)]
    return list(check.lines)


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
