"""The pre-commit hooks with real pre-commit: the check hook fails and prints the finding, the
fix hook rewrites the TOC and pre-commit reports the file as modified.

pre-commit builds the hooks' environment with pip from the package index, which takes about a
minute. `try-repo` builds it in a temporary store of its own (PRE_COMMIT_HOME does not carry it
over), so the test makes one `try-repo` run that executes both hooks in id order, `readme-guard`
then `readme-guard-fix`, and checks everything on that one run.

`try-repo` sees committed files and uncommitted changes to tracked files, but not untracked
ones; the hook repository here is a snapshot of this checkout's package files, committed, so
the test exercises the code as it is on disk.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT, init_repo

pytestmark = [
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
    pytest.mark.skipif(
        importlib.util.find_spec("pre_commit") is None, reason="pre-commit is not installed"
    ),
]

PACKAGE_FILES = ("pyproject.toml", "README.md", "LICENSE", ".pre-commit-hooks.yaml")
STALE_TOC = "    * [<font color=Green> Self-supervised learning </font>](#font-colorgreen-self-supervised-learning-font-)"
FIXED_TOC = [
    "    * [<font color=Green> Self-supervised learning </font>](#-self-supervised-learning-)",
    # Inserted: its text is the heading's with the HTML tags removed.
    "    * [Image + Video pretrain for downstream tasks](#-image--video-pretrain-for-downstream-tasks)",
]


def snapshot(target: Path) -> Path:
    """This checkout's package files as a one-commit git repository (symlinks resolved)."""
    for name in PACKAGE_FILES:
        shutil.copyfile(ROOT / name, target / name)
    shutil.copytree(
        ROOT / "src", target / "src", ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
    )
    return init_repo(target)


def pre_commit(folder: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    env.pop("PYTHONPATH", None)  # the hook must run the package pip installed, not this tree
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="module")
def try_repo(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[subprocess.CompletedProcess[str], Path, str]:
    """One `pre-commit try-repo` of both hooks on a broken README; (run, user repo, before)."""
    hooks = snapshot(tmp_path_factory.mktemp("hook-repo"))
    user = tmp_path_factory.mktemp("user-repo")
    shutil.copytree(FIXTURES / "integrations", user, dirs_exist_ok=True)
    init_repo(user)
    before = (user / "README.md").read_text(encoding="utf-8")
    home = tmp_path_factory.mktemp("pre-commit-home")
    run = pre_commit(user, home, "try-repo", str(hooks), "--files", "README.md", "--verbose")
    return run, user, before


def section(output: str, hook_name: str) -> str:
    """The lines pre-commit prints for one hook: its status line and what follows it."""
    lines = output.splitlines()
    start = next(
        i
        for i, x in enumerate(lines)
        if x.startswith(hook_name + ".") or x.startswith(hook_name + " .")
    )
    end = next(
        (
            i
            for i in range(start + 1, len(lines))
            if lines[i].endswith(("Passed", "Failed")) and "...." in lines[i]
        ),
        len(lines),
    )
    return "\n".join(lines[start:end])


def test_check_hook_fails_and_prints_the_findings(
    try_repo: tuple[subprocess.CompletedProcess[str], Path, str],
) -> None:
    run, _, _ = try_repo
    assert run.returncode == 1, run.stdout + run.stderr
    check = section(run.stdout, "readme-guard")
    assert check.splitlines()[0].endswith("Failed"), check
    assert "- exit code: 1" in check
    assert (
        "README.md:34:3: RG102 paper block 'EVT: BERT Pretraining of Video Transformers "
        "(CVPR 2022)' has no [Paper] link"
    ) in check
    assert "README.md:10:61: RG204" in check
    assert "README.md:32:1: RG402" in check


def test_fix_hook_rewrites_the_toc_and_is_reported(
    try_repo: tuple[subprocess.CompletedProcess[str], Path, str],
) -> None:
    run, user, before = try_repo
    fix = section(run.stdout, "readme-guard fix")
    assert fix.splitlines()[0].endswith("Failed"), fix
    assert "- files were modified by this hook" in fix
    after = (user / "README.md").read_text(encoding="utf-8")
    index = before.splitlines().index(STALE_TOC)
    expected = before.splitlines()
    expected[index : index + 1] = FIXED_TOC
    assert after.splitlines() == expected
    assert after.endswith("\n")


def test_fixed_readme_keeps_only_what_fix_cannot_do(
    try_repo: tuple[subprocess.CompletedProcess[str], Path, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from click.testing import CliRunner

    from readme_guard.cli import cli

    _, user, _ = try_repo
    monkeypatch.chdir(user)
    result = CliRunner().invoke(cli, ["check", "--format", "concise", "README.md"])
    assert result.output.splitlines()[:-1] == [
        "README.md:35:3: RG102 paper block 'EVT: BERT Pretraining of Video Transformers "
        "(CVPR 2022)' has no [Paper] link"
    ]


def test_manifest_and_project_config_are_valid() -> None:
    for command, name in (
        ("validate-manifest", ".pre-commit-hooks.yaml"),
        ("validate-config", ".pre-commit-config.yaml"),
    ):
        result = subprocess.run(
            [sys.executable, "-m", "pre_commit", command, str(ROOT / name)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr


def test_manifest_shape() -> None:
    from ruamel.yaml import YAML

    hooks = YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    by_id = {hook["id"]: hook for hook in hooks}
    assert by_id["readme-guard"]["entry"] == "readme-guard check"
    assert by_id["readme-guard-fix"]["entry"] == "readme-guard fix"
    for hook in hooks:
        assert hook["language"] == "python"
        assert hook["types"] == ["markdown"]
        assert hook["require_serial"] is True
        assert "args" not in hook  # users' args replace a hook's args, never its entry
        assert hook["minimum_pre_commit_version"]
