"""The only module that knows markdown-it-py: tokens in, a positioned `Document` out.

markdown-it-py gives line maps for block tokens only. An inline token's line and column are
recovered by searching the raw source lines of its paragraph from a cursor that only moves
forward, so repeated destinations on one line map to successive occurrences.
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import cache
from typing import TYPE_CHECKING, NamedTuple

from readme_guard.document import (
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
from readme_guard.slug import Slugger
from readme_guard.source import Source

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_inline import StateInline
    from markdown_it.token import Token

    InlineRule = Callable[[StateInline, bool], bool]

_CONTAINER_KINDS: dict[str, ContainerKind] = {
    "blockquote_open": "blockquote",
    "bullet_list_open": "list",
    "ordered_list_open": "list",
    "paragraph_open": "paragraph",
    "heading_open": "heading",
    "html_block": "html",
    "fence": "code",
    "code_block": "code",
    "table_open": "table",
    "hr": "rule",
}
_HTML_ATTR_TAG = re.compile(
    r"<(?P<tag>img|a)\b[^>]*?\b(?P<attr>src|href)\s*=\s*"
    r"(?:\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)'|(?P<bare>[^\s\"'=<>`]+))",
    re.IGNORECASE | re.DOTALL,
)
# A bare destination with at most one level of balanced parentheses; a `<...>` destination
# or deeper nesting takes the character-wise path.
_BARE_DESTINATION = re.compile(r"[ \t]*(?P<bare>(?:[^\s()\\]|\\.?|\((?:[^\s()\\]|\\.?)*\))*)")
_HTML_TAG = re.compile(r"<!--.*?-->|<[^>]*>")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_OMIT_FROM_TOC = re.compile(r"<!--\s*omit (?:from|in) toc\s*-->", re.IGNORECASE)
_BACKSLASH_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


# markdown-it stops reading inside quotes and lists nested this deep (its commonmark preset's
# value; a list takes two levels). Raising it makes pathological brackets slower in proportion.
_MAX_NESTING = 20

# mdit-py-plugins' GFM autolink rules copy the rest of the paragraph at every `:`, `@` and
# `www.`, and the `:` rule regex-scans all text pending since the last token: 40,000 colons in
# one paragraph took 90 s. An autolink ends at whitespace, so each rule runs with the paragraph
# cut just after the next whitespace, at most _AUTOLINK_WINDOW characters on (a longer URL is
# cut there), and with at most the protocol name pending; what it finds is otherwise the same.
_AUTOLINK_TRIGGERS = {
    "gfm_autolink_www": "w",
    "gfm_autolink_protocol": ":",
    "gfm_autolink_email": "@",
}
_AUTOLINK_WINDOW = 4096
_AUTOLINK_END = re.compile(r"[ \t\r\n\v\f]")
_AUTOLINK_PROTOCOLS = ("http", "https", "mailto", "xmpp")
_PROTOCOL_TAIL = 8  # the longest protocol name and the character before it


class ParseError(Exception):
    """The parser gave up (for example on extreme nesting)."""


@cache
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.gfm_autolink import gfm_autolink_plugin

    parser = MarkdownIt("commonmark").enable(["table", "strikethrough"]).use(gfm_autolink_plugin)
    parser.options["maxNesting"] = _MAX_NESTING
    for rule in parser.inline.ruler.__rules__:
        if rule.name in _AUTOLINK_TRIGGERS:
            parser.inline.ruler.at(rule.name, _windowed(rule.fn, _AUTOLINK_TRIGGERS[rule.name]))
    return parser


def _windowed(rule: InlineRule, trigger: str) -> InlineRule:
    """`rule` (a GFM autolink rule fired by `trigger`) on a bounded window of the paragraph."""

    def windowed(state: StateInline, silent: bool) -> bool:
        src, pos, pos_max = state.src, state.pos, state.posMax
        # The plugin answers False in these cases too, only after its costly scans.
        if silent or state.linkLevel > 0 or src[pos] != trigger:
            return False
        if trigger == "w" and not src.startswith("www.", pos):
            return False
        if trigger == ":":
            pending = state.pending
            if not pending.endswith(_AUTOLINK_PROTOCOLS):
                return False
            if len(pending) > _PROTOCOL_TAIL:  # flush the rest as text, as any token push does
                state.pending = pending[:-_PROTOCOL_TAIL]
                state.pushPending()
                state.pending = pending[-_PROTOCOL_TAIL:]
        limit = min(pos_max, pos + _AUTOLINK_WINDOW)
        space = _AUTOLINK_END.search(src, pos, limit)
        state.posMax = space.end() if space else limit
        try:
            return rule(state, silent)
        finally:
            state.posMax = pos_max

    return windowed


def parse(source: Source) -> Document:
    """Parse `source` into a Document with every heading, paragraph, link and comment."""
    try:
        tokens = _parser().parse(source.markdown_text)
    except RecursionError:
        raise ParseError("the document is nested too deeply to parse") from None
    return _Builder(source).build(tokens)


def normalize_link(destination: str) -> str:
    """The href markdown-it would produce for a destination as written."""
    return _parser().normalizeLink(html.unescape(_BACKSLASH_ESCAPE.sub(r"\1", destination)))


class _Target(NamedTuple):
    """A `](destination` in the source: line index, column of `](`, the destination's span."""

    line: int
    bracket: int
    begin: int
    end: int
    raw: str


def _positions(keys: Iterable[str]) -> dict[str, list[int]]:
    """Each key with the ascending indexes where it occurs."""
    grouped: dict[str, list[int]] = {}
    for index, key in enumerate(keys):
        grouped.setdefault(key, []).append(index)
    return grouped


def _first_from(indexes: list[int] | None, start: int) -> int | None:
    """The first of the ascending `indexes` that is at least `start`."""
    if not indexes:
        return None
    found = bisect.bisect_left(indexes, start)
    return indexes[found] if found < len(indexes) else None


class _Cursor:
    """A forward-only position in a range of source lines (0-based line index, column).

    Inline tokens come in source order, so a new cursor starts where the previous one ended
    when they share a line (table cells are separate inline tokens on one row)."""

    def __init__(self, source: Source, first: int, last: int, after: tuple[int, int]) -> None:
        self.source = source
        self.first = first  # 0-based, inclusive
        self.last = last  # 0-based, inclusive
        self.line = first
        self.column = after[1] if after[0] == first else 0
        self._targets: list[_Target] | None = None
        self._by_raw: dict[str, list[int]] = {}
        self._by_href: dict[str, list[int]] | None = None

    def lines_from_here(self) -> Iterator[tuple[int, int, str]]:
        for index in range(self.line, min(self.last, len(self.source.lines) - 1) + 1):
            start = self.column if index == self.line else 0
            yield index, start, self.source.lines[index]

    def destination(self, href: str) -> _Target | None:
        """The first `](destination` from the cursor on that markdown-it turns into `href`.

        The range's destinations are listed once, so a link that has none (reference-style
        `[text][label]`) costs a lookup, not a scan of the rest of the paragraph: 20,000 of
        them in one paragraph took minutes."""
        if self._targets is None:
            self._targets = list(self._scan())
            self._by_raw = _positions(t.raw for t in self._targets)
        start = bisect.bisect_left(self._targets, (self.line, self.column))
        best = _first_from(self._by_raw.get(href), start)
        if best != start:  # a destination before it may be spelt differently
            if self._by_href is None:
                self._by_href = _positions(normalize_link(t.raw) for t in self._targets)
            spelt = _first_from(self._by_href.get(href), start)
            if spelt is not None and (best is None or spelt < best):
                best = spelt
        return None if best is None else self._targets[best]

    def _scan(self) -> Iterator[_Target]:
        for index in range(self.first, min(self.last, len(self.source.lines) - 1) + 1):
            line = self.source.lines[index]
            position = line.find("](")
            while position >= 0:
                parsed = _markdown_destination(line, position + 2)
                if parsed is not None:
                    yield _Target(index, position, *parsed)
                position = line.find("](", position + 2)

    def move(self, line: int, column: int) -> None:
        self.line, self.column = line, column

    @property
    def position(self) -> tuple[int, int]:
        return self.line, self.column


def _check_nesting(token: Token, levels: int) -> None:
    """Refuse a container whose content markdown-it skipped for being nested too deeply:
    checking the rest would silently miss it."""
    if token.level + levels >= _MAX_NESTING:
        line = token.map[0] + 1 if token.map else 1
        raise ParseError(
            f"line {line}: quotes and lists nested more than {_MAX_NESTING - 1} levels deep "
            "(a list counts two); the parser does not read inside them"
        )


def _markdown_destination(text: str, start: int) -> tuple[int, int, str] | None:
    """Parse the destination after `](` at `start`; return its start, end and raw text."""
    match = _BARE_DESTINATION.match(text, start)
    assert match is not None  # every part of the pattern may be empty
    i, j = match.span("bare")
    if text.startswith("<", i) or text.startswith("(", j):
        return _nested_destination(text, i)
    return i, j, match.group("bare")


def _nested_destination(text: str, i: int) -> tuple[int, int, str] | None:
    """The slow path: `<...>` destinations and parentheses nested more than once."""
    if i < len(text) and text[i] == "<":
        end = text.find(">", i + 1)
        if end < 0:
            return None
        return i + 1, end, text[i + 1 : end]
    depth = 0
    j = i
    while j < len(text):
        ch = text[j]
        if ch == "\\" and j + 1 < len(text):
            j += 2
            continue
        if ch in " \t":
            break
        if ch == "(":
            depth += 1
        elif ch == ")":
            if depth == 0:
                break
            depth -= 1
        j += 1
    return i, j, text[i:j]


def _opening_bracket(text: str, close: int) -> int:
    """Index of the `[` that matches the `]` at `close` (or `close` when unbalanced)."""
    depth = 0
    for i in range(close, -1, -1):
        if text[i] == "]" and (i == 0 or text[i - 1] != "\\"):
            depth += 1
        elif text[i] == "[" and (i == 0 or text[i - 1] != "\\"):
            depth -= 1
            if depth == 0:
                return i - 1 if i > 0 and text[i - 1] == "!" else i
    return close


class _Builder:
    def __init__(self, source: Source) -> None:
        self.source = source
        self.doc = Document(source=source)
        self.slugger = Slugger()
        self.quote_depth = 0
        self.list_depth = 0
        self.container = -1
        self.seen_heading = False
        self.code_lines: set[int] = set()
        self.located: tuple[int, int] = (-1, 0)  # where the last inline search ended

    def build(self, tokens: Sequence[Token]) -> Document:
        for index, token in enumerate(tokens):
            self._visit(tokens, index, token)
        self.doc.code_lines = frozenset(self.code_lines)
        return self.doc

    def _visit(self, tokens: Sequence[Token], index: int, token: Token) -> None:
        kind = token.type
        if token.level == 0 and token.nesting >= 0 and kind in _CONTAINER_KINDS and token.map:
            self._open_container(_CONTAINER_KINDS[kind], token.map)
        if kind == "blockquote_open":
            self.quote_depth += 1
            _check_nesting(token, 1)
        elif kind == "blockquote_close":
            self.quote_depth -= 1
        elif kind in ("bullet_list_open", "ordered_list_open"):
            self.list_depth += 1
            _check_nesting(token, 2)
        elif kind in ("bullet_list_close", "ordered_list_close"):
            self.list_depth -= 1
        elif kind == "list_item_open" and token.level == 1 and token.map:
            self.doc.list_items.append(
                (self.container, token.map[0] + 1, max(token.map[1], token.map[0] + 1))
            )
        elif kind == "heading_open":
            self._heading(token, tokens[index + 1])
        elif kind == "inline" and token.map:
            is_paragraph = index > 0 and tokens[index - 1].type == "paragraph_open"
            self._inline(token, token.map, is_paragraph)
        elif kind == "html_block" and token.map:
            self._html_block(token, token.map)
        elif kind in ("fence", "code_block") and token.map:
            self.code_lines.update(range(token.map[0] + 1, token.map[1] + 1))

    def _open_container(self, kind: ContainerKind, line_map: Sequence[int]) -> None:
        self.container += 1
        if kind == "heading":
            self.seen_heading = True
        self.doc.containers.append(
            Container(
                index=self.container,
                kind=kind,
                start_line=line_map[0] + 1,
                end_line=max(line_map[1], line_map[0] + 1),
                after_heading=self.seen_heading and kind != "heading",
            )
        )

    # -- headings -------------------------------------------------------------------------

    def _heading(self, token: Token, inline: Token) -> None:
        line = (token.map[0] if token.map else 0) + 1
        text = "".join(_plain_parts(inline.children or [], keep_alt=False))
        previous = self.source.line(line - 1)
        self.doc.headings.append(
            Heading(
                level=int(token.tag[1]),
                source_text=inline.content,
                text=text,
                anchor=self.slugger.slug(text),
                line=line,
                top_level=self.quote_depth == 0 and self.list_depth == 0,
                omit_from_toc=bool(
                    _OMIT_FROM_TOC.search(inline.content)
                    or _OMIT_FROM_TOC.fullmatch(previous.strip())
                ),
            )
        )

    # -- inline content -------------------------------------------------------------------

    def _inline(self, token: Token, line_map: Sequence[int], is_paragraph: bool) -> None:
        first, last = line_map[0], max(line_map[0], line_map[1] - 1)
        raw_lines = token.content.split("\n")
        cursor = _Cursor(self.source, first, last, self.located)
        children = token.children or []
        self._collect_links(children, cursor, first)
        self.located = cursor.position
        if is_paragraph:
            plain = "".join(_plain_parts(children, keep_alt=False, breaks=True)).split("\n")
            self._paragraph(plain, raw_lines, first)

    def _paragraph(
        self, plain: list[str], raw_lines: list[str], first: int, html_block: bool = False
    ) -> None:
        lines = []
        for offset, raw in enumerate(raw_lines):
            number = first + offset + 1
            source_line = self.source.line(number)
            start = source_line.rfind(raw) if raw else len(source_line)
            lines.append(
                TextLine(
                    line=number,
                    column=max(start, 0) + 1,
                    text=plain[offset] if offset < len(plain) else "",
                    raw=raw,
                )
            )
        if lines:
            self.doc.paragraphs.append(
                Paragraph(
                    lines=tuple(lines),
                    quote_depth=self.quote_depth,
                    in_list=self.list_depth > 0,
                    container=self.container,
                    html=html_block,
                )
            )

    def _collect_links(self, children: Sequence[Token], cursor: _Cursor, first: int) -> None:
        # A link is recorded at its close so that an image inside it (`[![a](x)](y)`), which
        # comes first in the source, is located first.
        open_links: list[tuple[Token, list[str]]] = []
        line_hint = first
        for child in children:
            kind = child.type
            if kind in ("softbreak", "hardbreak"):
                line_hint += 1
            elif kind == "link_open":
                open_links.append((child, []))
            elif kind == "link_close" and open_links:
                opener, text = open_links.pop()
                self._markdown_link(opener, "".join(text), cursor, line_hint)
            elif kind == "image":
                self._image(child, cursor, line_hint)
            elif kind == "html_inline":
                if child.content.startswith("<!--"):
                    self._inline_comment(child.content, line_hint)
                self._html(child.content, cursor, line_hint)
                line_hint += child.content.count("\n")
            if open_links and kind in ("text", "code_inline"):
                open_links[-1][1].append(child.content)

    def _inline_comment(self, text: str, line_index: int) -> None:
        column = self.source.line(line_index + 1).find(text.split("\n")[0])
        self.doc.comments.append(
            Comment(text=text, line=line_index + 1, column=max(column, 0) + 1, top_level=False)
        )

    def _markdown_link(self, opener: Token, text: str, cursor: _Cursor, hint: int) -> None:
        href = str(opener.attrs.get("href", ""))
        if opener.markup in ("autolink", "linkify"):
            self._locate_literal(
                href if opener.markup == "autolink" else text,
                "autolink",
                text,
                cursor,
                hint,
                prefer=text,
            )
            return
        self._locate_markdown("link", href, text, cursor, hint)

    def _image(self, token: Token, cursor: _Cursor, hint: int) -> None:
        src = str(token.attrs.get("src", ""))
        alt = "".join(_plain_parts(token.children or [], keep_alt=True))
        self._locate_markdown("image", src, alt, cursor, hint)

    def _locate_markdown(
        self, kind: LinkKind, href: str, text: str, cursor: _Cursor, hint: int
    ) -> None:
        found = cursor.destination(href)
        if found is not None:
            line = self.source.lines[found.line]
            bracket = _opening_bracket(line, found.bracket)
            self._add(kind, text, found.raw, found.line, found.begin, found.end, bracket)
            cursor.move(found.line, found.end)
            return
        # A reference-style link or an unusual spelling: report it where the text starts.
        line_text = self.source.line(hint + 1)
        column = len(line_text) - len(line_text.lstrip(" >\t"))
        self._add(kind, text, href, hint, column, column, column)

    def _locate_literal(
        self, needle: str, kind: LinkKind, text: str, cursor: _Cursor, hint: int, prefer: str
    ) -> None:
        for candidate in (needle, prefer):
            for index, start, line in cursor.lines_from_here():
                found = line.find(candidate, start)
                if found >= 0:
                    end = found + len(candidate)
                    self._add(kind, text, candidate, index, found, end, max(found - 1, 0))
                    cursor.move(index, end)
                    return
        self._add(kind, text, needle, hint, 0, 0, 0)

    def _html(self, fragment: str, cursor: _Cursor, hint: int) -> None:
        for match in _HTML_ATTR_TAG.finditer(fragment):
            value = match.group("dq")
            if value is None:
                value = match.group("sq")
            if value is None:
                value = match.group("bare") or ""
            kind: LinkKind = "html_img" if match.group("tag").lower() == "img" else "html_a"
            tag_head = fragment[match.start() : match.start("attr")]
            self._locate_attribute(kind, value, tag_head.split("\n")[0], cursor, hint)

    def _locate_attribute(
        self, kind: LinkKind, value: str, tag_head: str, cursor: _Cursor, hint: int
    ) -> None:
        for index, start, line in cursor.lines_from_here():
            tag_at = line.find(tag_head, start) if tag_head else start
            search_from = tag_at if tag_at >= 0 else start
            found = line.find(value, search_from) if value else -1
            if found >= 0 and (tag_at >= 0 or index > cursor.line):
                self._add(kind, "", value, index, found, found + len(value), max(tag_at, 0))
                cursor.move(index, found + len(value))
                return
        self._add(kind, "", value, hint, 0, 0, 0)

    def _add(
        self,
        kind: LinkKind,
        text: str,
        destination: str,
        line_index: int,
        begin: int,
        end: int,
        markup: int,
    ) -> None:
        self.doc.links.append(
            Link(
                kind=kind,
                text=text,
                destination=destination,
                span=Span(line_index + 1, begin + 1, line_index + 1, end + 1),
                markup_column=markup + 1,
                quote_depth=self.quote_depth,
                container=self.container,
            )
        )

    # -- HTML blocks ----------------------------------------------------------------------

    def _html_block(self, token: Token, line_map: Sequence[int]) -> None:
        first, last = line_map[0], max(line_map[0], line_map[1] - 1)
        cursor = _Cursor(self.source, first, last, self.located)
        self._html(token.content, cursor, first)
        self.located = cursor.position
        # `> > <img ...>` opens an HTML block that runs to the next blank line and swallows
        # the `> > 论文简述：...` line after it: keep that text visible to the block schema.
        raw_lines = token.content.rstrip("\n").split("\n")
        plain = [html.unescape(_HTML_TAG.sub("", line)) for line in raw_lines]
        self._paragraph(plain, raw_lines, first, html_block=True)
        for match in _HTML_COMMENT.finditer(token.content):
            line_offset = token.content.count("\n", 0, match.start())
            number = first + line_offset + 1
            column = self.source.line(number).find(match.group().split("\n")[0])
            self.doc.comments.append(
                Comment(
                    text=match.group(),
                    line=number,
                    column=max(column, 0) + 1,
                    top_level=self.quote_depth == 0 and self.list_depth == 0,
                )
            )


def _plain_parts(children: Sequence[Token], keep_alt: bool, breaks: bool = False) -> Iterator[str]:
    """Rendered text of inline tokens: HTML tags dropped, entities already decoded."""
    for child in children:
        kind = child.type
        if kind in ("text", "code_inline"):
            yield child.content
        elif kind in ("softbreak", "hardbreak"):
            yield "\n" if breaks else ""
        elif kind == "image" and keep_alt:
            yield from _plain_parts(child.children or [], keep_alt=True)
        elif kind == "html_inline" and breaks:
            yield "\n" * child.content.count("\n")
