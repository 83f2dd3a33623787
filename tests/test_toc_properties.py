"""A property over generated documents with TOCs (issue 10): after `fix`,

* every entry that resolved before still resolves (to the same heading or anchor);
* no text of the region outside the entry links is lost;
* no entry holds an image or a nested link;
* a second fix changes nothing;
* cmark-gfm renders everything outside the region as before.

The documents mix marker styles and region shapes (one line, `<details>`, indented, in a
quote), headings with HTML anchors, badges, links, emoji, CJK, duplicates and quoted headings,
and entries that are right, stale, renamed, annotated or broken.
"""

from __future__ import annotations

from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import readme_guard
from readme_guard import fixing
from readme_guard.document import Document
from readme_guard.toc import SENTINEL
from readme_guard.toc.entries import damaged, plain_link_text
from readme_guard.toc.merge import TocCheck
from tests.test_toc import compare, document_of

BOUNDED = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

WORDS = st.sampled_from(
    ["Vision", "Language", "Robots", "多模态", "视觉语言导航", "🚀", "Papers", "Datasets",
     "`code`", "*emphasis*", "Notes", "&amp;", "2024"]
)  # fmt: skip
DECOR = st.sampled_from(
    ["", "", '<a name="n{i}"></a> ', '<a id="i{i}"></a> ', "<font color=Green>{t}</font>"]
)
TAIL = st.sampled_from(
    ["", "", " [![Stars](https://img.shields.io/badge/s-1-blue)](https://example.org/r)",
     " [Link](https://example.org)", " ![logo](https://example.org/l.png)"]
)  # fmt: skip
MARKERS = st.sampled_from(
    [("<!-- TOC -->", "<!-- /TOC -->"), ("<!-- TOC -->", "<!-- TOC -->"), ("<!--TOC-->", "<!--TOC-->"),
     ("<!-- START doctoc -->", "<!-- END doctoc -->")]
)  # fmt: skip
SHAPES = st.sampled_from(["plain", "plain", "one-line", "details", "indented", "quote"])
ANNOTATION = st.sampled_from(["", "", "", ": classic papers", " *(updated weekly)*"])


@st.composite
def document(draw: st.DrawFn) -> str:
    count = draw(st.integers(2, 6))
    headings: list[tuple[int, str, bool]] = []  # level, source text, quoted
    for i in range(count):
        words = " ".join(draw(st.lists(WORDS, min_size=1, max_size=3)))
        if draw(st.booleans()) and headings:  # a duplicate
            words = headings[-1][1]
        decor = draw(DECOR).format(i=i, t=words)
        text = decor if "font" in decor else decor + words
        headings.append(
            (draw(st.sampled_from([2, 2, 3])), text + draw(TAIL), draw(st.integers(0, 5)) == 0)
        )
    doc = document_of("\n\n".join(_heading(h) for h in headings) + "\n")
    slugs = [h.anchor for h in doc.headings]
    entries: list[str] = []
    for index, heading in enumerate(doc.headings):
        choice = draw(st.sampled_from(["right", "right", "missing", "stale", "broken"]))
        text = plain_link_text(heading.source_text) or heading.text
        if choice == "missing":
            continue
        target = slugs[index]
        if choice == "broken":
            target = target + "-old"
        if '<a name="n' in heading.source_text and draw(st.booleans()):
            target = heading.source_text.split('"')[1]
        indent = "  " * (heading.level - 2)
        entries.append(f"{indent}- [{text}](#{target}){draw(ANNOTATION)}")
        if choice == "stale":
            entries.append(f"- [Gone {index}](#gone-{index})")
    if draw(st.booleans()):
        entries.insert(0, "**Contents**")
    begin, end = draw(MARKERS)
    shape = draw(SHAPES)
    if shape == "one-line":
        region = [f"{begin} {end}"]
    elif shape == "details":
        region = [
            "<details>",
            "<summary>Contents</summary>",
            "",
            begin,
            "",
            *entries,
            "",
            end,
            "</details>",
        ]
    elif shape == "indented":
        region = ["  " + line for line in (begin, *entries, end)]
    elif shape == "quote":
        region = ["> " + line for line in (begin, *entries, end)]
    else:
        region = [begin, *entries, end]
    body = "\n\n".join(_heading(h) for h in headings)
    return "# Reading list\n\n" + "\n".join(region) + "\n\n" + body + "\n"


def _heading(heading: tuple[int, str, bool]) -> str:
    level, text, quoted = heading
    return ("> " if quoted else "") + "#" * level + " " + text


def _fix(text: str) -> str:
    return readme_guard.fix(text, select="RG204,RG4")


def _check(text: str) -> tuple[Document, TocCheck | None]:
    doc = document_of(text)
    checks = compare(doc)
    return doc, checks[0] if checks else None


def _resolving(check: TocCheck) -> set[str]:
    """What the resolving entries lead to: a heading's anchor, or the fragment's target line
    text (an anchor that is no heading)."""
    return {
        t.heading.anchor if t.heading else e.fragment
        for e, t in zip(check.region.entries, check.targets, strict=True)
        if t is not None
    }


def _texts(doc: Document, check: TocCheck) -> Counter[str]:
    """The region's text outside the entry links, word by word (markers excluded)."""
    region = check.region
    links = {e.line: e for e in region.entries}
    words: Counter[str] = Counter()
    for number in range(region.body[0], region.body[1] + 1):
        line = doc.source.line(number)
        entry = links.get(number)
        if entry is not None:
            line = entry.before[len(entry.lead) :] + entry.after
        words.update(line.replace(">", " ").split())
    return words


def _outside(doc: Document, check: TocCheck | None) -> str:
    lines = list(doc.source.lines)
    if check is not None:
        region = check.region
        lines[region.start_line - 1 : region.end_line] = [SENTINEL]
    return fixing.comparable(fixing.render_html("\n".join(lines) + "\n"))


@BOUNDED
@given(document())
def test_fix_keeps_every_working_entry_and_word_and_nothing_else(text: str) -> None:
    before_doc, before = _check(text)
    fixed = _fix(text)
    after_doc, after = _check(fixed)
    assert _fix(fixed) == fixed  # a second fix changes nothing
    if before is None:
        assert fixed == text
        return
    assert after is not None
    assert _resolving(before) <= _resolving(after)
    assert not _texts(before_doc, before) - _texts(after_doc, after)
    if fixed != text:
        assert not any(damaged(e) for e in after.region.entries)
    assert _outside(before_doc, before) == _outside(after_doc, after)
