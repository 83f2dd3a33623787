"""The six ways `fix` once damaged real TOCs (issue 10), each on a fixture written for it.

Each fixture goes through the real `fix` pipeline; GitHub's rendering (cmark-gfm) of the
result is parsed the way the page's reader sees it: clickable in-page links.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import readme_guard
from readme_guard import fixing
from readme_guard.cli import cli
from readme_guard.linter import Options, Run
from readme_guard.source import Source
from readme_guard.toc.entries import clickable
from tests.conftest import FIXTURES
from tests.test_toc import compare, document_of

DAMAGE = FIXTURES / "toc" / "damage"


def _fix(text: str) -> fixing.Outcome:
    return fixing.fix_source(Run(Options(isolated=True)), Source("README.md", text), None)


def _fixed_twice(name: str) -> tuple[str, str]:
    text = (DAMAGE / name).read_text(encoding="utf-8")
    once = _fix(text)
    twice = _fix(once.text)
    assert not twice.changed, "a second fix changes nothing"
    return text, once.text


def _toc(text: str) -> list[str]:
    [check] = compare(document_of(text))
    region = check.region
    return text.split("\n")[region.start_line - 1 : region.end_line]


def _clicks(text: str) -> int:
    return clickable(fixing.render_html(text))


# 1. HTML anchors in headings -------------------------------------------------------------------


def test_entries_to_html_anchors_are_kept_byte_for_byte() -> None:
    before, after = _fixed_twice("html_anchors.md")
    assert _toc(after) == [
        "<!-- TOC -->",
        "- [Vision-Language Navigation](#vln)",
        "- [Datasets](#datasets)",
        "- [Manipulation](#manipulation)",
        "- [Simulators](#-simulators)",  # inserted: the anchor tag is not copied into the TOC
        "<!-- /TOC -->",
    ]
    assert after.count('name="vln"') == 1
    assert _clicks(after) == _clicks(before) + 1


def test_rg204_and_rg402_agree_on_html_anchors() -> None:
    [check] = compare(document_of((DAMAGE / "html_anchors.md").read_text(encoding="utf-8")))
    lines = [t.heading.line if t and t.heading else None for t in check.targets]
    assert lines == [9, 13, 17]  # `<a name>` and `<a id>` lead to their headings
    assert check.actions == ("keep", "keep", "keep")


# 2. headings inside quotes or lists ------------------------------------------------------------


def test_entries_for_quoted_headings_stay() -> None:
    _, after = _fixed_twice("quoted_headings.md")
    assert _toc(after)[1:-1] == [
        "- [Survey](#survey)",
        "- [Methods](#methods)",
        "- [Results](#results)",
    ]


# 3. badges and links in headings ---------------------------------------------------------------


def test_badges_are_dropped_and_links_become_text() -> None:
    text = (
        "<!-- TOC -->\n<!-- /TOC -->\n\n"
        "## Paper List [![Stars](https://img.shields.io/badge/stars-1k-blue)](https://example.org/l)\n\n"
        "## Tools ![logo](https://example.org/logo.png) and [Links](https://example.org)\n\n"
        '## <img src="x.png"> Icons <a href="https://example.org">here</a>\n'
    )
    after = _fix(text).text
    entries = _toc(after)[1:-1]
    assert entries == [
        "- [Paper List](#paper-list-)",
        "- [Tools and Links](#tools--and-links)",
        "- [Icons here](#-icons-here)",
    ]
    assert "![" not in "\n".join(entries)
    assert _clicks(after) == 3


def test_an_entry_holding_an_anchor_or_image_is_made_one_link_again() -> None:
    text = (
        "<!-- TOC -->\n"
        '- [<a name="vln"></a> Vision-Language Navigation](#-vision-language-navigation)\n'
        "- [Tools ![logo](https://example.org/logo.png)](#tools-)\n"
        "<!-- /TOC -->\n\n"
        '## <a name="vln"></a> Vision-Language Navigation\n\n'
        "## Tools ![logo](https://example.org/logo.png)\n"
    )
    after = _fix(text).text
    assert _toc(after)[1:3] == [
        "- [Vision-Language Navigation](#-vision-language-navigation)",
        "- [Tools](#tools-)",
    ]
    assert _clicks(after) == 2 > _clicks(text) - 1


# 4. hand-written text in the TOC ---------------------------------------------------------------


def test_annotations_titles_and_notes_are_kept() -> None:
    _, after = _fixed_twice("annotations.md")
    toc = _toc(after)
    assert toc == [
        "<!-- TOC -->",
        "**Contents**",
        "",
        "- [Classic](#classic): classic papers",
        "- [Recent](#recent) *(updated weekly)*",
        "  - see also the archive",
        "- [New name](#new-name) - our own notes",  # renamed heading: text and anchor follow
        "- [Surveys](#surveys)",  # missing: inserted in document order
        "<!-- /TOC -->",
    ]
    assert "[Gone](#gone)" not in after  # the only deletion: leads nowhere, stands for nothing


def test_the_removal_is_named() -> None:
    outcome = _fix((DAMAGE / "annotations.md").read_text(encoding="utf-8"))
    assert outcome.fixed
    [check] = compare(document_of((DAMAGE / "annotations.md").read_text(encoding="utf-8")))
    assert check.fix is not None and "'Gone'" in check.fix.description


def test_a_duplicate_entry_is_reported_not_fixed_and_check_is_not_silent() -> None:
    text = "<!-- TOC -->\n- [A](#a)\n- [A again](#a)\n<!-- /TOC -->\n\n## A\n"
    [finding] = readme_guard.check(text, select="RG402")
    assert "a second time" in finding.message and finding.fix is None


# 5. degenerate regions -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["one_line.md", "one_line_details.md"])
def test_one_line_regions_get_their_entries_between_the_markers(name: str) -> None:
    before, after = _fixed_twice(name)
    toc = _toc(after)
    assert toc[0] == "<!-- TOC -->" and toc[-1] == "<!-- /TOC -->"
    assert [line for line in toc[1:-1] if line] == [
        "- [Vision](#vision)",
        "- [Language](#language)",
    ]
    assert _clicks(after) == _clicks(before) + 2
    assert after.count("<!-- TOC -->") == 1


def test_entries_swallowed_by_an_html_block_are_reported_and_left_alone() -> None:
    text = "<details>\n<!-- TOC -->\n- [A](#a)\n<!-- /TOC -->\n</details>\n\n## A\n\n## B\n"
    [check] = compare(document_of(text))
    assert check.fix is None and check.problem is not None and "HTML block" in check.problem
    assert not _fix(text).changed


@pytest.mark.parametrize(
    "text",
    [
        "- Contents\n  <!-- TOC -->\n  - [A](#a)\n  <!-- /TOC -->\n\n## A\n\n## B\n",
        "> <!-- TOC -->\n> - [A](#a)\n> <!-- /TOC -->\n\n## A\n\n## B\n",
        "   <!-- TOC -->\n   - [A](#a)\n   <!-- /TOC -->\n\n## A\n\n## B\n",
    ],
)
def test_indented_quoted_and_listed_regions(text: str) -> None:
    once = _fix(text)
    assert once.text.count("](#b)") == 1
    assert not _fix(once.text).changed
    assert _clicks(once.text) == _clicks(text) + 1


# 6. conflict markers ---------------------------------------------------------------------------


def test_fix_refuses_a_file_with_conflict_markers(tmp_path: Path) -> None:
    path = tmp_path / "log.md"
    data = (DAMAGE / "conflict.md").read_bytes()
    path.write_bytes(data)
    result = CliRunner().invoke(cli, ["fix", "--isolated", str(path)])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "RG601" in lines[0] and "lines 9-13" in lines[0]
    assert path.read_bytes() == data


# TOCs without markers --------------------------------------------------------------------------


def test_a_list_of_in_page_links_near_the_top_is_the_toc() -> None:
    _, after = _fixed_twice("no_markers.md")
    assert after.split("\n")[6:12] == [
        "- [Navigation](#navigation)",
        "- [Manipulation](#manipulation)",
        "  - [Grasping](#grasping)",
        "  - [Pushing](#pushing)",
        "- [Datasets](#datasets)",
        "",
    ]  # its own heading ("Contents") is not listed; the stale entry is gone


def test_detect_markers_leaves_marker_less_lists_alone(tmp_path: Path) -> None:
    (tmp_path / "rules.yaml").write_text("toc:\n  detect: markers\n", encoding="utf-8")
    text = (DAMAGE / "no_markers.md").read_text(encoding="utf-8")
    assert readme_guard.check(text, config=tmp_path / "rules.yaml", select="RG4") == []


def test_lists_that_are_no_toc_are_not_detected() -> None:
    body = "\n\n## A\n\n## B\n\n## C\n\n## D\n"
    papers = "- [P1](https://a.org)\n- [P2](https://b.org)\n- [P3](#a)\n"
    late = "## A\n\n## B\n\n## C\n\n## D\n\n- [A](#a)\n- [B](#b)\n- [C](#c)\n"
    assert compare(document_of("# T\n\n" + papers + body)) == []
    assert compare(document_of(late)) == []


def test_a_stale_entry_with_entries_under_it_is_kept() -> None:
    text = (
        "<!-- TOC -->\n- [A](#a)\n- [Group](#group)\n  - [B](#b)\n<!-- /TOC -->\n\n## A\n\n## B\n"
    )
    [check] = compare(document_of(text))
    assert check.actions == ("keep", "keep", "keep")
    assert not _fix(text).changed


def test_an_id_right_under_a_heading_stands_for_it() -> None:
    text = (
        "## Contents\n\n- [Alpha](#Alpha-Topic)\n- [Beta](#beta-topic)\n- [Gamma](#gamma)\n\n"
        '## Alpha\n<div id="Alpha-Topic"></div>\n\n## Beta\n<div id="beta-topic"></div>\n\n'
        "## Gamma\n\n## Delta\n"
    )
    [check] = compare(document_of(text))
    assert [t.heading.text if t and t.heading else None for t in check.targets] == [
        "Alpha",
        "Beta",
        "Gamma",
    ]
    assert [h.text for h in check.missing] == ["Delta"]


def test_headings_above_a_toc_without_markers_are_expected_only_when_it_lists_one() -> None:
    toc = "- [Vision](#vision)\n- [Language](#language)\n- [Audio](#audio)\n"
    head = "# Paper List\n\n## News\n\n- 2024: more papers\n\n## Why this list\n\n## Contents\n\n"
    body = "\n## Vision\n\n## Language\n\n## Audio\n\n## Robotics\n"
    [check] = compare(document_of(head + toc + body))
    assert [h.text for h in check.missing] == ["Robotics"]
    [check] = compare(document_of(head + "- [News](#news)\n" + toc + body))
    assert [h.text for h in check.missing] == ["Why this list", "Robotics"]
    # A TOC between markers (generated ones list every heading) expects them all.
    [check] = compare(document_of(head + "<!-- TOC -->\n" + toc + "<!-- /TOC -->\n" + body))
    assert [h.text for h in check.missing] == ["News", "Why this list", "Robotics"]


def test_a_sections_own_link_list_is_not_the_toc() -> None:
    text = "# T\n\n## Detection\n\n- [2D](#2d)\n- [3D](#3d)\n- [Video](#video)\n\n" + "".join(
        f"### {name}\n\n" for name in ("2D", "3D", "Video", "S1", "S2", "S3", "S4")
    ).replace("### S", "## S")
    [check] = compare(document_of(text))
    assert check.missing == () and check.fix is None
