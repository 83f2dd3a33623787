"""The positioned document that rules read: plain data, no parser types.

`markdown.parse` builds it; every rule sees only these classes, so the parser can change
without touching a rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, NamedTuple

from readme_guard.source import Source

LinkKind = Literal["link", "image", "html_img", "html_a", "autolink"]
ContainerKind = Literal[
    "blockquote", "list", "paragraph", "heading", "html", "code", "table", "rule", "footnote"
]


# Quotes and lists nested deeper than this (each counts one) are not read into a Document:
# the region is listed in `Document.too_deep` and the rest of the file is checked.
NESTING_LIMIT = 32


class Span(NamedTuple):
    """1-based line and column of the first character; end column is exclusive.

    A NamedTuple, not a frozen dataclass: documents hold hundreds of thousands of spans and
    text lines, and a frozen dataclass is five times slower to create."""

    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True, slots=True)
class Link:
    """A link or image destination as written, and where that destination stands."""

    kind: LinkKind
    text: str  # link text or image alt, rendered to plain text
    destination: str  # as written in the source, `<...>` and title removed
    span: Span  # of the destination
    markup_column: int  # column of the construct's first character (`[`, `!`, `<`)
    quote_depth: int
    container: int  # index into Document.containers

    @property
    def line(self) -> int:
        return self.span.line

    @property
    def is_image(self) -> bool:
        return self.kind in ("image", "html_img")


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    source_text: str  # the inline Markdown as written, e.g. `<font color=Green> Nav </font>`
    text: str  # rendered plain text, the input of the slug
    anchor: str  # GitHub's anchor, de-duplicated in document order
    line: int
    top_level: bool  # False inside quotes and lists: GitHub anchors them, TOCs skip them
    omit_from_toc: bool


class TextLine(NamedTuple):
    """One source line of a paragraph, as rendered plain text, with its position."""

    line: int
    column: int  # where the paragraph's content starts on this source line
    text: str  # plain text: link text kept, markup, HTML and image alt dropped
    raw: str  # the inline source of this line (quote markers and indent removed)


@dataclass(frozen=True, slots=True)
class Paragraph:
    lines: tuple[TextLine, ...]
    quote_depth: int
    in_list: bool
    container: int
    html: bool = False
    """An HTML block: GitHub shows its text (tags dropped) but Markdown inside is inert."""

    @property
    def start_line(self) -> int:
        return self.lines[0].line

    @property
    def end_line(self) -> int:
        return self.lines[-1].line


@dataclass(frozen=True, slots=True)
class Container:
    """A top-level block of the document (a quote, a list, a paragraph, ...)."""

    index: int
    kind: ContainerKind
    start_line: int
    end_line: int  # inclusive
    after_heading: bool  # some heading comes before it


@dataclass(frozen=True, slots=True)
class Comment:
    """An HTML comment, e.g. a TOC marker or a suppression comment."""

    text: str  # the whole `<!-- ... -->`
    line: int
    column: int
    top_level: bool  # a top-level HTML block of its own (TOC markers must be)


@dataclass
class Document:
    source: Source
    containers: list[Container] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    list_items: list[tuple[int, int, int]] = field(default_factory=list)
    """(container, first line, last line) of each item of a top-level list."""
    code_lines: frozenset[int] = frozenset()  # lines inside fenced or indented code
    too_deep: list[tuple[int, int]] = field(default_factory=list)
    """(first, last line) of each quote or list nested past NESTING_LIMIT: not read."""

    @property
    def path(self) -> str:
        return self.source.path

    @property
    def anchors(self) -> frozenset[str]:
        return frozenset(h.anchor for h in self.headings)
