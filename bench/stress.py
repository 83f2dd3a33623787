"""Hostile inputs: `readme-guard check` as a whole process on each, timed against a bound.

Every case is a generated file in a temporary git repository (with `Images/a.png` tracked, so
the path rules have something to resolve). Each run must

* finish under its bound (generous, so it catches a hang or a quadratic blow-up, not noise),
* exit with an expected code: 0 or 1 for Markdown, 2 for what is refused (binary bytes, NUL,
  nesting deeper than the parser follows), and then print exactly one line on stderr,
* never print a traceback or an "internal error".

It prints a table and exits 1 when any case fails. Not a test: the times depend on the machine.

Usage: python bench/stress.py [--only NAME,...] [--scale F] [--keep DIR] [--command check|fix]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
MARKDOWN_OK = frozenset({0, 1})
REFUSED = frozenset({2})
CRASH_MARKERS = ("Traceback (most recent call last)", "internal error")
KILL_AFTER = 3.0  # a run is killed at this many times its bound


@dataclass(frozen=True)
class Case:
    name: str
    what: str
    build: Callable[[float], bytes]  # scale -> file content
    bound: float  # seconds, whole process, at scale 1
    expect: frozenset[int] = MARKDOWN_OK
    command: tuple[str, ...] = ()  # instead of `check` (or --command): e.g. fix --check
    config: Callable[[float], bytes] | None = None  # a rules.yaml given with --config


def _n(count: int, scale: float) -> int:
    return max(1, int(count * scale))


# -- generators -----------------------------------------------------------------------------


def paper_block(i: int, figure: str) -> str:
    """One canonical paper block of the default profile, unique by title and arXiv id."""
    return (
        f"> Paper number {i} on masked autoencoders 🙂 (CVPR {2000 + i % 25})  \n"
        f"> [Paper](https://arxiv.org/abs/24{i % 12 + 1:02d}.{i % 100000:05d}),\n"
        f"> [Code](https://github.com/lab{i % 97}/project{i})\n"
        f"> ![framework]({figure})\n"
        f">> 论文简述：block {i} reconstructs masked patches; 中文描述 and `code` and *emphasis*.\n"
        "\n&nbsp;\n\n"
    )


def big_file(scale: float) -> bytes:
    """~50 MB of paper blocks, a topic heading every 1,000 blocks, and a TOC of the topics."""
    target = int(50_000_000 * scale)
    body: list[str] = []
    size = count = 0
    while size < target:
        if count % 1000 == 0:
            body.append(f"## Topic {count // 1000}\n\n")
        body.append(paper_block(count, f"https://example.org/figures/{count}.png"))
        size += len(body[-1].encode())
        count += 1
    toc = "".join(f"- [Topic {t}](#topic-{t})\n" for t in range((count - 1) // 1000 + 1))
    return f"# Papers\n\n<!-- TOC -->\n{toc}<!-- /TOC -->\n\n{''.join(body)}".encode()


def one_line(scale: float) -> bytes:
    """1 MB on a single line: words, links, emphasis, code spans, inline HTML, URLs, CJK."""
    piece = (
        "word *em* **strong** [link](https://example.com/a) `code` <b>html</b> "
        "https://example.org/x 中文 ![img](Images/a.png) "
    )
    count = _n(1_000_000, scale) // len(piece.encode()) + 1
    return (piece * count).encode() + b"\n"


def headings(scale: float) -> bytes:
    return "".join(f"## Heading number {i}\n\n" for i in range(_n(100_000, scale))).encode()


def same_headings(scale: float) -> bytes:
    return ("## Same heading\n\n" * _n(100_000, scale)).encode()


def same_image(scale: float) -> bytes:
    """The same figure in 100,000 small blocks: duplicate bookkeeping must stay linear."""
    blocks = "".join(
        f"> Paper {i} (CVPR 2024)\n> ![framework](Images/a.png)\n\n"
        for i in range(_n(100_000, scale))
    )
    return f"## Papers\n\n{blocks}".encode()


def image_lines(scale: float) -> bytes:
    """100,000 images in one paragraph: the inline locator's forward search."""
    return ("![fig](Images/a.png)\n" * _n(100_000, scale)).encode()


def reference_links(scale: float) -> bytes:
    """Reference-style links in one paragraph have no `](` to be found at."""
    return ("[Paper][r]\n" * _n(20_000, scale) + "\n[r]: https://example.com/r\n").encode()


def colons(scale: float) -> bytes:
    """`key: value` lines in one paragraph: every `:` may start a GFM autolink."""
    return "".join(f"key{i}: value {i}\n" for i in range(_n(40_000, scale))).encode()


def bare_urls(scale: float) -> bytes:
    return "".join(f"see https://example.com/p/{i}\n" for i in range(_n(100_000, scale))).encode()


def html_images(scale: float) -> bytes:
    return ('<img width="512" src="Images/a.png">\n' * _n(100_000, scale)).encode()


def comments(scale: float) -> bytes:
    return "".join(f"<!-- note {i} -->\n\n" for i in range(_n(30_000, scale))).encode()


def toc_starts(scale: float) -> bytes:
    """TOC start markers that never close."""
    return ("<!-- TOC -->\n\n## Heading\n\n" * _n(10_000, scale)).encode()


def wide_table(scale: float) -> bytes:
    columns = _n(2_000, scale)
    row = "|" + "x|" * columns + "\n"
    return ("|" + "a|" * columns + "\n|" + "-|" * columns + "\n" + row * 100).encode()


def cr_only(scale: float) -> bytes:
    """Old Mac line endings (CR alone), ~1 MB."""
    block = "## Heading\r\r> Title (CVPR 2024)\r> [Paper](https://arxiv.org/abs/1)\r\r"
    return (block * (_n(1_000_000, scale) // len(block))).encode()


def unclosed_fence(scale: float) -> bytes:
    return ("```\n" + "code [a](b) <!-- x --> ## no heading\n" * _n(100_000, scale)).encode()


def binary(scale: float) -> bytes:
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * _n(4_000, scale)


def nul_in_text(scale: float) -> bytes:
    return ("## Papers\n\n" + "> Title (CVPR 2024)\n" * _n(1_000, scale)).encode() + b"\x00\n"


def lazy_fixes(count: int) -> Callable[[float], bytes]:
    """Weekly-log entries with one lazy line each: `fix --check` verifies one edit per entry.
    (Since parser and verifier are both cmark-gfm no real fix is refused; the refusal path is
    bounded by `test_refused_fixes_are_found_region_by_region`, which counts renderings.)"""

    def build(scale: float) -> bytes:
        entries = "".join(
            f"> > [2024-1-{i % 28 + 1}]-[a]-[T{i}]\n> > f\nlazy {i}\n>\n"
            for i in range(_n(count, scale))
        )
        return f"## 2024\n\n{entries}".encode()

    return build


BACKTRACKING = "(a+)+$"  # minutes per line for a backtracking engine on `a` * 40 + `!`


def backtracking_lines(scale: float) -> bytes:
    line = "a" * 40 + "!"
    return "".join(
        f"## {line}\n\n> {line}\n> [{line}]({line})\n\n" for _ in range(_n(1_000, scale))
    ).encode()


def backtracking_config(scale: float) -> bytes:
    quoted = f"'{BACKTRACKING}'"
    return (
        f"blocks:\n  start: {quoted}\n  skip: [{quoted}]\n  title:\n    pattern: {quoted}\n"
        f"  links:\n    label_pattern: {quoted}\n  description:\n    pattern: {quoted}\n"
        f"toc:\n  insert_after: {quoted}\n"
    ).encode()


def alias_bomb(scale: float) -> bytes:
    """One 100 KB scalar aliased 60,000 times (340 KB): gigabytes once expanded."""
    aliases = "".join("  - *x\n" for _ in range(_n(60_000, scale)))
    return f"placeholders_note: &x {'x' * _n(100_000, scale)}\nextra:\n{aliases}".encode()


def scalar_aliases(scale: float) -> bytes:
    """Many aliases of a small scalar in a small file: each one a copy once loaded."""
    return ("a: &x " + "x" * 1000 + "\n" + "".join(f"k{i}: *x\n" for i in range(200))).encode()


def deep_config(scale: float) -> bytes:
    """5,000 levels of flow nesting: the YAML composer recurses once per level."""
    depth = _n(5_000, scale)
    return ("files: " + "[" * depth + "]" * depth + "\n").encode()


def small_markdown(scale: float) -> bytes:
    return b"## Papers\n\n> A title (CVPR 2024)\n> [Paper](https://arxiv.org/abs/1)\n"


CASES = (
    Case(
        "quote-10k",
        "10,000-deep `>` nesting",
        lambda s: b">" * _n(10_000, s) + b" deep\n",
        5,
        REFUSED,
    ),
    Case("brackets-100k", "100,000 `[`", lambda s: b"[" * _n(100_000, s) + b"\n", 20),
    Case(
        "stars-50k",
        "50,000 `*`: 25,000 openers, then 25,000 closers",
        lambda s: b"*a " * _n(25_000, s) + b"a* " * _n(25_000, s) + b"\n",
        10,
    ),
    Case(
        "lists-10k",
        "10,000 nested list levels",
        lambda s: b"- " * _n(10_000, s) + b"x\n",
        5,
        REFUSED,
    ),
    Case("big-50mb", "50 MB of paper blocks with headings and a TOC", big_file, 300),
    Case("line-1mb", "1 MB on a single line", one_line, 20),
    Case("headings-100k", "100,000 different headings", headings, 30),
    Case("same-headings-100k", "100,000 identical headings (slug numbering)", same_headings, 30),
    Case("same-image-100k", "100,000 blocks with the same image", same_image, 60),
    Case("image-lines-100k", "100,000 images in one paragraph", image_lines, 30),
    Case("reflinks-20k", "20,000 reference links in one paragraph", reference_links, 10),
    Case("colons-40k", "40,000 `key: value` lines in one paragraph", colons, 10),
    Case("urls-100k", "100,000 bare URLs in one paragraph", bare_urls, 45),
    Case("html-img-100k", "100,000 `<img src>` in one HTML block", html_images, 30),
    Case("comments-30k", "30,000 HTML comments", comments, 15),
    Case("toc-open-10k", "10,000 TOC start markers, none closed", toc_starts, 15),
    Case("table-2000-cols", "a table of 2,000 columns and 100 rows", wide_table, 30),
    Case("cr-1mb", "1 MB with CR-only line endings", cr_only, 20),
    Case("fence-100k", "an unclosed fence over 100,000 lines", unclosed_fence, 15),
    Case("binary", "PNG bytes named .md", binary, 5, REFUSED),
    Case("nul", "Markdown with one NUL byte", nul_in_text, 5, REFUSED),
    Case(
        "lazy-fixes-1k",
        "`fix --check`, 1,000 entries with one lazy-line fix each",
        lazy_fixes(1_000),
        10,
        command=("fix", "--check", "--profile", "weekly"),
    ),
    Case(
        "lazy-fixes-8k",
        "`fix --check`, 8,000 entries with one lazy-line fix each",
        lazy_fixes(8_000),
        60,
        command=("fix", "--check", "--profile", "weekly"),
    ),
    Case(
        "regex-backtracking",
        f"`{BACKTRACKING}` as every rules.yaml regex, 1,000 lines of 40 `a` and `!`",
        backtracking_lines,
        15,
        config=backtracking_config,
    ),
    Case(
        "yaml-alias-bomb",
        "rules.yaml: a 100 KB scalar aliased 60,000 times",
        small_markdown,
        5,
        REFUSED,
        config=alias_bomb,
    ),
    Case(
        "yaml-scalar-aliases",
        "rules.yaml: 200 aliases of a 1 KB scalar",
        small_markdown,
        5,
        REFUSED,
        config=scalar_aliases,
    ),
    Case(
        "yaml-depth-5000",
        "rules.yaml: 5,000 levels of nesting",
        small_markdown,
        5,
        REFUSED,
        config=deep_config,
    ),
)


# -- running --------------------------------------------------------------------------------


@dataclass
class Outcome:
    case: Case
    size: int
    seconds: float
    peak_mb: float
    exit_code: int | None  # None: killed
    stderr: str
    stdout_bytes: int
    problems: list[str]


def make_repo(folder: Path) -> None:
    """A git repository with one tracked image, so path rules resolve something."""
    (folder / "Images").mkdir()
    (folder / "Images" / "a.png").write_bytes(b"\x89PNG\r\n")
    for args in (("init", "-q"), ("add", "Images"), ("commit", "-q", "-m", "image")):
        subprocess.run(
            ["git", "-c", "user.name=stress", "-c", "user.email=stress@example.invalid", *args],
            cwd=folder,
            check=True,
            capture_output=True,
        )


def environment() -> dict[str, str]:
    env = dict(os.environ)
    source = str(REPO_DIR / "src")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (source, env.get("PYTHONPATH")) if p)
    env.pop("READMEGUARD_DEBUG", None)  # a crash must show as what users see
    env["NO_COLOR"] = "1"
    return env


def scaled(bound: float, scale: float) -> float:
    """The bound for a scaled-down run: at least a second, for the interpreter's start-up."""
    return max(1.0, bound * scale)


def write_inputs(cases: list[Case], folder: Path, scale: float) -> None:
    """Write every case's file. Run in a process of its own: a child forked from a parent
    that held 50 MB of text would count those pages in its own peak RSS."""
    names = ",".join(c.name for c in cases)
    script = [sys.executable, __file__, "--write-inputs", "--only", names, "--scale", str(scale)]
    subprocess.run([*script, "--keep", str(folder)], check=True)


def tail(path: Path, size: int = 4096) -> str:
    """The end of a report, where a crash would show, without holding it all: a child spawned
    later counts this process's peak memory in its own."""
    with path.open("rb") as stream:
        stream.seek(max(0, path.stat().st_size - size))
        return stream.read().decode("utf-8", "replace")


def run_case(case: Case, folder: Path, scale: float, command: str) -> Outcome:
    target = folder / f"{case.name}.md"
    argv = [sys.executable, "-m", "readme_guard"]
    if case.command:
        argv += case.command
    else:
        argv += [command, "--diff"] if command == "fix" else [command]
    if case.config is not None:
        argv += ["--config", f"{case.name}.yaml"]
    argv.append(target.name)
    bound = scaled(case.bound, scale)
    out_path, err_path = folder / f"{case.name}.out", folder / f"{case.name}.err"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        start = time.perf_counter()
        process = subprocess.Popen(argv, cwd=folder, stdout=out, stderr=err, env=environment())
        killer = threading.Timer(bound * KILL_AFTER, process.kill)
        killer.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        killer.cancel()
    process.returncode = os.waitstatus_to_exitcode(status)
    killed = process.returncode < 0
    stderr = err_path.read_text("utf-8", "replace")
    stdout_tail = tail(out_path)
    problems = []
    if killed:
        problems.append(f"killed after {seconds:.0f} s")
    elif process.returncode not in case.expect:
        problems.append(f"exit {process.returncode}, expected {sorted(case.expect)}")
    if seconds > bound:
        problems.append(f"over the {bound:g} s bound")
    crash = [m for m in CRASH_MARKERS if m in stderr or m in stdout_tail]
    if crash:
        problems.append(f"printed {crash[0]!r}")
    if process.returncode == 2 and len(stderr.strip().splitlines()) != 1:
        problems.append(f"{len(stderr.strip().splitlines())} lines on stderr, expected 1")
    return Outcome(
        case=case,
        size=target.stat().st_size,
        seconds=seconds,
        peak_mb=usage.ru_maxrss / 1024,  # kilobytes on Linux
        exit_code=None if killed else process.returncode,
        stderr=stderr.strip(),
        stdout_bytes=out_path.stat().st_size,
        problems=problems,
    )


def human_size(size: int) -> str:
    if size < 1000:
        return f"{size} B"
    return f"{size / 1e3:.1f} KB" if size < 1_000_000 else f"{size / 1e6:.1f} MB"


def table(outcomes: list[Outcome], scale: float) -> str:
    lines = [
        "| case | input | size | exit | time (s) | bound (s) | peak RSS (MB) | result |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for o in outcomes:
        exit_code = "killed" if o.exit_code is None else str(o.exit_code)
        verdict = "; ".join(o.problems) or "ok"
        bound = scaled(o.case.bound, scale)
        lines.append(
            f"| {o.case.name} | {o.case.what} | {human_size(o.size)} | {exit_code} | "
            f"{o.seconds:.2f} | {bound:g} | {o.peak_mb:.0f} | {verdict} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help="comma-separated case names")
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="multiply every input size (and bound) by this, for a quick run",
    )
    parser.add_argument("--keep", type=Path, help="write the inputs and outputs here and keep them")
    parser.add_argument(
        "--command",
        choices=("check", "fix"),
        default="check",
        help="fix runs `fix --diff` (writes nothing)",
    )
    parser.add_argument("--write-inputs", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    chosen = [c for c in CASES if not args.only or c.name in args.only.split(",")]
    if not chosen:
        parser.error(f"no such case; known: {', '.join(c.name for c in CASES)}")
    if args.write_inputs:
        for case in chosen:
            (args.keep / f"{case.name}.md").write_bytes(case.build(args.scale))
            if case.config is not None:
                (args.keep / f"{case.name}.yaml").write_bytes(case.config(args.scale))
        return 0
    with tempfile.TemporaryDirectory(prefix="rg-stress-") as temporary:
        folder = args.keep or Path(temporary)
        folder.mkdir(parents=True, exist_ok=True)
        if not (folder / ".git").exists():
            make_repo(folder)
        write_inputs(chosen, folder, args.scale)
        outcomes = []
        for case in chosen:
            outcome = run_case(case, folder, args.scale, args.command)
            outcomes.append(outcome)
            note = f" [{outcome.stderr.splitlines()[0][:100]}]" if outcome.stderr else ""
            print(
                f"{case.name:<20} {outcome.seconds:7.2f} s  exit {outcome.exit_code}  "
                f"{'; '.join(outcome.problems) or 'ok'}{note}",
                file=sys.stderr,
                flush=True,
            )
    print(table(outcomes, args.scale))
    failed = [o.case.name for o in outcomes if o.problems]
    if failed:
        print(f"\n{len(failed)} of {len(outcomes)} cases failed: {', '.join(failed)}")
        return 1
    print(f"\nAll {len(outcomes)} cases within their bounds.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
