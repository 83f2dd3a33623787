"""The bundled example shows exactly its deliberate problems, one of each kind."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

import readme_guard
from readme_guard.cli import cli
from readme_guard.linter import Options, Run
from tests.conftest import ROOT

EXPECTED = [
    ("RG204", 10),  # a JetBrains-style anchor GitHub never makes
    ("RG105", 39),  # a placeholder description
    ("RG301", 43),  # the same arXiv paper twice (abs and pdf links)
    ("RG201", 44),  # a figure that does not exist
    ("RG402", 47),  # a heading missing from the TOC
    ("RG102", 49),  # a block without a Paper link
    ("RG302", 50),  # a figure reused by another paper
    ("RG302", 58),  # a slide reused by another paper
]


def test_the_bundled_example_shows_its_deliberate_problems(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    found = readme_guard.check_file("examples/README.md")
    assert [(d.code, d.line) for d in found] == EXPECTED


def test_the_recorded_report_is_what_check_prints(monkeypatch: pytest.MonkeyPatch) -> None:
    """examples/README.findings.txt is what the project's pre-commit hook diffs against."""
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(
        cli, ["check", "--format", "concise", "--color", "never", "examples/README.md"]
    )
    assert result.exit_code == 1
    recorded = (ROOT / "examples" / "README.findings.txt").read_text(encoding="utf-8")
    assert result.output == recorded


def test_the_project_readme_and_docs_are_clean(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    results = Run(Options()).check(("README.md", "docs"))
    assert [(r.source.path, d.code, d.line) for r in results for d in r.diagnostics] == []
