"""Issue expectations on the real user's files (skipped with a reason where absent)."""

from __future__ import annotations

import re

from readme_guard.blocks import find_blocks
from readme_guard.linter import Options, Run
from readme_guard.source import decode
from tests.conftest import corpus_file

# Every dated line of the weekly log, e.g. `> > [2024-12-29]-[name]-[Title](link)`.
_DATED = re.compile(r"^[> \t]*\[\d{4}-\d{1,2}-\d{1,2}\]", re.MULTILINE)


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
    assert albef.title.text.endswith("Representation Learning with Momentum Distillation (NeurIPS 2021)")
    assert [link.text for link in albef.labelled_links] == ["Paper", "Code", "Blog", "Slide"]


def _entries(name: str) -> tuple[int, int, int]:
    """(dated lines, recognised entries, skipped non-entries) of a weekly-log file."""
    text = corpus_file(name).read_text(encoding="utf-8")
    _, result = _check(name, "weekly")
    config = result.config.blocks
    blocks = find_blocks(result.document, config)
    skip = [re.compile(p) for p in config.skip]
    dated = [m.start() for m in _DATED.finditer(text)]
    lines = text.splitlines()
    dated_lines = [text.count("\n", 0, offset) + 1 for offset in dated]
    # Skip patterns see rendered text: `未精~~度~~读` reads 未精度读.
    skipped = [
        n for n in dated_lines if any(p.search(lines[n - 1].replace("~~", "")) for p in skip)
    ]
    return len(dated_lines), len(blocks), len(skipped)


def test_weekly_profile_recognises_every_entry() -> None:
    for name in ("weekly.md", "archive2024.md", "archive2025.md"):
        dated, entries, skipped = _entries(name)
        # Every dated line below the first heading is an entry or a skipped non-entry; the
        # template above the first heading of weekly.md holds none.
        assert entries + skipped == dated, name
        assert entries > 0


def test_weekly_counts_are_stable() -> None:
    assert _entries("weekly.md") == (124, 59, 65)
    assert _entries("archive2024.md") == (227, 195, 32)
    assert _entries("archive2025.md") == (316, 183, 133)
