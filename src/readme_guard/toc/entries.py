"""TOC regions and their entries, the entry text of a heading, and clickable links in HTML.

An entry is a source line holding one in-page link (`[text](#fragment)`); everything else
on that line (the indentation, the bullet, an annotation after the link) is kept as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Literal

from readme_guard.destinations import parse_destination
from readme_guard.document import Document, Heading, Link, Span
from readme_guard.toc import line_prefix
from readme_guard.toc.markers import MarkerPair, MarkerStyle

RegionKind = MarkerStyle | Literal["list"]  # "list": a TOC without markers (see detect.py)

_BULLET = re.compile(r"[ \t>]*(?P<bullet>(?:[-*+]|\d{1,9}[.)])[ \t]+)?")
_TAG = re.compile(r"<!--.*?-->|</?[A-Za-z][^<>]*>", re.S)
_AUTOLINK = re.compile(r"<((?:https?|mailto|ftp)://?[^<>\s]*)>", re.I)
_SPACE = re.compile(r"\s+")
_BRACKET = re.compile(r"(?<!\\)([\[\]])")
_ESCAPED_BRACKET = re.compile(r"\\([\[\]])")
# A tail after the link that an inserted entry copies from its neighbour: a line break.
_TAIL = re.compile(r"[ \t]*(?:<br\s*/?>)?[ \t]*", re.I)
_HTML_A_END = re.compile(r"</a\s*>", re.I)
_RAW_ENTRY = re.compile(r"\]\(#")
_NESTED = re.compile(r"<(?:a|img)\b", re.I)


@dataclass(frozen=True, slots=True)
class TocEntry:
    """One line of a TOC that holds an in-page link: `before + link + after` is the line."""

    line: int
    indent: int  # columns of leading whitespace, a tab counting 4
    bullet: str  # the list marker and the blanks after it, e.g. "* "; "" for none
    before: str  # the line before the link (indentation, bullet, any other text)
    link: str  # the link's source text, e.g. `[Vision](#vision)`
    text: str  # the link text as written
    fragment: str  # percent-decoded, without `#`
    after: str  # the line after the link
    html: bool  # an `<a href="#...">` rather than a Markdown link
    span: Span  # of the link

    @property
    def lead(self) -> str:
        """The indentation, quote markers and bullet, without other text before the link."""
        lead = line_prefix(self.before)
        return lead + self.bullet if self.before[len(lead) :].startswith(self.bullet) else lead

    @property
    def tail(self) -> str:
        """What an inserted neighbour copies of `after`: a `<br>` or trailing blanks."""
        found = _TAIL.match(self.after)
        return found.group() if found and found.end() == len(self.after) else ""


@dataclass(frozen=True, slots=True)
class TocRegion:
    kind: RegionKind
    start_line: int  # the start marker's line, or the list's first line
    end_line: int  # the end marker's line, or the list's last line
    body: tuple[int, int]  # the lines between the markers (first > last when none)
    entries: tuple[TocEntry, ...]
    marker_levels: tuple[int | None, int | None]
    problem: str | None  # why `fix` cannot update the region safely, if it cannot

    def holds(self, line: int) -> bool:
        return self.start_line <= line <= self.end_line

    @property
    def one_line(self) -> bool:
        """Both markers on one line: `fix` splits it to put the entries between them."""
        return self.kind != "list" and self.body[0] > self.end_line


def in_page(link: Link) -> str | None:
    """The fragment of a link to a place in the same file (`#x`), else None. A bare `#` is
    no in-page link (RG106's business)."""
    if link.is_image or link.kind not in ("link", "html_a"):
        return None
    destination = parse_destination(link.destination)
    if destination.url or destination.path or not destination.fragment:
        return None
    return destination.fragment


def links_by_line(document: Document, first: int, last: int) -> dict[int, list[Link]]:
    found: dict[int, list[Link]] = {}
    for link in document.links:
        if first <= link.line <= last and in_page(link) is not None:
            found.setdefault(link.line, []).append(link)
    return found


def read_marker_region(document: Document, pair: MarkerPair) -> TocRegion:
    first, last = pair.start_last_line + 1, pair.end.line - 1
    region = read_region(document, pair.style, pair.start.line, pair.end.line, (first, last))
    problem = region.problem
    if first > last and pair.start_last_line == pair.end.line:
        line = document.source.line(pair.end.line)
        start_end = pair.start.column - 1 + len(pair.start.text)
        if line[start_end : pair.end.column - 1].strip():
            problem = f"text stands between the TOC markers on line {pair.end.line}"
    return TocRegion(
        region.kind,
        region.start_line,
        region.end_line,
        region.body,
        region.entries,
        pair.levels,
        problem,
    )


def read_region(
    document: Document, kind: RegionKind, start: int, end: int, body: tuple[int, int]
) -> TocRegion:
    """The entries of lines `body` (inclusive), and why they cannot be updated, if so."""
    first, last = body
    by_line = links_by_line(document, first, last)
    entries: list[TocEntry] = []
    problem: str | None = None
    for number in sorted(by_line):
        links = by_line[number]
        entry = _entry(document, links[0])
        if entry is None:
            problem = problem or f"the TOC link at line {number} spans lines"
            continue
        if len(links) > 1:
            problem = (
                problem or f"line {number} holds {len(links)} TOC links (fix edits one a line)"
            )
        if entry.html:
            problem = problem or f"the TOC is written in HTML (line {number}); fix edits no HTML"
        entries.append(entry)
    problem = problem or _raw_entries(document, first, last, by_line)
    return TocRegion(kind, start, end, body, tuple(entries), (None, None), problem)


def _raw_entries(
    document: Document, first: int, last: int, parsed: dict[int, list[Link]]
) -> str | None:
    """Entry-like lines GitHub shows as text (an HTML block swallowed them)."""
    for number in range(first, last + 1):
        if number not in parsed and _RAW_ENTRY.search(document.source.line(number)):
            if number in document.code_lines:
                return f"line {number} of the TOC is inside a code block"
            return (
                f"the entries from line {number} are inside an HTML block, where GitHub shows "
                "them as text: put a blank line before them"
            )
    return None


def _entry(document: Document, link: Link) -> TocEntry | None:
    text = document.source.line(link.line)
    start = link.markup_column - 1
    if link.kind == "html_a":
        close = _HTML_A_END.search(text, start)
        if close is None:
            return None
        end, label = close.end(), text[text.find(">", start) + 1 : close.start()]
    else:
        extent = link_extent(text, start)
        if extent is None:
            return None
        end, label = extent[1], text[start + 1 : extent[0]]
    before = text[:start]
    bullet = _BULLET.match(before)
    leading = before[: len(before) - len(before.lstrip())]
    return TocEntry(
        line=link.line,
        indent=len(leading.expandtabs(4)),
        bullet=(bullet.group("bullet") or "") if bullet and bullet.end() == len(before) else "",
        before=before,
        link=text[start:end],
        text=label,
        fragment=in_page(link) or "",
        after=text[end:],
        html=link.kind == "html_a",
        span=Span(link.line, start + 1, link.line, end + 1),
    )


# -- scanning inline Markdown -------------------------------------------------------------------


def link_extent(text: str, start: int) -> tuple[int, int] | None:
    """For the `[` at `start`: (index of its `]`, index after the `)` of the inline link's
    destination); None unless an inline link starts there."""
    close = _closing_bracket(text, start)
    if close is None or not text.startswith("(", close + 1):
        return None
    depth, index = 0, close + 2
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            if depth == 0:
                return close, index + 1
            depth -= 1
        index += 1
    return None


def _closing_bracket(text: str, start: int) -> int | None:
    depth, index = 0, start
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == "`":
            after = _code_span_end(text, index)
            if after is not None:
                index = after
                continue
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
            if depth == 0:
                return index
        index += 1
    return None


def _code_span_end(text: str, start: int) -> int | None:
    run = len(text[start:]) - len(text[start:].lstrip("`"))
    close = text.find("`" * run, start + run)
    while close >= 0 and text.startswith("`", close + run):  # a longer run closes nothing
        close = text.find("`" * run, close + run + 1)
    return None if close < 0 else close + run


def plain_link_text(markdown: str) -> str:
    """Inline Markdown as the text of one clickable link: images and badges dropped, links
    reduced to their text, HTML tags and comments removed, blanks folded, brackets escaped."""
    cleaned = _strip_links(markdown)
    cleaned = _AUTOLINK.sub(r"\1", cleaned)
    cleaned = _SPACE.sub(" ", _TAG.sub("", cleaned)).strip()
    return _BRACKET.sub(r"\\\1", _ESCAPED_BRACKET.sub(r"\1", cleaned))


def _strip_links(text: str) -> str:
    out: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\":
            out.append(text[index : index + 2])
            index += 2
            continue
        if char == "`":
            after = _code_span_end(text, index)
            if after is not None:
                out.append(text[index:after])
                index = after
                continue
        if char == "!" and text.startswith("[", index + 1):
            extent = link_extent(text, index + 1)
            if extent is not None:  # an image or badge: gone
                index = extent[1]
                continue
        if char == "[":
            extent = link_extent(text, index)
            if extent is not None:  # a link: its text stays
                out.append(_strip_links(text[index + 1 : extent[0]]))
                index = extent[1]
                continue
        out.append(char)
        index += 1
    return "".join(out)


def entry_text(heading: Heading) -> str:
    """The link text of a heading's TOC entry, from the heading's source."""
    return plain_link_text(heading.source_text) or plain_link_text(heading.text)


def same_text(a: str, b: str) -> bool:
    """Two link texts that show the same words."""
    return plain_link_text(a).casefold() == plain_link_text(b).casefold()


def damaged(entry: TocEntry) -> bool:
    """The entry's link text holds an image, a link or an HTML anchor: not one clickable
    link (a nested `<a>` ends the outer one in a browser)."""
    if entry.html:
        return False
    return _strip_links(entry.text) != entry.text or _NESTED.search(entry.text) is not None


# -- what GitHub's page shows -------------------------------------------------------------------


class _Clickable(HTMLParser):
    """Counts in-page links with text a reader can click (a nested `<a>` closes the outer)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.count = 0
        self.open: bool | None = None  # inside an in-page link: has it shown text yet?

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "a":
            return
        self._close()
        href = dict(attrs).get("href") or ""
        self.open = False if href.startswith("#") and len(href) > 1 else None

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._close()

    def handle_data(self, data: str) -> None:
        if self.open is False and data.strip():
            self.open = True

    def _close(self) -> None:
        if self.open:
            self.count += 1
        self.open = None


def clickable(html: str) -> int:
    """How many in-page links with text GitHub's page shows in `html`."""
    parser = _Clickable()
    parser.feed(html)
    parser.close()
    parser._close()
    return parser.count
