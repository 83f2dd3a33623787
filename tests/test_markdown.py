"""The Document: every link and image with its line and column, headings, paragraphs."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from readme_guard.document import Document
from readme_guard.markdown import parse
from readme_guard.source import decode


def _doc(text: str) -> Document:
    return parse(decode(text.encode(), "t.md"))


def _links(text: str) -> list[tuple[str, str, int, int]]:
    return [
        (link.kind, link.destination, link.span.line, link.span.column) for link in _doc(text).links
    ]


def test_links_in_nested_quotes_lists_and_lazy_lines() -> None:
    text = (
        "> Title\n"
        "> [Paper](https://arxiv.org/abs/2107.07651),\n"
        ">> - [Blog](https://blog.example.org/x) and ![fig](Images/a.png)\n"
        "lazy line with [Code](https://github.com/x/y)\n"
    )
    assert _links(text) == [
        ("link", "https://arxiv.org/abs/2107.07651", 2, 11),
        ("link", "https://blog.example.org/x", 3, 13),
        ("image", "Images/a.png", 3, 52),
        ("link", "https://github.com/x/y", 4, 23),
    ]


def test_html_images_and_anchors_inline_and_in_blocks() -> None:
    text = (
        '> > <img width="512" alt="image" src="https://github.com/o/r/blob/main/Images/x.png">\n'
        "\n"
        '<p align="center">\n'
        "  <a href='Slide/talk.pdf'><img src=Images/logo.png></a>\n"
        "</p>\n"
    )
    assert _links(text) == [
        ("html_img", "https://github.com/o/r/blob/main/Images/x.png", 1, 39),
        ("html_a", "Slide/talk.pdf", 4, 12),
        ("html_img", "Images/logo.png", 4, 37),
    ]


def test_tables_and_repeated_destinations_on_one_line() -> None:
    text = "| a | b |\n|---|---|\n| [x](p.md) | [y](p.md) |\n"
    assert _links(text) == [("link", "p.md", 3, 7), ("link", "p.md", 3, 19)]


def test_image_inside_a_link_and_angle_destinations() -> None:
    text = '[![img.png](Images/DDL.png)](https://example.org)\n![a](<Images/with space.png> "t")\n'
    assert _links(text) == [
        ("image", "Images/DDL.png", 1, 13),
        ("link", "https://example.org", 1, 30),
        ("image", "Images/with space.png", 2, 7),
    ]


def test_percent_encoded_destination_is_kept_as_written() -> None:
    assert _links(">> ![aim.png](Images%2Faim-adapter.png)\n") == [
        ("image", "Images%2Faim-adapter.png", 1, 15)
    ]


def test_autolinks() -> None:
    assert _links("see https://arxiv.org/abs/2005.12872 now\n") == [
        ("autolink", "https://arxiv.org/abs/2005.12872", 1, 5)
    ]


def test_headings_rendered_text_anchor_and_scope() -> None:
    doc = _doc(
        "### <font color=Green> Navigation </font> \n"
        "## Setup <!-- omit from toc -->\n"
        "> ## Quoted\n"
        "```\n## not a heading\n```\n"
        "## Setup\n"
    )
    headings = [
        (h.level, h.text, h.anchor, h.line, h.top_level, h.omit_from_toc) for h in doc.headings
    ]
    assert headings == [
        (3, " Navigation ", "-navigation-", 1, True, False),
        (2, "Setup ", "setup-", 2, True, True),
        (2, "Quoted", "quoted", 3, False, False),
        (2, "Setup", "setup", 7, True, False),
    ]
    assert doc.code_lines == frozenset({4, 5, 6})


def test_paragraph_lines_know_their_depth_and_column() -> None:
    doc = _doc("> Title  \n> [Paper](x)\n>> 描述\nlazy\n")
    rows = [
        (p.quote_depth, [(row.line, row.column, row.text) for row in p.lines])
        for p in doc.paragraphs
    ]
    assert rows == [(1, [(1, 3, "Title"), (2, 3, "Paper")]), (2, [(3, 4, "描述"), (4, 1, "lazy")])]


def test_crlf_and_bom_give_the_same_document_positions() -> None:
    text = "# T\n\n> [Paper](https://a.org/x)\n> ![f](Images/f.png)\n"
    plain = parse(decode(text.encode(), "t.md"))
    crlf = parse(decode(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode(), "t.md"))
    assert [link.span for link in plain.links] == [link.span for link in crlf.links]
    assert [h.line for h in plain.headings] == [h.line for h in crlf.headings]


def test_top_level_comments_are_recorded() -> None:
    doc = _doc("<!-- TOC -->\n* [A](#a)\n<!-- TOC -->\n\n> <!-- quoted -->\n")
    assert [(c.text, c.line, c.top_level) for c in doc.comments] == [
        ("<!-- TOC -->", 1, True),
        ("<!-- TOC -->", 3, True),
        ("<!-- quoted -->", 5, False),
    ]


@given(st.text(alphabet="ab <>()\\\t\"'#/.", max_size=30))
def test_fast_destination_parse_agrees_with_the_careful_one(tail: str) -> None:
    from readme_guard.locator import markdown_destination, nested_destination

    text = "[x](" + tail
    start = 4
    after_blanks = start + len(tail) - len(tail.lstrip(" \t"))
    assert markdown_destination(text, start) == nested_destination(text, after_blanks)


def test_a_missing_parser_is_one_clear_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from click.testing import CliRunner

    from readme_guard.cli import cli
    from readme_guard.markdown import ParseError, _library

    monkeypatch.setitem(sys.modules, "cmarkgfm", None)  # as if uninstalled
    _library.cache_clear()
    try:
        with pytest.raises(ParseError, match="cannot use cmark-gfm through cmarkgfm"):
            _doc("# T\n")
        (tmp_path / "README.md").write_text("# T\n", encoding="utf-8")
        result = CliRunner().invoke(cli, ["check", "--isolated", str(tmp_path / "README.md")])
        assert result.exit_code == 2
        assert "cannot use cmark-gfm" in result.output and "Traceback" not in result.output
    finally:
        _library.cache_clear()


def test_reference_links_and_lazy_lines_get_real_positions() -> None:
    text = "> > [2024-12-29]-[A]-[Title][1]\n> lazy [Code](https://x.org/c) \\\n> <b>x</b>\n\n[1]: https://arxiv.org/abs/1\n"
    assert _links(text) == [
        ("link", "https://arxiv.org/abs/1", 1, 22),
        ("link", "https://x.org/c", 2, 15),
    ]
    doc = _doc(text)
    assert [(row.line, row.column, row.raw) for row in doc.paragraphs[0].lines] == [
        (1, 5, "[2024-12-29]-[A]-[Title][1]"),
        (2, 3, "lazy [Code](https://x.org/c) \\"),
        (3, 3, "<b>x</b>"),
    ]


def test_byte_columns_become_character_columns() -> None:
    assert _links("> 论文简述：![图](Images/a.png) 中文 [链接](https://x.org)\n") == [
        ("image", "Images/a.png", 1, 13),
        ("link", "https://x.org", 1, 35),
    ]
