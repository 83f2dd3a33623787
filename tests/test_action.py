"""The composite action's steps, run locally the way the runner runs them.

Each `run:` goes to `bash --noprofile --norc -eo pipefail` (the runner's `shell: bash`) with
the step's `env:`, a fresh GITHUB_OUTPUT and GITHUB_STEP_SUMMARY file per step, and
GITHUB_ACTION_PATH pointing at this checkout. The only expressions action.yml may use are
`inputs.NAME` and `steps.ID.outputs.NAME`, and only in `env:`; the harness evaluates exactly
those. The install step is skipped through READMEGUARD_EXECUTABLE (a real install takes a
minute of downloads) except in the one test that installs for real, which runs when
READMEGUARD_SLOW_TESTS is set.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURES, ROOT, example_repo, init_repo
from tests.fake_github import Canned, FakeGitHub
from tests.test_changes import INTRODUCED, LAZY_LINE, change

EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


@cache
def action() -> dict[str, Any]:
    from ruamel.yaml import YAML

    loaded: dict[str, Any] = YAML(typ="safe").load((ROOT / "action.yml").read_text("utf-8"))
    return loaded


@dataclass
class StepRun:
    id: str | None
    returncode: int
    stdout: str
    outputs: dict[str, str]
    summary: str


@dataclass
class Runner:
    """Runs action.yml's steps in `workspace` until one fails, as the runner would."""

    workspace: Path
    temp: Path
    environment: dict[str, str] = field(default_factory=dict)
    steps: list[StepRun] = field(default_factory=list)

    def evaluate(self, text: str, inputs: dict[str, str]) -> str:
        def value(match: re.Match[str]) -> str:
            parts = match.group(1).split(".")
            if parts[0] == "inputs" and len(parts) == 2:
                return inputs[parts[1]]
            if parts[0] == "steps" and len(parts) == 4 and parts[2] == "outputs":
                done = {s.id: s.outputs for s in self.steps}
                return done[parts[1]].get(parts[3], "")
            raise AssertionError(f"the harness does not evaluate ${{{{ {match.group(1)} }}}}")

        return EXPRESSION.sub(value, text)

    def run(self, **given: str) -> list[StepRun]:
        declared = action()["inputs"]
        unknown = set(given) - {name.replace("-", "_") for name in declared}
        assert not unknown, unknown
        inputs = {
            name: given.get(name.replace("-", "_"), str(spec.get("default", "")))
            for name, spec in declared.items()
        }
        for index, step in enumerate(action()["runs"]["steps"]):
            outputs_file = self.temp / f"output-{index}"
            summary_file = self.temp / f"summary-{index}"
            outputs_file.write_text("")
            summary_file.write_text("")
            env = {
                **os.environ,
                **self.environment,
                "GITHUB_ACTIONS": "true",
                "GITHUB_ACTION_PATH": str(ROOT),
                "GITHUB_WORKSPACE": str(self.workspace),
                "GITHUB_OUTPUT": str(outputs_file),
                "GITHUB_STEP_SUMMARY": str(summary_file),
                "RUNNER_TEMP": str(self.temp),
                **{k: self.evaluate(str(v), inputs) for k, v in step.get("env", {}).items()},
            }
            script = self.temp / f"step-{index}.sh"
            script.write_text(step["run"], encoding="utf-8")
            done = subprocess.run(
                ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
                cwd=self.workspace,
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            lines = outputs_file.read_text("utf-8").splitlines()
            assert all(re.fullmatch(r"[\w-]+=.*", x) for x in lines), lines
            self.steps.append(
                StepRun(
                    step.get("id"),
                    done.returncode,
                    done.stdout + done.stderr,
                    dict(x.split("=", 1) for x in lines),
                    summary_file.read_text("utf-8"),
                )
            )
            if done.returncode != 0:
                break
        return self.steps


def wrapper(folder: Path) -> Path:
    """A readme-guard executable that runs this checkout's source."""
    script = folder / "readme-guard"
    script.write_text(
        f'#!/bin/sh\nPYTHONPATH="{ROOT / "src"}" exec "{sys.executable}" -m readme_guard "$@"\n',
        encoding="utf-8",
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


@pytest.fixture
def runner(tmp_path: Path) -> Runner:
    workspace = tmp_path / "workspace"
    shutil.copytree(FIXTURES / "integrations", workspace)
    init_repo(workspace)
    temp = tmp_path / "runner-temp"
    temp.mkdir()
    return Runner(workspace, temp, {"READMEGUARD_EXECUTABLE": str(wrapper(temp))})


def test_inputs_reach_the_shell_only_through_env() -> None:
    steps = action()["runs"]["steps"]
    assert action()["runs"]["using"] == "composite"
    assert set(action()["inputs"]) == {
        "files",
        "config",
        "version",
        "fix-check",
        "sarif-file",
        "changed-since",
        "baseline",
        "fail-on",
        "suggest",
        "token",
    }
    for step in steps:
        assert step["shell"] == "bash"
        assert "${{" not in step["run"], step["name"]
        assert "if" not in step  # conditions live in the scripts, where this test runs them
    used = {m for s in steps for v in s.get("env", {}).values() for m in EXPRESSION.findall(v)}
    assert {f"inputs.{name}" for name in action()["inputs"]} <= used


def test_broken_readme_annotates_summarises_writes_sarif_and_fails(runner: Runner) -> None:
    steps = runner.run(sarif_file="results/readme-guard.sarif")
    install, check, fix, result = steps
    assert install.outputs == {"executable": runner.environment["READMEGUARD_EXECUTABLE"]}
    assert check.returncode == 0 and check.outputs == {"status": "1"}
    annotations = [x for x in check.stdout.splitlines() if x.startswith("::")]
    assert any(x.startswith("::error file=README.md,line=34,") for x in annotations)
    assert "| README.md:34:3 | [RG102 missing-link](" in check.summary
    log = json.loads((runner.workspace / "results" / "readme-guard.sarif").read_text("utf-8"))
    assert {r["ruleId"] for r in log["runs"][0]["results"]} >= {"RG102", "RG204", "RG402"}
    assert fix.returncode == 0 and fix.outputs == {} and "fix-check is off" in fix.stdout
    assert result.returncode == 1
    assert "readme-guard found problems" in result.stdout


def test_clean_readme_passes(runner: Runner) -> None:
    readme = runner.workspace / "README.md"
    text = readme.read_text("utf-8").replace(
        "> EVT: BERT Pretraining of Video Transformers (CVPR 2022)\n",
        "> EVT: BERT Pretraining of Video Transformers (CVPR 2022)  \n"
        "> [Paper](https://arxiv.org/abs/2112.01529)\n",
    )
    readme.write_text(text, encoding="utf-8")
    subprocess.run(
        [str(runner.environment["READMEGUARD_EXECUTABLE"]), "fix", "README.md"],
        cwd=runner.workspace,
        capture_output=True,
        check=False,
    )
    steps = runner.run(fix_check="true")
    assert [s.returncode for s in steps] == [0, 0, 0, 0], steps[-1].stdout
    assert steps[1].outputs == {"status": "0"}
    assert steps[2].outputs == {"status": "0"}
    assert "All checks passed (1 file)." in steps[1].summary
    assert "all checks passed" in steps[3].stdout


def test_fix_check_fails_when_fix_would_change_a_file(runner: Runner) -> None:
    steps = runner.run(fix_check="true", files="README.md")
    fix = steps[2]
    assert fix.returncode == 0 and fix.outputs == {"status": "1"}
    assert "would change files" in fix.summary
    assert steps[3].returncode == 1


def test_config_input_is_used(runner: Runner) -> None:
    (runner.workspace / "ci").mkdir()
    (runner.workspace / "ci" / "lenient.yaml").write_text(
        "ignore: [RG102, RG204, RG402]\n", encoding="utf-8"
    )
    steps = runner.run(config="ci/lenient.yaml")
    assert [s.returncode for s in steps] == [0, 0, 0, 0], steps[-1].stdout


def test_hostile_inputs_are_never_run_as_shell(runner: Runner) -> None:
    steps = runner.run(files="README.md $(touch pwned) `touch pwned2`;touch pwned3 *")
    assert not list(runner.workspace.glob("pwned*"))
    check = steps[1]
    assert check.returncode == 2
    assert "$(touch: no such file or folder" in check.stdout


def test_version_input_is_validated(runner: Runner) -> None:
    runner.environment.pop("READMEGUARD_EXECUTABLE")
    steps = runner.run(version="1.0; touch pwned")
    assert [s.returncode for s in steps] == [2]
    assert "::error title=readme-guard::input 'version' is not a version" in steps[0].stdout
    assert not list(runner.workspace.glob("pwned*"))


@pytest.mark.skipif(
    not os.environ.get("READMEGUARD_SLOW_TESTS"),
    reason="a real pip install from the package index takes a minute; "
    "set READMEGUARD_SLOW_TESTS=1 to run it",
)
def test_install_step_installs_the_action_checkout(runner: Runner) -> None:
    """A real install into a virtual environment, from this checkout and the package index."""
    runner.environment.pop("READMEGUARD_EXECUTABLE")
    steps = runner.run()
    install = steps[0]
    assert install.returncode == 0, install.stdout
    executable = Path(install.outputs["executable"])
    assert executable.is_relative_to(runner.temp / "readme-guard-venv")
    assert "readme-guard, version" in install.stdout
    assert steps[1].outputs == {"status": "1"}


def _git_out(folder: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True, check=True)
    return done.stdout


def _diff_lines(folder: Path, base: str, head: str) -> dict[str, set[int]]:
    """The lines of each file's diff (three lines of context), where GitHub takes comments."""
    lines: dict[str, set[int]] = {}
    path = ""
    for line in _git_out(folder, "diff", "-U3", base, head).splitlines():
        if line.startswith("+++ b/"):
            path = line[6:]
        elif match := re.match(r"@@ -\S+ \+(\d+)(?:,(\d+))? @@", line):
            start, count = int(match[1]), int(match[2] or 1)
            lines.setdefault(path, set()).update(range(start, start + count))
    return lines


def _pull_request(tmp_path: Path) -> tuple[Path, str, str, Path]:
    """The example committed, then a pull request's commit that renames a heading and adds an
    entry with two problems; (workspace, base, head, event file)."""
    workspace = example_repo(tmp_path / "workspace")
    base = _git_out(workspace, "rev-parse", "HEAD").strip()
    change(workspace)
    head = _git_out(workspace, "rev-parse", "HEAD").strip()
    event = tmp_path / "event.json"
    pull = {"number": 7, "base": {"sha": base}, "head": {"sha": head}}
    event.write_text(json.dumps({"action": "synchronize", "pull_request": pull}), "utf-8")
    return workspace, base, head, event


def _pr_runner(tmp_path: Path, workspace: Path, event: Path, api: str, name: str) -> Runner:
    temp = tmp_path / name
    temp.mkdir()
    return Runner(
        workspace,
        temp,
        {
            "READMEGUARD_EXECUTABLE": str(wrapper(temp)),
            "GITHUB_EVENT_NAME": "pull_request",
            "GITHUB_EVENT_PATH": str(event),
            "GITHUB_REPOSITORY": "owner/list",
            "GITHUB_API_URL": api,
        },
    )


def test_a_pull_request_sees_its_own_findings_first_and_one_review(tmp_path: Path) -> None:
    workspace, base, head, event = _pull_request(tmp_path)
    with FakeGitHub(diff=_diff_lines(workspace, base, head)) as github:
        runner = _pr_runner(tmp_path, workspace, event, github.url, "run-1")
        _, check, _, result = runner.run(files="README.md", suggest="true", token="test-token")
        assert check.returncode == 0 and check.outputs == {"status": "1"}, check.stdout
        # the annotations are exactly what the pull request introduced
        commands = [parse(x) for x in check.stdout.splitlines() if x.startswith("::")]
        assert [(title.split()[0], line) for _, title, line in commands] == INTRODUCED
        assert {kind for kind, _, _ in commands} == {"error", "warning"}
        # the job summary leads with them
        assert check.summary.startswith(
            "### readme-guard\n\n#### New in this pull request\n\n"
            "5 findings (4 errors, 1 warning) in 1 file; 4 fixable with `readme-guard fix`. "
            "8 known findings not counted, listed below."
        )
        lead = check.summary.split("\n\n")[3].splitlines()[2:]
        assert [
            (row.split(" | ")[1].split("](")[0][1:].split()[0], int(row.split(":")[1]))
            for row in lead
        ] == [(code, line) for code, line in INTRODUCED]
        assert "<details><summary>All 13 findings (new and known)</summary>" in check.summary
        assert "posted a review with 1 suggestions" in check.stdout
        assert "**Suggestions**: posted a review with 1 suggestions." in check.summary
        # one review, its suggestion replacing the lazy line
        [review] = github.reviews
        assert review["commit_id"] == head
        [comment] = github.comments
        assert (comment["path"], comment["line"], comment["side"]) == (
            "README.md",
            LAZY_LINE,
            "RIGHT",
        )
        assert "```suggestion\n>> to pretrain a vision-language model.\n```" in comment["body"]
        assert result.returncode == 1
        # a re-run (the workflow runs again) updates that review instead of adding one
        again = _pr_runner(tmp_path, workspace, event, github.url, "run-2")
        check = again.run(files="README.md", suggest="true", token="test-token")[1]
        assert "updated the review: 1 suggestions kept, 0 added, 0 withdrawn" in check.stdout
        assert len(github.reviews) == 1 and len(github.comments) == 1
        methods = [(r.method, r.path.rsplit("/", 2)[-2:]) for r in github.requests]
        assert [m for m, _ in methods].count("POST") == 1
        assert [m for m, _ in methods].count("PUT") == 1


def test_a_fork_with_a_read_only_token_falls_back_to_the_summary(tmp_path: Path) -> None:
    workspace, _, _, event = _pull_request(tmp_path)
    with FakeGitHub() as github:
        github.canned.extend(
            [
                Canned(200, {}, [], "GET"),
                Canned(403, {}, {"message": "Resource not accessible by integration"}),
            ]
        )
        runner = _pr_runner(tmp_path, workspace, event, github.url, "run")
        check = runner.run(files="README.md", suggest="true", token="test-token")[1]
    assert check.returncode == 0 and check.outputs == {"status": "1"}
    assert github.reviews == []
    assert "a pull request from a fork gets a read-only token" in check.summary
    assert "#### What `readme-guard fix` would change" in check.summary
    assert "+>> to pretrain a vision-language model." in check.summary


def test_baseline_and_fail_on_inputs(tmp_path: Path) -> None:
    workspace = example_repo(tmp_path / "workspace")
    executable = wrapper(tmp_path)
    subprocess.run(
        [str(executable), "check", "--write-baseline", "readme-guard.baseline.json", "README.md"],
        cwd=workspace,
        check=True,
        capture_output=True,
    )
    runner = Runner(workspace, tmp_path, {"READMEGUARD_EXECUTABLE": str(executable)})
    steps = runner.run(files="README.md", baseline="readme-guard.baseline.json")
    assert [s.returncode for s in steps] == [0, 0, 0, 0], steps[-1].stdout
    assert "All checks passed (1 file)." in steps[1].summary
    assert "8 known findings not counted" in steps[1].summary
    bad = Runner(workspace, tmp_path, {"READMEGUARD_EXECUTABLE": str(executable)})
    steps = bad.run(files="README.md", fail_on="$(touch pwned)")
    assert steps[1].returncode == 2 and "'fail-on' must be error or warning" in steps[1].stdout
    assert not list(workspace.glob("pwned*"))


def parse(line: str) -> tuple[str, str, int]:
    """(kind, title, line) of a workflow command."""
    kind, _, rest = line[2:].partition(" ")
    props = dict(p.split("=", 1) for p in rest.split("::", 1)[0].split(","))
    return kind, props.get("title", "").replace("%20", " "), int(props.get("line", "0"))
