"""The pre-commit hooks with real pre-commit: the check hook fails and prints the finding, the
fix hook rewrites the TOC and pre-commit reports the file as modified, and the references hook
fails a commit that deletes or renames a figure a list still shows, printing it once.

pre-commit builds the hooks' environment with pip from the package index, which takes about a
minute. The user repositories here name the hook repository in their own committed
`.pre-commit-config.yaml` (a local path and a commit), and every `pre-commit run` shares one
PRE_COMMIT_HOME, so the environment is built once for the module (`try-repo` would build it
again for every run, in a store of its own).

The hook repository is a snapshot of this checkout's package files, committed, so the tests
exercise the code as it is on disk.
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
def hooks(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, Path]:
    """(the hook repository, its commit, the shared PRE_COMMIT_HOME)."""
    repository = snapshot(tmp_path_factory.mktemp("hook-repo"))
    commit = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=repository, capture_output=True, text=True, check=True
    ).stdout.strip()
    return repository, commit, tmp_path_factory.mktemp("pre-commit-home")


def user_repo(folder: Path, hooks: tuple[Path, str, Path], *ids: str) -> Path:
    """The broken README's repository, using the hooks `ids` of the snapshot."""
    repository, commit, _ = hooks
    shutil.copytree(FIXTURES / "integrations", folder, dirs_exist_ok=True)
    listed = "".join(f"      - id: {hook_id}\n" for hook_id in ids)
    (folder / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {repository}\n    rev: {commit}\n    hooks:\n{listed}",
        encoding="utf-8",
    )
    return init_repo(folder)


@pytest.fixture(scope="module")
def try_repo(
    tmp_path_factory: pytest.TempPathFactory, hooks: tuple[Path, str, Path]
) -> tuple[subprocess.CompletedProcess[str], Path, str]:
    """One run of the check and fix hooks on a broken README; (run, user repo, before)."""
    user = user_repo(
        tmp_path_factory.mktemp("user-repo"), hooks, "readme-guard", "readme-guard-fix"
    )
    before = (user / "README.md").read_text(encoding="utf-8")
    run = pre_commit(user, hooks[2], "run", "--files", "README.md", "--verbose")
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
        "README.md:34:3: error RG102 paper block 'EVT: BERT Pretraining of Video Transformers "
        "(CVPR 2022)' has no [Paper] link"
    ) in check
    assert "README.md:10:61: error RG204" in check
    assert "README.md:32:1: error RG402" in check


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
        "README.md:35:3: error RG102 paper block 'EVT: BERT Pretraining of Video Transformers "
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
    references = by_id["readme-guard-references"]
    assert references["entry"] == "readme-guard check --changed-since HEAD --skip-changed-files"
    assert references["always_run"] is True and references["pass_filenames"] is False
    for hook in hooks:
        assert hook["language"] == "python"
        assert hook.get("types", ["markdown"]) == ["markdown"]
        assert hook["require_serial"] is True
        assert "args" not in hook  # users' args replace a hook's args, never its entry
        assert hook["minimum_pre_commit_version"]


REFERENCES = "readme-guard (lists the commit does not change)"
GONE = "README.md:35:16: error RG201 `Images/evt.png` does not exist"


@pytest.mark.parametrize("how", ["delete", "rename"])
def test_a_commit_that_removes_a_figure_fails_though_no_list_changed(
    tmp_path: Path, hooks: tuple[Path, str, Path], how: str
) -> None:
    user = user_repo(tmp_path, hooks, "readme-guard", "readme-guard-references")
    git_args = ["rm", "-q"] if how == "delete" else ["mv"]
    extra = [] if how == "delete" else ["Images/evt-v2.png"]
    subprocess.run(["git", *git_args, "Images/evt.png", *extra], cwd=user, check=True)
    run = pre_commit(user, hooks[2], "run", "--verbose")
    assert run.returncode == 1, run.stdout + run.stderr
    assert section(run.stdout, "readme-guard").splitlines()[0].endswith("Skipped")
    references = section(run.stdout, REFERENCES)
    assert references.splitlines()[0].endswith("Failed"), references
    assert GONE in references
    assert "RG102" not in references  # old findings of the untouched list stay quiet


def test_with_both_hooks_a_finding_is_printed_once(
    tmp_path: Path, hooks: tuple[Path, str, Path]
) -> None:
    user = user_repo(tmp_path, hooks, "readme-guard", "readme-guard-references")
    subprocess.run(["git", "rm", "-q", "Images/evt.png"], cwd=user, check=True)
    readme = user / "README.md"
    readme.write_text(readme.read_text("utf-8") + "\nOne more line.\n", "utf-8")
    subprocess.run(["git", "add", "README.md"], cwd=user, check=True)
    run = pre_commit(user, hooks[2], "run", "--verbose")
    assert run.returncode == 1
    assert GONE in section(run.stdout, "readme-guard")
    assert section(run.stdout, REFERENCES).splitlines()[0].endswith("Passed")
    assert run.stdout.count("`Images/evt.png` does not exist") == 1
