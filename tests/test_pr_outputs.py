"""What the pull-request workflow prints: annotation slots to touched lines first, the fix
diffs of the job summary, reviewdog's rdjson."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from readme_guard.cli import cli
from readme_guard.diagnostic import Diagnostic
from readme_guard.document import Span
from readme_guard.output import github
from readme_guard.suggestions import Suggestion


def _finding(line: int, code: str, touched: bool) -> github.Finding:
    d = Diagnostic("README.md", Span(line, 1, line, 2), code, "r", "error", "m", False)
    return github.Finding("README.md", d, touched=touched)


def test_touched_lines_get_the_annotation_slots_first() -> None:
    old = [_finding(n, "RG102", False) for n in range(1, 30)]
    new = [_finding(100, "RG201", True), _finding(101, "RG501", True)]
    shown = github.annotated([*old, *new])
    assert {len(old), len(old) + 1} <= shown  # both touched findings are annotated
    assert len(shown) == github.ANNOTATION_LIMIT


def test_a_fix_diff_cannot_close_its_fence() -> None:
    d = _finding(3, "RG501", True).diagnostic
    fix = Suggestion("README.md", 3, 3, ("> ```x",), (">> ```` y",), (d,))
    text = github.summary_markdown(
        [github.Finding("README.md", d)], 1, 100_000, github.Summary(fixes=[fix])
    )
    assert "`````diff\n@@ -3,1 +3,1 @@\n-> ```x\n+>> ```` y\n`````\n" in text


def test_rdjson_columns_are_utf8_bytes_and_fixes_are_suggestions(example_list: Path) -> None:
    result = CliRunner().invoke(cli, ["check", "--format", "rdjson", "README.md"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["source"]["name"] == "readme-guard"
    by_code = {
        (d["code"]["value"], d["location"]["range"]["start"]["line"]): d
        for d in data["diagnostics"]
    }
    placeholder = by_code[("RG105", 39)]  # `>> 描述`: 描 starts at character 4, byte 4
    assert placeholder["location"]["range"]["start"]["column"] == 4
    assert placeholder["location"]["range"]["end"]["column"] == 4 + len("描述".encode())
    assert placeholder["severity"] == "ERROR"
    assert placeholder["code"]["url"].endswith("#rg105-placeholder-text")
    anchor = by_code[("RG204", 10)]
    [suggestion] = anchor["suggestions"]
    assert suggestion["range"] == {
        "start": {"line": 10, "column": 1},
        "end": {"line": 11, "column": 1},
    }
    assert suggestion["text"] == (
        "    * [<font color=Green> Self-supervised learning </font>](#-self-supervised-learning-)\n"
        "    * [Video pretraining](#video-pretraining)\n"
    )
    assert "suggestions" not in placeholder
