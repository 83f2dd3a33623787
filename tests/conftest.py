"""Shared fixtures: the real corpus (skipped with a reason where absent) and its layout."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("READMEGUARD_CORPUS", ROOT.parent / "shared" / "corpus"))
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def _no_config_cache(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Tests never read or write the user's config cache."""
    monkeypatch.setenv("READMEGUARD_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)


def corpus_file(name: str) -> Path:
    """A file of ../shared/corpus, or skip the test with a visible reason."""
    path = CORPUS / name
    if not path.is_file():
        pytest.skip(f"corpus file {path} is absent (it exists beside the project in CI)")
    return path


def readme_guard_cli(
    folder: Path, *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`python -m readme_guard ARGS` as a separate process in `folder`."""
    return subprocess.run(
        [sys.executable, "-m", "readme_guard", *args],
        cwd=folder,
        input=stdin,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )


def git(folder: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        cwd=folder,
        check=True,
        capture_output=True,
    )


def init_repo(folder: Path) -> Path:
    """Make `folder` a git repository with everything in it committed."""
    git(folder, "init", "-q")
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", "corpus", "--allow-empty")
    return folder


@pytest.fixture
def report_repo(tmp_path: Path) -> Iterator[Path]:
    """REPORT.md inside a git repository holding every Images/ and Slide/ file of tree.txt
    (empty files will do), as the real repository is laid out."""
    report = corpus_file("REPORT.md")
    tree = corpus_file("tree.txt")
    for name in tree.read_text(encoding="utf-8").splitlines():
        if name.startswith(("Images/", "Slide/")):
            target = tmp_path / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.touch()
    shutil.copyfile(report, tmp_path / "REPORT.md")
    yield init_repo(tmp_path)


def example_repo(folder: Path) -> Path:
    """examples/ committed, as a list's repository would hold it."""
    shutil.copytree(ROOT / "examples", folder, dirs_exist_ok=True)
    (folder / "README.findings.txt").unlink()
    return init_repo(folder)


@pytest.fixture
def example_list(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The bundled example as a committed repository, and the working folder."""
    folder = example_repo(tmp_path / "list")
    monkeypatch.chdir(folder)
    return folder
