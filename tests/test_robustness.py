"""Bad input, faults and security: every error is exit 2 and one line on stderr, never a
traceback; nothing outside the repository is opened; rules.yaml stays data; no network.

Each test here is a row of docs/robustness.md. The command line runs in-process through
`readme_guard.cli.main` (the console script's entry point), so faults can be injected with
monkeypatch; bench/stress.py runs hostile inputs as real processes.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import socket
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import readme_guard
from readme_guard import fixing
from readme_guard.cli import main
from tests.conftest import FIXTURES, git, init_repo

PAPER_LIST = FIXTURES / "robustness" / "paper-list.md"
ASSETS = ("Images/mae.png", "Images/clip.png", "Slide/2023.11.03-CLIP.pptx")
# A block whose title holds "é", on line 3, for the not-UTF-8 case.
LATIN1 = (
    "## Vision\n\n> Café: a naïve baseline for masked modelling (CVPR 2024)  \n"
    "> [Paper](https://arxiv.org/abs/2401.00001)\n"
).encode("latin-1")


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str

    @property
    def error_lines(self) -> list[str]:
        return self.err.strip().splitlines()


Runner = Callable[..., Result]


@pytest.fixture
def rg(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Runner:
    """Run the console entry point in-process and return its exit code, stdout and stderr."""
    monkeypatch.delenv("READMEGUARD_DEBUG", raising=False)  # a crash must look as users see it
    monkeypatch.setenv("NO_COLOR", "1")

    def run(*args: str) -> Result:
        capsys.readouterr()
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 0
        out, err = capsys.readouterr()
        assert "Traceback" not in out + err
        return Result(code, out, err)

    return run


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository holding the paper list as README.md with the files it links to."""
    root = tmp_path / "repo"
    root.mkdir()
    shutil.copyfile(PAPER_LIST, root / "README.md")
    for name in ASSETS:
        (root / name).parent.mkdir(exist_ok=True)
        (root / name).write_bytes(b"\x89PNG\r\n")
    monkeypatch.chdir(root)
    return init_repo(root)


def assert_refused(result: Result, message: str) -> None:
    """Exit 2, exactly one line on stderr holding `message`, nothing on stdout."""
    assert result.code == 2, result
    assert result.error_lines == [result.error_lines[0]], result.err
    assert result.error_lines[0].startswith("readme-guard: error: "), result.err
    assert message in result.error_lines[0], result.err
    assert result.out == ""


# -- inputs that are not a Markdown file ----------------------------------------------------


def test_missing_file(rg: Runner, repo: Path) -> None:
    assert_refused(rg("check", "PAPERS.md"), "PAPERS.md: no such file or folder")


def test_folder_means_its_markdown_files(rg: Runner, repo: Path) -> None:
    for folder in ("Archived", "drafts"):
        (repo / folder).mkdir()
        shutil.copyfile(PAPER_LIST, repo / folder / "2024.md")  # its image paths are broken
    (repo / ".gitignore").write_text("drafts/\n", encoding="utf-8")
    result = rg("check", ".")
    assert result.code == 1 and result.err == ""
    assert "Archived/2024.md:13:16: error RG201 `Images/mae.png` does not exist" in result.out
    assert "README.md" not in result.out and "drafts" not in result.out


def test_folder_without_markdown(rg: Runner, repo: Path) -> None:
    assert_refused(rg("check", "Images"), "Images: no Markdown files in this folder")


def test_permission_denied(rg: Runner, repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # CI runs as root, which reads any file whatever its mode, so the refusal is simulated
    # where the read happens.
    def refuse(self: Path) -> bytes:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    assert_refused(rg("check", "README.md"), "README.md: cannot read: permission denied")


def test_symlink_loop(rg: Runner, repo: Path) -> None:
    (repo / "a.md").symlink_to("b.md")
    (repo / "b.md").symlink_to("a.md")
    assert_refused(rg("check", "a.md"), "a.md: cannot read: too many levels of symbolic links")


def test_dangling_symlink(rg: Runner, repo: Path) -> None:
    (repo / "old.md").symlink_to("deleted.md")
    assert_refused(rg("check", "old.md"), "old.md: cannot read: no such file or directory")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX only")
def test_named_pipe_is_refused_not_read(rg: Runner, repo: Path) -> None:
    os.mkfifo(repo / "pipe.md")  # reading it would block until someone writes
    assert_refused(rg("check", "pipe.md"), "pipe.md: not a regular file")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_device_is_refused_not_read(rg: Runner, repo: Path) -> None:
    assert_refused(rg("check", "/dev/zero"), "/dev/zero: not a regular file")  # endless


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(LATIN1, "bad.md:3: not valid UTF-8 (byte 0xe9)", id="latin-1"),
        pytest.param(
            PAPER_LIST.read_text(encoding="utf-8").encode("utf-16"),  # with its BOM
            "bad.md: UTF-16 text is not supported",
            id="utf-16-bom",
        ),
        pytest.param(
            b"\xfe\xff" + PAPER_LIST.read_text(encoding="utf-8").encode("utf-16-be"),
            "bad.md: UTF-16 text is not supported",
            id="utf-16-be-bom",
        ),
        pytest.param(
            PAPER_LIST.read_text(encoding="utf-8").encode("utf-32"),
            "bad.md: UTF-32 text is not supported",
            id="utf-32-bom",
        ),
        pytest.param(
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
            "bad.md: binary file (contains NUL bytes)",
            id="binary",
        ),
        pytest.param(
            PAPER_LIST.read_bytes().replace(b"(CVPR 2022)", b"(CVPR\x00 2022)"),
            "bad.md: binary file (contains NUL bytes)",
            id="nul-in-text",
        ),
    ],
)
def test_undecodable_or_unparsable_bytes(
    rg: Runner, repo: Path, content: bytes, message: str
) -> None:
    (repo / "bad.md").write_bytes(content)
    assert_refused(rg("check", "bad.md"), message)


def test_nested_up_to_the_limit_is_read(rg: Runner, repo: Path) -> None:
    # 32 quote levels, or 32 list levels, are read; a broken path inside them is still found.
    deep = "> " * 32 + "![framework](Images/missing.png)\n\n" + "- " * 32 + "[a](Slide/none.pptx)\n"
    (repo / "deep.md").write_text(deep, encoding="utf-8")
    result = rg("check", "--select", "RG201", "deep.md")
    assert result.code == 1
    assert "deep.md:1:78: error RG201" in result.out and "deep.md:3:69: error RG201" in result.out


def test_nested_past_the_limit_is_one_finding_and_the_rest_is_checked(
    rg: Runner, repo: Path
) -> None:
    # Ten lists and a quote on one line are read; 33 levels are not, and say so once.
    deep = (
        "## Vision\n\n" + "- " * 10 + "> [a](Slide/none.pptx)\n\n"
        + "> " * 33 + "Masked Autoencoders\n" + "> " * 33 + "[b](Slide/also-none.pptx)\n\n"
        + "[c](Images/missing.png)\n"
    )  # fmt: skip
    (repo / "deep.md").write_text(deep, encoding="utf-8")
    result = rg("check", "--select", "RG201,RG603", "deep.md")
    assert result.code == 1, result
    assert "deep.md:3:27: error RG201" in result.out and "deep.md:8:5: error RG201" in result.out
    assert "also-none" not in result.out
    assert (
        "deep.md:5:1: warning RG603 quotes and lists nested more than 32 levels deep (lines 5 to 6)"
        in (result.out)
    )


@pytest.mark.parametrize("content", ["", " \n\t\n\n", "\ufeff", "\r\n\r\n"], ids=repr)
def test_empty_or_blank_file_passes(rg: Runner, repo: Path, content: str) -> None:
    (repo / "empty.md").write_text(content, encoding="utf-8", newline="")
    result = rg("check", "empty.md")
    assert (result.code, result.err) == (0, "")
    assert "All checks passed (1 file)" in result.out


# -- faults while fixing --------------------------------------------------------------------
# tests/test_fix.py holds the contract of fixing.write_atomic and its command-line tests; here
# each fault must also leave exactly one line on stderr and the original bytes in place.


def _lazy(repo: Path) -> Path:
    """The paper list with a lazy continuation line, which fix rewrites."""
    text = PAPER_LIST.read_text(encoding="utf-8")
    target = repo / "README.md"
    target.write_text(text.replace(">> 用四亿图文对", "用四亿图文对"), encoding="utf-8")
    return target


def _read_only(target: Path, monkeypatch: pytest.MonkeyPatch) -> bytes:
    target.chmod(0o444)
    return target.read_bytes()


def _changed_meanwhile(target: Path, monkeypatch: pytest.MonkeyPatch) -> bytes:
    render = fixing.render_html
    saved = "> saved by someone else (CVPR 2024)\n"

    def save_meanwhile(text: str) -> str:  # somebody saves the file while fix verifies
        target.write_text(saved, encoding="utf-8")
        return render(text)

    monkeypatch.setattr(fixing, "render_html", save_meanwhile)
    return saved.encode()  # their save is kept


def _disk_full(target: Path, monkeypatch: pytest.MonkeyPatch) -> bytes:
    def no_space(*args: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", no_space)  # what fixing.write_atomic flushes with
    return target.read_bytes()


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        pytest.param(_read_only, "the file is read-only; nothing written", id="read-only"),
        pytest.param(
            _changed_meanwhile, "changed on disk while being fixed; nothing written", id="changed"
        ),
        pytest.param(_disk_full, "no space left on device; the file is unchanged", id="disk-full"),
    ],
)
def test_fault_during_fix(
    rg: Runner,
    repo: Path,
    monkeypatch: pytest.MonkeyPatch,
    fault: Callable[[Path, pytest.MonkeyPatch], bytes],
    message: str,
) -> None:
    target = _lazy(repo)
    assert rg("fix", "--check", "README.md").code == 1  # there is something to fix
    expected = fault(target, monkeypatch)
    result = rg("fix", "README.md")
    assert result.code == 2
    [line] = result.error_lines
    assert line.startswith("readme-guard: error: README.md: ") and line.endswith(message)
    assert target.read_bytes() == expected
    assert sorted(p.name for p in repo.iterdir()) == [".git", "Images", "README.md", "Slide"]


def test_fix_of_a_toc_over_a_deep_first_heading_settles(repo: Path) -> None:
    text = "<!-- TOC -->\n<!-- /TOC -->\n\n### Masked autoencoders\n\n# Papers\n"
    first = readme_guard.fix(text)
    assert readme_guard.fix(first) == first
    # The deeper heading comes first: it cannot be nested under nothing, so both entries
    # stand at the top (indenting it would make a code block, wider on every run).
    assert first.splitlines()[:4] == [
        "<!-- TOC -->",
        "- [Masked autoencoders](#masked-autoencoders)",
        "- [Papers](#papers)",
        "<!-- /TOC -->",
    ]


# -- rules.yaml -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(
            "profile: default\nblocks:\n  links: {required: [Paper]\n",
            "rules.yaml:4:1: ",
            id="syntax-error",
        ),
        pytest.param(
            "profile: default\nblocks:\n  linkz:\n    required: [Paper]\n",
            "rules.yaml:3:3: unknown key 'linkz'; did you mean 'links'?",
            id="unknown-key",
        ),
        pytest.param(
            "toc:\n  required: sometimes\n",
            "rules.yaml:2:13: toc.required: ",
            id="wrong-type",
        ),
        pytest.param(
            "blocks:\n  title:\n    pattern: '^(?P<title>.*\\s*$'\n",
            "rules.yaml:3:14: blocks.title.pattern: invalid regex: missing ): ^(?P<title>.*\\s*$",
            id="bad-regex",
        ),
        pytest.param(
            "profile: default\ntoc:\n  required: true\ntoc:\n  required: false\n",
            'rules.yaml:4:1: found duplicate key "toc"',
            id="duplicate-key",
        ),
    ],
)
def test_bad_rules_yaml(rg: Runner, repo: Path, text: str, message: str) -> None:
    (repo / "rules.yaml").write_text(text, encoding="utf-8")
    assert_refused(rg("check", "--config", "rules.yaml", "README.md"), message)
    # Discovered rather than named: the same line, with the path as found.
    found = rg("check", "README.md")
    assert found.code == 2 and len(found.error_lines) == 1
    assert message.removeprefix("rules.yaml") in found.error_lines[0]


# -- security -------------------------------------------------------------------------------

_OPENING_EVENTS = ("open", "os.listdir", "os.scandir")
_touched: list[tuple[str, str]] = []
_recording = False
_hooked = False


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if _recording and event in _OPENING_EVENTS and args and isinstance(args[0], str | Path):
        _touched.append((event, os.fspath(args[0])))


@contextlib.contextmanager
def touched(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, str]]]:
    """Every path opened, listed or stat'ed inside the `with` block, as it was passed."""
    global _recording, _hooked
    if not _hooked:  # an audit hook cannot be removed; it records only while asked to
        sys.addaudithook(_audit)
        _hooked = True

    def recorder(name: str, original: Callable[..., Any]) -> Callable[..., Any]:
        def record(path: Any, *args: Any, **kwargs: Any) -> Any:
            if _recording and isinstance(path, str | Path):
                _touched.append((name, os.fspath(path)))
            return original(path, *args, **kwargs)

        return record

    monkeypatch.setattr(os, "stat", recorder("os.stat", os.stat))
    monkeypatch.setattr(os, "lstat", recorder("os.lstat", os.lstat))
    _touched.clear()
    _recording = True
    try:
        yield _touched
    finally:
        _recording = False
        monkeypatch.undo()


def _reaches(event: str, path: str, folder: Path) -> bool:
    """Whether touching `path` this way reads something inside `folder` (symlinks followed
    where the call follows them: not by lstat, not by a listing of the link's folder)."""
    absolute = os.path.abspath(path)
    if event == "os.lstat":
        absolute = os.path.join(os.path.realpath(os.path.dirname(absolute)), "x")
    else:
        absolute = os.path.realpath(absolute)
    return absolute == str(folder) or absolute.startswith(str(folder) + os.sep)


def _outside_reached(rg: Runner, repo: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Check a README whose links leave the root every way there is (`..`, relative and
    absolute symlinks, a symlinked folder, HTML); return how each access outside went."""
    outside = repo.parent / "outside"
    outside.mkdir()
    for name in ("secret.md", "secret.png", "deck.pptx"):
        (outside / name).write_text("# private\n", encoding="utf-8")
    (repo / "Images" / "escape.png").symlink_to("../../outside/secret.png")
    (repo / "Images" / "absolute.png").symlink_to(outside / "secret.png")
    (repo / "Decks").symlink_to(outside)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "links")
    links = [
        "../outside/secret.md",
        "../outside/secret.md#private",
        "../../../../../../etc/passwd",
        "Images/escape.png",
        "Images/absolute.png",
        "Decks/deck.pptx",
        "Decks/secret.md#private",
    ]
    (repo / "README.md").write_text(
        PAPER_LIST.read_text(encoding="utf-8")
        + "\n&nbsp;\n\n"
        + "".join(f"> [Blog]({link})\n" for link in links)
        + '> <img src="../outside/secret.png"> <a href="../outside/secret.md">notes</a>\n',
        encoding="utf-8",
    )
    rg("check", "--select", "RG2", "README.md")  # imports everything the check needs
    with touched(monkeypatch) as paths:
        result = rg("check", "--select", "RG2", "README.md")
    assert paths, "nothing was recorded"
    outside_findings = [line for line in result.out.splitlines() if " RG203 " in line]
    assert len(outside_findings) == len(links) + 2, result.out
    assert not any(path == "/etc/passwd" for _, path in paths)
    return [f"{event} {path}" for event, path in paths if _reaches(event, path, outside)]


def test_nothing_outside_the_repository_is_opened(
    rg: Runner, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reached = _outside_reached(rg, repo, monkeypatch)
    assert [r for r in reached if not r.startswith(("os.stat ", "os.lstat "))] == []


def test_nothing_outside_the_repository_is_even_stat_ed(
    rg: Runner, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _outside_reached(rg, repo, monkeypatch) == []


def test_yaml_tags_construct_nothing(rg: Runner, repo: Path) -> None:
    marker = repo / "pwned"
    payloads = [
        f"repository: !!python/object/apply:os.system ['touch {marker}']\n",
        f"files: !!python/object/apply:os.system ['touch {marker}']\n",
        f"blocks:\n  placeholders: [!!python/object/apply:os.system ['touch {marker}']]\n",
        f"toc: !!python/object/new:subprocess.Popen [['touch', '{marker}']]\n",
        "blocks:\n  placeholders: [!!python/name:os.system ]\n",
    ]
    for payload in payloads:
        (repo / "rules.yaml").write_text(payload, encoding="utf-8")
        result = rg("check", "README.md")
        assert result.code in (0, 2), payload
        assert result.code == 0 or len(result.error_lines) == 1
        assert not marker.exists(), payload


def test_config_regexes_compile_once(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import re2  # type: ignore[import-not-found]

    from readme_guard import patterns
    from readme_guard.linter import Options, Run

    pattern = r"^\s*(?P<title>.*?)\s*$|compiled-once"  # unique: no earlier cache hit
    (repo / "rules.yaml").write_text(f"blocks:\n  title:\n    pattern: '{pattern}'\n")
    for copy in ("a.md", "b.md", "c.md"):
        shutil.copyfile(PAPER_LIST, repo / copy)
    compile_ = re2.compile
    seen: list[str] = []

    def counting(source: Any, options: Any = None) -> Any:
        if source == pattern:
            seen.append(source)
        return compile_(source, options)

    monkeypatch.setattr(re2, "compile", counting)
    patterns.compile_pattern.cache_clear()
    results = Run(Options()).check(("a.md", "b.md", "c.md"))
    assert len(results) == 3 and all(not r.diagnostics for r in results)
    # Once, by RE2 (a rules.yaml pattern): validation and use share it, not per file or line.
    assert seen == [pattern]


def test_no_network(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from readme_guard.linter import Options, Run

    git(repo, "remote", "add", "origin", "https://github.com/ReadingPapers/Report.git")
    urls = [
        "https://github.com/ReadingPapers/Report/blob/main/Images/mae.png",
        "https://github.com/ReadingPapers/Report/blob/main/Images/gone.png",
        "https://raw.githubusercontent.com/ReadingPapers/Report/main/Slide/gone.pptx",
        "https://arxiv.org/abs/2111.06377",
        "https://doi.org/10.1109/CVPR52688.2022.01553",
        "https://openreview.net/forum?id=abcdef",
        "http://www.example.com/a b",
    ]
    text = PAPER_LIST.read_text(encoding="utf-8") + "\n&nbsp;\n\n> A survey (arXiv 2024)  \n"
    text += "".join(f"> [Blog]({u}),\n" for u in urls) + "see " + " ".join(urls) + "\n"
    (repo / "README.md").write_text(text, encoding="utf-8")
    attempts: list[str] = []

    def no_network(name: str) -> Callable[..., Any]:
        def refuse(*args: Any, **kwargs: Any) -> Any:
            attempts.append(name)
            raise OSError(errno.ENETUNREACH, f"network access attempted: {name}")

        return refuse

    for name in ("socket", "create_connection", "getaddrinfo", "gethostbyname"):
        monkeypatch.setattr(socket, name, no_network(name))
    [result] = Run(Options()).check(("README.md",))
    codes = {d.code for d in result.diagnostics}
    assert "RG205" in codes  # the repository URLs were checked, against the local tree
    assert attempts == []


# -- trust: what a pull request controls (issue 9) --------------------------------------------


def _outside(repo: Path) -> Path:
    outside = repo.parent / "outside"
    outside.mkdir(exist_ok=True)
    (outside / "x.md").write_text("# private\n\nsecret text\n", encoding="utf-8")
    return outside


def test_an_input_symlinked_out_of_the_root_is_not_read_and_the_run_goes_on(
    rg: Runner, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outside = _outside(repo)
    (repo / "notes.md").symlink_to("../outside/x.md")
    (repo / "abs.md").symlink_to(outside / "x.md")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "links out")
    (repo / "README.md").write_text("# Fine\n\n[x](#nowhere)\n", encoding="utf-8")
    with touched(monkeypatch) as paths:
        result = rg("check", "--format", "concise", ".")
    assert result.code == 2
    assert sorted(result.error_lines) == [
        f"readme-guard: error: {name}: a symbolic link leading outside the repository; "
        "not read or written"
        for name in ("abs.md", "notes.md")
    ]
    assert "README.md:3:5: error RG204" in result.out  # the rest of the run went on
    opened = [p for event, p in paths if event == "open" and p.startswith(str(outside))]
    assert opened == []


def test_fix_never_writes_through_a_symlink_out_of_the_root(rg: Runner, repo: Path) -> None:
    outside = _outside(repo)
    before = (outside / "x.md").read_bytes()
    (outside / "x.md").write_text("> A title (CVPR 2022)\nlazy line\n", encoding="utf-8")
    before = (outside / "x.md").read_bytes()
    (repo / "notes.md").symlink_to("../outside/x.md")
    result = rg("fix", "notes.md")
    assert_refused(result, "notes.md: a symbolic link leading outside the repository")
    assert (outside / "x.md").read_bytes() == before
    with pytest.raises(fixing.WriteError, match="outside the repository"):
        fixing.write_atomic(repo / "notes.md", b"new\n", before, root=repo)
    assert (outside / "x.md").read_bytes() == before


@pytest.mark.parametrize(
    ("pattern", "column"),
    [("/**/*.md", 10), ("../outside/*.md", 10), ("docs/../../x.md", 10), ("~/notes.md", 10)],
)
def test_files_globs_that_leave_the_root_are_config_errors(
    rg: Runner, repo: Path, pattern: str, column: int
) -> None:
    (repo / "rules.yaml").write_text(f"files:\n  - docs/*.md\n  - '{pattern}'\n")
    result = rg("check")
    assert_refused(result, f"rules.yaml:3:{column - 5}: files.1: {pattern!r} leaves the config's")


def test_files_globs_do_not_walk_through_a_symlinked_folder(rg: Runner, repo: Path) -> None:
    outside = _outside(repo)
    (outside / "deep").mkdir()
    (outside / "deep" / "y.md").write_text("[x](#nowhere)\n", encoding="utf-8")
    (repo / "docs").mkdir()
    (repo / "docs" / "a.md").write_text("[x](#nowhere)\n", encoding="utf-8")
    (repo / "linked").symlink_to(outside)
    (repo / "rules.yaml").write_text("files: ['**/*.md']\n")
    result = rg("check", "--format", "concise")
    listed = {line.split(":")[0] for line in result.out.splitlines() if " RG" in line}
    assert listed == {"docs/a.md"}, result.out  # README.md is clean; nothing from linked/


def test_a_discovered_rules_yaml_symlinked_out_of_the_root_is_not_read(
    rg: Runner, repo: Path
) -> None:
    outside = _outside(repo)
    (outside / "rules.yaml").write_text("profile: weekly\n")
    (repo / "rules.yaml").symlink_to("../outside/rules.yaml")
    assert_refused(rg("check", "README.md"), "rules.yaml: a symbolic link leading outside")


def test_output_replaces_a_symlink_instead_of_writing_through_it(rg: Runner, repo: Path) -> None:
    outside = _outside(repo)
    victim = outside / "victim.txt"
    victim.write_text("keep me\n")
    (repo / "report.sarif").symlink_to(victim)
    result = rg("check", "--format", "sarif", "--output", "report.sarif", "README.md")
    assert result.code == 0, result.err
    assert victim.read_text() == "keep me\n"
    assert not (repo / "report.sarif").is_symlink()
    assert '"version": "2.1.0"' in (repo / "report.sarif").read_text()
    assert [p.name for p in repo.iterdir() if p.name.endswith(".tmp")] == []


# -- regexes from rules.yaml ------------------------------------------------------------------

BACKTRACKING = "(a+)+$"
SLOW_LINE = "a" * 40 + "!"


@pytest.mark.parametrize(
    "setting",
    [
        "blocks:\n  skip: ['{p}']\n",
        "blocks:\n  start: '{p}'\n",
        "blocks:\n  title:\n    pattern: '{p}'\n",
        "blocks:\n  links:\n    label_pattern: '{p}'\n",
        "blocks:\n  description:\n    pattern: '{p}'\n",
        "toc:\n  required: true\n  insert_after: '{p}'\n",
    ],
    ids=["skip", "start", "title", "label", "description", "insert_after"],
)
def test_a_backtracking_regex_cannot_hang_a_run(rg: Runner, repo: Path, setting: str) -> None:
    """With Python's `re` each of these lines takes minutes; RE2 matches in linear time."""
    from readme_guard.patterns import compile_pattern

    assert not isinstance(compile_pattern(BACKTRACKING), type(re_compile("x")))
    (repo / "rules.yaml").write_text(setting.format(p=BACKTRACKING))
    lines = "".join(f"# {SLOW_LINE}\n\n> {SLOW_LINE}\n> [{SLOW_LINE}](#{SLOW_LINE})\n\n" * 3)
    (repo / "README.md").write_text(lines, encoding="utf-8")
    result = rg("check", "--format", "concise", "README.md")
    assert result.code in (0, 1), result.err


def re_compile(pattern: str) -> Any:
    import re

    return re.compile(pattern)


@pytest.mark.parametrize(
    ("pattern", "why"),
    [
        ("(?<=a)b", "lookahead and lookbehind are not supported"),
        ("(a)\\\\1", "backreferences are not supported"),
        ("a{2000}", "invalid repetition size"),
    ],
)
def test_a_pattern_re2_cannot_compile_is_a_config_error_at_its_position(
    rg: Runner, repo: Path, pattern: str, why: str
) -> None:
    (repo / "rules.yaml").write_text(f'blocks:\n  skip:\n    - "{pattern}"\n')
    assert_refused(rg("check", "README.md"), "rules.yaml:3:7: blocks.skip.0: invalid regex: ")
    assert why in rg("check", "README.md").err


def test_shipped_profile_patterns_keep_python_re() -> None:
    """Ours and reviewed: they keep `re` (lookahead in the weekly title, Unicode `\\s`)."""
    import re

    from readme_guard import config
    from readme_guard.patterns import compile_pattern

    for name in config.profile_names():
        loaded = config._validate_text("", "rules.yaml", name)
        blocks = loaded.blocks
        for pattern in (blocks.title.pattern, blocks.links.label_pattern, *blocks.skip):
            assert isinstance(compile_pattern(pattern), re.Pattern), pattern


# -- bounded configs --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "a: &x " + "x" * 100_000 + "\n" + "".join(f"k{i}: *x\n" for i in range(60_000)),
            "rules.yaml:1:1: the file is larger than 256 KB",
        ),
        (
            "profile: default\na: &x "
            + "x" * 1000
            + "\n"
            + "".join(f"k{i}: *x\n" for i in range(200)),
            "rules.yaml:103:7: more than 100 YAML aliases (*name)",
        ),
        ("files: " + "[" * 5000 + "]" * 5000 + "\n", "rules.yaml:1:27: nested more than 20"),
        (
            "files:\n" + "".join("  " * i + "-\n" for i in range(1, 40)),
            "rules.yaml:21:41: nested more than 20 levels deep",
        ),
    ],
    ids=["size", "scalar-aliases", "flow-depth", "block-depth"],
)
def test_config_bounds(rg: Runner, repo: Path, text: str, message: str) -> None:
    (repo / "rules.yaml").write_text(text)
    assert_refused(rg("check", "README.md"), message)
    assert_refused(rg("check", "--config", "rules.yaml", "README.md"), message)


# -- output that cannot be forged -------------------------------------------------------------

HOSTILE = (
    "# Papers\n\n<!-- TOC -->\n* [Old](#old)\n<!-- TOC -->\n\n"
    "## A\x1b]52;c;ZXZpbA==\x07\x1b[2KAll checks passed\n\n"
    "## B&#10;::add-mask::secret\n\n"
    "## C &#13;##[error]old syntax\n\n"
    + "".join(f"[l{i}](#x%0A::error::forged{i})\n" for i in range(12))
)
OUR_COMMAND = re.compile(r"::(error|warning|notice) [^:]*::")


def test_github_output_cannot_be_forged(
    rg: Runner, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (repo / "README.md").write_text(HOSTILE, encoding="utf-8")
    odd = "x\n::error file=a::forged\x1b[2K.md"
    (repo / odd).write_text("[x](#nowhere)\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(repo / "summary.md"))
    result = rg("check", "--format", "github", "README.md", odd)
    assert result.code == 1, result.err
    lines = result.out.splitlines()
    assert len(lines) > 15  # past the 10th annotation: plain lines
    for line in lines:
        stripped = line.lstrip()
        assert not stripped.startswith("::") or OUR_COMMAND.match(stripped), line
        assert "##[" not in line and "\x1b" not in line and "\r" not in line, line
    assert any("\\x1b]52;c;" in line for line in lines)
    assert any(line.startswith("x\\x0a::error file=a::forged\\x1b[2K.md:1:") for line in lines)


HOSTILE_MESSAGES = [
    "heading '`` ` <img src=x onerror=alert(1)> ` ``' is missing",
    "`a` ``<a href=https://evil.example>b</a>`` `c",
    "``` `` <img src=x> `` ```",
    "&#60;img src=x&#62; &lt;b&gt; www.evil.example https://evil.example a@evil.example",
    "[link](https://evil.example) ![i](https://evil.example/i.png) **b** _i_ ~s~ | pipe",
    "line\n<img src=x>",
]


@pytest.mark.parametrize("message", HOSTILE_MESSAGES)
def test_summary_text_never_becomes_live_html_or_markdown(message: str) -> None:
    import cmarkgfm
    from cmarkgfm.cmark import Options

    from readme_guard.output import escape

    cell = escape.markdown(message)
    html = cmarkgfm.github_flavored_markdown_to_html(
        f"| m |\n| --- |\n| {cell} |\n", Options.CMARK_OPT_UNSAFE
    )
    body = html.split("<tbody>")[1]
    tags = set(re.findall(r"<(/?[a-z]+)", body))
    assert tags <= {"tr", "/tr", "td", "/td", "code", "/code", "/tbody", "/table"}, html
    assert body.count("<td>") == 1


@pytest.mark.parametrize("form", ["full", "concise", "github"])
def test_terminal_formats_show_control_characters(rg: Runner, repo: Path, form: str) -> None:
    (repo / "README.md").write_text(HOSTILE, encoding="utf-8")
    result = rg("check", "--format", form, "--color", "always", "README.md")
    assert result.code == 1
    escapes = [m.group() for m in re.finditer("\x1b[^m]*m", result.out)]
    assert all(re.fullmatch("\x1b\\[[0-9;]*m", e) for e in escapes), escapes
    assert "\x07" not in result.out and "\x1b]" not in result.out
    assert "\x1b[2K" not in result.out
    assert "A\\x1b]52;c;ZXZpbA==\\x07\\x1b[2KAll checks passed" in result.out


def test_a_file_name_that_is_not_utf8(
    rg: Runner, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = os.fsdecode(b"\xff\xfe.md")
    try:
        (repo / name).write_text("[x](#nowhere)\n", encoding="utf-8")
    except (OSError, UnicodeEncodeError):
        pytest.skip("this file system refuses names that are not UTF-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "odd name")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(repo / "summary.md"))
    sarif = rg("check", "--format", "sarif", ".")
    assert sarif.code == 1, sarif.err
    assert '"uri": "%FF%FE.md"' in sarif.out
    for form in ("full", "concise", "github"):
        shown = rg("check", "--format", form, ".")
        assert shown.code == 1 and "internal error" not in shown.err, shown.err
        assert "\\xff\\xfe.md" in shown.out
    assert "\\\\xff\\\\xfe.md" in (repo / "summary.md").read_text(encoding="utf-8")


# -- fix keeps the user's data ----------------------------------------------------------------

LAZY = "## Papers\n\n> A title (CVPR 2022)\n> [Paper](https://arxiv.org/abs/2111.06377)\nwrapped on a lazy line\n"


def _temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".readme-guard.tmp"))


def test_a_save_while_fix_writes_is_kept(
    rg: Runner, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The other writer saves after the first comparison, while the temporary file is being
    synced: the comparison just before the rename sees it, and nothing is written."""
    target = repo / "README.md"
    target.write_text(LAZY, encoding="utf-8")
    fsync = os.fsync

    def save_meanwhile(descriptor: int) -> None:
        fsync(descriptor)
        target.write_text("saved by the editor\n", encoding="utf-8")

    monkeypatch.setattr(os, "fsync", save_meanwhile)
    result = rg("fix", "README.md")
    assert_refused(result, "README.md: changed on disk while being fixed; nothing written")
    assert target.read_text(encoding="utf-8") == "saved by the editor\n"
    assert _temporaries(repo) == []


def test_extended_attributes_are_kept(rg: Runner, repo: Path) -> None:
    target = repo / "README.md"
    target.write_text(LAZY, encoding="utf-8")
    try:
        os.setxattr(target, "user.origin", b"kept")
    except (OSError, AttributeError):
        pytest.skip("no user extended attributes on this file system")
    assert rg("fix", "--select", "RG501", "README.md").code == 0
    assert target.read_text(encoding="utf-8") != LAZY
    assert os.getxattr(target, "user.origin") == b"kept"


def test_an_attribute_that_cannot_be_copied_refuses_the_write(
    rg: Runner, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = repo / "README.md"
    target.write_text(LAZY, encoding="utf-8")
    if not hasattr(os, "listxattr"):
        pytest.skip("no extended attributes here")
    monkeypatch.setattr(os, "listxattr", lambda path: ["system.posix_acl_access"])
    monkeypatch.setattr(os, "getxattr", lambda path, name: b"\x02\x00\x00\x00")

    def refuse(*args: Any) -> None:
        raise OSError(errno.EOPNOTSUPP, "Operation not supported")

    monkeypatch.setattr(os, "setxattr", refuse)
    result = rg("fix", "README.md")
    assert_refused(result, "README.md: cannot keep its extended attribute system.posix_acl_access")
    assert target.read_text(encoding="utf-8") == LAZY
    assert _temporaries(repo) == []


def test_a_hard_linked_file_is_refused_not_split(rg: Runner, repo: Path) -> None:
    target = repo / "README.md"
    target.write_text(LAZY, encoding="utf-8")
    os.link(target, repo / "copy.md")
    result = rg("fix", "README.md")
    assert_refused(result, "README.md: has 2 hard links; replacing it would leave the other")
    assert target.read_text(encoding="utf-8") == LAZY
    assert os.stat(target).st_ino == os.stat(repo / "copy.md").st_ino


@pytest.mark.parametrize("signal_name", ["SIGTERM", "SIGINT"])
def test_a_signal_in_the_write_window_leaves_no_temporary_file(
    tmp_path: Path, signal_name: str
) -> None:
    import signal
    import subprocess

    target = tmp_path / "README.md"
    target.write_bytes(b"old\n")
    script = (
        "import os, signal, sys\n"
        "from pathlib import Path\n"
        "from readme_guard import fixing\n"
        f"os.fsync = lambda fd: os.kill(os.getpid(), signal.{signal_name})\n"
        "try:\n"
        f"    fixing.write_atomic(Path({str(target)!r}), b'new\\n', b'old\\n')\n"
        "except KeyboardInterrupt:\n"
        "    sys.exit(130)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, check=False)
    expected = -signal.SIGTERM if signal_name == "SIGTERM" else 130
    assert done.returncode == expected, done.stderr
    assert target.read_bytes() == b"old\n"
    assert _temporaries(tmp_path) == []


def test_a_stale_temporary_file_is_removed_by_the_next_run(tmp_path: Path) -> None:
    target = tmp_path / "README.md"
    target.write_bytes(b"old\n")
    dead = tmp_path / ".README.md.4194304.abcdefgh.readme-guard.tmp"  # above pid_max
    live = tmp_path / f".README.md.{os.getppid()}.abcdefgh.readme-guard.tmp"
    other = tmp_path / ".other.md.4194304.abcdefgh.readme-guard.tmp"
    for path in (dead, live, other):
        path.write_bytes(b"half\n")
    fixing.write_atomic(target, b"new\n", b"old\n")
    assert target.read_bytes() == b"new\n"
    assert _temporaries(tmp_path) == sorted([live.name, other.name])


def test_a_243_byte_file_name_can_be_fixed(rg: Runner, repo: Path) -> None:
    name = "é" * 119 + "xy.md"  # 243 bytes in UTF-8
    assert len(name.encode()) == 243
    (repo / name).write_text(LAZY, encoding="utf-8")
    result = rg("fix", "--select", "RG501", name)
    assert result.code == 0, result.err
    assert (repo / name).read_text(encoding="utf-8").endswith("> wrapped on a lazy line\n")
    assert _temporaries(repo) == []


@pytest.mark.parametrize("tag", ["PRE", "Pre", "TEXTAREA", "SCRIPT", "STYLE", "CODE", "pre"])
def test_whitespace_inside_preformatting_tags_of_any_case_counts(tag: str) -> None:
    from readme_guard.diagnostic import Edit, Fix
    from readme_guard.source import Source

    assert fixing.comparable(f"<{tag}>a\n  b</{tag}>") != fixing.comparable(f"<{tag}>a b</{tag}>")
    if tag.lower() in ("textarea", "script", "style"):
        return  # GitHub's tag filter escapes these: their text folds like any other
    source = Source("a.md", f"<{tag}>\nkeep   these   spaces\n</{tag}>\n\nplain  text\n")
    squeeze = Fix("fold the spaces", (Edit(2, 2, ("keep these spaces",)),))
    harmless = Fix("fold the plain spaces", (Edit(5, 5, ("plain text",)),))
    assert fixing.verify(source, [squeeze, harmless]) == [harmless]


# -- no quadratic paths -----------------------------------------------------------------------


def _entries(count: int) -> str:
    """Weekly entries with one lazy line each (`fix` would add its `> > ` prefix)."""
    return "## 2024\n\n" + "".join(
        f"> > [2024-1-{i % 28 + 1}]-[a]-[T{i}]\n> > f\nlazy {i}\n>\n" for i in range(count)
    )


def test_refused_fixes_are_found_region_by_region(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every fix refused: the renderer sees each region a few times, not the whole file
    once per fix (which grew with the square of the fixes). Parser and verifier are both
    cmark-gfm, so no real fix is refused: the renderer is made to see each added prefix."""
    from readme_guard.linter import Options, Run
    from readme_guard.source import Source

    rendered: list[int] = []
    render = fixing.render_html

    def counting(text: str) -> str:
        rendered.append(len(text))
        return render(text) + "!" * text.count("> > lazy")

    monkeypatch.setattr(fixing, "render_html", counting)
    for count in (40, 160):
        rendered.clear()
        text = _entries(count)
        outcome = fixing.fix_source(
            Run(Options(isolated=True, profile="weekly")), Source("README.md", text), None
        )
        assert outcome.fixed == 0 and len(outcome.refused) == count
        assert len(rendered) <= 6 * count + 10
        assert sum(rendered) <= 8 * len(text)  # whole-file renderings: a handful
        assert all("GitHub would show" in str(r) for r in outcome.refused)


def test_a_refusal_says_what_github_would_show(rg: Runner, repo: Path) -> None:
    from readme_guard.diagnostic import Edit, Fix
    from readme_guard.source import Source

    source = Source("a.md", "para\n\nnext\n")
    join = Fix("join", (Edit(2, 2, ()),))
    verifier = fixing._Verifier(source, [])
    assert verifier.safe_subset([join]) == []
    [detail] = verifier.details.values()
    assert detail.startswith("GitHub would show '<p>para next</p>'")
    assert detail.endswith("instead of '<p>para</p> <p>next</p>'; edit it by hand")
