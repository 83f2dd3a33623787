"""`--format sarif`: valid SARIF 2.1.0, rules described, repository-relative locations and
fingerprints that survive lines moving."""

from __future__ import annotations

import json
import shutil
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from readme_guard.cli import cli
from readme_guard.rules import all_rules
from tests.conftest import FIXTURES, init_repo

SCHEMA = Path(__file__).resolve().parent / "conformance" / "sarif-schema-2.1.0.json"


@cache
def validator() -> Any:
    import jsonschema

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def sarif(*args: str) -> dict[str, Any]:
    result = CliRunner().invoke(cli, ["check", "--format", "sarif", *args])
    assert result.exit_code in (0, 1), result.output
    log: dict[str, Any] = json.loads(result.output)
    errors = sorted(validator().iter_errors(log), key=str)
    assert not errors, errors[0]
    return log


def diagnostics(*args: str) -> list[dict[str, Any]]:
    result = CliRunner().invoke(cli, ["check", "--format", "json", *args])
    found: list[dict[str, Any]] = json.loads(result.output)["diagnostics"]
    return found


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(FIXTURES / "integrations", tmp_path, dirs_exist_ok=True)
    monkeypatch.chdir(tmp_path)
    return init_repo(tmp_path)


def test_validates_and_describes_every_rule(repo: Path) -> None:
    log = sarif("README.md")
    assert log["version"] == "2.1.0"
    driver = log["runs"][0]["tool"]["driver"]
    assert driver["name"] == "readme-guard"
    assert driver["version"]
    assert driver["informationUri"].startswith("https://github.com/")
    rules = all_rules()
    assert [r["id"] for r in driver["rules"]] == [r.code for r in rules]
    for descriptor, rule in zip(driver["rules"], rules, strict=True):
        assert descriptor["name"] == rule.name
        assert descriptor["shortDescription"]["text"] == rule.summary
        assert descriptor["fullDescription"]["text"]
        assert "## What it does" not in descriptor["fullDescription"]["text"]
        assert descriptor["help"]["text"] == rule.doc
        assert descriptor["helpUri"] == rule.help_uri


def test_results_match_the_findings(repo: Path) -> None:
    log = sarif("README.md")
    run = log["runs"][0]
    expected = diagnostics("README.md")
    assert len(run["results"]) == len(expected) >= 2
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == repo.resolve().as_uri() + "/"
    for result, d in zip(run["results"], expected, strict=True):
        assert result["ruleId"] == d["code"]
        assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == d["code"]
        assert result["level"] == d["severity"]
        assert result["message"]["text"] == d["message"]
        (location,) = result["locations"]
        physical = location["physicalLocation"]
        assert physical["artifactLocation"] == {"uri": "README.md", "uriBaseId": "%SRCROOT%"}
        assert physical["region"] == {
            "startLine": d["line"],
            "startColumn": d["column"],
            "endLine": d["end_line"],
            "endColumn": d["end_column"],
        }


def test_uris_are_relative_to_the_repository_and_encoded(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (repo / "notes").mkdir()
    shutil.move(repo / "README.md", repo / "notes" / "每周 精读.md")
    monkeypatch.chdir(repo / "notes")
    log = sarif("每周 精读.md")
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in log["runs"][0]["results"]
    }
    assert uris == {"notes/%E6%AF%8F%E5%91%A8%20%E7%B2%BE%E8%AF%BB.md"}


def fingerprints(log: dict[str, Any]) -> list[str]:
    return [r["partialFingerprints"]["readmeGuard/v1"] for r in log["runs"][0]["results"]]


def test_fingerprints_follow_findings_when_lines_move(repo: Path) -> None:
    before = sarif("README.md")
    readme = repo / "README.md"
    readme.write_text("<!-- kept by the lab -->\n\n" + readme.read_text("utf-8"), encoding="utf-8")
    after = sarif("README.md")
    regions = [
        r["locations"][0]["physicalLocation"]["region"]["startLine"]
        for log in (before, after)
        for r in log["runs"][0]["results"]
    ]
    count = len(before["runs"][0]["results"])
    assert [line + 2 for line in regions[:count]] == regions[count:]
    assert fingerprints(before) == fingerprints(after)
    assert len(set(fingerprints(before))) == count


def test_identical_lines_get_distinct_fingerprints(repo: Path) -> None:
    readme = repo / "README.md"
    block = (
        "\n&nbsp;\n> EVT: BERT Pretraining of Video Transformers (CVPR 2022)\n"
        "> ![framework](Images/evt.png)\n>> Another copy of the same entry.\n"
    )
    readme.write_text(readme.read_text("utf-8") + block, encoding="utf-8")
    log = sarif("README.md")
    missing = [r for r in log["runs"][0]["results"] if r["ruleId"] == "RG102"]
    assert len(missing) == 2
    assert len({r["partialFingerprints"]["readmeGuard/v1"] for r in missing}) == 2


def test_output_file(repo: Path) -> None:
    (repo / "out").mkdir()
    result = CliRunner().invoke(
        cli, ["check", "--format", "sarif", "--output", "out/readme-guard.sarif", "README.md"]
    )
    assert (result.exit_code, result.output) == (1, "")
    log = json.loads((repo / "out" / "readme-guard.sarif").read_text("utf-8"))
    assert not list(validator().iter_errors(log))


def test_corpus_report_validates(report_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(report_repo)
    log = sarif("REPORT.md")
    assert len(log["runs"][0]["results"]) == len(diagnostics("REPORT.md")) > 0
