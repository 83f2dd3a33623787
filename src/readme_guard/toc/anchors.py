"""Does a `#fragment` resolve on GitHub? One answer, for RG204 (every link) and RG402 (the TOC).

What GitHub's page offers as a target:

* every heading, also one inside a quote or a list: id `user-content-` + its slug, repeated
  slugs numbered `-1`, `-2` in document order;
* an `id` attribute on any element and a `name` on `<a>` (also self-closing `<a name="x"/>`),
  anywhere outside code and comments: GitHub keeps them with the same `user-content-` prefix,
  as markdownlint's MD051 models;
* `#top`, and the line links of a file view (`#L20`, `#L19C5-L21C11`).

The page's script finds `#x` as well as `#user-content-x`, and compares case-insensitively,
so `#Deep-Learning` reaches `deep-learning` (what users report; eslint's markdown plugin
ignores case by default for this reason). An anchor in a heading's line, alone on a line
right before a heading (blank lines between allowed) or alone on the line right after it
(`<div id="x"></div>` under the heading), stands for that heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from readme_guard.document import Document, Heading

USER_CONTENT = "user-content-"
_HTML_ID = re.compile(
    r"<(?:[A-Za-z][\w-]*\s[^>]*?\bid|a\s[^>]*?\bname)\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>/]+))",
    re.IGNORECASE,
)
_COMMENT = re.compile(r"<!--.*?(?:-->|$)")
_CODE_SPAN = re.compile(r"(`+).+?\1")
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
# GitHub's line links (`#L20`, `#L19C5-L21C11`) select lines of the file, not a heading.
_LINE_FRAGMENT = re.compile(r"L\d+(?:C\d+)?(?:-L\d+(?:C\d+)?)?")


@dataclass(frozen=True, slots=True)
class Target:
    """Where a fragment leads: a line, and the heading there if it is one."""

    line: int
    heading: Heading | None


class Anchors:
    """Every target of one document's page."""

    def __init__(self, document: Document) -> None:
        headings = document.headings
        self._exact: dict[str, Heading] = {}
        self._folded: dict[str, Heading] = {}
        for each in headings:
            self._exact.setdefault(each.anchor, each)
            self._folded.setdefault(each.anchor.lower(), each)
        self._ids: dict[str, Target] = {}
        self._folded_ids: dict[str, Target] = {}
        by_line = {h.line: h for h in headings}
        lines = document.source.lines
        skipped = _comment_lines(document)
        for number, text in enumerate(lines, start=1):
            if "<" not in text or number in document.code_lines or number in skipped:
                continue
            text = _CODE_SPAN.sub("", _COMMENT.sub("", text))
            found = [next(g for g in m.groups() if g is not None) for m in _HTML_ID.finditer(text)]
            if not found:
                continue
            heading: Heading | None = by_line.get(number)
            if heading is None and not _TAG.sub("", text).strip():
                heading = by_line.get(number - 1) or _next_heading(lines, number, by_line)
            for name in found:
                target = Target(number, heading)
                self._ids.setdefault(name, target)
                self._folded_ids.setdefault(name.lower(), target)

    def resolve(self, fragment: str) -> Target | None:
        """The target `#fragment` (percent-decoded, without `#`) leads to, or None."""
        name = fragment.removeprefix(USER_CONTENT)
        heading = self._exact.get(name) or self._folded.get(name.lower())
        if heading is not None:
            return Target(heading.line, heading)
        target = self._ids.get(name) or self._folded_ids.get(name.lower())
        if target is not None:
            return target
        if name.lower() == "top" or _LINE_FRAGMENT.fullmatch(fragment):
            return Target(1, None)
        return None

    def heading(self, fragment: str) -> Heading | None:
        target = self.resolve(fragment)
        return target.heading if target is not None else None


def _comment_lines(document: Document) -> set[int]:
    """Lines inside a comment that spans lines (its first line is cleaned by `_COMMENT`)."""
    inside: set[int] = set()
    for comment in document.comments:
        extra = comment.text.count("\n")
        inside.update(range(comment.line + 1, comment.line + extra + 1))
    return inside


def _next_heading(
    lines: tuple[str, ...], number: int, by_line: dict[int, Heading]
) -> Heading | None:
    for following in range(number + 1, len(lines) + 1):
        if following in by_line:
            return by_line[following]
        if lines[following - 1].strip():
            return None
    return None
