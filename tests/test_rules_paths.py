"""RG201-RG203, RG205, RG206: relative paths and URLs into this repository, on a small
repository laid out from tests/fixtures/paths (in REPORT.md's and the weekly log's shapes) and
on the real corpus."""

from __future__ import annotations

import builtins
import json
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from click.testing import CliRunner

import readme_guard
from readme_guard.cli import cli
from readme_guard.diagnostic import Diagnostic
from readme_guard.linter import Options, Run
from tests.conftest import FIXTURES, corpus_file, git, init_repo

PATHS = FIXTURES / "paths"
CODES = ("RG201", "RG202", "RG203", "RG205", "RG206")
MARKDOWN = ("REPORT.md", "broken.md", "weekly.md", "docs/notes.md")


def lay_out(folder: Path, *, in_git: bool = True, untracked: tuple[str, ...] = ()) -> Path:
    """The fixture repository: the files of tree.txt (empty) and the Markdown files,
    committed; then `untracked` files created but never added."""
    for name in (PATHS / "tree.txt").read_text(encoding="utf-8").splitlines():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).touch()
    for name in MARKDOWN:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(PATHS / name, folder / name)
    if in_git:
        init_repo(folder)
    for name in untracked:
        (folder / name).touch()
    return folder


def check(path: Path, **options: Any) -> list[Diagnostic]:
    return readme_guard.check_file(path, select=CODES, **options)


def at(path: Path, line: int, written: str, code: str) -> tuple[int, int, str]:
    """(line, column, code) of a finding at `written` on `line` of `path`."""
    text = path.read_text(encoding="utf-8").splitlines()[line - 1]
    return line, text.index(written) + 1, code


def found(diagnostics: list[Diagnostic]) -> list[tuple[int, int, str]]:
    return [(d.line, d.column, d.code) for d in diagnostics]


# -- relative paths ------------------------------------------------------------------------


def test_every_spelling_of_an_existing_path_resolves(tmp_path: Path) -> None:
    """Percent-encoding, `<...>` with spaces, a title, a query, a fragment, a leading `/`,
    `./`, a folder, HTML entities and backslash escapes: all name files that exist."""
    repo = lay_out(tmp_path)
    assert check(repo / "REPORT.md") == []


def test_each_broken_path_is_reported_where_its_path_starts(tmp_path: Path) -> None:
    repo = lay_out(tmp_path, untracked=("Images/draft.png",))
    path = repo / "broken.md"
    assert found(check(path)) == [
        at(path, 5, "Slide/2023.10.20-MAE.pptx", "RG201"),
        at(path, 6, "Images/MAE.png", "RG202"),
        at(path, 13, "../Slide/albef.pptx", "RG203"),
        at(path, 14, "Images/albef.png", "RG202"),
        at(path, 20, "Imgs%2Fsiammae.pptx", "RG201"),
        at(path, 21, "images/siam%20mae.png", "RG202"),
        at(path, 22, "docs/../../notes.md", "RG203"),
        at(path, 22, "Images/draft.png", "RG206"),
    ]


def test_messages_name_the_decoded_path_and_the_file_that_exists(tmp_path: Path) -> None:
    repo = lay_out(tmp_path, untracked=("Images/draft.png",))
    messages = {(d.line, d.code): d.message for d in check(repo / "broken.md")}
    assert messages[(20, "RG201")] == "`Imgs/siammae.pptx` does not exist"
    assert messages[(14, "RG202")] == (
        "`Images/albef.png` exists only as `Images/Albef.png`; GitHub is case-sensitive"
    )
    assert messages[(21, "RG202")] == (
        "`images/siam mae.png` exists only as `Images/siam mae.png`; GitHub is case-sensitive"
    )
    assert messages[(13, "RG203")] == "`../Slide/albef.pptx` leads outside the repository root"
    assert "not tracked by git" in messages[(22, "RG206")]


def test_case_is_compared_with_the_listing_not_asked_of_the_file_system(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a case-insensitive file system `Images/albef.png` opens `Images/Albef.png`; the
    listing still tells them apart. Simulated: stat and open find a name in any letter case,
    and the finding is still RG202, not silence (nor RG201, as plain Linux would suggest)."""
    repo = lay_out(tmp_path)
    scandir = os.scandir

    def any_case(path: str) -> str:
        folder, name = os.path.split(path)
        if not name or os.path.lexists(path):
            return path
        folder = any_case(folder)
        with scandir(folder) as entries:
            names = [e.name for e in entries if e.name.lower() == name.lower()]
        return os.path.join(folder, names[0]) if names else path

    def insensitive(function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(path: Any, *args: Any, **kwargs: Any) -> Any:
            if isinstance(path, (str, os.PathLike)):
                path = any_case(os.path.abspath(os.fspath(path)))
            return function(path, *args, **kwargs)

        return wrapper

    for name in ("stat", "open"):
        monkeypatch.setattr(os, name, insensitive(getattr(os, name)))
    monkeypatch.setattr(builtins, "open", insensitive(builtins.open))
    assert os.path.isfile(repo / "images" / "albef.png")  # the simulation works
    codes = {(d.line, d.code) for d in check(repo / "broken.md")}
    assert {(14, "RG202"), (21, "RG202")} <= codes
    assert not {(14, "RG201"), (21, "RG201")} & codes


def test_paths_from_a_subfolder_and_from_the_root(tmp_path: Path) -> None:
    repo = lay_out(tmp_path)
    path = repo / "docs" / "notes.md"
    diagnostics = check(path)
    assert found(diagnostics) == [
        at(path, 7, "/Images/none.png", "RG201"),
        at(path, 7, "../../x.png", "RG203"),
        at(path, 7, "/images/Albef.png", "RG202"),
    ]
    assert diagnostics[2].message.startswith("`/images/Albef.png` exists only as `/Images/Albef")


def test_a_link_to_a_folder_needs_the_folder(tmp_path: Path) -> None:
    repo = init_repo(tmp_path)
    (repo / "Images").mkdir()
    (repo / "Images" / "mae.png").touch()
    git(repo, "add", "Images")
    (repo / "Drafts").mkdir()
    (repo / "Drafts" / "x.png").touch()
    readme = repo / "README.md"
    readme.write_text(
        "See [figures](Images/), [drafts](Drafts/) and [file as folder](Images/mae.png/x).\n",
        encoding="utf-8",
    )
    assert [(d.code, d.message) for d in check(readme)] == [
        ("RG206", "`Drafts/` is not tracked by git, so it is missing on GitHub"),
        ("RG201", "`Images/mae.png/x` does not exist"),
    ]


# -- symlinks ------------------------------------------------------------------------------


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the repository with a file that must never be touched."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.png").touch()
    return folder


def spy_on_file_access(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every path that is listed, stat'ed, opened or read as a symlink."""
    seen: list[str] = []

    def spy(function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if args and isinstance(args[0], (str, os.PathLike)):
                seen.append(os.fspath(args[0]))
            return function(*args, **kwargs)

        return wrapper

    for name in ("scandir", "stat", "lstat", "open", "readlink", "listdir"):
        monkeypatch.setattr(os, name, spy(getattr(os, name)))
    monkeypatch.setattr(builtins, "open", spy(builtins.open))
    return seen


def test_a_symlink_out_of_the_repository_is_reported_and_never_followed(
    tmp_path: Path, outside: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "repo"
    images = repo / "Images"
    images.mkdir(parents=True)
    (images / "absolute.png").symlink_to(outside / "secret.png")
    (images / "relative.png").symlink_to(Path("..", "..", "outside", "secret.png"))
    (images / "up").symlink_to(Path("..", ".."))
    readme = repo / "README.md"
    readme.write_text(
        "> ![a](Images/absolute.png)\n"
        "> ![b](Images/relative.png)\n"
        "> ![c](Images/up/outside/secret.png)\n",
        encoding="utf-8",
    )
    init_repo(repo)
    seen = spy_on_file_access(monkeypatch)
    diagnostics = check(readme)
    assert [(d.line, d.column, d.code) for d in diagnostics] == [
        (1, 8, "RG203"),
        (2, 8, "RG203"),
        (3, 8, "RG203"),
    ]
    assert diagnostics[2].message == (
        "`Images/up/outside/secret.png` leads outside the repository root "
        "through symlink `Images/up`"
    )
    assert any(p.startswith(str(repo)) for p in seen), "the spy saw nothing"
    assert not [p for p in seen if str(outside) in os.path.abspath(p)]


def test_symlinks_inside_the_repository_are_followed(tmp_path: Path) -> None:
    repo = tmp_path
    (repo / "Images").mkdir()
    (repo / "Images" / "mae.png").touch()
    (repo / "Images" / "alias.png").symlink_to("mae.png")
    (repo / "Figures").symlink_to("Images")
    (repo / "loop").symlink_to("loop")
    readme = repo / "README.md"
    readme.write_text(
        "![a](Images/alias.png) ![b](Figures/mae.png) ![c](Figures/MAE.png) ![d](loop/x.png)\n",
        encoding="utf-8",
    )
    init_repo(repo)
    assert [(d.code, d.message) for d in check(readme)] == [
        ("RG202", "`Figures/MAE.png` exists only as `Images/mae.png`; GitHub is case-sensitive"),
        ("RG201", "`loop/x.png` does not exist"),
    ]


# -- git -----------------------------------------------------------------------------------


def test_untracked_paths_are_silent_outside_a_git_work_tree(tmp_path: Path) -> None:
    repo = lay_out(tmp_path, in_git=False, untracked=("Images/draft.png",))
    assert not (repo / ".git").exists()
    codes = [d.code for d in check(repo / "broken.md")]
    assert "RG206" not in codes
    assert codes.count("RG202") == 3  # everything else is still checked


def test_no_file_name_means_no_path_checks(tmp_path: Path) -> None:
    repo = lay_out(tmp_path)
    text = (repo / "broken.md").read_text(encoding="utf-8")
    assert readme_guard.check(text, select=CODES) == []


# -- URLs into this repository -------------------------------------------------------------


def expected_weekly(path: Path, draft: str) -> list[tuple[int, int, str]]:
    return [
        at(path, 13, "https://github.com/readingpapers/report/blob/main/Images/albef.png", "RG205"),
        at(path, 25, "https://raw.githubusercontent.com/ReadingPapers/Report/refs/heads", "RG205"),
        at(path, 39, "https://github.com/ReadingPapers/Report/blob/main/Images/missing", "RG205"),
        at(path, 40, "https://github.com/ReadingPapers/Report/blob/main/Images/draft", draft),
    ]


def test_repository_urls_with_the_repository_from_rules_yaml(tmp_path: Path) -> None:
    (tmp_path / "rules.yaml").write_text("repository: ReadingPapers/Report\n", encoding="utf-8")
    repo = lay_out(tmp_path, untracked=("Images/draft.png",))
    path = repo / "weekly.md"
    diagnostics = check(path, profile="weekly")
    assert found(diagnostics) == expected_weekly(path, draft="RG206")
    assert [d.message for d in diagnostics[:3]] == [
        "`Images/albef.png` exists only as `Images/Albef.png`; GitHub is case-sensitive",
        "`Images/aim.png` is not in this repository (ReadingPapers/Report)",
        "`Images/missing.png` is not in this repository (ReadingPapers/Report)",
    ]


def test_repository_urls_with_the_repository_from_the_origin_remote(tmp_path: Path) -> None:
    repo = lay_out(tmp_path)
    git(repo, "remote", "add", "origin", "git@github.com:ReadingPapers/Report.git")
    path = repo / "weekly.md"
    assert found(check(path, profile="weekly")) == expected_weekly(path, draft="RG205")


def test_repository_urls_are_not_checked_without_a_known_repository(tmp_path: Path) -> None:
    repo = lay_out(tmp_path)
    assert check(repo / "weekly.md", profile="weekly") == []


def test_only_urls_into_the_configured_repository_are_checked(tmp_path: Path) -> None:
    (tmp_path / "rules.yaml").write_text("repository: ReadingPapers/Share\n", encoding="utf-8")
    repo = lay_out(tmp_path)
    assert [d.line for d in check(repo / "weekly.md", profile="weekly")] == [33]


# -- command line and scale ----------------------------------------------------------------


def test_json_output_through_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = lay_out(tmp_path)
    monkeypatch.chdir(repo)
    result = CliRunner().invoke(
        cli, ["check", "--select", "RG201", "--format", "json", "broken.md"]
    )
    assert result.exit_code == 1, result.output
    [first, *others] = json.loads(result.output)["diagnostics"]
    assert (first["path"], first["line"], first["column"], first["end_column"]) == (
        "broken.md",
        5,
        11,
        36,
    )
    assert (first["rule"], first["severity"], first["fixable"]) == ("broken-path", "error", False)
    assert [d["line"] for d in others] == [20, 22]  # Images/draft.png was never created


def test_one_listing_per_folder_however_many_links(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = lay_out(tmp_path)
    readme = repo / "README.md"
    figure = "> ![framework](Images/mae.png), ![x](Images%2Fmae.png), ![y](Images/gone.png)\n"
    readme.write_text(figure * 2000, encoding="utf-8")
    listed: list[str] = []
    scandir = os.scandir

    def counting_scandir(path: str) -> Any:
        listed.append(path)
        return scandir(path)

    monkeypatch.setattr(os, "scandir", counting_scandir)
    diagnostics = check(readme)
    assert len(diagnostics) == 2000
    assert sorted(listed) == sorted({str(repo.resolve()), str(repo.resolve() / "Images")})


# -- the corpus ----------------------------------------------------------------------------


def test_report_md_has_no_path_findings(report_repo: Path) -> None:
    assert check(report_repo / "REPORT.md") == []


def test_report_md_without_albef_png_has_one_broken_path(report_repo: Path) -> None:
    git(report_repo, "rm", "-q", "Images/albef.png")
    path = report_repo / "REPORT.md"
    diagnostics = check(path)
    assert found(diagnostics) == [(97, 14, "RG201")]
    assert at(path, 97, "Images/albef.png", "RG201") == (97, 14, "RG201")


WEEKLY_FILES = {
    "weekly.md": "每周精读打卡.md",
    "archive2024.md": "Archived/2024论文精读归档.md",
    "archive2025.md": "Archived/2025论文精读归档.md",
}
_OWN_URL = re.compile(r"https://github\.com/ReadingPapers/Report/blob/main/([^\"]+?)\"")


@pytest.fixture
def weekly_repo(tmp_path: Path) -> Path:
    """The real repository's tree (tree.txt), with the weekly log and its archives at their
    real paths and `repository: ReadingPapers/Report` in rules.yaml."""
    tree = corpus_file("tree.txt").read_text(encoding="utf-8").splitlines()
    for name in tree:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).touch()
    for corpus_name, real_name in WEEKLY_FILES.items():
        shutil.copyfile(corpus_file(corpus_name), tmp_path / real_name)
    (tmp_path / "rules.yaml").write_text("repository: ReadingPapers/Report\n", encoding="utf-8")
    return init_repo(tmp_path)


def weekly_findings(repo: Path) -> dict[str, list[tuple[int, str]]]:
    run = Run(Options(select=CODES, profile="weekly"))
    results = run.check(tuple(str(repo / name) for name in WEEKLY_FILES.values()))
    return {
        name: [(d.line, d.code) for d in result.diagnostics]
        for name, result in zip(WEEKLY_FILES, results, strict=True)
    }


def test_weekly_log_path_findings_are_the_two_accidental_links(weekly_repo: Path) -> None:
    """`[Title](ICRA2025)` and `[Title](EMNLP2023)`: a venue typed as a link destination.
    Every figure URL into the repository names a file of tree.txt."""
    assert weekly_findings(weekly_repo) == {
        "weekly.md": [(273, "RG201")],
        "archive2024.md": [(293, "RG201")],
        "archive2025.md": [],
    }


def test_weekly_log_rg205_is_exactly_the_urls_whose_file_is_absent(weekly_repo: Path) -> None:
    gone = ["Images/omninav.png", "Images/CMDPAD.png", "Images/self-introduction video dataset.png"]
    git(weekly_repo, "rm", "-q", *gone)
    expected: dict[str, list[tuple[int, str]]] = {}
    for name, real_name in WEEKLY_FILES.items():
        lines = (weekly_repo / real_name).read_text(encoding="utf-8").splitlines()
        expected[name] = [
            (number, "RG205")
            for number, line in enumerate(lines, start=1)
            for match in _OWN_URL.finditer(line)
            if unquote(match.group(1)).partition("?")[0] in gone
        ]
    assert sum(map(len, expected.values())) >= len(gone)
    findings = weekly_findings(weekly_repo)
    assert {name: [f for f in got if f[1] == "RG205"] for name, got in findings.items()} == expected
