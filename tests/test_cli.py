"""The command line as a user meets it: formats, exit codes, inputs, colour, errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from readme_guard.cli import cli
from tests.conftest import FIXTURES, init_repo, readme_guard_cli

FAIL = (FIXTURES / "fields" / "RG102-fail.md").read_text(encoding="utf-8")
PASS = (FIXTURES / "fields" / "RG101-pass.md").read_text(encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "README.md").write_text(FAIL, encoding="utf-8")
    (tmp_path / "clean.md").write_text(PASS, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def invoke(*args: str, input: str | bytes | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), input=input)
    return result.exit_code, result.output


def test_exit_codes(project: Path) -> None:
    assert invoke("check", "clean.md")[0] == 0
    assert invoke("check", "README.md")[0] == 1
    assert invoke("check", "--exit-zero", "README.md")[0] == 0
    assert invoke("check", "missing.md")[0] == 2


def test_full_format_shows_the_line_and_a_caret(project: Path) -> None:
    code, output = invoke("check", "--color", "never", "README.md")
    assert code == 1
    lines = output.splitlines()
    headline = (
        "README.md:6:3: error RG102 paper block "
        "'EVT: BERT Pretraining of Video Transformers (CVPR 2022)' has no [Paper] link"
    )
    index = lines.index(headline)
    assert lines[index + 2] == "6 | > EVT: BERT Pretraining of Video Transformers (CVPR 2022)"
    assert lines[index + 3].startswith("  |   ^")
    assert lines[-1] == "Found 2 findings (2 errors, 0 warnings)."


def test_concise_format(project: Path) -> None:
    _, output = invoke("check", "--format", "concise", "README.md")
    assert output.splitlines()[0].startswith("README.md:6:3: error RG102 paper block")


def test_json_format_is_the_documented_contract(project: Path) -> None:
    _, output = invoke("check", "--format", "json", "README.md", "clean.md")
    data = json.loads(output)
    assert data["version"] == 1
    assert data["summary"] == {"files": 2, "errors": 2, "warnings": 0, "fixable": 0}
    first = data["diagnostics"][0]
    assert list(first) == [
        "path",
        "line",
        "column",
        "end_line",
        "end_column",
        "code",
        "rule",
        "severity",
        "message",
        "fixable",
    ]
    assert (first["path"], first["line"], first["column"], first["code"], first["rule"]) == (
        "README.md",
        6,
        3,
        "RG102",
        "missing-link",
    )


def test_colour_only_on_request_or_terminal(project: Path) -> None:
    assert "\033[" not in readme_guard_cli(project, "check", "README.md").stdout
    assert "\033[" in readme_guard_cli(project, "check", "--color", "always", "README.md").stdout
    env = {**__import__("os").environ, "FORCE_COLOR": "1"}
    assert "\033[" in readme_guard_cli(project, "check", "README.md", env=env).stdout
    env = {**env, "NO_COLOR": "1"}
    assert "\033[" in readme_guard_cli(project, "check", "README.md", env=env).stdout  # FORCE wins
    del env["FORCE_COLOR"]
    assert (
        "\033["
        not in readme_guard_cli(project, "check", "--color", "auto", "README.md", env=env).stdout
    )


def test_stdin_with_a_filename(project: Path) -> None:
    done = readme_guard_cli(
        project,
        "check",
        "--format",
        "concise",
        "-",
        "--stdin-filename",
        "docs/list.md",
        stdin=FAIL,
    )
    assert done.returncode == 1
    assert done.stdout.startswith("docs/list.md:6:3: error RG102")


def test_no_argument_checks_readme(project: Path) -> None:
    code, output = invoke("check", "--format", "concise")
    assert code == 1 and output.startswith("README.md:6:3")


def test_no_argument_uses_the_config_files(project: Path) -> None:
    (project / "rules.yaml").write_text("files: ['clean.md']\n")
    assert invoke("check")[0] == 0


def test_a_folder_means_its_markdown_files_honouring_gitignore(project: Path) -> None:
    docs = project / "docs"
    (docs / "build").mkdir(parents=True)
    (docs / "list.md").write_text(FAIL, encoding="utf-8")
    (docs / "build" / "generated.md").write_text(FAIL, encoding="utf-8")
    (docs / "notes.txt").write_text("not markdown")
    (project / ".gitignore").write_text("docs/build/\n")
    init_repo(project)
    _, output = invoke("check", "--format", "concise", "docs")
    assert "docs/list.md:6:3" in output
    assert "generated.md" not in output


def test_a_folder_without_markdown_is_an_error(project: Path) -> None:
    (project / "empty").mkdir()
    done = readme_guard_cli(project, "check", "empty")
    assert done.returncode == 2
    assert done.stderr.strip() == "readme-guard: error: empty: no Markdown files in this folder"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary file (contains NUL bytes)"),
        ("# Caf\u00e9\n".encode("latin-1"), "not valid UTF-8"),
        ("# x\n".encode("utf-16"), "UTF-16 text is not supported"),
    ],
)
def test_undecodable_input_is_one_line_and_exit_2(
    project: Path, content: bytes, message: str
) -> None:
    (project / "bad.md").write_bytes(content)
    done = readme_guard_cli(project, "check", "bad.md")
    assert done.returncode == 2
    [line] = done.stderr.splitlines()
    assert line.startswith("readme-guard: error: bad.md") and message in line
    assert done.stdout == ""


def test_rules_and_rule_documentation(project: Path) -> None:
    code, output = invoke("rules")
    assert code == 0
    assert "RG104  missing-figure" in output
    by_code = invoke("rule", "RG104")[1]
    assert by_code == invoke("rule", "missing-figure")[1]
    assert "## Example" in by_code and "## Use instead" in by_code
    assert invoke("rule", "RG999")[0] == 2


def test_unknown_selector_is_a_usage_error(project: Path) -> None:
    done = readme_guard_cli(project, "check", "--select", "RG9", "README.md")
    assert done.returncode == 2
    assert "unknown rule selector 'RG9'" in done.stderr


def test_select_and_ignore(project: Path) -> None:
    assert invoke("check", "--select", "RG104", "README.md")[0] == 0
    assert invoke("check", "--ignore", "missing-link", "README.md")[0] == 0
    assert invoke("check", "--select", "RG104", "--extend-select", "RG1", "README.md")[0] == 1


def test_version_and_help() -> None:
    assert readme_guard_cli(Path.cwd(), "--version").stdout.startswith("readme-guard, version ")
    done = readme_guard_cli(Path.cwd(), "check", "--help")
    assert done.returncode == 0 and "--stdin-filename" in done.stdout


def test_a_bug_prints_one_line_not_a_traceback(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from readme_guard import linter

    def explode(*args: object, **kwargs: object) -> None:
        raise ValueError("boom")

    monkeypatch.setattr(linter, "run_rules", explode)
    result = CliRunner().invoke(cli, ["check", "README.md"])
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        "readme-guard: internal error: ValueError: boom. This is a bug; please report it at "
        "https://github.com/readme-guard/readme-guard/issues (READMEGUARD_DEBUG=1 shows the "
        "traceback)."
    ]


def test_help_and_version_do_not_import_heavy_modules() -> None:
    code = (
        "import sys; from readme_guard.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "names = ('pydantic', 'ruamel.yaml', 'cmarkgfm', 'ctypes', 'readme_guard.markdown')\n"
        "heavy = [m for m in names if m in sys.modules]\n"
        "print('HEAVY:' + ','.join(heavy))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "HEAVY:"
