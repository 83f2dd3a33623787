"""Where things stand in the source: position recovery, independent of any parser.

The parser tells which line a block or an inline node is on; the columns it gives are byte
offsets (and, for inline nodes after the first line of a quote, not reliable). `Locator`
turns those hints into exact 1-based lines and 1-based character columns by reading the
source lines themselves, with a cursor that only moves forward, so a destination repeated
on one line maps to its successive occurrences.
"""

from __future__ import annotations

import bisect
import html
import re
from typing import NamedTuple

from readme_guard.source import Source

# A bare destination with at most one level of balanced parentheses; a `<...>` destination
# or deeper nesting takes the character-wise path.
_BARE_DESTINATION = re.compile(r"[ \t]*(?P<bare>(?:[^\s()\\]|\\.?|\((?:[^\s()\\]|\\.?)*\))*)")
_BACKSLASH_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
# One container prefix: a quote marker (with its optional space) or indentation.
_QUOTE_MARKER = re.compile(r"[ ]{0,3}>[ ]?")


def unescape(destination: str) -> str:
    """A destination as written, with backslash escapes and entities decoded."""
    if "\\" in destination:
        destination = _BACKSLASH_ESCAPE.sub(r"\1", destination)
    return html.unescape(destination) if "&" in destination else destination


class Target(NamedTuple):
    """A `](destination` in the source: 1-based line, 0-based offsets of `](` and the
    destination, and the destination as written."""

    line: int
    bracket: int
    begin: int
    end: int
    raw: str


class Found(NamedTuple):
    """A located destination: 1-based line, 1-based columns (end exclusive), and the
    column of the construct's first character."""

    line: int
    begin: int
    end: int
    markup: int
    raw: str


class Locator:
    """Exact positions in one Source, found forwards from where the last search ended."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.line = 1
        self.column = 0  # 0-based offset on `line`
        self._targets: dict[int, list[Target]] = {}

    # -- columns ---------------------------------------------------------------------------

    def char_column(self, line: int, byte_column: int) -> int:
        """The 1-based character column of the parser's 1-based byte column on `line`."""
        text = self.source.line(line)
        if byte_column <= 1 or text.isascii():
            return max(byte_column, 1)
        prefix = text.encode("utf-8")[: byte_column - 1]
        return len(prefix.decode("utf-8", "ignore")) + 1

    def content(self, line: int, quote_depth: int) -> tuple[int, str]:
        """Where a paragraph's text starts on `line` (1-based column) and that text: up to
        `quote_depth` quote markers and the indentation removed (a lazy line has fewer)."""
        text = self.source.line(line)
        start = 0
        for _ in range(quote_depth):
            marker = _QUOTE_MARKER.match(text, start)
            if marker is None:
                break
            start = marker.end()
        rest = text[start:].lstrip(" \t")
        start = len(text) - len(rest)
        return start + 1, rest

    def suffix_column(self, line: int, tail: str) -> int:
        """The column where `tail` (a line with its container prefix removed) starts."""
        text = self.source.line(line)
        if tail and text.endswith(tail):
            return len(text) - len(tail) + 1
        found = text.find(tail) if tail else -1
        return found + 1 if found >= 0 else self.content(line, 0)[0]

    # -- the forward cursor ----------------------------------------------------------------

    def _start(self, line: int) -> tuple[int, int]:
        """Where a search for a node on `line` begins: never before the cursor."""
        if line > self.line:
            return line, 0
        return self.line, self.column

    def _move(self, line: int, column: int) -> None:
        self.line, self.column = line, column

    def targets(self, line: int) -> list[Target]:
        """Every `](destination` on `line`, parsed once."""
        found = self._targets.get(line)
        if found is None:
            text = self.source.line(line)
            found = []
            position = text.find("](")
            while position >= 0:
                parsed = markdown_destination(text, position + 2)
                if parsed is not None:
                    found.append(Target(line, position, *parsed))
                position = text.find("](", position + 2)
            self._targets[line] = found
        return found

    def destination(self, url: str, first: int, last: int) -> Found | None:
        """The first `](destination` from the cursor on, within lines `first`..`last`, that
        the parser read as `url`; the cursor moves past it."""
        line, column = self._start(first)
        for number in range(line, last + 1):
            row = self.targets(number)
            begin = bisect.bisect_left(row, column, key=lambda t: t.bracket) if column else 0
            for target in row[begin:]:
                if target.raw == url or unescape(target.raw) == url:
                    self._move(number, target.end)
                    text = self.source.line(number)
                    return Found(
                        number,
                        target.begin + 1,
                        target.end + 1,
                        opening_bracket(text, target.bracket) + 1,
                        target.raw,
                    )
            column = 0
        return None

    def literal(self, needle: str, first: int, last: int) -> tuple[int, int] | None:
        """The first occurrence of `needle` from the cursor on: (line, 0-based offset)."""
        if not needle:
            return None
        line, column = self._start(first)
        for number in range(line, last + 1):
            found = self.source.line(number).find(needle, column)
            if found >= 0:
                self._move(number, found + len(needle))
                return number, found
            column = 0
        return None

    def html_attribute(self, value: str, tag_head: str, first: int, last: int) -> Found | None:
        """The attribute `value` of the tag starting with `tag_head`, from the cursor on."""
        line, column = self._start(first)
        for number in range(line, last + 1):
            text = self.source.line(number)
            tag_at = text.find(tag_head, column) if tag_head else column
            found = text.find(value, tag_at if tag_at >= 0 else column) if value else -1
            if found >= 0 and (tag_at >= 0 or number > line):
                self._move(number, found + len(value))
                return Found(number, found + 1, found + len(value) + 1, max(tag_at, 0) + 1, value)
            if tag_at >= 0 and not value:
                self._move(number, tag_at + len(tag_head))
                return Found(number, tag_at + 1, tag_at + 1, tag_at + 1, value)
            column = 0
        return None

    def markup(self, line: int, text: str) -> Found:
        """Where a construct without a findable destination (a reference-style link) starts:
        its `[text` from the cursor on, else the start of the line's content."""
        found = self.literal("[" + text, line, line) if text else None
        if found is not None:
            number, offset = found
            return Found(number, offset + 1, offset + 1, offset + 1, "")
        column = self.content(line, 0)[0]
        return Found(line, column, column, column, "")


def markdown_destination(text: str, start: int) -> tuple[int, int, str] | None:
    """Parse the destination after `](` at `start`; return its start, end and raw text."""
    match = _BARE_DESTINATION.match(text, start)
    assert match is not None  # every part of the pattern may be empty
    i, j = match.span("bare")
    if text.startswith("<", i) or text.startswith("(", j):
        return nested_destination(text, i)
    return i, j, match.group("bare")


def nested_destination(text: str, i: int) -> tuple[int, int, str] | None:
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


def opening_bracket(text: str, close: int) -> int:
    """Index of the `[` (or `![`) that matches the `]` at `close` (`close` when unbalanced)."""
    depth = 0
    for i in range(close, -1, -1):
        if text[i] == "]" and (i == 0 or text[i - 1] != "\\"):
            depth += 1
        elif text[i] == "[" and (i == 0 or text[i - 1] != "\\"):
            depth -= 1
            if depth == 0:
                return i - 1 if i > 0 and text[i - 1] == "!" else i
    return close
