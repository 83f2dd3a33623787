"""RG5xx: paper blocks in the canonical layout of the profile's `layout:` settings.

Every fix here only moves or respells markup that GitHub renders the same either way (a
quote prefix on a lazy line, a line break instead of a space, trailing spaces); `fix`
checks that with cmark-gfm before writing and drops any edit that would change the page.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from itertools import pairwise

from readme_guard.blocks import PaperBlock
from readme_guard.context import RuleContext
from readme_guard.diagnostic import Edit, Finding, Fix
from readme_guard.document import Link, Paragraph, Span, TextLine
from readme_guard.rules import rule
from readme_guard.rules.hygiene import conflicts
from readme_guard.settings import LayoutSpec

# The quote markers at the start of a line: `>` and one optional space each, after the
# indentation of the list item that holds the quote (`    > ...` in a list item).
_QUOTE_MARKERS = re.compile(r"(?:[ \t]*> ?)*")
# What may follow a link destination before its `)`: a title in quotes or parentheses.
_LINK_TAIL = re.compile(r"""\s*(?:"[^"]*"|'[^']*'|\([^)]*\))?\s*\)""")


@rule("RG501", "block-format", "Block layout differs from the canonical one", "warning", True)
def block_format(ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Checks each paper block against the layout of the profile's `layout:` settings: every
    line of the block carries its quote prefix (`body_prefix` for title, links and figure,
    `description_prefix` for the description; with `respell_prefixes`, also spelled as
    configured, `>>` as `>> `), one labelled link per line with
    `link_separator` after all but the last (`link_separator: null` lets links share a line,
    as in a list format), and, with `strip_trailing_spaces`, no spaces at the end of a line
    except a hard break.

    A *lazy continuation line* is a line without the `>` markers of the quote it belongs to:
    Markdown still reads it as part of the paragraph above, so the page looks right, but the
    block no longer looks like a block in the source, and the next edit in GitHub's web editor
    easily breaks it.

    ## Why is this bad?
    A list edited by many hands stays readable only if every block has the same shape;
    lazy lines and links run together on one line are where blocks start to fall apart.

    ## Example
    ```markdown
    ## Multimodality

    > Align before Fuse: Vision and Language
    Representation Learning with Momentum Distillation (NeurIPS 2021)
    > [Paper](https://arxiv.org/abs/2107.07651), [Code](https://github.com/salesforce/ALBEF)
    > ![img.png](https://example.org/albef.png)
    >> Aligns image and text representations before fusing them.
    ```

    ## Use instead
    ```markdown
    ## Multimodality

    > Align before Fuse: Vision and Language
    > Representation Learning with Momentum Distillation (NeurIPS 2021)
    > [Paper](https://arxiv.org/abs/2107.07651),
    > [Code](https://github.com/salesforce/ALBEF)
    > ![img.png](https://example.org/albef.png)
    >> Aligns image and text representations before fusing them.
    ```

    ## Fix safety
    The fix adds missing prefixes, respells prefixes, moves each labelled link to a line of
    its own and strips trailing spaces. A missing link separator is reported but not added:
    that would change the text GitHub shows. `fix` renders the file with cmark-gfm before and
    after and drops any edit that changes the page.
    """
    layout = ctx.config.layout
    rows = _paragraph_rows(ctx)
    lines = ctx.source_lines
    # A `>>>>>>> sha` marker reads as a deep quote whose "lazy lines" follow: RG601's business.
    markers = {n for found in conflicts(lines, ctx.document.code_lines) for n in found}
    swallowed: set[int] = set()  # paragraphs that ran on into a separator line
    for block in ctx.blocks:
        links_by_line = _labelled_links_by_line(block)
        for number in range(block.start_line, block.end_line + 1):
            row = rows.get(number)
            if row is None or row[0].start_line in swallowed:
                continue
            if number in markers or row[0].start_line in markers:
                continue
            paragraph, text_line = row
            line = lines[number - 1]
            written = _markers(line)
            if _swallowed_separator(line, written, paragraph, layout):
                # What follows is the next block read as lazy lines: prefixing it would
                # weld the two blocks together for good.
                swallowed.add(paragraph.start_line)
                yield Finding(
                    Span(number, 1, number, len(line) + 1),
                    f"the separator '{layout.separator}' is read as part of the block above: "
                    "put a blank line before it",
                )
                continue
            finding = _check_line(
                lines, written, paragraph, text_line, links_by_line.get(number, ()), layout
            )
            if finding is not None:
                yield finding
        yield from _missing_separators(block, lines, layout)


@rule("RG502", "block-separator", "Consecutive blocks not separated as configured", "warning", True)
def block_separator(ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Checks that two consecutive paper blocks with no heading between them are separated by
    a line holding the `layout.separator` of the profile (default `&nbsp;`, after a blank
    line), and that the separator is spelled as configured. Nothing is checked with
    `separator: null`, between list items (a line between them would end the list) or
    between blocks sharing one quote (a `blocks.start` pattern).

    ## Why is this bad?
    GitHub draws two consecutive quotes with little space between them; without the
    separator one paper's description runs into the next paper's title.

    ## Example
    ```markdown
    ## Video

    > EVT: BERT Pretraining of Video Transformers (CVPR 2022)
    > ![image](https://example.org/evt.png)
    >> Extends BERT-style pretraining to video.

    > OmniMAE: Single Model Masked Pretraining on Images and Videos (CVPR 2023)
    > ![image](https://example.org/omnimae.png)
    >> One encoder and decoder for images and videos.
    ```

    ## Use instead
    ```markdown
    ## Video

    > EVT: BERT Pretraining of Video Transformers (CVPR 2022)
    > ![image](https://example.org/evt.png)
    >> Extends BERT-style pretraining to video.

    &nbsp;
    > OmniMAE: Single Model Masked Pretraining on Images and Videos (CVPR 2023)
    > ![image](https://example.org/omnimae.png)
    >> One encoder and decoder for images and videos.
    ```

    ## Fix safety
    Only a separator spelled differently but shown the same (`&#160;`, ` &nbsp; `) is
    rewritten. A missing separator is reported, not inserted: it adds a visible line to the
    page, and `fix` never changes what GitHub shows outside the TOC.
    """
    separator = ctx.config.layout.separator
    schema = ctx.config.blocks
    # Between list items a separator line would end the list; blocks sharing one quote
    # (a `start` pattern) cannot have a top-level line between them.
    if separator is None or schema.container == "list_item" or schema.start is not None:
        return
    shown = html.unescape(separator.strip())
    heading_lines = [heading.line for heading in ctx.document.headings]
    lines = ctx.source_lines
    for previous, block in pairwise(ctx.blocks):
        gap = range(previous.end_line + 1, block.start_line)
        if _any_between(heading_lines, gap.start, gap.stop):
            continue
        found = [n for n in gap if html.unescape(lines[n - 1].strip()) == shown]
        if not found:
            yield Finding(
                block.first_line_span,
                f"no '{separator}' line between this block and the one above (add it by "
                "hand: it changes the page, so `fix` does not)",
            )
        elif all(lines[n - 1] != separator for n in found):
            number = found[0]
            written = lines[number - 1]
            yield Finding(
                Span(number, 1, number, len(written) + 1),
                f"block separator written as '{written}': write '{separator}'",
                Fix(
                    f"respell the separator as '{separator}'", (Edit(number, number, (separator,)),)
                ),
            )


def _paragraph_rows(ctx: RuleContext) -> dict[int, tuple[Paragraph, TextLine]]:
    return {line.line: (p, line) for p in ctx.document.paragraphs for line in p.lines}


def _labelled_links_by_line(block: PaperBlock) -> dict[int, tuple[Link, ...]]:
    by_line: dict[int, tuple[Link, ...]] = {}
    for link in block.labelled_links:
        by_line[link.line] = (*by_line.get(link.line, ()), link)
    return by_line


def _check_line(
    lines: Sequence[str],
    written: str,
    paragraph: Paragraph,
    text_line: TextLine,
    links: Sequence[Link],
    layout: LayoutSpec,
) -> Finding | None:
    """At most one finding for one source line (whose quote markers are `written`), its fix
    making every correction at once."""
    line = lines[text_line.line - 1]
    markers_end = len(written)
    if text_line.column - 1 < markers_end:
        return None  # the markers belong to the content (`>` inside a code span or list text)
    content = line[markers_end:]
    depth = paragraph.quote_depth
    found_depth = written.count(">")
    configured = _configured_prefix(depth, layout)
    if configured is not None:
        prefix = configured
    else:  # unconfigured depth: follow the spelling of the paragraph's own first line
        first = _markers(lines[paragraph.start_line - 1])
        prefix = first if first.count(">") == depth else ">" * depth + " "
    problems: list[str] = []
    if found_depth < depth:
        problems.append(f"lazy continuation line: add the '{prefix}' prefix")
    elif (
        layout.respell_prefixes
        and not paragraph.in_list  # a list item's indentation is no prefix to respell
        and found_depth == depth
        and configured is not None
        and written != configured
    ):
        # Shown with the first character after the prefix: a trailing space is visible.
        after = content[:1]
        problems.append(f"quote prefix '{written}{after}' -> '{prefix}{after}'")
    else:
        prefix = written
    is_last = text_line.line == paragraph.end_line
    if layout.strip_trailing_spaces and _strippable_spaces(content, is_last):
        content = content.rstrip(" \t")
        problems.append("trailing spaces")
    if layout.link_separator is None:
        links = ()  # a list format: its links share the line on purpose
    if len(links) > 1:
        problems.append(f"{len(links)} labelled links on one line: put each on a line of its own")
    if not problems:
        return None
    message = "; ".join(problems)
    new_lines = tuple(prefix + piece for piece in _split_links(content, links, markers_end))
    fix = Fix(message, (Edit(text_line.line, text_line.line, new_lines),))
    return Finding(
        Span(text_line.line, 1, text_line.line, max(len(written), 1) + 1),
        message,
        fix if new_lines != (line,) else None,
    )


def _swallowed_separator(line: str, written: str, paragraph: Paragraph, layout: LayoutSpec) -> bool:
    """A separator line with fewer `>` than its paragraph: a lazy line of the block above;
    `written` is the line's quote markers."""
    separator = layout.separator
    return (
        separator is not None
        and line[len(written) :].strip() == separator.strip()
        and written.count(">") < paragraph.quote_depth
    )


def _markers(line: str) -> str:
    found = _QUOTE_MARKERS.match(line)
    return found.group() if found else ""


def _configured_prefix(depth: int, layout: LayoutSpec) -> str | None:
    """The configured prefix with `depth` markers: body first, then description."""
    for prefix in (layout.body_prefix, layout.description_prefix):
        if prefix.count(">") == depth:
            return prefix
    return None


def _strippable_spaces(content: str, is_last: bool) -> bool:
    """Trailing spaces GitHub ignores: not a hard break (two or more spaces before a line
    that continues the paragraph)."""
    bare = content.rstrip(" \t")
    if bare == content or not bare:
        return False
    hard_break = content.endswith("  ") and not is_last
    return not hard_break


def _split_links(content: str, links: Sequence[Link], offset: int) -> list[str]:
    """`content` cut before every labelled link but the first, where a space stands there:
    a line break there shows the same as the space it replaces."""
    cuts = [
        link.markup_column - 1 - offset
        for link in links[1:]
        if 0 < link.markup_column - 1 - offset <= len(content)
        and content[link.markup_column - 2 - offset] in " \t"
    ]
    pieces = []
    start = 0
    for cut in cuts:
        pieces.append(content[start:cut].rstrip(" \t"))
        start = cut
    pieces.append(content[start:])
    return pieces


def _missing_separators(
    block: PaperBlock, lines: Sequence[str], layout: LayoutSpec
) -> Iterator[Finding]:
    """Every labelled link but the last should be followed by `link_separator`; adding one
    changes the page, so these findings carry no fix."""
    separator = (layout.link_separator or "").strip()
    if not separator:
        return
    links = block.labelled_links
    for link, following in pairwise(links):
        line = lines[link.line - 1]
        tail = _LINK_TAIL.match(line, link.span.end_column - 1)
        if tail is None:
            continue
        end = following.markup_column - 1 if following.line == link.line else len(line)
        between = line[tail.end() : end].strip()
        if between != separator:
            column = tail.end() + 1
            yield Finding(
                Span(link.line, column, link.line, column),
                f"no '{separator}' after [{link.text}] (add it by hand: it changes the page)",
            )


def _any_between(sorted_lines: list[int], start: int, stop: int) -> bool:
    """Whether some line of the ascending `sorted_lines` lies in [start, stop)."""
    at = bisect_left(sorted_lines, start)
    return at < len(sorted_lines) and sorted_lines[at] < stop
