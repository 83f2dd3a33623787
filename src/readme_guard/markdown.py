"""The only module that knows the parser: cmark-gfm's node tree in, a `Document` out.

The parser is cmark-gfm itself, the library GitHub renders READMEs with and `fix` verifies
with, reached through the C functions that cmarkgfm's compiled module exports (ctypes: a
few milliseconds of import, against ~100 ms for a cffi declaration). So the block tree the
rules see is by construction the one GitHub shows. The tree gives lines; exact character
columns come from `locator.Locator`, which reads the source itself.
"""

from __future__ import annotations

import ctypes
import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any, cast

from readme_guard.document import (
    NESTING_LIMIT,
    Comment,
    Container,
    ContainerKind,
    Document,
    Heading,
    Link,
    LinkKind,
    Paragraph,
    Span,
    TextLine,
)
from readme_guard.errors import ReadmeGuardError
from readme_guard.locator import Found, Locator, unescape
from readme_guard.slug import Slugger
from readme_guard.source import Source

_CONTAINER_KINDS: dict[str, ContainerKind] = {
    "block_quote": "blockquote",
    "list": "list",
    "paragraph": "paragraph",
    "heading": "heading",
    "html_block": "html",
    "code_block": "code",
    "table": "table",
    "thematic_break": "rule",
    "footnote_definition": "footnote",
}
_HTML_ATTR_TAG = re.compile(
    r"<(?P<tag>img|a)\b[^>]*?\b(?P<attr>src|href)\s*=\s*"
    r"(?:\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)'|(?P<bare>[^\s\"'=<>`]+))",
    re.IGNORECASE | re.DOTALL,
)
_HTML_TAG = re.compile(r"<!--.*?-->|<[^>]*>")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_OMIT_FROM_TOC = re.compile(r"<!--\s*omit (?:from|in) toc\s*-->", re.IGNORECASE)
_ATX_OPEN = re.compile(r"#{1,6}(?:[ \t]+|$)")
_SETEXT_UNDERLINE = re.compile(r"(?:=+|-+)[ \t]*")
_ATX_CLOSE = re.compile(r"(?:^|[ \t]+)#+[ \t]*$")
_AUTOLINK_SCHEMES = ("", "http://", "mailto:")


# cmark's option bits (cmark-gfm.h): what GitHub renders a README with.
_OPT_SOURCEPOS = 1 << 1
_OPT_FOOTNOTES = 1 << 13
_OPT_UNSAFE = 1 << 17
_EXTENSIONS = (b"table", b"strikethrough", b"autolink", b"tagfilter", b"tasklist")
_EVENT_DONE, _EVENT_ENTER, _EVENT_EXIT = 1, 2, 3
_INLINE_OWNERS = frozenset({"paragraph", "heading", "table_cell"})
_INLINE_KINDS = frozenset(
    {"text", "code", "softbreak", "linebreak", "html_inline", "emph", "strong", "link", "image"}
    | {"strikethrough", "footnote_reference", "custom_inline"}
)


class ParseError(ReadmeGuardError):
    """The parser is unavailable (cmarkgfm missing or without the functions we need)."""


_VOID = ctypes.c_void_p
_INT = ctypes.c_int
_TEXT = ctypes.c_char_p
_SIGNATURES: dict[str, tuple[Any, list[Any]]] = {
    "cmark_gfm_core_extensions_ensure_registered": (None, []),
    "cmark_find_syntax_extension": (_VOID, [_TEXT]),
    "cmark_parser_new": (_VOID, [_INT]),
    "cmark_parser_attach_syntax_extension": (_INT, [_VOID, _VOID]),
    "cmark_parser_feed": (None, [_VOID, _TEXT, ctypes.c_size_t]),
    "cmark_parser_finish": (_VOID, [_VOID]),
    "cmark_parser_free": (None, [_VOID]),
    "cmark_node_free": (None, [_VOID]),
    "cmark_iter_new": (_VOID, [_VOID]),
    "cmark_iter_next": (_INT, [_VOID]),
    "cmark_iter_get_node": (_VOID, [_VOID]),
    "cmark_iter_free": (None, [_VOID]),
    "cmark_node_get_type": (_INT, [_VOID]),
    "cmark_node_get_type_string": (_TEXT, [_VOID]),
    "cmark_node_get_start_line": (_INT, [_VOID]),
    "cmark_node_get_start_column": (_INT, [_VOID]),
    "cmark_node_get_end_line": (_INT, [_VOID]),
    "cmark_node_get_literal": (_TEXT, [_VOID]),
    "cmark_node_get_url": (_TEXT, [_VOID]),
    "cmark_node_get_heading_level": (_INT, [_VOID]),
    "cmark_node_next": (_VOID, [_VOID]),
    "cmark_node_previous": (_VOID, [_VOID]),
    "cmark_node_first_child": (_VOID, [_VOID]),
}
# The type string of some nodes depends on their flags; the walk needs only the kind.
_KIND_ALIASES = {"tasklist": "item", "table_header": "table_row"}


@cache
def _library() -> Any:
    """cmarkgfm's compiled module opened with ctypes, its functions typed."""
    try:
        from cmarkgfm import _cmark  # type: ignore[import-untyped]

        library = ctypes.CDLL(_cmark.__file__)
        for name, (result, arguments) in _SIGNATURES.items():
            function = getattr(library, name)
            function.restype, function.argtypes = result, arguments
    except (ImportError, OSError, AttributeError) as exc:
        raise ParseError(
            f"cannot use cmark-gfm through cmarkgfm ({exc}); reinstall readme-guard's "
            "dependencies (pip install 'cmarkgfm>=2024.1')"
        ) from None
    library.cmark_gfm_core_extensions_ensure_registered()
    return library


def check_parser() -> None:
    """Raise ParseError (one clear line) when the parser cannot be used."""
    _library()


def parse(source: Source) -> Document:
    """Parse `source` into a Document with every heading, paragraph, link and comment."""
    library = _library()
    root = tree(source.markdown_text)
    try:
        return _Walker(source, library).build(root)
    finally:
        library.cmark_node_free(root)


def tree(text: str) -> int:
    """cmark-gfm's document node for `text`, parsed as GitHub parses a README; the caller
    frees it with `cmark_node_free`."""
    library = _library()
    data = text.encode("utf-8")
    parser = library.cmark_parser_new(_OPT_SOURCEPOS | _OPT_FOOTNOTES | _OPT_UNSAFE)
    for name in _EXTENSIONS:
        library.cmark_parser_attach_syntax_extension(
            parser, library.cmark_find_syntax_extension(name)
        )
    library.cmark_parser_feed(parser, data, len(data))
    root: int = library.cmark_parser_finish(parser)
    library.cmark_parser_free(parser)
    return root


def normalize_link(destination: str) -> str:
    """The URL the parser reads from a destination as written (escapes and entities
    decoded; GitHub percent-encodes it only when rendering)."""
    return unescape(destination)


@dataclass
class _Open:
    """A link or image whose destination is located when it closes (an image inside a
    link comes first in the source, so it is located first)."""

    kind: LinkKind
    url: str
    line: int
    text: list[str] = field(default_factory=list)


class _Walker:
    """Walks cmark's tree once, in document order, and fills the Document."""

    def __init__(self, source: Source, library: Any) -> None:
        self.source = source
        self.lib = library
        self.locate = Locator(source)
        self.doc = Document(source=source)
        self.slugger = Slugger()
        self.types: dict[int, str] = {}
        self.stack: list[str] = []  # kinds of the open nodes, document first
        self.spans: list[tuple[int, int]] = []  # and their first and last lines
        self.quote_depth = 0
        self.list_depth = 0
        self.container = -1
        self.seen_heading = False
        self.code_lines: set[int] = set()
        # the inline content being read (of a paragraph, heading or cell): lines, plain text
        self.owner_line = 0
        self.owner_end = 0
        self.table_first = 0  # the first line of the open table
        self.at_line = 0  # the line of the inline content read so far
        self.plain: list[str] = []
        self.links: list[_Open] = []
        self.images = 0  # open images: their text is alt text, not paragraph text

    def _text(self, function: Callable[[int], bytes | None], node: int) -> str:
        value = function(node)
        return value.decode("utf-8", "replace") if value else ""

    def build(self, root: int) -> Document:
        lib = self.lib
        iterator = lib.cmark_iter_new(root)
        step, current = lib.cmark_iter_next, lib.cmark_iter_get_node
        node_type = lib.cmark_node_get_type
        skipping = 0  # open quotes and lists of a region past NESTING_LIMIT
        try:
            while (event := step(iterator)) != _EVENT_DONE:
                node = current(iterator)
                if event == _EVENT_EXIT and not skipping:
                    self._exit(self.stack[-1], node)  # the open node's kind, no call needed
                    continue
                code = node_type(node)
                kind = self.types.get(code)
                if kind is None:
                    kind = self._text(lib.cmark_node_get_type_string, node)
                    kind = self.types[code] = _KIND_ALIASES.get(kind, kind)
                if skipping:
                    if kind in ("block_quote", "list"):
                        skipping += 1 if event == _EVENT_ENTER else -1
                elif kind in ("block_quote", "list") and self._too_deep(node, kind):
                    skipping = 1
                else:
                    self._enter(kind, node)
        finally:
            lib.cmark_iter_free(iterator)
        self.doc.code_lines = frozenset(self.code_lines)
        return self.doc

    def _too_deep(self, node: int, kind: str) -> bool:
        # cmark-gfm itself has no depth limit; the bound keeps rules that build a prefix per
        # depth linear in the file's size. Past it, one finding (RG603) for the region.
        if self.quote_depth + self.list_depth < NESTING_LIMIT:
            return False
        self.doc.too_deep.append(self._lines(node, kind))
        return True

    def _lines(self, node: int, kind: str) -> tuple[int, int]:
        """A block's first and last line (1-based, inclusive), where cmark's own are off."""
        lib = self.lib
        first = lib.cmark_node_get_start_line(node)
        last = lib.cmark_node_get_end_line(node)
        if kind == "paragraph" and first == 0:
            # The text the table extension cut from above a table's header row: cmark
            # gives it no position; it starts where the table's node does.
            sibling = lib.cmark_node_next(node)
            first = lib.cmark_node_get_start_line(sibling) if sibling else 1
            last = first + self._line_count(node) - 1
        elif kind == "table":
            before = lib.cmark_node_previous(node)
            if before and lib.cmark_node_get_start_line(before) == 0:
                first += self._line_count(before)
        elif kind == "html_block":  # cmark may end an HTML block a line early
            last = first + self._text(lib.cmark_node_get_literal, node).rstrip("\n").count("\n")
        elif kind == "thematic_break":  # and a rule or a heading a line late
            last = first
        elif kind == "heading":
            last = self._underline(first, last)
        return first, max(first, last)

    def _underline(self, first: int, last: int) -> int:
        """The last line of a heading: its own for `#`, the underline for setext."""
        if _ATX_OPEN.match(self.locate.content(first, self.quote_depth)[1]):
            return first
        for number in range(first + 1, last + 1):
            if _SETEXT_UNDERLINE.fullmatch(self.locate.content(number, self.quote_depth)[1]):
                return number
        return last

    def _line_count(self, paragraph: int) -> int:
        """The lines of a paragraph: one more than its line breaks."""
        lib = self.lib
        count = 1
        child = lib.cmark_node_first_child(paragraph)
        while child:
            kind = self._text(lib.cmark_node_get_type_string, child)
            if kind in ("softbreak", "linebreak"):
                count += 1
            elif kind == "html_inline":
                count += self._text(lib.cmark_node_get_literal, child).count("\n")
            child = lib.cmark_node_next(child)
        return count

    # -- events ----------------------------------------------------------------------------

    def _enter(self, kind: str, node: int) -> None:
        if kind in _INLINE_KINDS:
            self._enter_inline(kind, node)
            return
        first, last = self._lines(node, kind)
        if len(self.stack) == 1 and kind in _CONTAINER_KINDS:
            self._open_container(_CONTAINER_KINDS[kind], first, last)
        if kind in _LEAVES:
            _LEAVES[kind](self, node, first, last)
            return
        self.stack.append(kind)
        self.spans.append((first, last))
        if kind == "block_quote":
            self.quote_depth += 1
        elif kind == "list":
            self.list_depth += 1
        elif kind == "item" and len(self.stack) == 3 and self.stack[1] == "list":
            self.doc.list_items.append((self.container, first, last))
        elif kind == "table":
            self.table_first = first
        elif kind in _INLINE_OWNERS:
            # cmark puts a header row cut from a paragraph on the paragraph's first line
            self.owner_line = max(first, self.table_first) if kind == "table_cell" else first
            self.owner_end = max(self.owner_line, last)
            self.at_line = self.owner_line
            self.plain = []

    def _enter_inline(self, kind: str, node: int) -> None:
        if kind in _LEAVES:
            _LEAVES[kind](self, node, 0, 0)
            return
        self.stack.append(kind)
        self.spans.append((0, 0))
        if kind in ("link", "image"):
            url = self._text(self.lib.cmark_node_get_url, node)
            line = self._inline_line(node)
            self.links.append(_Open(cast(LinkKind, kind), url, line))
            if kind == "image":
                self.images += 1

    def _exit(self, kind: str, node: int) -> None:
        self.stack.pop()
        first, last = self.spans.pop()
        if kind in ("link", "image"):
            opened = self.links.pop()
            if kind == "image":
                self.images -= 1
            self._link(opened)
            return
        if kind == "block_quote":
            self.quote_depth -= 1
        elif kind == "list":
            self.list_depth -= 1
        elif kind == "paragraph":
            self._paragraph(node, first, last)
        elif kind == "heading":
            self._heading(node, first, last)
        elif kind == "table":
            self.table_first = 0

    def _open_container(self, kind: ContainerKind, first: int, last: int) -> None:
        self.container += 1
        if kind == "heading":
            self.seen_heading = True
        self.doc.containers.append(
            Container(
                index=self.container,
                kind=kind,
                start_line=first,
                end_line=last,
                after_heading=self.seen_heading and kind != "heading",
            )
        )

    # -- leaves ----------------------------------------------------------------------------

    def _inline_text(self, node: int, first: int, last: int) -> None:
        literal = self._text(self.lib.cmark_node_get_literal, node)
        if self.images:
            for image in self.links:
                if image.kind == "image":
                    image.text.append(literal)
            return
        self.plain.append(literal)
        if self.links:
            self.links[-1].text.append(literal)

    def _inline_line(self, node: int) -> int:
        """cmark counts no line for a backslash break, the walk none inside a code span:
        the later of the two is right."""
        line: int = self.lib.cmark_node_get_start_line(node)
        return max(line, self.at_line)

    def _break(self, node: int, first: int, last: int) -> None:
        self.at_line += 1
        if not self.images:
            self.plain.append("\n")

    def _inline_html(self, node: int, first: int, last: int) -> None:
        literal = self._text(self.lib.cmark_node_get_literal, node)
        line = self._inline_line(node)
        self.at_line = line + literal.count("\n")
        if not self.images:
            self.plain.append("\n" * literal.count("\n"))
        if literal.startswith("<!--"):
            found = self.locate.literal(literal.split("\n")[0], line, line)
            column = found[1] + 1 if found else self.locate.content(line, 0)[0]
            self.doc.comments.append(
                Comment(text=literal, line=line, column=column, top_level=False)
            )
        self._html_links(literal, line, self.owner_end)

    def _html_block(self, node: int, first: int, last: int) -> None:
        literal = self._text(self.lib.cmark_node_get_literal, node)
        self._html_links(literal, first, last)
        # `> > <img ...>` opens an HTML block that runs to the next blank line and swallows
        # the `> > 论文简述：...` line after it: keep that text visible to the block schema.
        raw_lines = literal.rstrip("\n").split("\n")
        lines = tuple(
            TextLine(
                line=first + offset,
                column=self.locate.suffix_column(first + offset, raw),
                text=html.unescape(_HTML_TAG.sub("", raw)),
                raw=raw,
            )
            for offset, raw in enumerate(raw_lines)
        )
        self._add_paragraph(lines, html_block=True)
        top_level = self.quote_depth == 0 and self.list_depth == 0
        for match in _HTML_COMMENT.finditer(literal):
            number = first + literal.count("\n", 0, match.start())
            found = self.source.line(number).find(match.group().split("\n")[0])
            column = found + 1 if found >= 0 else self.locate.content(number, 0)[0]
            self.doc.comments.append(
                Comment(text=match.group(), line=number, column=column, top_level=top_level)
            )

    def _code_block(self, node: int, first: int, last: int) -> None:
        self.code_lines.update(range(first, last + 1))

    def _ignore(self, node: int, first: int, last: int) -> None:
        pass

    # -- links -----------------------------------------------------------------------------

    def _link(self, opened: _Open) -> None:
        text = "".join(opened.text)
        last = max(self.owner_end, opened.line)
        if opened.kind == "link" and any(s + text == opened.url for s in _AUTOLINK_SCHEMES):
            found = self.locate.literal(text, opened.line, last)
            if found is not None:
                number, offset = found
                line = self.source.line(number)
                if offset == 0 or line[offset - 1] != "[":
                    markup = offset if offset and line[offset - 1] == "<" else offset + 1
                    located = Found(number, offset + 1, offset + len(text) + 1, markup, text)
                    self._add("autolink", text, located)
                    return
        found_destination = self.locate.destination(opened.url, opened.line, last)
        if found_destination is None:  # reference-style: where the link's text starts
            found_destination = self.locate.markup(opened.line, text)._replace(raw=opened.url)
        self._add(opened.kind, text, found_destination)

    def _html_links(self, fragment: str, first: int, last: int) -> None:
        for match in _HTML_ATTR_TAG.finditer(fragment):
            value = match.group("dq")
            if value is None:
                value = match.group("sq")
            if value is None:
                value = match.group("bare") or ""
            kind: LinkKind = "html_img" if match.group("tag").lower() == "img" else "html_a"
            tag_line = first + fragment.count("\n", 0, match.start())
            tag_head = fragment[match.start() : match.start("attr")].split("\n")[0]
            found = self.locate.html_attribute(value, tag_head, tag_line, max(tag_line, last))
            if found is None:
                column = self.locate.content(tag_line, 0)[0]
                found = Found(tag_line, column, column, column, value)
            self._add(kind, "", found)

    def _add(self, kind: LinkKind, text: str, found: Found) -> None:
        self.doc.links.append(
            Link(
                kind=kind,
                text=text,
                destination=found.raw,
                span=Span(found.line, found.begin, found.line, found.end),
                markup_column=found.markup,
                quote_depth=self.quote_depth,
                container=self.container,
            )
        )

    # -- paragraphs and headings -----------------------------------------------------------

    def _paragraph(self, node: int, first: int, last: int) -> None:
        plain = "".join(self.plain).split("\n")
        # Link reference definitions at its top are not part of the paragraph's text.
        shifted = max(first, last - len(plain) + 1)
        byte_column = self.lib.cmark_node_get_start_column(node)
        rows = []
        for offset, text in enumerate(plain):
            number = shifted + offset
            if number == first and byte_column:
                column = self.locate.char_column(number, byte_column)
                raw = self.source.line(number)[column - 1 :]
            else:
                column, raw = self.locate.content(number, self.quote_depth)
            if offset == len(plain) - 1:
                raw = raw.rstrip(" \t")
            rows.append(TextLine(line=number, column=column, text=text, raw=raw))
        self._add_paragraph(tuple(rows))

    def _add_paragraph(self, lines: tuple[TextLine, ...], html_block: bool = False) -> None:
        if lines:
            self.doc.paragraphs.append(
                Paragraph(
                    lines=lines,
                    quote_depth=self.quote_depth,
                    in_list=self.list_depth > 0,
                    container=self.container,
                    html=html_block,
                )
            )

    def _heading(self, node: int, first: int, last: int) -> None:
        text = "".join(self.plain).replace("\n", "")
        column = self.locate.char_column(first, self.lib.cmark_node_get_start_column(node))
        head = self.source.line(first)[column - 1 :]
        atx = _ATX_OPEN.match(head)
        if atx is not None:
            source_text = _ATX_CLOSE.sub("", head[atx.end() :].rstrip()).strip()
        else:  # setext: every line but the underline
            parts = [self.locate.content(n, self.quote_depth)[1] for n in range(first + 1, last)]
            source_text = "\n".join([head, *parts]).strip()
        previous = self.source.line(first - 1)
        self.doc.headings.append(
            Heading(
                level=self.lib.cmark_node_get_heading_level(node),
                source_text=source_text,
                text=text,
                anchor=self.slugger.slug(text),
                line=first,
                top_level=self.quote_depth == 0 and self.list_depth == 0,
                omit_from_toc=bool(
                    _OMIT_FROM_TOC.search(source_text) or _OMIT_FROM_TOC.fullmatch(previous.strip())
                ),
            )
        )


_LEAVES: dict[str, Callable[[_Walker, int, int, int], None]] = {
    "text": _Walker._inline_text,
    "code": _Walker._inline_text,
    "softbreak": _Walker._break,
    "linebreak": _Walker._break,
    "html_inline": _Walker._inline_html,
    "html_block": _Walker._html_block,
    "code_block": _Walker._code_block,
    "thematic_break": _Walker._ignore,
    "footnote_reference": _Walker._ignore,
}
