"""RG601 conflict-marker: git's merge-conflict markers left in the file, as complete sets."""

from __future__ import annotations

from pathlib import Path

import pytest

from readme_guard.diagnostic import Diagnostic
from tests.conftest import corpus_file
from tests.test_toc import check_file

ENTRY_A = "> >[2025-09-07]-[A]-[Paper one](https://arxiv.org/abs/2501.00001)"
ENTRY_B = "> >[2025-09-07]-[B]-[Paper two](https://arxiv.org/abs/2501.00002)"
THEIRS = ">>>>>>> 82ae37b2ef76a87a7d1bde5cf740265e4b2a8922"


def _check(folder: Path, *lines: str) -> list[Diagnostic]:
    path = folder / "archive.md"
    path.write_text("## 2025\n\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return check_file(path, ["RG601"], profile="weekly")


def test_each_marker_of_a_set_is_reported(tmp_path: Path) -> None:
    found = _check(tmp_path, "<<<<<<< HEAD", ENTRY_A, "=======", ENTRY_B, THEIRS)
    assert [(d.line, d.column) for d in found] == [(3, 1), (5, 1), (7, 1)]
    assert found[0].message == "unresolved merge conflict (lines 3 to 7): `<<<<<<< HEAD`"
    assert found[2].message == f"merge-conflict marker `{THEIRS}` of the conflict at line 3"
    assert found[0].span.end_column == len("<<<<<<< HEAD") + 1


def test_diff3_base_marker_belongs_to_the_set(tmp_path: Path) -> None:
    found = _check(
        tmp_path, "<<<<<<< ours", ENTRY_A, "||||||| base", "", "=======", ENTRY_B, ">>>>>>> theirs"
    )
    assert [d.line for d in found] == [3, 5, 7, 9]


@pytest.mark.parametrize(
    "lines",
    [
        ("Title", "======="),  # a setext underline
        ("<<<<<<< HEAD", ENTRY_A, "=======", ENTRY_B),  # never closed
        ("=======", ENTRY_B, THEIRS),  # no opening marker
        ("<<<<<<< HEAD", ENTRY_A, THEIRS),  # no separator
        ("```", "<<<<<<< HEAD", "=======", THEIRS, "```"),  # a code fence showing markers
        ("<<<<<<<< eight", ENTRY_A, "========", ENTRY_B, ">>>>>>>> eight"),  # not git's size
        ("> <<<<<<< HEAD", "> =======", "> " + THEIRS),  # not at the start of the line
    ],
)
def test_what_is_not_a_conflict(lines: tuple[str, ...], tmp_path: Path) -> None:
    assert _check(tmp_path, *lines) == []


def test_archive2025_markers() -> None:
    found = check_file(corpus_file("archive2025.md"), ["RG601"], profile="weekly")
    assert [d.line for d in found] == [575, 576, 626, 643, 645, 647]
    assert found[0].message == "unresolved merge conflict (lines 575 to 626): `<<<<<<< HEAD`"


@pytest.mark.parametrize(
    ("name", "profile"),
    [("archive2024.md", "weekly"), ("weekly.md", "weekly"), ("REPORT.md", None)],
)
def test_other_corpus_files_have_none(name: str, profile: str | None) -> None:
    assert check_file(corpus_file(name), ["RG601"], profile=profile) == []


def test_nothing_in_a_file_with_a_conflict_is_offered_as_fixable(tmp_path: Path) -> None:
    """`fix` refuses such a file whole, so `check` marks none of its findings `[*]`."""
    lazy = [ENTRY_A, "> > f", "wrapped title line"]  # a lazy line: fixable elsewhere
    path = tmp_path / "archive.md"
    path.write_text("## 2025\n\n" + "\n".join(lazy) + "\n", encoding="utf-8")
    [clean] = check_file(path, ["RG501"], profile="weekly")
    assert clean.fixable and clean.line == 5
    conflicted = [*lazy, "", "<<<<<<< HEAD", ENTRY_A, "=======", ENTRY_B, THEIRS]
    path.write_text("## 2025\n\n" + "\n".join(conflicted) + "\n", encoding="utf-8")
    found = check_file(path, ["RG501", "RG601"], profile="weekly")
    assert {d.code for d in found} == {"RG501", "RG601"}
    assert not any(d.fixable or d.fix for d in found)
