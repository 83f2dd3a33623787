"""RG301-RG303 on REPORT.md- and weekly-shaped fixtures, and on the real corpus.

Each fixture's first line says what it must produce: `<!-- expect: RG302@22:10 -->` is an
RG302 finding at line 22 whose message names line 10. Fixtures named `weekly-*` are checked
with the `weekly` profile.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import readme_guard
from readme_guard.diagnostic import Diagnostic
from tests.conftest import FIXTURES, corpus_file

DUPLICATE_FIXTURES = sorted((FIXTURES / "duplicates").glob("*.md"))
_EXPECT = re.compile(r"<!-- expect: (?P<items>[^>]*?) -->")
_NAMED_LINE = re.compile(r"\bat line (\d+)")


def _check(path: Path, profile: str | None = None) -> list[Diagnostic]:
    return readme_guard.check_file(path, isolated=True, profile=profile, select="RG3")


def _check_text(text: str, profile: str | None = None) -> list[Diagnostic]:
    return readme_guard.check(text, isolated=True, profile=profile, select="RG3")


def _summary(diagnostics: list[Diagnostic]) -> set[tuple[str, int, int]]:
    """(code, line, the line the message names) of each finding."""
    found = set()
    for diagnostic in diagnostics:
        named = _NAMED_LINE.search(diagnostic.message)
        assert named, diagnostic.message
        found.add((diagnostic.code, diagnostic.line, int(named.group(1))))
    return found


def _expected(path: Path) -> set[tuple[str, int, int]]:
    match = _EXPECT.search(path.read_text(encoding="utf-8").splitlines()[0])
    assert match, f"{path.name} lacks an expect comment"
    expected = set()
    for item in match.group("items").split():
        if item != "none":
            code, position = item.split("@")
            line, named = position.split(":")
            expected.add((code, int(line), int(named)))
    return expected


def test_every_rule_has_a_failing_and_a_passing_fixture() -> None:
    names = {path.name for path in DUPLICATE_FIXTURES}
    for code in ("RG301", "RG302", "RG303"):
        assert {f"{code}-fail.md", f"{code}-pass.md"} <= names


@pytest.mark.parametrize("path", DUPLICATE_FIXTURES, ids=lambda p: p.stem)
def test_fixture(path: Path) -> None:
    profile = "weekly" if path.name.startswith("weekly") else None
    assert _summary(_check(path, profile)) == _expected(path)


def test_each_duplicate_is_reported_once_at_its_later_occurrence() -> None:
    for name in ("RG301-fail.md", "RG302-fail.md", "RG303-fail.md"):
        diagnostics = _check(FIXTURES / "duplicates" / name)
        lines = [d.line for d in diagnostics]
        assert len(lines) == len(set(lines)), name
        assert all(line > named for _, line, named in _summary(diagnostics)), name


def test_messages_say_what_matched() -> None:
    messages = {d.line: d.message for d in _check(FIXTURES / "duplicates" / "RG301-fail.md")}
    assert messages[15] == "duplicate paper: arXiv 2005.12872 already listed at line 7"
    assert messages[27] == (
        "duplicate paper: title 'Siamese masked auto-encoders' already listed at line 22"
    )
    assert messages[71] == "duplicate paper: arXiv hep-th/9901001 already listed at line 64"
    assert messages[47].startswith("duplicate paper: DOI 10.1016/j.ins.2024.121198 already")
    assert messages[59].startswith("duplicate paper: OpenReview Zos5wsaB5r already")


def test_a_shared_link_under_unrelated_titles_asks_whether_a_link_is_wrong() -> None:
    messages = {
        d.line: d.message for d in _check(FIXTURES / "duplicates" / "weekly-log.md", "weekly")
    }
    assert messages[34] == (
        "arXiv 2112.10762 is linked at line 13 under 'StyleSwin: Transformer-based GAN for"
        " High-resolut…' and here under 'Large Language Models Are Reasoning Teachers':"
        " one of these links is wrong"
    )
    assert 20 not in messages  # the same paper read by another member: no duplicate


def test_findings_point_at_the_evidence() -> None:
    report = {(d.code, d.line): d.span for d in _check(FIXTURES / "duplicates" / "RG301-fail.md")}
    assert report["RG301", 15].column == 11  # the destination of the later [Paper] link
    assert report["RG301", 27].column == 3  # the later title
    assets = {(d.code, d.line): d.span for d in _check(FIXTURES / "duplicates" / "RG302-fail.md")}
    assert (assets["RG302", 30].column, assets["RG302", 30].end_column) == (22, 38)


def test_one_key_match_is_one_finding_per_block() -> None:
    text = """\
## Detection

> End-to-End Object Detection with Transformers (ECCV 2020)
> [Paper](https://arxiv.org/abs/2005.12872), [DOI](https://doi.org/10.1007/978-3-030-58452-8_13)
> ![framework](https://example.org/detr.png)
>> Set prediction.

&nbsp;
> End-to-End Object Detection with Transformers
> [Paper](https://arxiv.org/pdf/2005.12872v3.pdf), [DOI](https://doi.org/10.1007/978-3-030-58452-8_13)
> ![framework](https://example.org/detr-2.png)
>> Title, arXiv id and DOI all match: one finding, for the arXiv id, the first key.
"""
    [finding] = _check_text(text)
    assert (finding.code, finding.line) == ("RG301", 10)
    assert "arXiv 2005.12872" in finding.message


def test_the_stdin_text_checks_without_a_file_path() -> None:
    text = (FIXTURES / "duplicates" / "RG302-fail.md").read_text(encoding="utf-8")
    assert {(d.code, d.line) for d in _check_text(text)} == {
        ("RG302", 22),
        ("RG302", 30),
        ("RG302", 37),
        ("RG302", 44),
    }


def test_a_notes_page_shared_by_related_papers_is_no_duplicate_asset() -> None:
    """A dated log links two papers on one benchmark to one notes page: intended. The same
    slide under both would be a copy leftover."""
    entries = [
        "- [A Benchmark for Driving Scenes](https://arxiv.org/abs/2401.00001) "
        "[[Notes](paper_notes/driving_bench.md)] [[Slide](slides/{}.pdf)]",
        "- [The Driving Benchmark, Revisited](https://arxiv.org/abs/2401.00002) "
        "[[Notes](paper_notes/driving_bench.md)] [[Slide](slides/{}.pdf)]",
    ]
    distinct = "## 2024-01\n\n" + "\n".join(
        e.format(n) for e, n in zip(entries, ("a", "b"), strict=True)
    )
    assert [d.code for d in _check_text(distinct, "awesome")] == []
    shared = "## 2024-01\n\n" + "\n".join(e.format("a") for e in entries)
    [finding] = _check_text(shared, "awesome")
    assert (finding.code, finding.line) == ("RG302", 4) and "slides/a.pdf" in finding.message


# The real corpus (skipped with a reason where ../shared/corpus is absent).


def test_report_md_has_exactly_the_known_duplicates(report_repo: Path) -> None:
    diagnostics = _check(report_repo / "REPORT.md")
    assert _summary(diagnostics) == {("RG302", 96, 65), ("RG303", 33, 32)}
    by_code = {d.code: d for d in diagnostics}
    assert by_code["RG302"].column == 11  # `> [Slide](` then the path
    assert "[链接]" in by_code["RG303"].message and "[MAM adapter]" in by_code["RG303"].message


def test_archive2024_wrong_title_link_is_the_only_duplicate_link() -> None:
    path = corpus_file("archive2024.md")
    found = _summary(_check(path, "weekly"))
    # Line 890 links MmAP's title to the UVCGAN PDF that line 899 lists.
    assert {item for item in found if item[0] == "RG303"} == {("RG303", 899, 890)}
    # Ig3D read twice (arXiv abs and pdf URLs) by one member on two dates: no duplicate.
    assert not any(item[0] == "RG301" and item[1] == 617 for item in found)


def test_archive2025_one_arxiv_link_under_two_titles() -> None:
    path = corpus_file("archive2025.md")
    diagnostics = _check(path, "weekly")
    messages = {(d.code, d.line): d.message for d in diagnostics}
    # Line 1070 gives "Facial Action Unit Detection ..." the arXiv id of line 1076's paper.
    assert messages["RG301", 1076].startswith("arXiv 2212.10071 is linked at line 1070 under")
    assert messages["RG301", 1076].endswith(": one of these links is wrong")
    # NaVILA, read twice on two dates: neither a duplicate paper nor a duplicate link.
    assert ("RG301", 1204) not in messages and ("RG303", 1204) not in messages
    assert not any(code == "RG302" for code, _ in messages)


def test_weekly_log_papers_read_twice_are_no_duplicates() -> None:
    path = corpus_file("weekly.md")
    # Lines 323 and 373 read the papers of lines 243 and 343 again, on other dates.
    assert _summary(_check(path, "weekly")) == set()
