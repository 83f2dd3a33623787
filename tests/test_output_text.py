"""The `full` format's caret under text with wide (CJK) characters."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from readme_guard.cli import cli
from tests.conftest import FIXTURES

URL = "https://mp.weixin.qq.com/s/dz6Ad_pVveXwe6O0RvF7iw"


def test_caret_counts_wide_characters_as_two_columns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (FIXTURES / "output" / "duplicate-link-cjk.md").read_text(encoding="utf-8")
    (tmp_path / "README.md").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    output = CliRunner().invoke(cli, ["check", "--color", "never", "README.md"]).output
    lines = output.splitlines()
    index = next(
        i for i, line in enumerate(lines) if line.startswith("README.md:5:27: warning RG303")
    )
    assert lines[index + 2] == f"5 | > - Prompt Tuning 综述：[链接]({URL})"
    # `> - Prompt Tuning 综述：[链接](`: 21 narrow characters and 5 wide ones.
    assert lines[index + 3] == "  | " + " " * 31 + "^" * len(URL)
