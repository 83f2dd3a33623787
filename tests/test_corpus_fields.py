"""Issue expectations on the real user's files (skipped with a reason where absent)."""

from __future__ import annotations

import re

from readme_guard.blocks import find_blocks
from readme_guard.linter import Options, Run
from readme_guard.source import decode
from tests.conftest import corpus_file

# Every dated line of the weekly log, e.g. `> > [2024-12-29]-[name]-[Title](link)`.
_DATED = re.compile(r"^[> \t]*\[\d{4}[-./]\d{1,2}[-./]\d{1,2}\]", re.MULTILINE)


def _check(name: str, profile: str | None = None) -> tuple[list[tuple[str, int]], object]:
    path = corpus_file(name)
    run = Run(Options(isolated=True, profile=profile, select=("RG1",)))
    result = run.check_source(decode(path.read_bytes(), name), None)
    return [(d.code, d.line) for d in result.diagnostics], result


def test_report_md_rg1xx_findings_are_exactly_the_known_problems() -> None:
    found, _ = _check("REPORT.md")
    assert found == [("RG105", 67), ("RG102", 73), ("RG102", 78), ("RG102", 83)]


def test_report_md_reference_lists_and_intro_quote_are_not_papers() -> None:
    _, result = _check("REPORT.md")
    starts = [b.start_line for b in find_blocks(result.document, result.config.blocks)]
    assert starts == [62, 73, 78, 83, 91]


def test_report_md_lazy_title_line_belongs_to_the_title() -> None:
    _, result = _check("REPORT.md")
    albef = find_blocks(result.document, result.config.blocks)[-1]
    assert albef.title is not None
    assert albef.title.text.endswith(
        "Representation Learning with Momentum Distillation (NeurIPS 2021)"
    )
    assert [link.text for link in albef.labelled_links] == ["Paper", "Code", "Blog", "Slide"]


def _entries(name: str) -> tuple[int, int, int]:
    """(dated lines, recognised entries, skipped non-entries) of a weekly-log file."""
    text = corpus_file(name).read_text(encoding="utf-8")
    _, result = _check(name, "weekly")
    blocks = find_blocks(result.document, result.config.blocks)
    starts = {block.start_line for block in blocks}
    skip = [re.compile(p) for p in result.config.blocks.skip]
    lines = text.replace("~~", "").splitlines()  # skip patterns see rendered text
    dated = [text.count("\n", 0, m.start()) + 1 for m in _DATED.finditer(text)]
    skipped = [n for n in dated if n not in starts]
    for n in skipped:
        # A non-entry says so on its line (`[本周未精读]`), or on the next one when the
        # dated line has no title (`[2024-6-30]-[name]` / `> > 未精读，...`).
        assert any(p.search(lines[n - 1]) or p.search(lines[n]) for p in skip), (name, n)
    assert starts <= set(dated)
    return len(dated), len(blocks), len(skipped)


def test_weekly_profile_recognises_every_entry() -> None:
    for name in ("weekly.md", "archive2024.md", "archive2025.md"):
        dated, entries, skipped = _entries(name)
        assert entries + skipped == dated, name


def test_weekly_counts_are_stable() -> None:
    assert _entries("weekly.md") == (124, 59, 65)
    assert _entries("archive2024.md") == (236, 199, 37)
    assert _entries("archive2025.md") == (316, 183, 133)
