"""RG4xx: the table of contents exists where required and lists exactly the headings."""

from __future__ import annotations

from collections.abc import Iterator

from readme_guard.context import RuleContext
from readme_guard.diagnostic import Finding
from readme_guard.document import Document, Span
from readme_guard.rules import rule
from readme_guard.toc.anchors import Target
from readme_guard.toc.entries import entry_text
from readme_guard.toc.merge import TocCheck, out_of_order
from readme_guard.toc.new import insertion


@rule("RG401", "toc-missing", "No TOC where the config requires one", fixable=True)
def toc_missing(ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    When `toc.required` is set in rules.yaml (it is not by default), checks that the document
    has a TOC region: a pair of marker comments such as `<!-- TOC -->` … `<!-- /TOC -->`.

    ## Why is this bad?
    A long paper list without a TOC makes readers scroll for the topic they want.

    ## Example
    ```markdown config={"toc":{"required":true}}
    # Papers

    ## Vision

    ## Language
    ```

    ## Use instead
    ```markdown config={"toc":{"required":true}}
    # Papers

    <!-- TOC -->
    - [Vision](#vision)
    - [Language](#language)
    <!-- /TOC -->

    ## Vision

    ## Language
    ```

    ## Fix safety
    Fixable when `toc.insert_after` names a heading (its text, or a regex): the TOC is
    inserted after that heading in the `toc.marker` style, and nothing else changes.
    """
    spec = ctx.config.toc
    if not spec.required or ctx.toc_regions:
        return
    fix = insertion(ctx.document, spec)
    if fix is not None:
        where = f"; fix inserts one after the heading '{spec.insert_after}'"
    elif spec.insert_after is not None:
        where = f"; no heading matches toc.insert_after '{spec.insert_after}'"
    else:
        where = "; set toc.insert_after to let fix insert one"
    yield Finding(Span(1, 1, 1, 1), f"the document has no TOC (toc.required is set){where}", fix)


@rule(
    "RG402",
    "toc-drift",
    "TOC entries differ from the headings (missing, stale, order, level, text)",
    fixable=True,
)
def toc_drift(ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Compares the TOC with the headings it should list and reports each difference on its
    own: a heading missing from the TOC (at the heading), an entry that leads nowhere, an
    entry out of order or at the wrong level, an entry whose link text holds an image, a link
    or an HTML anchor (not one clickable link), and a TOC that `fix` cannot update safely
    (with the reason).

    The TOC is the first region between marker comments (`<!-- TOC -->` … `<!-- /TOC -->`,
    doctoc, mdformat-toc, md-toc; also indented, in a list, in a quote, in `<details>` or
    with both markers on one line). With `toc.detect: auto` (the default) a file without
    markers may have a TOC too: the first top-level list that starts before the middle
    heading, with at least 3 lines whose first link is an in-page `#fragment` link, those
    being at least 80% of the list's lines with a link and at least half of them resolving.
    Such a list lists the sections after it: the headings above it (a title, an intro, news)
    are expected only when it lists one of them. One that misses more headings than it
    lists is a section's own list of links, not the file's TOC: nothing is reported missing
    from it. Lines of `[a](#a) | [b](#b)`, TOCs written in HTML and Typora's `[TOC]` are no
    such list.
    `toc.detect: markers` checks marker regions only.

    A TOC lists the top-level headings (not those in quotes, lists, code fences or HTML
    blocks) except those marked `<!-- omit from toc -->` or `<!-- omit in toc -->` and the
    TOC's own heading ("Contents") unless it lists it, at the levels `toc.min_level` ..
    `toc.max_level`; by default the levels the existing entries point at (the marker's own
    options, such as `depthFrom:2`, come first). A TOC without markers whose levels come
    from its entries is judged deep per section: a heading below the shallowest level it
    lists is expected only when the TOC lists one of the headings at that level in the same
    parent section. A section it lists without any sub-heading is listed shallow on purpose
    (its sub-headings are not missing, and `fix` adds none); one with some of them listed
    misses the others. Between markers (generated TOCs list every heading of their levels)
    and with `toc.min_level` / `toc.max_level` set, every heading of the levels is expected.
    An entry stands for a heading when its
    fragment resolves to it on GitHub: by the heading's anchor, or by an `<a name>` / `id`
    anchor in, right before or right after the heading (the same answer RG204 uses). An
    entry to a heading in a quote or a list, or to another anchor, resolves and is kept.

    ## Why is this bad?
    A TOC that misses a section hides it; a stale entry leads nowhere. Hand-kept TOCs drift
    with every new heading.

    ## Example
    ```markdown
    <!-- TOC -->
    * [CV](#cv)
      * [Facial expression recognition](#facial-expression-recognition)
    <!-- TOC -->

    ## CV

    ### Facial expression recognition

    ### Image + Video pretrain for downstream tasks
    ```

    ## Use instead
    ```markdown
    <!-- TOC -->
    * [CV](#cv)
      * [Facial expression recognition](#facial-expression-recognition)
      * [Image + Video pretrain for downstream tasks](#image--video-pretrain-for-downstream-tasks)
    <!-- TOC -->

    ## CV

    ### Facial expression recognition

    ### Image + Video pretrain for downstream tasks
    ```

    ## Fix safety
    `fix` merges, it never regenerates: an entry that resolves keeps every byte (only a link
    text holding an image, a link or an anchor is reduced to its text); an entry that leads
    nowhere follows the heading whose text it shows, or the renamed heading in its place
    (same neighbours, a shared word); a missing heading is inserted at its place in document
    order in the indent and bullet of its neighbours, its text from the heading's source
    with images and badges dropped, links reduced to their text and HTML tags removed. An
    entry that leads nowhere and stands for no heading is removed (the only deletion, named
    in the fix), unless text stands around its link or entries nest under it. Titles,
    annotations and blank lines in the TOC stay. Order and indentation are reported, not
    changed. Before a fix is offered, cmark-gfm renders the file with it: if GitHub would
    show fewer clickable in-page links than before plus those added, the TOC is reported and
    left alone.
    """
    for check in ctx.toc_checks:
        yield from _differences(check, ctx.document)
    for region in ctx.toc_regions[1:]:
        yield Finding(
            Span(region.start_line, 1, region.start_line, 1),
            f"a second TOC (lines {region.start_line}-{region.end_line}); only the first TOC "
            "is kept in step with the headings: remove these markers or merge the TOCs",
        )


def _differences(check: TocCheck, document: Document) -> Iterator[Finding]:
    region, fix = check.region, check.fix
    if check.problem is not None:
        yield Finding(
            Span(region.start_line, 1, region.start_line, 1),
            f"the TOC (lines {region.start_line}-{region.end_line}) is not updated by fix: "
            f"{check.problem}",
        )
    listed = {id(h) for h in check.matches if h is not None}
    unordered = out_of_order(check.matches, check.expected)
    entries = zip(region.entries, check.matches, check.actions, check.targets, strict=True)
    for index, (entry, heading, action, target) in enumerate(entries):
        name = entry.text.strip()
        changed = fix if action != "keep" else None
        if action == "remove":
            yield Finding(
                entry.span,
                f"TOC entry '{name}' leads to no heading or anchor of this file and stands for "
                "no heading; fix removes it",
                fix,
            )
            continue
        if action == "clean":
            yield Finding(
                entry.span,
                f"TOC entry '{name}' holds an image, a link or an HTML anchor, so it is not one "
                "clickable link",
                fix,
            )
        if heading is None and target is None:
            yield Finding(
                entry.span,
                f"TOC entry '{name}' leads to no heading or anchor of this file; fix keeps it "
                "for the text around the link or the entries under it: edit it by hand",
            )
            continue
        if heading is None:
            reason = _stale(check, target, listed)
            if reason:
                yield Finding(entry.span, f"TOC entry '{name}' {reason}")
            continue
        if action == "rename":
            yield Finding(
                entry.span,
                f"TOC entry '{name}' stands for the renamed heading '{entry_text(heading)}' "
                f"(line {heading.line})",
                changed,
            )
        elif action == "retarget" and target is not None:  # a broken anchor is RG204's
            yield Finding(
                entry.span,
                f"TOC entry '{name}' links `#{entry.fragment}`, the heading at line "
                f"{target.line}; GitHub's anchor for its heading (line {heading.line}) is "
                f"`#{heading.anchor}`",
                changed,
            )
        if index in unordered:
            yield Finding(
                entry.span,
                f"TOC entry '{name}' is out of order: its heading is at line {heading.line} "
                "(fix keeps entries in place: move it by hand)",
            )
        placed = check.placed_levels.get(heading.line, heading.level)
        if check.entry_levels[index] != placed:
            under = (
                "" if placed == heading.level else f", listed as level {placed} under its parent"
            )
            yield Finding(
                entry.span,
                f"TOC entry '{name}' is indented as level {check.entry_levels[index]}; "
                f"its heading (line {heading.line}) is level {heading.level}{under}",
            )
    lo, hi = check.levels
    for heading in check.missing:
        line = document.source.line(heading.line)
        yield Finding(
            Span(heading.line, 1, heading.line, len(line) + 1),
            f"heading '{heading.text.strip()}' is missing from the TOC "
            f"(which lists levels {lo} to {hi})",
            fix,
        )


def _stale(check: TocCheck, target: Target | None, listed: set[int]) -> str | None:
    """Why a kept entry stands for no heading of the TOC; None when that is fine (an anchor
    that is no heading, a heading in a quote or a list)."""
    heading = target.heading if target is not None else None
    if heading is None:
        return None
    where = f"the heading at line {heading.line}"
    if id(heading) in listed:
        return f"lists {where} a second time"
    if heading.omit_from_toc:
        return f"lists {where}, which is marked `omit from toc`"
    if not heading.top_level:
        return None
    lo, hi = check.levels
    return f"lists {where}, a level-{heading.level} heading; the TOC lists levels {lo} to {hi}"
