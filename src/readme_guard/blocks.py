"""Paper blocks: the block schema of rules.yaml applied to a Document.

Nothing here knows a particular format: REPORT.md's quotes, the weekly log's dated entries,
an awesome-list's list items, a table's rows and a heading per paper are all described by
`BlockSchema` alone.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace

from readme_guard.document import Document, Heading, Link, Paragraph, Span, TextLine
from readme_guard.patterns import Pattern, compile_pattern
from readme_guard.settings import BlockSchema

_WORD = re.compile(r"\w")
# Emphasis and code markers left in a title read from the markup.
_INLINE_MARKUP = re.compile(r"\*\*|__|`|<[^>]*>")
_FIELD_EDGES = "[]-–—: \t"


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
    fields: tuple[tuple[str, str], ...] = ()  # named groups of the title pattern: date, name
    section: int = -1  # index into Document.headings of the section holding it; -1: none

    @property
    def first_line_span(self) -> Span:
        return Span(self.start_line, self.column, self.start_line, self.column)

    def field(self, name: str) -> str | None:
        return next((value for key, value in self.fields if key == name), None)


compiled = compile_pattern  # config regexes: linear-time, compiled once per run


def find_blocks(document: Document, schema: BlockSchema) -> list[PaperBlock]:
    """Every paper block of `document`, in order."""
    if schema.container == "none":
        return []
    if schema.container == "table":
        candidates: Iterable[PaperBlock | None] = _table_rows(document, schema)
    elif schema.container == "section":
        candidates = _sections(document, schema)
    else:
        candidates = _quoted_or_listed(document, schema)
    blocks = [b for b in candidates if b is not None and not _not_a_paper(document, b, schema)]
    return _with_sections(document, blocks, schema)


# -- quotes, list items and paragraphs -----------------------------------------------------

_Line = tuple[Paragraph, TextLine]


def _quoted_or_listed(document: Document, schema: BlockSchema) -> Iterator[PaperBlock | None]:
    links = _sorted_links(document)
    lines = [line.line for line in links]
    for region in _regions(document, schema):
        numbers = [item[1].line for item in region]  # ascending: document order
        for start, end in _split(region, schema):
            block_lines = region[bisect_left(numbers, start) : bisect_right(numbers, end)]
            yield _build(block_lines, _links_between(links, lines, start, end), end, schema)


def _sorted_links(document: Document) -> list[Link]:
    return sorted(document.links, key=lambda link: (link.span.line, link.span.column))


def _links_between(links: list[Link], lines: list[int], start: int, end: int) -> tuple[Link, ...]:
    return tuple(links[bisect_left(lines, start) : bisect_left(lines, end + 1)])


def _regions(document: Document, schema: BlockSchema) -> list[list[_Line]]:
    """The text lines of each container that may hold blocks, in document order."""
    spans: list[tuple[int, ...]]  # (container, first line, last line[, list container])
    if schema.container == "list_item":
        spans = list(document.list_items)
    elif schema.container == "paragraph" and schema.with_list:
        following = {c.index - 1: c for c in document.containers if c.kind == "list"}
        spans = [
            (c.index, c.start_line, following[c.index].end_line, c.index + 1)
            for c in document.containers
            if c.kind == "paragraph" and c.index in following
        ]
    else:
        spans = [
            (c.index, c.start_line, c.end_line)
            for c in document.containers
            if c.kind == schema.container
        ]
    by_container: dict[int, list[Paragraph]] = {}
    for paragraph in document.paragraphs:
        by_container.setdefault(paragraph.container, []).append(paragraph)
    regions: list[list[_Line]] = []
    previous = -2
    for container, first, last, *more in spans:
        lines = [
            (paragraph, line)
            for index in (container, *more)
            for paragraph in by_container.get(index, [])
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
    if schema.not_papers.only_links and _only_links(first, links, None):
        lead = next((link for link in links if link.line == first.line), None)
        if lead is None or len(lead.text.split()) < 3:
            return None  # `- [A Title of Three Words](...)` is a paper; `[fairseq]` a tool
    base_depth = head_paragraph.quote_depth
    label_re = compiled(schema.links.label_pattern)
    title: Field | None = None
    fields: tuple[tuple[str, str], ...] = ()
    consumed_line = False
    title_rows: set[int] = set()
    if not _only_links(first, links, label_re):
        title_lines = _title_lines(head_paragraph, first, links)
        title, consumed_line, fields = _title(title_lines, schema)
        title_rows = {line.line for line in title_lines}
    # Labels stand in the head paragraph, or in the list that follows it (`with_list`).
    last = end if schema.with_list else head_paragraph.end_line
    labelled = tuple(
        link
        for link in links
        if link.kind == "link"
        and link.line <= last
        and label_re.match(link.text.strip())
        and not (link.line in title_rows and (consumed_line or _inside(link.text, title)))
    )
    if title is None and len(lines) > 1 and _skipped(lines[1][1].text, schema):
        return None  # `[date]-[name]` alone, `> > 未精读` on the next line: not an entry
    return PaperBlock(
        start_line=first.line,
        end_line=end,
        column=first.column,
        title=title,
        labelled_links=labelled,
        figures=tuple(link for link in links if link.is_image),
        description=_description(lines, links, base_depth, title_rows, schema),
        links=links,
        base_depth=base_depth,
        fields=fields,
    )


def _skipped(text: str, schema: BlockSchema) -> bool:
    return any(compiled(pattern).search(text) for pattern in schema.skip)


def _not_a_paper(document: Document, block: PaperBlock, schema: BlockSchema) -> bool:
    """An alert, a callout, or a block with nothing to open: never a paper block."""
    spec = schema.not_papers
    first = document.source.line(block.start_line)[block.column - 1 :]
    if any(compiled(pattern).search(first) for pattern in spec.markup):
        return True
    # A `start` line is an entry's own mark: such an entry may lack every link.
    return (
        spec.without_links
        and schema.start is None
        and not any(
            link.is_image or not link.destination.strip().startswith("#") for link in block.links
        )
    )


def _link_free(text: str, links: Iterable[Link], line: int, label_re: Pattern | None) -> str:
    """`text` without the texts of the links on `line` (only label-shaped ones with `label_re`)."""
    for link in links:
        label = label_re is None or label_re.match(link.text.strip())
        if link.line == line and link.kind == "link" and label:
            text = text.replace(link.text, "", 1)
    return text


def _only_links(first: TextLine, links: Sequence[Link], label_re: Pattern | None) -> bool:
    """A first line of nothing but links (labelled ones, with `label_re`): `[Paper](...)`."""
    return _WORD.search(_link_free(first.text, links, first.line, label_re)) is None


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


def _title(
    lines: Sequence[TextLine], schema: BlockSchema
) -> tuple[Field | None, bool, tuple[tuple[str, str], ...]]:
    """The title field, whether the title pattern consumed its whole first line, and the
    other named groups of the pattern (the entry's fields)."""
    spec = schema.title
    text = " ".join((line.raw if spec.source == "markup" else line.text).strip() for line in lines)
    match = compiled(spec.pattern).search(text)
    if match is None:
        return None, False, ()
    fields = tuple(
        (name, value.strip(_FIELD_EDGES))
        for name, value in match.groupdict().items()
        if name != "title" and value and value.strip(_FIELD_EDGES)
    )
    group = match.group("title") if "title" in match.re.groupindex else match.group()
    consumed = match.end() >= len(text.rstrip())
    if spec.source == "markup" and group:
        group = _INLINE_MARKUP.sub("", group)
    if not group or not _WORD.search(group):
        return None, consumed, fields
    first, last = lines[0], lines[-1]
    span = Span(first.line, first.column, last.line, last.column + len(last.raw))
    return Field(group.strip(), span), consumed, fields


def _inside(text: str, title: Field | None) -> bool:
    return title is not None and text in title.text


def _description(
    lines: Sequence[_Line],
    links: Sequence[Link],
    base_depth: int,
    title_rows: set[int],
    schema: BlockSchema,
) -> Field | None:
    """Lines deep enough in quotes: from the label (`论文简述：`, which often stands alone,
    its text in the next paragraph) on; without the label, from the first line of text that
    is more than links and figures."""
    spec = schema.description
    candidates = [
        line
        for paragraph, line in lines
        if line.line not in title_rows
        # 0: any depth, even shallower than the first line (an entry begun in a deeper quote)
        and (
            spec.min_quote_depth <= 0
            or paragraph.quote_depth - base_depth + 1 >= spec.min_quote_depth
        )
    ]
    start, text = None, ""
    if spec.pattern:
        pattern = compiled(spec.pattern)
        for index, line in enumerate(candidates):
            match = pattern.match(line.text)
            if match is not None:
                start, text = index, line.text[match.end() :]
                break
    if start is None:
        for index, line in enumerate(candidates):
            if _WORD.search(_link_free(line.text, links, line.line, None)):
                start, text = index, line.text
                break
    if start is None:
        return None
    head = candidates[start]
    parts = [text] + [line.text for line in candidates[start + 1 :] if _WORD.search(line.text)]
    span = Span(head.line, head.column, head.line, head.column + len(head.raw))
    return Field(" ".join(p.strip() for p in parts if p.strip()), span)


# -- tables ---------------------------------------------------------------------------------


def _table_rows(document: Document, schema: BlockSchema) -> Iterator[PaperBlock | None]:
    """Each body row of a top-level table whose header names a title column."""
    spec = schema.table
    if spec is None:
        return
    links = _sorted_links(document)
    link_lines = [link.line for link in links]
    known = {label.lower(): label for label in schema.links.labels}
    title_re = compiled(f"(?i){spec.title}")
    description_re = compiled(f"(?i){spec.description}") if spec.description else None
    for container in document.containers:
        if container.kind != "table" or container.end_line - container.start_line < 2:
            continue
        header = _cells(document.source.line(container.start_line))
        names = [_plain_cell(text) for _, _, text in header]
        title_at = next((i for i, name in enumerate(names) if title_re.search(name)), None)
        if title_at is None:
            continue
        described = next(
            (i for i, n in enumerate(names) if description_re and description_re.search(n)), None
        )
        for number in range(container.start_line + 2, container.end_line + 1):
            row = _cells(document.source.line(number))
            if title_at >= len(row):
                continue
            row_links = _links_between(links, link_lines, number, number)
            yield _table_row(number, row, names, title_at, described, row_links, known, schema)


def _table_row(
    number: int,
    row: list[tuple[int, int, str]],
    names: list[str],
    title_at: int,
    described: int | None,
    links: tuple[Link, ...],
    known: dict[str, str],
    schema: BlockSchema,
) -> PaperBlock:
    def column_of(link: Link) -> int | None:
        return next((i for i, (s, e, _) in enumerate(row) if s <= link.markup_column < e), None)

    label_re = compiled(schema.links.label_pattern)
    labelled: list[Link] = []
    for link in links:
        if link.kind not in ("link", "html_a"):
            continue
        at = column_of(link)
        header = names[at].lower() if at is not None and at < len(names) else ""
        if at != title_at and header in known:
            labelled.append(replace(link, text=known[header]))  # the column names the label
        elif at != title_at and label_re.match(link.text.strip()):
            labelled.append(link)
    start, end, text = row[title_at]
    title_text = _plain_cell(text)
    title = (
        Field(title_text, Span(number, start, number, end)) if _WORD.search(title_text) else None
    )
    description = None
    if described is not None and described < len(row):
        d_start, d_end, d_text = row[described]
        if _WORD.search(_plain_cell(d_text)):
            description = Field(_plain_cell(d_text), Span(number, d_start, number, d_end))
    return PaperBlock(
        start_line=number,
        end_line=number,
        column=row[0][0],
        title=title,
        labelled_links=tuple(labelled),
        figures=tuple(link for link in links if link.is_image),
        description=description,
        links=links,
        base_depth=0,
    )


def _cells(line: str) -> list[tuple[int, int, str]]:
    """The cells of a table row: (1-based start column, end column, text), split at `|`
    outside code spans and not escaped."""
    cells: list[tuple[int, int, str]] = []
    start, in_code, i = 0, False, 0
    stripped = line.rstrip()
    while i < len(stripped):
        char = stripped[i]
        if char == "\\":
            i += 2
            continue
        if char == "`":
            in_code = not in_code
        elif char == "|" and not in_code:
            cells.append((start + 1, i + 1, stripped[start:i]))
            start = i + 1
        i += 1
    cells.append((start + 1, len(stripped) + 1, stripped[start:]))
    if cells and not cells[0][2].strip():
        cells = cells[1:]  # a leading `|`
    if cells and not cells[-1][2].strip():
        cells = cells[:-1]  # a trailing `|`
    return cells


_CELL_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


def _plain_cell(text: str) -> str:
    """A cell's text roughly as shown: links by their text, images and tags dropped."""
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)
    text = _CELL_LINK.sub(r"\1", text)
    text = _INLINE_MARKUP.sub(" ", text)
    return " ".join(text.replace("\\|", "|").split())


# -- one heading per paper ------------------------------------------------------------------


def _sections(document: Document, schema: BlockSchema) -> Iterator[PaperBlock | None]:
    """Each heading of the paper level, up to the next heading of the same or a higher level."""
    headings = [h for h in document.headings if h.top_level]
    level = schema.section_level or max((h.level for h in headings), default=0)
    links = _sorted_links(document)
    link_lines = [link.line for link in links]
    label_re = compiled(schema.links.label_pattern)
    last_line = len(document.source.lines)
    by_line = {line.line: (p, line) for p in document.paragraphs for line in p.lines}
    for index, heading in enumerate(headings):
        if heading.level != level:
            continue
        end = next((h.line - 1 for h in headings[index + 1 :] if h.level <= level), last_line)
        block_links = _links_between(links, link_lines, heading.line, end)
        lines = [by_line[n] for n in range(heading.line + 1, end + 1) if n in by_line]
        yield _section_block(heading, end, lines, block_links, label_re, schema)


def _section_block(
    heading: Heading,
    end: int,
    lines: Sequence[_Line],
    links: tuple[Link, ...],
    label_re: Pattern,
    schema: BlockSchema,
) -> PaperBlock | None:
    if _skipped(heading.text, schema):
        return None
    span = Span(heading.line, 1, heading.line, len(heading.source_text) + 1)
    title = Field(heading.text.strip(), span) if _WORD.search(heading.text) else None
    labelled = tuple(
        link
        for link in links
        if link.kind == "link" and link.line > heading.line and label_re.match(link.text.strip())
    )
    return PaperBlock(
        start_line=heading.line,
        end_line=end,
        column=1,
        title=title,
        labelled_links=labelled,
        figures=tuple(link for link in links if link.is_image),
        description=_description(lines, links, 0, set(), schema),
        links=links,
        base_depth=0,
    )


# -- sections for the duplicate scope -------------------------------------------------------


def _with_sections(
    document: Document, blocks: list[PaperBlock], schema: BlockSchema
) -> list[PaperBlock]:
    """Each block with the index of the heading whose section holds it (for a heading per
    paper: the nearest heading above the paper level)."""
    headings = document.headings
    if not headings:
        return blocks
    top = [h for h in headings if h.top_level]
    level = schema.section_level or max((h.level for h in top), default=0)
    eligible = [
        i
        for i, h in enumerate(headings)
        if schema.container != "section" or (h.top_level and h.level < level)
    ]
    lines = [headings[i].line for i in eligible]
    placed = []
    for block in blocks:
        at = bisect_left(lines, block.start_line) - 1
        placed.append(replace(block, section=eligible[at]) if at >= 0 else block)
    return placed
