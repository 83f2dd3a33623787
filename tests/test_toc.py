"""The toc package: TOC regions found by their markers, read into entries, updated by a merge.

The fixtures under tests/fixtures/toc/ are REPORT.md-shaped files, one per marker style.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pytest

import readme_guard
from readme_guard import config as config_module
from readme_guard.diagnostic import Diagnostic, Fix
from readme_guard.document import Document
from readme_guard.markdown import parse
from readme_guard.settings import Config, TocSpec
from readme_guard.source import decode
from readme_guard.toc.anchors import Anchors
from readme_guard.toc.entries import TocRegion, plain_link_text
from readme_guard.toc.find import find_regions as _find_regions
from readme_guard.toc.merge import TocCheck, listable, out_of_order
from readme_guard.toc.merge import compare as _compare
from readme_guard.toc.new import new_toc, render_toc
from tests.conftest import FIXTURES

TOC_FIXTURES = FIXTURES / "toc"
DEFAULT = config_module.load(None).config


# -- helpers shared by the TOC and anchor tests ---------------------------------------------------


def document_of(text: str, name: str = "README.md") -> Document:
    return parse(decode(text.encode("utf-8"), name))


def fixture(name: str) -> Document:
    path = TOC_FIXTURES / name
    return parse(decode(path.read_bytes(), name))


def check_file(
    path: Path, select: Sequence[str], config: Path | None = None, profile: str | None = None
) -> list[Diagnostic]:
    """The findings of the real pipeline (`readme-guard check`) on one file."""
    return readme_guard.check_file(
        path, config=config, isolated=config is None, profile=profile, select=select
    )


def apply(lines: Sequence[str], fix: Fix) -> list[str]:
    """Splice a fix's edits into `lines` (1-based inclusive ranges, bottom-up)."""
    result = list(lines)
    for edit in sorted(fix.edits, key=lambda e: e.start_line, reverse=True):
        result[edit.start_line - 1 : edit.end_line] = edit.lines
    return result


def find_regions(document: Document, spec: TocSpec = DEFAULT.toc) -> list[TocRegion]:
    return _find_regions(document, spec, Anchors(document))


def compare(document: Document, spec: TocSpec = DEFAULT.toc) -> list[TocCheck]:
    """The document's TOC compared with its headings, as RuleContext.toc_checks does."""
    anchors = Anchors(document)
    regions = _find_regions(document, spec, anchors)
    return [_compare(document, spec, regions[0], anchors)] if regions else []


def lines_of(document: Document) -> list[str]:
    return list(document.source.lines)


# -- finding and reading regions ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "style", "start", "end", "entries"),
    [
        ("jetbrains.md", "jetbrains", 7, 16, 8),
        ("vscode.md", "vscode", 3, 10, 4),
        ("doctoc.md", "doctoc", 3, 12, 4),
        ("doctoc_empty.md", "doctoc", 3, 4, 0),
        ("mdformat_toc.md", "mdformat-toc", 3, 9, 3),
        ("md_toc.md", "md-toc", 3, 10, 4),
    ],
)
def test_each_marker_style_is_found(
    name: str, style: str, start: int, end: int, entries: int
) -> None:
    [region] = find_regions(fixture(name))
    assert (region.kind, region.start_line, region.end_line) == (style, start, end)
    assert len(region.entries) == entries


def test_entries_keep_indent_bullet_text_and_decoded_fragment() -> None:
    [region] = find_regions(fixture("jetbrains.md"))
    first, facial = region.entries[0], region.entries[4]
    assert (first.line, first.indent, first.bullet, first.text) == (8, 2, "* ", "Deep Learning")
    assert facial.indent == 4
    assert facial.text == "<font color=Green> Facial expression recognition</font>"
    assert facial.fragment == "font-colorgreen-facial-expression-recognitionfont"
    assert region.entries[-1].indent == 6
    percent = document_of("<!-- TOC -->\n- [目录](#%E7%9B%AE%E5%BD%95)\n<!-- /TOC -->\n\n## 目录\n")
    assert find_regions(percent)[0].entries[0].fragment == "目录"


def test_marker_options_give_the_levels() -> None:
    [vscode] = find_regions(fixture("vscode.md"))
    [mdformat] = find_regions(fixture("mdformat_toc.md"))
    assert vscode.marker_levels == (2, 3)
    assert mdformat.marker_levels == (2, 3)


@pytest.mark.parametrize(
    "text",
    [
        "<!-- TOC -->\n- [A](#a)\n\n## A\n",  # never closed
        "```\n<!-- TOC -->\n- [A](#a)\n<!-- TOC -->\n```\n\n## A\n",  # inside a code fence
        "Text <!-- TOC --> inline\n- [A](#a)\n\nText <!-- TOC --> inline\n",  # not HTML blocks
        "<!-- START doctoc -->\n- [A](#a)\n<!-- /TOC -->\n\n## A\n",  # mismatched pair
    ],
)
def test_markers_that_make_no_region(text: str) -> None:
    assert find_regions(document_of(text)) == []


@pytest.mark.parametrize(
    "text",
    [
        "> <!-- TOC -->\n> - [A](#a)\n> <!-- TOC -->\n\n## A\n",  # inside a quote
        "- Contents\n  <!-- TOC -->\n  - [A](#a)\n  <!-- /TOC -->\n\n## A\n",  # inside a list
        "<details>\n<!-- TOC -->\n- [A](#a)\n<!-- /TOC -->\n</details>\n\n## A\n",  # in details
    ],
)
def test_regions_in_quotes_lists_and_details(text: str) -> None:
    [region] = find_regions(document_of(text))
    assert region.end_line - region.start_line == 2


def test_two_regions_are_two() -> None:
    text = "<!-- TOC -->\n- [A](#a)\n<!-- /TOC -->\n\n## A\n\n<!--TOC-->\n- [A](#a)\n<!--TOC-->\n"
    assert [r.kind for r in find_regions(document_of(text))] == ["vscode", "md-toc"]


# -- which headings a TOC lists ----------------------------------------------------------------


def test_quotes_lists_fences_and_html_are_not_toc_headings() -> None:
    document = fixture("not_headings.md")
    anchors = {h.anchor for h in document.headings}
    # GitHub anchors headings in quotes and lists, so links to them work ...
    assert {"quoted", "in-a-list"} <= anchors
    # ... but fences and HTML blocks hold no headings, and a TOC lists top-level ones only.
    assert "in-a-fence" not in anchors and "html-heading" not in anchors
    assert [h.text for h in listable(document)] == [
        "Papers",
        "Vision",
        "Inside details",
        "Language",
    ]


def test_omit_comments_leave_headings_out() -> None:
    document = fixture("omit.md")
    rendered = render_toc(document, DEFAULT)
    assert rendered == [
        "<!-- TOC -->",
        "- [Vision](#vision)",
        "- [Language](#language)",
        "<!-- /TOC -->",
    ]
    assert compare(document, DEFAULT.toc)[0].fix is None


def test_levels_default_to_what_the_entries_point_at() -> None:
    [check] = compare(fixture("jetbrains.md"), DEFAULT.toc)
    assert check.levels == (2, 4)
    [check] = compare(fixture("vscode.md"), DEFAULT.toc)  # depthFrom:2 depthTo:3
    assert check.levels == (2, 3)
    [check] = compare(fixture("doctoc_empty.md"), DEFAULT.toc)  # no entries: below the title
    assert check.levels == (2, 6)


def test_config_levels_win(tmp_path: Path) -> None:
    config = _config(tmp_path, "toc:\n  min_level: 3\n  max_level: 3\n")
    [check] = compare(fixture("vscode.md"), config.toc)
    assert [h.text for h in check.expected] == [
        "Masked image modelling",
        "Prompt tuning",
        "Adapters",
    ]


# -- rendering ---------------------------------------------------------------------------------


def test_jetbrains_render_keeps_layout_and_source_text() -> None:
    assert render_toc(fixture("jetbrains.md"), DEFAULT) == [
        "<!-- TOC -->",
        "  * [Deep Learning](#deep-learning)",
        "    * [PETL: parameters effective transfer learning]"
        "(#petl-parameters-effective-transfer-learning)",
        "    * [MTL，multi-task learning](#mtlmulti-task-learning)",
        "  * [CV](#cv)",
        "    * [<font color=Green> Facial expression recognition</font>]"
        "(#-facial-expression-recognition)",
        "    * [Image + Video pretrain for downstream tasks]"
        "(#-image--video-pretrain-for-downstream-tasks)",
        "  * [Embodied AI](#embodied-ai)",
        "    * [<font color=Green> Navigation </font>](#-navigation-)",
        "      * [Visual language navigation](#visual-language-navigation)",
        "<!-- TOC -->",
    ]


def test_doctoc_update_keeps_its_header_blank_lines_and_order() -> None:
    rendered = render_toc(fixture("doctoc.md"), DEFAULT)
    assert rendered[:4] == [
        "<!-- START doctoc generated TOC please keep comment here to allow auto update -->",
        "<!-- DON'T EDIT THIS SECTION, INSTEAD RE-RUN doctoc TO UPDATE -->",
        "**Table of Contents**",
        "",
    ]
    # Entries stay where they are (RG402 names the one out of order); the stale one goes.
    assert rendered[4:] == [
        "- [Multimodality](#multimodality)",
        "- [Robotics](#robotics)",
        "- [Navigation](#navigation)",
        "",
        "<!-- END doctoc generated TOC please keep comment here to allow auto update -->",
    ]


def test_empty_region_gets_dashes_and_two_spaces() -> None:
    assert render_toc(fixture("doctoc_empty.md"), DEFAULT)[1:-1] == [
        "- [Vision](#vision)",
        "  - [Video](#video)",
        "- [Language](#language)",
    ]


def test_ordered_four_space_layout_is_kept() -> None:
    document = fixture("md_toc.md")
    assert render_toc(document, DEFAULT) == lines_of(document)[2:10]


def test_duplicate_headings_get_numbered_anchors() -> None:
    rendered = render_toc(fixture("duplicates.md"), DEFAULT)
    assert "  - [Papers](#papers-1)" in rendered
    assert "  - [Notes](#notes-1)" in rendered


def test_links_inside_a_heading_become_text() -> None:
    document = document_of(
        "<!-- TOC -->\n<!-- /TOC -->\n\n## About [MAE](https://arxiv.org/abs/2111.06377)\n"
    )
    assert render_toc(document, DEFAULT)[1] == "- [About MAE](#about-mae)"


@pytest.mark.parametrize("name", sorted(p.name for p in TOC_FIXTURES.glob("*.md")))
def test_rendering_is_a_fixed_point(name: str) -> None:
    """After the rewrite the TOC matches its headings: nothing left to fix or report."""
    document = fixture(name)
    fixed = document
    for check in compare(document, DEFAULT.toc):
        if check.fix is not None:
            fixed = document_of("\n".join(apply(lines_of(document), check.fix)) + "\n")
    [after] = compare(fixed, DEFAULT.toc)
    assert after.fix is None and after.problem is None
    assert after.missing == ()
    assert all(t is not None for t in after.targets)


def test_crlf_and_bom_give_the_same_toc(tmp_path: Path) -> None:
    plain = (TOC_FIXTURES / "jetbrains.md").read_bytes()
    crlf = b"\xef\xbb\xbf" + plain.replace(b"\n", b"\r\n")
    document = parse(decode(crlf, "crlf.md"))
    assert document.source.bom and document.source.newline == "\r\n"
    assert render_toc(document, DEFAULT) == render_toc(fixture("jetbrains.md"), DEFAULT)
    for name, data in (("lf.md", plain), ("crlf.md", crlf)):
        (tmp_path / name).write_bytes(data)
    found = [
        [(d.code, d.line, d.column, d.message) for d in check_file(tmp_path / n, ["RG2", "RG4"])]
        for n in ("lf.md", "crlf.md")
    ]
    assert found[0] == found[1] and found[0]


@pytest.mark.parametrize("style", ["jetbrains", "vscode", "doctoc", "mdformat-toc", "md-toc"])
def test_a_new_toc_is_found_again_in_its_style(style: str, tmp_path: Path) -> None:
    config = _config(tmp_path, f"toc:\n  marker: {style}\n")
    document = fixture("doctoc_empty.md")
    block = new_toc(document, config.toc)
    text = "\n".join(
        ["# Reading list", "", *block, "", "## Vision", "", "### Video", "", "## Language"]
    )
    [check] = compare(document_of(text + "\n"), config.toc)
    assert check.region.kind == style
    assert check.fix is None
    if style == "mdformat-toc":
        assert block[0] == "<!-- mdformat-toc start --slug=github --maxlevel=6 --minlevel=2 -->"


# -- the real REPORT.md -------------------------------------------------------------------------


def test_report_toc_lists_all_14_headings_in_jetbrains_layout(report_repo: Path) -> None:
    document = parse(decode((report_repo / "REPORT.md").read_bytes(), "REPORT.md"))
    rendered = render_toc(document, DEFAULT)
    assert rendered[0] == rendered[-1] == "<!-- TOC -->"
    entries = rendered[1:-1]
    assert len(entries) == 14 == len(document.headings)
    entry = re.compile(r"^(?P<indent> *)\* \[(?P<text>.*)\]\(#(?P<anchor>[^)]*)\)$")
    anchors = {h.anchor for h in document.headings}
    for line, heading in zip(entries, document.headings, strict=True):
        found = entry.match(line)
        assert found, line
        assert len(found.group("indent")) == 2 * (heading.level - 1)  # `  * ` at level 2
        assert found.group("text") in (heading.source_text, plain_link_text(heading.source_text))
        assert found.group("anchor") == heading.anchor and found.group("anchor") in anchors
    assert "    * [<font color=Green> Navigation </font>](#-navigation-)" in entries


def test_report_toc_rewrite_changes_nothing_github_shows_outside_it(report_repo: Path) -> None:
    cmarkgfm = pytest.importorskip("cmarkgfm")
    path = report_repo / "REPORT.md"
    document = parse(decode(path.read_bytes(), "REPORT.md"))
    [check] = compare(document, DEFAULT.toc)
    assert check.fix is not None and check.fix.toc
    assert [(e.start_line, e.end_line) for e in check.fix.edits] == [(9, 23)]
    fixed = "\n".join(apply(lines_of(document), check.fix)) + "\n"

    def around_toc(text: str) -> tuple[str, str]:
        html = cmarkgfm.github_flavored_markdown_to_html(text, cmarkgfm.Options.CMARK_OPT_UNSAFE)
        before, _, after = html.split("<!-- TOC -->")
        return before, after

    assert around_toc(path.read_text(encoding="utf-8")) == around_toc(fixed)
    (report_repo / "REPORT.md").write_text(fixed, encoding="utf-8")
    assert check_file(path, ["RG204", "RG4"]) == []


def _config(folder: Path, text: str) -> Config:
    path = folder / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    return config_module.load(path).config


@pytest.mark.parametrize(
    ("order", "moved"),
    [
        ([0, 1, 2, 3], set()),
        ([1, 2, 3, 0, 4], {3}),  # one entry moved up: only it is out of order
        ([0, 3, 1, 2, None, 4], {1}),  # a stale entry (None) takes no part
        ([4, 3, 2], {0, 1}),
    ],
)
def test_out_of_order_names_the_fewest_entries(order: list[int | None], moved: set[int]) -> None:
    document = document_of("".join(f"## H{i}\n\n" for i in range(5)))
    headings = document.headings
    matches = [None if i is None else headings[i] for i in order]
    assert out_of_order(matches, headings) == moved


def test_a_setext_heading_over_two_lines_gives_a_one_line_entry() -> None:
    document = document_of("<!-- TOC -->\n<!-- /TOC -->\n\nVision and\nlanguage\n---\n")
    anchor = document.headings[0].anchor  # the line break is no space: `vision-andlanguage`
    assert render_toc(document, DEFAULT)[1] == f"- [Vision and language](#{anchor})"


def test_a_skipped_level_nests_one_step_not_two() -> None:
    document = document_of(
        "<!-- TOC -->\n<!-- /TOC -->\n\n## Vision\n\n#### Masked autoencoders\n\n### Video\n"
        "\n## Audio\n"
    )
    assert render_toc(document, DEFAULT)[1:5] == [
        "- [Vision](#vision)",
        "  - [Masked autoencoders](#masked-autoencoders)",
        "  - [Video](#video)",
        "- [Audio](#audio)",
    ]
