"""Paper blocks: the block schema of rules.yaml applied to a Document.

Nothing here knows a particular format: REPORT.md's quotes, the weekly log's dated entries
and an awesome-list's list items are all described by `BlockSchema` alone.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from readme_guard.document import Document, Link, Paragraph, Span, TextLine
from readme_guard.patterns import Pattern, compile_pattern
from readme_guard.settings import BlockSchema

_WORD = re.compile(r"\w")


@dataclass(frozen=True, slots=True)
class Field:
    text: str
    span: Span


@dataclass(frozen=True, slots=True)
class PaperBlock:
    start_line: int
    end_line: int
    column: int  # where the block's first line's content starts
    title: Field | None
    labelled_links: tuple[Link, ...]  # label-shaped links outside the title
    figures: tuple[Link, ...]
    description: Field | None
    links: tuple[Link, ...]  # every link and image of the block
    base_depth: int  # quote depth of the block's first line

    @property
    def first_line_span(self) -> Span:
        return Span(self.start_line, self.column, self.start_line, self.column)


compiled = compile_pattern  # config regexes: linear-time, compiled once per run


def find_blocks(document: Document, schema: BlockSchema) -> list[PaperBlock]:
    """Every paper block of `document`, in order."""
    lines_by_region = _regions(document, schema)
    links = sorted(document.links, key=lambda link: (link.span.line, link.span.column))
    blocks: list[PaperBlock] = []
    link_index = 0
    for region in lines_by_region:
        numbers = [item[1].line for item in region]  # ascending: document order
        for start, end in _split(region, schema):
            block_lines = region[bisect_left(numbers, start) : bisect_right(numbers, end)]
            while link_index < len(links) and links[link_index].line < start:
                link_index += 1
            block_links = []
            probe = link_index
            while probe < len(links) and links[probe].line <= end:
                block_links.append(links[probe])
                probe += 1
            block = _build(block_lines, tuple(block_links), end, schema)
            if block is not None:
                blocks.append(block)
    return blocks


_Line = tuple[Paragraph, TextLine]


def _regions(document: Document, schema: BlockSchema) -> list[list[_Line]]:
    """The text lines of each container that may hold blocks, in document order."""
    spans: list[tuple[int, int, int]] = []  # (container, first line, last line)
    if schema.container == "list_item":
        spans = list(document.list_items)
    else:
        wanted = "blockquote" if schema.container == "blockquote" else "paragraph"
        spans = [
            (c.index, c.start_line, c.end_line) for c in document.containers if c.kind == wanted
        ]
    after_heading = {c.index for c in document.containers if c.after_heading}
    spans = [s for s in spans if not schema.after_first_heading or s[0] in after_heading]
    by_container: dict[int, list[Paragraph]] = {}
    for paragraph in document.paragraphs:
        by_container.setdefault(paragraph.container, []).append(paragraph)
    regions: list[list[_Line]] = []
    previous = -2
    for container, first, last in spans:
        lines = [
            (paragraph, line)
            for paragraph in by_container.get(container, [])
            for line in paragraph.lines
            if first <= line.line <= last
        ]
        # With start lines, a blank line that splits one entry's quote in two must not cut
        # the entry: adjacent containers form one region.
        if lines and regions and schema.start is not None and container == previous + 1:
            regions[-1].extend(lines)
        elif lines:
            regions.append(lines)
        previous = container
    return regions


def _split(region: Sequence[_Line], schema: BlockSchema) -> Iterable[tuple[int, int]]:
    """Line ranges of the blocks in one region."""
    last = region[-1][1].line
    if schema.start is None:
        yield region[0][1].line, last
        return
    start_re = compiled(schema.start)
    starts = [line.line for _, line in region if start_re.search(line.text)]
    for i, start in enumerate(starts):
        yield start, (starts[i + 1] - 1 if i + 1 < len(starts) else last)


def _build(
    lines: Sequence[_Line], links: tuple[Link, ...], end: int, schema: BlockSchema
) -> PaperBlock | None:
    head_paragraph, first = lines[0]
    if _skipped(first.text, schema):
        return None
    base_depth = head_paragraph.quote_depth
    label_re = compiled(schema.links.label_pattern)
    title: Field | None = None
    consumed_line = False
    title_rows: set[int] = set()
    if not _only_labels(first, links, label_re):
        title_lines = _title_lines(head_paragraph, first, links)
        title, consumed_line = _title(title_lines, schema)
        title_rows = {line.line for line in title_lines}
    labelled = tuple(
        link
        for link in links
        if link.kind == "link"
        and link.line <= head_paragraph.end_line
        and label_re.match(link.text.strip())
        and not (link.line in title_rows and (consumed_line or _inside(link.text, title)))
    )
    if title is None and len(lines) > 1 and _skipped(lines[1][1].text, schema):
        return None  # `[date]-[name]` alone, `> > 未精读` on the next line: not an entry
    figures = tuple(link for link in links if link.is_image)
    description = _description(lines, base_depth, title_rows, schema)
    return PaperBlock(
        start_line=first.line,
        end_line=end,
        column=first.column,
        title=title,
        labelled_links=labelled,
        figures=figures,
        description=description,
        links=links,
        base_depth=base_depth,
    )


def _skipped(text: str, schema: BlockSchema) -> bool:
    return any(compiled(pattern).search(text) for pattern in schema.skip)


def _only_labels(first: TextLine, links: Sequence[Link], label_re: Pattern) -> bool:
    """A first line of nothing but labelled links (`[Paper](...), [Code](...)`) is no title."""
    rest = first.text
    for link in links:
        if link.line == first.line and link.kind == "link" and label_re.match(link.text.strip()):
            rest = rest.replace(link.text, "", 1)
    return _WORD.search(rest) is None


def _title_lines(paragraph: Paragraph, first: TextLine, links: Sequence[Link]) -> list[TextLine]:
    """The first line, extended over lazy lines up to a hard break when no link comes first
    (REPORT.md wraps a long title onto an unprefixed line and ends it with two spaces)."""
    rows = [line for line in paragraph.lines if line.line >= first.line]
    link_rows = {link.line for link in links}
    for count, line in enumerate(rows, start=1):
        if count > 1 and line.line in link_rows:
            break
        if line.raw.endswith(("  ", "\\")):
            return rows[:count]
    return [first]


def _title(lines: Sequence[TextLine], schema: BlockSchema) -> tuple[Field | None, bool]:
    """The title field, and whether the title pattern consumed its whole first line."""
    text = " ".join(line.text.strip() for line in lines)
    match = compiled(schema.title.pattern).search(text)
    if match is None:
        return None, False
    group = match.group("title") if "title" in match.re.groupindex else match.group()
    consumed = match.end() >= len(text.rstrip())
    if not group or not _WORD.search(group):
        return None, consumed
    first, last = lines[0], lines[-1]
    span = Span(first.line, first.column, last.line, last.column + len(last.raw))
    return Field(group.strip(), span), consumed


def _inside(text: str, title: Field | None) -> bool:
    return title is not None and text in title.text


def _description(
    lines: Sequence[_Line], base_depth: int, title_rows: set[int], schema: BlockSchema
) -> Field | None:
    """Lines deep enough in quotes; with a pattern, everything from its first match on
    (`论文简述：` often stands alone, its text in the next paragraph)."""
    spec = schema.description
    pattern = compiled(spec.pattern) if spec.pattern else None
    parts: list[str] = []
    span: Span | None = None
    for paragraph, line in lines:
        if line.line in title_rows:
            continue
        if paragraph.quote_depth - base_depth + 1 < spec.min_quote_depth:
            continue
        text = line.text
        if pattern is not None and span is None:
            match = pattern.match(text)
            if match is None:
                continue
            text = text[match.end() :]
        elif pattern is None and not _WORD.search(text):
            continue  # a line of images only is a figure, not a description
        if span is None:
            span = Span(line.line, line.column, line.line, line.column + len(line.raw))
        parts.append(text)
    if span is None:
        return None
    return Field(" ".join(p.strip() for p in parts if p.strip()), span)
