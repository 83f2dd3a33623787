"""RG401 toc-missing and RG402 toc-drift through the real pipeline, on fixtures and REPORT.md."""

from __future__ import annotations

from pathlib import Path

import pytest

from readme_guard.diagnostic import Diagnostic
from tests.conftest import ROOT, corpus_file
from tests.test_toc import TOC_FIXTURES, apply, check_file


def _found(diagnostics: list[Diagnostic]) -> list[tuple[str, int]]:
    return [(d.code, d.line) for d in diagnostics]


def _write(folder: Path, text: str, name: str = "README.md") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_heading_is_reported_at_the_heading_and_named() -> None:
    diagnostics = check_file(TOC_FIXTURES / "jetbrains.md", ["RG4"])
    [missing] = diagnostics
    assert (missing.code, missing.line, missing.column) == ("RG402", 46, 1)
    assert "'Image + Video pretrain for downstream tasks' is missing from the TOC" in (
        missing.message
    )


def test_entries_with_jetbrains_anchors_are_not_also_stale() -> None:
    """Their anchors are RG204's; by their text they still stand for their headings."""
    found = _found(check_file(TOC_FIXTURES / "jetbrains.md", ["RG204", "RG4"]))
    assert found == [("RG204", 12), ("RG204", 14), ("RG402", 46)]


def test_out_of_order_and_stale_entries() -> None:
    diagnostics = check_file(TOC_FIXTURES / "doctoc.md", ["RG402"])
    assert _found(diagnostics) == [("RG402", 8), ("RG402", 10)]
    order, stale = diagnostics
    assert "'Robotics' is out of order: its heading is at line 23" in order.message
    assert "'Old section' leads to no heading or anchor" in stale.message
    assert order.fix is None and stale.fix is not None  # fix removes, it does not reorder


def test_wrong_level_is_reported_and_hand_written_text_kept(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "<!-- TOC -->\n"
        "- [Vision](#vision)\n"
        "- [Video](#video)\n"
        "- [Languages](#language)\n"
        "<!-- /TOC -->\n\n## Vision\n\n### Video\n\n## Language\n",
    )
    diagnostics = check_file(path, ["RG402"])
    # `[Languages](#language)` resolves: its text is the maintainer's, not a finding.
    [level] = diagnostics
    assert level.line == 3 and level.fix is None
    assert "'Video' is indented as level 2; its heading (line 9) is level 3" in level.message


def test_a_second_entry_for_a_repeated_heading_names_its_real_anchor() -> None:
    [finding] = check_file(TOC_FIXTURES / "duplicates.md", ["RG204", "RG4"])
    assert (finding.code, finding.line) == ("RG402", 8)
    assert "GitHub's anchor for its heading (line 20) is `#papers-1`" in finding.message


def test_entries_for_headings_a_toc_does_not_list() -> None:
    diagnostics = check_file(TOC_FIXTURES / "not_headings.md", ["RG402"])
    # The entry for the quoted heading resolves on GitHub, so it stays and is no finding.
    [details] = diagnostics
    assert "'Inside details' is missing" in details.message  # a real heading after the HTML


def test_headings_outside_the_marker_levels_are_not_missing() -> None:
    found = check_file(TOC_FIXTURES / "vscode.md", ["RG402"])
    assert [(d.line, "'Adapters'" in d.message) for d in found] == [(27, True)]
    assert check_file(TOC_FIXTURES / "mdformat_toc.md", ["RG4"]) == []  # `#### Datasets`


@pytest.mark.parametrize("name", ["omit.md", "md_toc.md", "mdformat_toc.md"])
def test_tocs_that_match_their_headings_pass(name: str) -> None:
    assert check_file(TOC_FIXTURES / name, ["RG204", "RG4"]) == []


def test_hand_written_lines_inside_the_entries_are_no_finding(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "<!-- TOC -->\n- [A](#a)\nsee below\n- [B](#b)\n<!-- /TOC -->\n\n## A\n\n## B\n",
    )
    assert check_file(path, ["RG402"]) == []


def test_every_toc_finding_carries_one_toc_rewrite() -> None:
    diagnostics = check_file(TOC_FIXTURES / "jetbrains.md", ["RG204", "RG402"])
    fixes = {d.fix for d in diagnostics}
    assert len(fixes) == 1
    [fix] = fixes
    assert fix is not None and fix.toc and all(d.fixable for d in diagnostics)
    assert [(e.start_line, e.end_line) for e in fix.edits] == [(7, 16)]


# -- the depth of a hand-made TOC, per section ----------------------------------------------------

_SHALLOW = TOC_FIXTURES / "shallow_sections.md"
_ALL_BELOW_LISTED_LEVELS = [22, 26, 28, 32, 34, 42, 44, 46]


def test_a_section_listed_without_sub_headings_is_listed_shallow_on_purpose() -> None:
    """Vision and Translation are listed without their sub-headings: those are not missing.
    Word vectors and Audio list some: the others are; a new section is, its children not."""
    diagnostics = check_file(_SHALLOW, ["RG402"])
    assert [(d.line, d.message.split("'")[1]) for d in diagnostics] == [
        (22, "Contextual embeddings"),
        (42, "Speaker identification"),
        (44, "Graphs"),
    ]
    assert all("(which lists levels 2 to 4)" in d.message for d in diagnostics)


def test_fix_inserts_only_the_headings_reported(tmp_path: Path) -> None:
    [fix] = {d.fix for d in check_file(_SHALLOW, ["RG402"])}
    assert fix is not None
    lines = _SHALLOW.read_text(encoding="utf-8").split("\n")
    fixed = apply(lines, fix)
    assert fixed[6:18] == [
        "- [Language](#language)",
        "  - [Word vectors](#word-vectors)",
        "    - [Static embeddings](#static-embeddings)",
        "    - [Contextual embeddings](#contextual-embeddings)",
        "  - [Translation](#translation)",
        "- [Vision](#vision)",
        "- [Audio](#audio)",
        "  - [Speech recognition](#speech-recognition)",
        "  - [Music](#music)",
        "  - [Speaker identification](#speaker-identification)",
        "- [Graphs](#graphs)",
        "",
    ]
    assert fixed[18:] == lines[15:]
    # Graphs is listed now, its sub-heading still is not: nothing is missing any more.
    assert check_file(_write(tmp_path, "\n".join(fixed)), ["RG402"]) == []


def test_markers_and_set_levels_keep_the_depth_of_the_whole_toc(tmp_path: Path) -> None:
    """Between markers a TOC is generated (every heading of its levels), and levels set in
    rules.yaml hold: every heading at levels 2 to 4 is expected there."""
    text = _SHALLOW.read_text(encoding="utf-8")
    wrapped = text.replace("- [Language]", "<!-- TOC -->\n- [Language]").replace(
        "  - [Music](#music)\n", "  - [Music](#music)\n<!-- /TOC -->\n"
    )
    found = check_file(_write(tmp_path, wrapped), ["RG402"])
    assert [d.line for d in found] == [n + 2 for n in _ALL_BELOW_LISTED_LEVELS]
    config = _write(tmp_path, "toc:\n  max_level: 4\n", "rules.yaml")
    found = check_file(_write(tmp_path, text), ["RG402"], config=config)
    assert [d.line for d in found] == _ALL_BELOW_LISTED_LEVELS


# -- RG401 ----------------------------------------------------------------------------------------

_NO_TOC = "# Papers\n\nIntro.\n\n## Vision\n\n### Video\n\n## Language\n"


def test_toc_is_not_required_by_default(tmp_path: Path) -> None:
    assert check_file(_write(tmp_path, _NO_TOC), ["RG401"]) == []


@pytest.mark.parametrize("style", ["jetbrains", "vscode", "doctoc", "mdformat-toc", "md-toc"])
def test_required_toc_is_inserted_after_the_named_heading(style: str, tmp_path: Path) -> None:
    config = _write(
        tmp_path,
        f"toc:\n  required: true\n  insert_after: Papers\n  marker: {style}\n",
        "rules.yaml",
    )
    path = _write(tmp_path, _NO_TOC)
    [finding] = check_file(path, ["RG4"], config)
    assert (finding.code, finding.line) == ("RG401", 1)
    assert finding.fix is not None and finding.fix.toc
    fixed = apply(path.read_text(encoding="utf-8").splitlines(), finding.fix)
    assert fixed[:3] == ["# Papers", "", fixed[2]] and fixed[2].startswith("<!--")
    assert "- [Vision](#vision)" in fixed and "  - [Video](#video)" in fixed
    _write(tmp_path, "\n".join(fixed) + "\n")
    assert check_file(path, ["RG4", "RG204"], config) == []


def test_required_toc_without_a_place_is_reported_without_a_fix(tmp_path: Path) -> None:
    path = _write(tmp_path, _NO_TOC)
    for settings, hint in (
        ("", "set toc.insert_after"),
        ("  insert_after: Nowhere\n", "no heading matches toc.insert_after 'Nowhere'"),
    ):
        config = _write(tmp_path, f"toc:\n  required: true\n{settings}", "rules.yaml")
        [finding] = check_file(path, ["RG401"], config)
        assert finding.fix is None and hint in finding.message


def test_insert_after_a_setext_heading_by_regex(tmp_path: Path) -> None:
    config = _write(tmp_path, "toc:\n  required: true\n  insert_after: '^Pap'\n", "rules.yaml")
    path = _write(tmp_path, "Papers\n======\n## Vision\n")
    [finding] = check_file(path, ["RG401"], config)
    assert finding.fix is not None
    fixed = apply(path.read_text(encoding="utf-8").splitlines(), finding.fix)
    assert fixed == [
        "Papers",
        "======",
        "",
        "<!-- TOC -->",
        "- [Vision](#vision)",
        "<!-- /TOC -->",
        "",
        "## Vision",
    ]


# -- the real files -------------------------------------------------------------------------------


def test_report_md_toc_findings(report_repo: Path) -> None:
    diagnostics = check_file(report_repo / "REPORT.md", ["RG204", "RG4"])
    assert _found(diagnostics) == [
        ("RG204", 16),
        ("RG204", 19),
        ("RG204", 21),
        ("RG204", 22),
        ("RG402", 71),
    ]
    navigation = diagnostics[1]
    assert navigation.message.endswith("GitHub's anchor for this heading is `#-navigation-`")
    assert "Image + Video pretrain for downstream tasks" in diagnostics[-1].message


@pytest.mark.parametrize("name", ["weekly.md", "archive2024.md", "archive2025.md"])
def test_weekly_logs_have_no_toc_findings(name: str) -> None:
    assert check_file(corpus_file(name), ["RG204", "RG4"], profile="weekly") == []


def test_the_projects_own_readme_has_no_anchor_or_toc_findings() -> None:
    assert check_file(ROOT / "README.md", ["RG204", "RG4"]) == []


def test_a_second_toc_is_reported_once_and_not_compared(tmp_path: Path) -> None:
    path = tmp_path / "README.md"
    path.write_text(
        "<!-- TOC -->\n- [Vision](#vision)\n- [Video](#video)\n<!-- /TOC -->\n\n## Vision\n\n"
        "<!-- TOC -->\n<!-- /TOC -->\n\n## Video\n",
        encoding="utf-8",
    )
    found = [(d.code, d.line, d.message) for d in check_file(path, ["RG402"])]
    assert found == [
        (
            "RG402",
            8,
            "a second TOC (lines 8-9); only the first TOC is kept in step with the headings: "
            "remove these markers or merge the TOCs",
        )
    ]
