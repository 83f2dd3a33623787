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

from readme_guard import fix
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
        pytest.param(
            b"## Vision\n\n" + b"> " * 20 + b"Masked Autoencoders (CVPR 2022)\n",
            "bad.md: line 3: quotes and lists nested more than 19 levels deep",
            id="nested-past-the-parser",
        ),
    ],
)
def test_undecodable_or_unparsable_bytes(
    rg: Runner, repo: Path, content: bytes, message: str
) -> None:
    (repo / "bad.md").write_bytes(content)
    assert_refused(rg("check", "bad.md"), message)


def test_nested_up_to_the_limit_is_read(rg: Runner, repo: Path) -> None:
    # 19 quote levels, or 9 list levels, are read; a broken path inside them is still found.
    deep = "> " * 19 + "![framework](Images/missing.png)\n\n" + "- " * 9 + "[a](Slide/none.pptx)\n"
    (repo / "deep.md").write_text(deep, encoding="utf-8")
    result = rg("check", "--select", "RG201", "deep.md")
    assert result.code == 1
    assert "deep.md:1:52: error RG201" in result.out and "deep.md:3:23: error RG201" in result.out


@pytest.mark.parametrize("content", ["", " \n\t\n\n", "\ufeff", "\r\n\r\n"], ids=repr)
def test_empty_or_blank_file_passes(rg: Runner, repo: Path, content: str) -> None:
    (repo / "empty.md").write_text(content, encoding="utf-8", newline="")
    result = rg("check", "empty.md")
    assert (result.code, result.err) == (0, "")
    assert "All checks passed (1 file)" in result.out


# -- faults while fixing --------------------------------------------------------------------
# tests/test_fix.py holds the contract of fix.write_atomic and its command-line tests; here
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
    render = fix.render_html
    saved = "> saved by someone else (CVPR 2024)\n"

    def save_meanwhile(text: str) -> str:  # somebody saves the file while fix verifies
        target.write_text(saved, encoding="utf-8")
        return render(text)

    monkeypatch.setattr(fix, "render_html", save_meanwhile)
    return saved.encode()  # their save is kept


def _disk_full(target: Path, monkeypatch: pytest.MonkeyPatch) -> bytes:
    def no_space(*args: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", no_space)  # what fix.write_atomic flushes with
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
    from readme_guard.linter import Options, Run
    from readme_guard.source import decode

    data = b"<!-- TOC -->\n<!-- /TOC -->\n\n### Masked autoencoders\n\n# Papers\n"
    first = fix.fix_source(Run(Options(isolated=True)), decode(data, "README.md"), None)
    second = fix.fix_source(Run(Options(isolated=True)), decode(first.data(), "README.md"), None)
    assert second.text == first.text
    # The deeper heading comes first: it cannot be nested under nothing, so both entries
    # stand at the top (indenting it would make a code block, wider on every run).
    assert first.text.splitlines()[:4] == [
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
            "rules.yaml:3:14: blocks.title.pattern: invalid regex: missing ), unterminated "
            "subpattern at position 1",
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
    from readme_guard.linter import Options, Run

    pattern = r"^\s*(?P<title>.*?)\s*$(?#compiled-once)"  # unique: no earlier cache hit
    (repo / "rules.yaml").write_text(f"blocks:\n  title:\n    pattern: '{pattern}'\n")
    for copy in ("a.md", "b.md", "c.md"):
        shutil.copyfile(PAPER_LIST, repo / copy)
    compile_ = re._compile  # type: ignore[attr-defined]  # what every re function goes through
    seen: list[str] = []

    def counting(source: Any, flags: Any) -> Any:
        if source == pattern:
            seen.append(source)
        return compile_(source, flags)

    monkeypatch.setattr(re, "_compile", counting)
    results = Run(Options()).check(("a.md", "b.md", "c.md"))
    assert len(results) == 3 and all(not r.diagnostics for r in results)
    # Once to validate rules.yaml, once for the block finder: not per file, block or line.
    assert 1 <= len(seen) <= 2


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
