"""The TOC compared with the headings, and the update `fix` applies: a merge.

* An entry whose fragment resolves keeps every byte, except that a link text holding an
  image, a link or an HTML anchor is reduced to plain text (one clickable link).
* An entry whose fragment leads nowhere but whose text is an unlisted heading's follows
  that heading's anchor; one in the place of a renamed heading (the same neighbours) follows
  the new name and anchor.
* A heading missing from the TOC is inserted at its place in document order, in the indent
  and bullet of its neighbours. In a TOC without markers a section listed without any of
  its sub-headings misses none of them (`_listed_deep`): it is listed shallow on purpose.
* An entry that leads nowhere and stands for no heading is removed: the only deletion.

Every other line of the region (titles, annotations, blank lines) is kept. A region that
cannot be updated safely is reported with the reason and left alone.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Literal

from readme_guard.diagnostic import Edit, Fix
from readme_guard.document import Document, Heading
from readme_guard.settings import TocSpec
from readme_guard.toc import line_prefix
from readme_guard.toc.anchors import Anchors, Target
from readme_guard.toc.entries import (
    TocEntry,
    TocRegion,
    clickable,
    damaged,
    entry_text,
    plain_link_text,
    same_text,
)

Action = Literal["keep", "clean", "retarget", "rename", "remove"]
_ORDERED = re.compile(r"(\d{1,9})([.)])([ \t]+)")
_WORD = re.compile(r"\w{2,}")
_CJK = 0x2E80  # from here on a character is a word of its own


@dataclass(frozen=True)
class TocCheck:
    """One region compared with the headings it should list, and its update."""

    region: TocRegion
    levels: tuple[int, int]
    expected: tuple[Heading, ...]  # the headings the TOC should list, in document order
    matches: tuple[Heading | None, ...]  # per entry: the expected heading it stands for
    targets: tuple[Target | None, ...]  # per entry: where its fragment leads
    actions: tuple[Action, ...]  # per entry: what the update does to it
    entry_levels: tuple[int, ...]  # per entry: the level its indentation shows
    placed_levels: dict[int, int]  # heading line -> the level its entry is indented as
    missing: tuple[Heading, ...]  # expected headings no entry stands for
    own_list: bool  # a marker-less list that is a section's own links, not the file's TOC
    fix: Fix | None  # the update; None when nothing changes or it is not safe
    problem: str | None  # why the region is not updated, if it needs to be but cannot

    @property
    def lines(self) -> tuple[str, ...] | None:
        """The region as the update writes it."""
        return self.fix.edits[0].lines if self.fix else None


def listable(document: Document) -> list[Heading]:
    """Headings a TOC lists: top-level ones (not in quotes or lists), not marked
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


def compare(document: Document, spec: TocSpec, region: TocRegion, anchors: Anchors) -> TocCheck:
    """`region` compared with the headings of `document`, and the merge that updates it."""
    entries = region.entries
    targets = tuple(anchors.resolve(e.fragment) for e in entries)
    candidates = listable(document)
    shown, _ = _match(entries, targets, candidates)
    shown_levels = [h.level for h in shown if h is not None]
    marker_lo, marker_hi = region.marker_levels
    fallback = (
        (min(shown_levels), max(shown_levels)) if shown_levels else default_levels(candidates)
    )
    lo = spec.min_level or marker_lo or fallback[0]
    hi = spec.max_level or marker_hi or fallback[1]
    title = _title(document, region)
    listed = {id(t.heading) for t in targets if t is not None}
    # A hand-made TOC (no markers) lists the sections after it: the headings above it (a
    # title, an introduction, news) are expected only when it lists one of them.
    above = region.kind == "list" and not any(
        t is not None and t.heading is not None and t.heading.line < region.start_line
        for t in targets
    )
    expected = [
        h
        for h in candidates
        if lo <= h.level <= hi
        and (h is not title or id(h) in listed)
        and not (above and h.line < region.start_line)
    ]
    if region.kind == "list" and shown_levels and not (spec.min_level or spec.max_level):
        # A hand-made TOC's depth, read off what it lists, is judged per section (a
        # generated one between markers lists every heading of its levels; set levels hold).
        expected = _listed_deep(document, expected, shown, lo)
    matches, actions = _match(entries, targets, expected)
    claimed = {id(h) for h in matches if h is not None}
    # A TOC none of whose entries stands for a heading lists something else (anchors of its
    # own): the headings are not missing from it.
    missing = [h for h in expected if id(h) not in claimed] if claimed or not entries else []
    for index, entry in enumerate(entries[:-1]):
        if actions[index] == "remove" and entries[index + 1].indent > entry.indent:
            actions[index] = "keep"  # entries nest under it: removing it would move them
    own_list = region.kind == "list" and len(missing) > len(claimed)
    if own_list:
        # A list without markers that misses more headings than it lists is a section's own
        # list of links, not the file's TOC: nothing is missing from it, nothing removed.
        missing, actions = [], ["keep"] * len(entries)
    unit, base = _layout(entries)
    lowest = min((h.level for h in expected), default=lo)
    entry_levels = tuple(lowest + round((e.indent - base) / unit) for e in entries)
    placed = {h.line: lowest + depth for h, depth in zip(expected, depths(expected), strict=True)}
    current = tuple(document.source.line(n) for n in range(region.start_line, region.end_line + 1))
    problem = region.problem
    fix = None
    if problem is None:
        lines = _merged(document, region, matches, actions, expected, missing, (unit, base))
        if lines != current:
            removed = actions.count("remove")
            problem = _unsafe(document, region, lines, len(missing) - removed)
            if problem is None:
                fix = Fix(
                    _describe(entries, actions, missing),
                    (Edit(region.start_line, region.end_line, lines),),
                    toc=True,
                )
    elif not missing and all(a == "keep" for a in actions):
        problem = None  # nothing to update
    return TocCheck(
        region=region,
        levels=(lo, hi),
        expected=tuple(expected),
        matches=tuple(matches),
        targets=targets,
        actions=tuple(actions),
        entry_levels=entry_levels,
        placed_levels=placed,
        missing=tuple(missing),
        own_list=own_list,
        fix=fix,
        problem=problem,
    )


def _listed_deep(
    document: Document,
    expected: Sequence[Heading],
    shown: Sequence[Heading | None],
    lo: int,
) -> list[Heading]:
    """`expected` without the sub-headings of sections the TOC lists shallow: a heading below
    level `lo` is expected only when the TOC lists one of the headings at its level in its
    parent's section. A section listed without its sub-headings is listed so on purpose;
    one with some of them listed misses the others."""
    listed = {id(h) for h in shown if h is not None}
    parents: list[Heading] = []  # the open sections, shallowest first
    sibling_groups: dict[int, tuple[int | None, int]] = {}  # heading -> (parent, its level)
    for heading in document.headings:
        if not heading.top_level:
            continue
        while parents and parents[-1].level >= heading.level:
            parents.pop()
        parent = id(parents[-1]) if parents else None
        sibling_groups[id(heading)] = (parent, heading.level)
        parents.append(heading)
    shown_groups = {sibling_groups[h] for h in listed}
    return [h for h in expected if h.level <= lo or sibling_groups[id(h)] in shown_groups]


def _title(document: Document, region: TocRegion) -> Heading | None:
    """The heading right above the TOC ("Contents", "目录"): the TOC's own title, which it
    lists only if it does already."""
    above = [h for h in document.headings if h.line < region.start_line]
    return above[-1] if above else None


def _match(
    entries: Sequence[TocEntry], targets: Sequence[Target | None], expected: Sequence[Heading]
) -> tuple[list[Heading | None], list[Action]]:
    """Per entry, the expected heading it stands for and what the update does to it.

    By anchor first; then an entry whose anchor leads nowhere (a JetBrains
    `#font-colorgreen-navigation-font-`) or to a heading another entry has (a second
    `#papers` for GitHub's `#papers-1`) stands for the unclaimed heading whose text it shows;
    then each entry left that leads nowhere pairs with the next unclaimed heading between the
    same neighbours that shares a word with it (a renamed heading)."""
    wanted = {id(h): i for i, h in enumerate(expected)}
    claimed: set[int] = set()
    matches: list[Heading | None] = [None] * len(entries)
    actions: list[Action] = ["keep"] * len(entries)
    for index, target in enumerate(targets):
        heading = target.heading if target else None
        if heading is not None and id(heading) in wanted and id(heading) not in claimed:
            claimed.add(id(heading))
            matches[index] = heading
    for index, entry in enumerate(entries):
        target = targets[index]
        if matches[index] is not None or (target is not None and target.heading is None):
            continue
        if target is not None and (target.heading is None or id(target.heading) not in wanted):
            continue  # resolves to a heading the TOC need not list: kept as it is
        for heading in expected:
            if id(heading) not in claimed and same_text(entry.text, heading.source_text):
                claimed.add(id(heading))
                matches[index] = heading
                actions[index] = "retarget"
                break
    _pair_renamed(entries, targets, expected, wanted, claimed, matches, actions)
    for index, entry in enumerate(entries):
        if actions[index] != "keep":
            continue
        if targets[index] is None and matches[index] is None:
            # Only a bare entry goes: text around the link is the maintainer's, never lost.
            bare = entry.before == entry.lead and entry.after == entry.tail
            actions[index] = "remove" if bare else "keep"
        elif damaged(entry):
            actions[index] = "clean"
    return matches, actions


def _pair_renamed(
    entries: Sequence[TocEntry],
    targets: Sequence[Target | None],
    expected: Sequence[Heading],
    wanted: dict[int, int],
    claimed: set[int],
    matches: list[Heading | None],
    actions: list[Action],
) -> None:
    gaps: dict[tuple[int, int], list[int]] = {}  # (previous, next heading position) -> entries
    previous = -1
    for index in range(len(entries)):
        heading = matches[index]
        if heading is not None:
            previous = wanted[id(heading)]
        elif targets[index] is None:
            following = next(
                (wanted[id(h)] for h in matches[index + 1 :] if h is not None), len(expected)
            )
            gaps.setdefault((previous, following), []).append(index)
    for (low, high), stale in gaps.items():
        free = [h for h in expected[low + 1 : high] if id(h) not in claimed]
        for index in stale:  # in order: a renamed heading keeps its place
            found = next(
                (k for k, h in enumerate(free) if _alike(entries[index].text, h.source_text)), None
            )
            if found is None:
                continue
            heading = free[found]
            free = free[found + 1 :]
            claimed.add(id(heading))
            matches[index] = heading
            actions[index] = "rename"


def _alike(text: str, heading: str) -> bool:
    """An old entry text and a heading share a word (a CJK character counts as one): enough
    to take the heading for the entry's, renamed."""
    return bool(_words(text) & _words(heading))


def _words(text: str) -> set[str]:
    words: set[str] = set()
    for word in _WORD.findall(plain_link_text(text).casefold()):
        words.update(word if any(ord(c) >= _CJK for c in word) else (word,))
    return words


# -- the merged region -------------------------------------------------------------------


def _merged(
    document: Document,
    region: TocRegion,
    matches: Sequence[Heading | None],
    actions: Sequence[Action],
    expected: Sequence[Heading],
    missing: Sequence[Heading],
    layout: tuple[int, int],
) -> tuple[str, ...]:
    line = document.source.line
    first, last = region.body
    entries = region.entries
    inserts = _insertion_points(document, region, matches, expected, missing)
    body: list[str] = []
    at_line = {e.line: i for i, e in enumerate(entries)}
    new_lines = _new_lines(document, region, matches, expected, missing, layout)
    for number in range(first, last + 1):
        body.extend(new_lines[id(h)] for h in inserts.get(number, ()))
        index = at_line.get(number)
        if index is None:
            body.append(line(number))
        elif actions[index] != "remove":
            body.append(_rewritten(entries[index], matches[index], actions[index]))
    body.extend(new_lines[id(h)] for h in inserts.get(last + 1, ()))
    if not entries and missing and _swallowed(document, region):
        body = ["", *body, ""]
    if region.one_line:
        text = line(region.start_line)
        start_end = _start_marker_end(document, region)
        end_at = text.index("<!--", start_end)
        return (text[:start_end], *body, text[end_at:])
    head = [line(n) for n in range(region.start_line, first)]
    tail = [line(n) for n in range(last + 1, region.end_line + 1)]
    return (*head, *body, *tail)


def _start_marker_end(document: Document, region: TocRegion) -> int:
    text = document.source.line(region.start_line)
    return text.index("-->") + 3


def _swallowed(document: Document, region: TocRegion) -> bool:
    """New entries after the start marker would be inside an HTML block (a `<details>` that
    runs on, or a one-line region whose line opens a block that is no comment)."""
    start = region.start_line
    for container in document.containers:
        if container.start_line > start:
            break
        if container.kind == "html" and container.end_line >= start:
            opens_comment = document.source.line(start).lstrip().startswith("<!--")
            return container.start_line < start or not opens_comment or container.end_line > start
    return False


def _rewritten(entry: TocEntry, heading: Heading | None, action: Action) -> str:
    if action == "keep":
        return entry.before + entry.link + entry.after
    destination = entry.link[len(entry.text) + 2 :]
    text = entry.text
    if action == "clean" or damaged(entry):
        text = plain_link_text(entry.text) or (entry_text(heading) if heading else entry.text)
    if action in ("retarget", "rename") and heading is not None:
        destination = f"(#{heading.anchor})"
        if action == "rename":
            text = entry_text(heading)
    return f"{entry.before}[{text}]{destination}{entry.after}"


def _insertion_points(
    document: Document,
    region: TocRegion,
    matches: Sequence[Heading | None],
    expected: Sequence[Heading],
    missing: Sequence[Heading],
) -> dict[int, list[Heading]]:
    """Per body line, the missing headings inserted before it (`body[1] + 1`: at the end)."""
    position = {id(h): i for i, h in enumerate(expected)}
    entries = region.entries
    placed = [(position[id(h)], i) for i, h in enumerate(matches) if h is not None]
    points: dict[int, list[Heading]] = {}
    for heading in missing:
        at = position[id(heading)]
        before = [i for p, i in placed if p < at]
        if before:
            line = _extent_end(document, region, entries[max(before)]) + 1
        else:
            after = [i for p, i in placed if p > at]
            if after:
                line = entries[min(after)].line
            elif entries:
                line = _extent_end(document, region, entries[-1]) + 1
            else:
                line = _last_text_line(document, region) + 1
        points.setdefault(line, []).append(heading)
    return points


def _extent_end(document: Document, region: TocRegion, entry: TocEntry) -> int:
    """The last line of an entry's item: the entry line and the lines below it that are no
    entry and are indented deeper (an annotation, a list of papers)."""
    entry_lines = {e.line for e in region.entries}
    end = entry.line
    for number in range(entry.line + 1, region.body[1] + 1):
        text = document.source.line(number)
        indent = len(text.expandtabs(4)) - len(text.expandtabs(4).lstrip())
        if number in entry_lines or not text.strip() or indent <= entry.indent:
            break
        end = number
    return end


def _last_text_line(document: Document, region: TocRegion) -> int:
    """Where entries go in a region that has none: after its last non-blank line."""
    first, last = region.body
    if first > last:
        return last
    for number in range(last, first - 1, -1):
        if document.source.line(number).strip():
            return number
    return first - 1


def _new_lines(
    document: Document,
    region: TocRegion,
    matches: Sequence[Heading | None],
    expected: Sequence[Heading],
    missing: Sequence[Heading],
    layout: tuple[int, int],
) -> dict[int, str]:
    """The entry line of each missing heading, in the indent and bullet of its neighbours."""
    unit, _ = layout
    entries = region.entries
    listed = [(h, e) for h, e in zip(matches, entries, strict=True) if h is not None]
    position = {id(h): i for i, h in enumerate(expected)}
    numbers = {m.group(1) for e in entries if (m := _ORDERED.fullmatch(e.bullet))}
    nesting = dict(zip((id(h) for h in expected), depths(expected), strict=True))
    lines: dict[int, str] = {}
    for heading in missing:
        link = f"[{entry_text(heading)}](#{heading.anchor})"
        if not listed:  # an empty region: below its start marker, as deep as the marker
            prefix = line_prefix(document.source.line(region.start_line))
            indent = " " * (unit * nesting[id(heading)])
            lines[id(heading)] = prefix + indent + "- " + link
            continue
        at = position[id(heading)]
        model_heading, model = min(
            listed,
            key=lambda pair: (
                pair[0].level != heading.level,
                abs(pair[0].level - heading.level),
                abs(position[id(pair[0])] - at),
            ),
        )
        lead = model.lead
        if model_heading.level != heading.level and ">" not in lead:
            # At most one level deeper than the model: deeper would be a code block.
            steps = min(heading.level - model_heading.level, 1)
            lead = " " * max(0, model.indent + unit * steps) + model.bullet
        bullet = _ORDERED.fullmatch(model.bullet)
        if bullet is not None and len(numbers) > 1:
            number = int(bullet.group(1)) + (position[id(model_heading)] < at)
            lead = (
                lead[: len(lead) - len(model.bullet)]
                + f"{number}{bullet.group(2)}{bullet.group(3)}"
            )
        lines[id(heading)] = lead + link + model.tail
    return lines


def _describe(
    entries: Sequence[TocEntry], actions: Sequence[Action], missing: Sequence[Heading]
) -> str:
    parts = []
    if missing:
        parts.append(f"add {len(missing)} missing heading{'s' * (len(missing) > 1)}")
    removed = [e.text.strip() for e, a in zip(entries, actions, strict=True) if a == "remove"]
    if removed:
        parts.append("remove the entries leading nowhere: " + ", ".join(f"'{t}'" for t in removed))
    changed = sum(a in ("retarget", "rename", "clean") for a in actions)
    if changed:
        parts.append(f"update {changed} entr{'ies' if changed > 1 else 'y'}")
    return "update the TOC: " + "; ".join(parts)


def _unsafe(document: Document, region: TocRegion, lines: Sequence[str], added: int) -> str | None:
    """Why writing `lines` over the region is not safe: GitHub's page would show fewer
    clickable entries than before plus those added."""
    from readme_guard.fixing import render_html, splice

    source = document.source
    before = clickable(render_html(source.text))
    after = clickable(
        render_html(splice(source, [Edit(region.start_line, region.end_line, tuple(lines))]))
    )
    if after < before + added:
        return (
            f"the updated TOC would show {after - before:+d} clickable entries instead of "
            f"{added:+d} (GitHub would not read the new lines as a list)"
        )
    return None


# -- levels and order --------------------------------------------------------------------


def _layout(entries: Sequence[TocEntry]) -> tuple[int, int]:
    """(indentation unit, base indent) of the existing entries; 2, 0 if none."""
    if not entries:
        return (2, 0)
    indents = sorted({e.indent for e in entries})
    steps = [b - a for a, b in pairwise(indents)]
    return (min(steps) if steps else max(len(entries[0].bullet), 2), indents[0])


def depths(headings: Sequence[Heading]) -> list[int]:
    """Each entry's nesting: its level below the shallowest listed, but never more than one
    deeper than the entry before it. A Markdown list cannot open two levels at once: an entry
    indented further would turn into a code block."""
    lowest = min((h.level for h in headings), default=1)
    depths: list[int] = []
    previous = -1
    for heading in headings:
        previous = min(heading.level - lowest, previous + 1)
        depths.append(previous)
    return depths


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
