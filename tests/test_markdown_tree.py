"""The Document's block structure is cmark-gfm's: compared with cmark's own XML dump of the
same tree (a separate code path: cmark's renderer, not our walk and its line corrections),
on generated documents and on the corpus."""

from __future__ import annotations

import ctypes
import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given

from readme_guard.document import NESTING_LIMIT, Document
from readme_guard.markdown import _CONTAINER_KINDS, _library, parse, tree
from readme_guard.source import Source, decode
from tests.conftest import corpus_file
from tests.test_properties import BOUNDED, markdown

_NS = "{http://commonmark.org/xml/1.0}"
_OPT_SOURCEPOS = 1 << 1


def _xml(text: str) -> ET.Element:
    library = _library()
    library.cmark_render_xml.restype = ctypes.c_void_p
    library.cmark_render_xml.argtypes = [ctypes.c_void_p, ctypes.c_int]
    root = tree(text)
    try:
        dump = ctypes.string_at(library.cmark_render_xml(root, _OPT_SOURCEPOS))
    finally:
        library.cmark_node_free(root)
    # XML 1.0 has no control characters; the corpus has a few in its text
    return ET.fromstring(re.sub(rb"[\x01-\x08\x0b\x0c\x0e-\x1f]", b" ", dump))


def _line(element: ET.Element) -> int:
    return int(element.get("sourcepos", "0:0-0:0").split(":")[0])


def _reference(text: str) -> tuple[list[str], list[tuple[int, int, bool]], list[tuple[int, int]]]:
    """From cmark's dump: top-level block kinds; (quote depth, in a list, first line) of every
    paragraph cmark positions; (level, line) of every heading."""
    document = _xml(text)
    kinds = [_CONTAINER_KINDS[child.tag.removeprefix(_NS)] for child in document]
    paragraphs: list[tuple[int, int, bool]] = []
    headings: list[tuple[int, int]] = []
    stack = [(document, 0, 0)]
    while stack:
        element, quotes, lists = stack.pop()
        for child in reversed(element):
            tag = child.tag.removeprefix(_NS)
            depth = (quotes + (tag == "block_quote"), lists + (tag == "list"))
            if sum(depth) > NESTING_LIMIT:
                continue
            if tag == "paragraph" and _line(child):
                paragraphs.append((quotes, _line(child), lists > 0))
            elif tag == "heading":
                headings.append((int(child.get("level", "0")), _line(child)))
            stack.append((child, *depth))
    paragraphs.sort(key=lambda p: p[1])
    headings.sort(key=lambda h: h[1])
    return kinds, paragraphs, headings


def _ours(
    document: Document,
) -> tuple[list[str], list[tuple[int, int, bool]], list[tuple[int, int]]]:
    kinds = [c.kind for c in document.containers]
    paragraphs = sorted(
        (p.quote_depth, p.start_line, p.in_list) for p in document.paragraphs if not p.html
    )
    paragraphs.sort(key=lambda p: p[1])
    headings = [(h.level, h.line) for h in document.headings]
    return kinds, paragraphs, headings


def _agree(source: Source) -> None:
    kinds, paragraphs, headings = _reference(source.markdown_text)
    ours_kinds, ours_paragraphs, ours_headings = _ours(parse(source))
    assert ours_kinds == kinds
    assert ours_headings == headings
    # cmark gives no position to text the table extension cut from above a header row
    positioned = [p for p in ours_paragraphs if (p[0], p[1], p[2]) in set(paragraphs)]
    assert positioned == paragraphs


@BOUNDED
@given(data=markdown())
def test_generated_documents_have_cmarks_block_tree(data: bytes) -> None:
    _agree(decode(data, "README.md"))


@pytest.mark.parametrize("name", ["REPORT.md", "weekly.md", "archive2024.md", "archive2025.md"])
def test_corpus_files_have_cmarks_block_tree(name: str) -> None:
    _agree(decode(corpus_file(name).read_bytes(), name))


def test_a_paragraph_above_a_table_gets_its_own_lines() -> None:
    document = parse(decode(b"intro\nmore\n| a | b |\n|---|---|\n| [x](p.md) | y |\n", "t.md"))
    assert [(c.kind, c.start_line, c.end_line) for c in document.containers] == [
        ("paragraph", 1, 2),
        ("table", 3, 5),
    ]
    assert [(p.start_line, p.end_line) for p in document.paragraphs] == [(1, 2)]
    assert [(link.line, link.span.column) for link in document.links] == [(5, 7)]
