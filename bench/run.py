"""Time readme-guard and its peers as whole processes and write docs/benchmarks.md.

Every number is one complete process (interpreter start-up included), as a user or a
pre-commit hook sees it: wall clock via time.perf_counter, peak RSS via GNU time's %M
(wait4's rusage where GNU time is missing).

Usage: python bench/run.py [--runs N] [--only report,weekly,big] [--no-peers] [--out FILE]
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import functools
import json
import os
import platform
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import IO

import make_inputs  # bench/ is sys.path[0] when this file is run as a script

BENCH_DIR = make_inputs.BENCH_DIR
REPO_DIR = make_inputs.REPO_DIR
OUT_DIR = make_inputs.OUT_DIR
DEFAULT_DOC = REPO_DIR / "docs" / "benchmarks.md"
LOCAL_MARKDOWNLINT = BENCH_DIR / "node" / "node_modules" / ".bin" / "markdownlint-cli2"

DEFAULT_RUNS = 7
# Faster commands get one untimed warm-up run first (page cache, __pycache__).
WARMUP_BELOW_S = 2.0
# A slow peer (tens of seconds a run) stops repeating once it has used this much time.
DEFAULT_BUDGET_S = 150.0
# pymarkdown needs over 17 minutes on the 3.7 MB input; a timeout row still says "> 300 s".
DEFAULT_TIMEOUT_S = 300.0
LINT_OK = frozenset({0, 1})  # every linter here exits 1 when it finds problems
EXIT_OK = frozenset({0})
# Exit 1 is a lint result, so a crash has to be recognised from what it prints.
CRASH_MARKERS = ("Traceback (most recent call last)", "No module named")
STDERR_KEEP = 16_384
FIX_MAX_BYTES = 1_000_000  # `fix --check` is timed against mdformat on report and weekly
# Double quotes inside, so the command shown in the report needs no escaping.
MDIT_SCRIPT = (
    'import sys; from markdown_it import MarkdownIt; MarkdownIt("commonmark")'
    '.enable("table").enable("strikethrough").parse(open(sys.argv[1], encoding="utf-8").read())'
)

GUARD = "readme-guard check"
GUARD_FIX = "readme-guard fix --check"
MDIT = "markdown-it-py parse"
MARKDOWNLINT = "markdownlint-cli2"
PYMARKDOWN = "pymarkdown scan"
MDFORMAT = "mdformat --check"
PY_PASS = 'python -c "pass"'
PY_CLICK = 'python -c "import click"'
GUARD_VERSION = "readme-guard --version"
GUARD_HELP = "readme-guard --help"


@dataclass(frozen=True)
class Command:
    """One process to time: a row label, its argv, its working folder and good exit codes."""

    label: str
    argv: tuple[str, ...]
    cwd: Path
    ok_codes: frozenset[int]

    def shown(self) -> str:
        """A shell line runnable from the repo root, with repo paths made relative."""
        args = (
            os.path.relpath(arg, self.cwd) if arg.startswith(f"{REPO_DIR}/") else arg
            for arg in self.argv
        )
        return f"(cd {relative(str(self.cwd))} && {shlex.join(args)})"


@dataclass(frozen=True)
class Sample:
    seconds: float
    peak_rss_kib: int
    exit_code: int
    stderr: str
    timed_out: bool


@dataclass(frozen=True)
class Measurement:
    label: str
    input_key: str | None  # None: the row does not depend on an input file
    command: Command | None
    samples: tuple[Sample, ...]
    status: str  # ok | error | timeout | not installed
    note: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "ok" and bool(self.samples)

    @property
    def median_s(self) -> float:
        return statistics.median(s.seconds for s in self.samples)

    @property
    def peak_mb(self) -> float:
        return max(s.peak_rss_kib for s in self.samples) * 1024 / 1e6


@dataclass(frozen=True)
class Tools:
    """Resolved executables; None marks a peer that is not installed."""

    guard: tuple[str, ...]
    markdownlint: tuple[str, ...] | None
    pymarkdown: tuple[str, ...] | None
    mdformat: tuple[str, ...] | None


@dataclass(frozen=True)
class Target:
    name: str
    value: float | None
    limit: float
    limit_text: str
    unit: str = ""
    strict: bool = False  # "<" rather than "<="
    digits: int = 3

    def verdict(self) -> str:
        if self.value is None:
            return "n/a"
        met = self.value < self.limit if self.strict else self.value <= self.limit
        return "met" if met else "not met"


@dataclass(frozen=True)
class Settings:
    runs: int
    budget_s: float
    timeout_s: float


# --- finding the tools ---


def relative(text: str) -> str:
    return text.replace(f"{REPO_DIR}/", "") if text.startswith(f"{REPO_DIR}/") else text


def find_script(name: str) -> str | None:
    """Prefer the running interpreter's scripts folder: pyenv-style shims on PATH are bash
    wrappers that would add their own start-up to every number."""
    candidate = Path(sysconfig.get_path("scripts")) / name
    if candidate.is_file() and os.access(candidate, os.X_OK):
        return str(candidate)
    return shutil.which(name)


def npx_has(package: str) -> bool:
    """True when npx can run the package without installing it (no network, no prompt)."""
    if shutil.which("npx") is None:
        return False
    probe = ["npx", "--no", package, "--help"]
    try:
        done = subprocess.run(probe, stdin=subprocess.DEVNULL, capture_output=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def find_markdownlint() -> tuple[str, ...] | None:
    if LOCAL_MARKDOWNLINT.is_file():
        return (str(LOCAL_MARKDOWNLINT),)
    on_path = shutil.which("markdownlint-cli2")
    if on_path is not None:
        return (on_path,)
    return ("npx", "--no", "markdownlint-cli2") if npx_has("markdownlint-cli2") else None


def find_tools(with_peers: bool) -> Tools:
    guard = find_script("readme-guard")
    pymarkdown = find_script("pymarkdown") if with_peers else None
    mdformat = find_script("mdformat") if with_peers else None
    return Tools(
        guard=(guard,) if guard else (sys.executable, "-m", "readme_guard"),
        markdownlint=find_markdownlint() if with_peers else None,
        pymarkdown=(pymarkdown,) if pymarkdown else None,
        mdformat=(mdformat,) if mdformat else None,
    )


# --- commands ---


def baseline_commands(tools: Tools) -> list[Command]:
    """Rows that do not read an input: interpreter and CLI start-up costs."""
    py = sys.executable
    return [
        Command(PY_PASS, (py, "-c", "pass"), OUT_DIR, EXIT_OK),
        Command(PY_CLICK, (py, "-c", "import click"), OUT_DIR, EXIT_OK),
        Command(GUARD_VERSION, (*tools.guard, "--version"), OUT_DIR, EXIT_OK),
        Command(GUARD_HELP, (*tools.guard, "--help"), OUT_DIR, EXIT_OK),
    ]


def input_commands(tools: Tools, path: Path, with_peers: bool) -> list[tuple[str, Command | None]]:
    """Rows for one input; each runs in the input's folder so its rules.yaml is found."""
    name, cwd = path.name, path.parent
    rows: list[tuple[str, Command | None]] = [
        (GUARD, Command(GUARD, (*tools.guard, "check", name), cwd, LINT_OK)),
        (MDIT, Command(MDIT, (sys.executable, "-c", MDIT_SCRIPT, name), cwd, EXIT_OK)),
    ]
    if path.stat().st_size < FIX_MAX_BYTES:  # `fix --check` writes nothing: runs repeat alike
        rows.append(
            (GUARD_FIX, Command(GUARD_FIX, (*tools.guard, "fix", "--check", name), cwd, LINT_OK))
        )
    if not with_peers:
        return rows
    peers = (
        (MARKDOWNLINT, tools.markdownlint, ()),
        (PYMARKDOWN, tools.pymarkdown, ("scan",)),
        (MDFORMAT, tools.mdformat, ("--check",)),
    )
    for label, prefix, args in peers:
        command = Command(label, (*prefix, *args, name), cwd, LINT_OK) if prefix else None
        rows.append((label, command))
    return rows


# --- running and timing ---


def read_ends(stream: IO[bytes]) -> str:
    """Head and tail of stderr: the first line names most failures, a traceback ends with it."""
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    head = stream.read(STDERR_KEEP)
    tail = b""
    if size > 2 * STDERR_KEEP:
        stream.seek(size - STDERR_KEEP)
        tail = b"\n" + stream.read()
    elif size > STDERR_KEEP:
        tail = stream.read()
    return (head + tail).decode("utf-8", errors="replace")


def kill_on_timeout(proc: subprocess.Popen[bytes], fired: threading.Event) -> None:
    """npx and wrapper scripts spawn children; killing the session takes them all."""
    fired.set()
    with contextlib.suppress(ProcessLookupError):  # it may have just exited by itself
        os.killpg(proc.pid, signal.SIGKILL)


@functools.cache
def gnu_time() -> str | None:
    """GNU time's %M, when it is there: wait4 from this process would also count the
    pages the child shared with this ~25 MB interpreter before it exec'd."""
    path = "/usr/bin/time" if Path("/usr/bin/time").is_file() else shutil.which("time")
    if path is None:
        return None
    try:
        done = subprocess.run((path, "--version"), capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return path if "GNU" in done.stdout + done.stderr else None


def rss_method() -> str:
    if gnu_time():
        return "GNU `/usr/bin/time -f %M` wrapped around the command (its own ~2 MB aside)"
    return "`ru_maxrss` from `os.wait4` (includes the pages shared with the runner before exec)"


def spawn_and_wait(argv: Sequence[str], cwd: Path, err: IO[bytes], timeout_s: float) -> Sample:
    """Run one process to the end, killing its whole session when it overruns."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=err,
        start_new_session=True,
    )
    fired = threading.Event()
    timer = threading.Timer(timeout_s, kill_on_timeout, args=(proc, fired))
    timer.start()
    try:
        _, status, usage = os.wait4(proc.pid, 0)
    finally:
        timer.cancel()
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)  # already reaped: tell Popen
    # Linux reports ru_maxrss in KiB, macOS in bytes.
    rss_kib = usage.ru_maxrss // 1024 if sys.platform == "darwin" else usage.ru_maxrss
    return Sample(seconds, rss_kib, proc.returncode, read_ends(err), fired.is_set())


def read_time_rss(path: Path) -> int | None:
    """GNU time writes '%M' as its last line (after any 'Command exited ...' line)."""
    try:
        lines = path.read_text(encoding="utf-8").split()
    except OSError:
        return None
    return int(lines[-1]) if lines and lines[-1].isdigit() else None


def run_once(command: Command, timeout_s: float) -> Sample:
    with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryFile() as err:
        rss_file = Path(tmp) / "rss"
        gnu = gnu_time()
        argv = (gnu, "-f", "%M", "-o", str(rss_file), *command.argv) if gnu else command.argv
        sample = spawn_and_wait(argv, command.cwd, err, timeout_s)
        rss = read_time_rss(rss_file) if gnu else None
    return sample if rss is None else dataclasses.replace(sample, peak_rss_kib=rss)


def summary_line(stderr: str) -> str:
    """First stderr line, or for a traceback its last line (the exception itself)."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    if not lines:
        return "(no stderr)"
    line = lines[-1] if lines[0].startswith("Traceback") else lines[0]
    return line[:160]


def failure(sample: Sample, command: Command, timeout_s: float) -> tuple[str, str] | None:
    if sample.timed_out:
        return "timeout", f"killed after {timeout_s:.0f} s"
    crashed = any(marker in sample.stderr for marker in CRASH_MARKERS)
    if sample.exit_code not in command.ok_codes or crashed:
        return "error", f"exit {sample.exit_code}: {summary_line(sample.stderr)}"
    return None


def measure(command: Command, input_key: str | None, settings: Settings) -> Measurement:
    """Median-of-N timing; stops at the first failure, and early for very slow commands."""
    first = run_once(command, settings.timeout_s)
    samples: list[Sample] = [] if first.seconds < WARMUP_BELOW_S else [first]
    spent = first.seconds
    problem = failure(first, command, settings.timeout_s)
    while (
        problem is None
        and len(samples) < settings.runs
        and (spent < settings.budget_s or not samples)
    ):
        sample = run_once(command, settings.timeout_s)
        problem = failure(sample, command, settings.timeout_s)
        if problem is None:
            samples.append(sample)
        spent += sample.seconds
    if problem is not None:
        return Measurement(command.label, input_key, command, (), problem[0], problem[1])
    return Measurement(command.label, input_key, command, tuple(samples), "ok")


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run_all(
    tools: Tools, inputs: dict[str, Path], with_peers: bool, settings: Settings
) -> list[Measurement]:
    jobs: list[tuple[str, str | None, Command | None]] = [
        (c.label, None, c) for c in baseline_commands(tools)
    ]
    for key, path in inputs.items():
        jobs += [(label, key, cmd) for label, cmd in input_commands(tools, path, with_peers)]
    results: list[Measurement] = []
    for index, (label, key, command) in enumerate(jobs, start=1):
        where = f" on {key}" if key else ""
        if command is None:
            results.append(Measurement(label, key, None, (), "not installed"))
            progress(f"[{index}/{len(jobs)}] {label}{where}: not installed")
            continue
        result = measure(command, key, settings)
        shown = f"{result.median_s:.3f} s" if result.ok else f"{result.status} {result.note}"
        progress(f"[{index}/{len(jobs)}] {label}{where}: {shown}")
        results.append(result)
    return results


# --- inputs, versions and machine facts ---


def load_inputs(only: Sequence[str]) -> tuple[dict[str, Path], dict[str, dict[str, object]]]:
    """Use bench/out as make_inputs.py left it, creating it with defaults when missing."""
    manifest_path = OUT_DIR / make_inputs.MANIFEST_NAME
    if manifest_path.is_file():
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    else:
        progress("bench/out is empty: running make_inputs.py with its defaults")
        manifest = make_inputs.write_inputs(
            OUT_DIR,
            make_inputs.EXAMPLE_README,
            make_inputs.DEFAULT_CORPUS,
            make_inputs.DEFAULT_SEED,
        )
    paths = {key: OUT_DIR / str(manifest[key]["path"]) for key in only}
    missing = [str(p) for p in paths.values() if not p.is_file()]
    if missing:
        raise SystemExit(f"missing inputs {missing}: run python bench/make_inputs.py")
    return paths, manifest


def first_line(argv: Sequence[str]) -> str:
    try:
        done = subprocess.run(
            argv, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"unavailable ({exc.__class__.__name__})"
    for line in (done.stdout + "\n" + done.stderr).splitlines():
        if line.strip():
            return line.strip()[:160]
    return f"unknown (exit {done.returncode})"


def package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def tool_versions(tools: Tools) -> dict[str, str]:
    versions = {
        "python": sys.version.split()[0] + f" ({sys.executable})",
        "readme-guard": first_line((*tools.guard, "--version")),
        "markdown-it-py": package_version("markdown-it-py"),
        "click": package_version("click"),
    }
    optional: tuple[tuple[str, tuple[str, ...] | None, tuple[str, ...]], ...] = (
        ("markdownlint-cli2", tools.markdownlint, ("--help",)),
        ("node", ("node",) if tools.markdownlint else None, ("--version",)),
        ("pymarkdown", tools.pymarkdown, ("version",)),
        ("mdformat", tools.mdformat, ("--version",)),
    )
    for name, prefix, args in optional:
        versions[name] = first_line((*prefix, *args)) if prefix else "not installed"
    return versions


def proc_field(path: str, key: str) -> str:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError:
        return "unknown"
    for line in text.splitlines():
        if line.startswith(key):
            return line.split(":", 1)[1].strip()
    return "unknown"


def load_average() -> str:
    """Other work on the machine inflates every number; the report says how busy it was."""
    try:
        return " / ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "unknown"


def machine_facts(load_before: str, load_after: str) -> dict[str, str]:
    uname = first_line(("uname", "-a")) if shutil.which("uname") else " ".join(platform.uname())
    return {
        "uname -a": uname,
        "cpu": proc_field("/proc/cpuinfo", "model name"),
        "cores": str(os.cpu_count()),
        "memory": proc_field("/proc/meminfo", "MemTotal"),
        "python": sys.version.replace("\n", " "),
        "load average 1/5/15 min, before run": load_before,
        "load average 1/5/15 min, after run": load_after,
    }


# --- targets ---


def lookup(results: Sequence[Measurement]) -> Callable[[str, str | None], Measurement | None]:
    table = {(m.label, m.input_key): m for m in results}

    def get(label: str, key: str | None) -> Measurement | None:
        found = table.get((label, key))
        return found if found is not None and found.ok else None

    return get


def ratio(top: Measurement | None, bottom: Measurement | None) -> float | None:
    return None if top is None or bottom is None else top.median_s / bottom.median_s


def linearity(
    small: Measurement | None, large: Measurement | None, sizes: dict[str, int]
) -> float | None:
    """Time growth over size growth: 1.0 is linear; start-up cost pushes it below 1."""
    time_growth = ratio(large, small)
    if time_growth is None or not sizes.get("weekly") or not sizes.get("big"):
        return None
    return time_growth / (sizes["big"] / sizes["weekly"])


def targets(results: Sequence[Measurement], sizes: dict[str, int]) -> list[Target]:
    get = lookup(results)
    big_guard = get(GUARD, "big")
    click = get(PY_CLICK, None)
    return [
        Target(
            "check(report) / markdownlint-cli2(report)",
            ratio(get(GUARD, "report"), get(MARKDOWNLINT, "report")),
            0.25,
            "≤ 0.25",
        ),
        Target(
            "check(big) / markdownlint-cli2(big)",
            ratio(big_guard, get(MARKDOWNLINT, "big")),
            0.10,
            "≤ 0.10",
        ),
        Target(
            "check(big) / markdown-it-py parse(big)",
            ratio(big_guard, get(MDIT, "big")),
            1.0,
            "≤ 1.0",
        ),
        Target(
            "fix --check(weekly) / mdformat --check(weekly)",
            ratio(get(GUARD_FIX, "weekly"), get(MDFORMAT, "weekly")),
            1.0,
            "≤ 1.0",
        ),
        Target(
            "peak RSS of check(big)",
            big_guard.peak_mb if big_guard else None,
            100,
            "< 100",
            " MB",
            strict=True,
            digits=1,
        ),
        Target(
            "linearity (t_big/t_weekly) / (size_big/size_weekly)",
            linearity(get(GUARD, "weekly"), big_guard, sizes),
            1.3,
            "≤ 1.3",
        ),
        Target(
            "--version / python -c 'import click'",
            ratio(get(GUARD_VERSION, None), click),
            1.5,
            "≤ 1.5",
        ),
        Target(
            "--help / python -c 'import click'", ratio(get(GUARD_HELP, None), click), 1.5, "≤ 1.5"
        ),
    ]


# --- rendering ---


def cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def results_table(results: Sequence[Measurement], sizes: dict[str, int]) -> str:
    rows = [
        "| Input | Size | Command | Median s | Min s | Max s | Peak RSS MB | Runs | Status |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for m in results:
        key = m.input_key or "-"
        size = f"{sizes[m.input_key]:,} B" if m.input_key in sizes else "-"
        if m.ok:
            secs = [s.seconds for s in m.samples]
            numbers = f"{m.median_s:.3f} | {min(secs):.3f} | {max(secs):.3f} | {m.peak_mb:.1f}"
            status = "ok"
        else:
            numbers = "- | - | - | -"
            status = cell(f"{m.status}: {m.note}" if m.note else m.status)
        rows.append(f"| {key} | {size} | {m.label} | {numbers} | {len(m.samples)} | {status} |")
    return "\n".join(rows)


def targets_table(items: Sequence[Target]) -> str:
    rows = ["| Target | Measured | Limit | Result |", "| --- | ---: | ---: | --- |"]
    for t in items:
        measured = "-" if t.value is None else f"{t.value:.{t.digits}f}{t.unit}"
        rows.append(f"| {cell(t.name)} | {measured} | {t.limit_text}{t.unit} | {t.verdict()} |")
    return "\n".join(rows)


def key_value_table(title: str, pairs: dict[str, str]) -> str:
    rows = [f"| {title} | |", "| --- | --- |"]
    rows += [f"| {cell(k)} | {cell(v)} |" for k, v in pairs.items()]
    return "\n".join(rows)


def inputs_table(manifest: dict[str, dict[str, object]], keys: Sequence[str]) -> str:
    rows = ["| Input | File | Bytes | Source |", "| --- | --- | ---: | --- |"]
    for key in keys:
        entry = manifest[key]
        rows.append(
            f"| {key} | bench/out/{entry['path']} | {entry['bytes']:,} | {entry['source']} |"
        )
    return "\n".join(rows)


def commands_block(results: Sequence[Measurement]) -> str:
    lines = [m.command.shown() for m in results if m.command is not None]
    return "```sh\n" + "\n".join(dict.fromkeys(lines)) + "\n```"


METHOD = """\
- Each number is one whole process, start-up included, run with stdout to /dev/null.
- Wall clock: `time.perf_counter()` around spawn and `os.wait4`; the median of the runs is
  the headline, min and max show the spread.
- Peak RSS: {rss}, children included; the largest over the runs, in MB (10^6 bytes).
- Commands faster than {warmup} s get one untimed warm-up run first. A command stops
  repeating once it has used {budget:.0f} s, so slow peers may show fewer runs.
- readme-guard caches the validated rules.yaml under ~/.cache/readme-guard; the warm-up
  fills it, so timed runs are warm, like every run after a user's first. Run with
  READMEGUARD_NO_CACHE=1 in the environment to time cold runs.
- Exit 0 and 1 both count as success for linters (1 = problems found); any other exit
  code, or a Python traceback on stderr, is reported as an error with its stderr line.
- Linearity divides the time growth from weekly to big by their size growth; fixed
  start-up cost pulls it below 1, super-linear work pushes it above."""


NOTES = Path(__file__).with_name("notes.md")


def render_doc(
    command_line: str,
    machine: dict[str, str],
    versions: dict[str, str],
    manifest: dict[str, dict[str, object]],
    results: Sequence[Measurement],
    settings: Settings,
) -> str:
    keys = [k for k in manifest if any(m.input_key == k for m in results)]
    sizes = {k: int(str(manifest[k]["bytes"])) for k in keys}
    today = dt.date.today().isoformat()
    method = METHOD.format(warmup=WARMUP_BELOW_S, budget=settings.budget_s, rss=rss_method())
    sections = [
        "# Benchmarks",
        f"Measured on {today} with `{command_line}` (see bench/README.md).",
        "## Machine\n\n" + key_value_table("Fact", machine),
        "## Tool versions\n\n" + key_value_table("Tool", versions),
        "## Inputs\n\n" + inputs_table(manifest, keys),
        "## Commands\n\n" + commands_block(results),
        "## Results\n\n" + results_table(results, sizes),
        "## Targets\n\n" + targets_table(targets(results, sizes)),
        "## Method\n\n" + method,
    ]
    if NOTES.is_file():  # the analysis of unmet targets, kept by hand beside this script
        sections.append(NOTES.read_text(encoding="utf-8").strip())
    return "\n\n".join(sections) + "\n"


# --- entry point ---


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=DEFAULT_RUNS, help="timed runs per command")
    parser.add_argument("--only", default="report,weekly,big", help="comma list of inputs")
    parser.add_argument("--no-peers", action="store_true", help="skip markdownlint-cli2 etc.")
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help=f"report file (default {relative(str(DEFAULT_DOC))}, written only when "
        "readme-guard check ran)",
    )
    parser.add_argument("--budget", type=float, default=DEFAULT_BUDGET_S, help="seconds/command")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT_S, help="seconds/run")
    args = parser.parse_args(argv)
    valid = [spec.key for spec in make_inputs.INPUTS]
    args.only = [key.strip() for key in args.only.split(",") if key.strip()]
    unknown = sorted(set(args.only) - set(valid))
    if unknown or args.runs < 1:
        parser.error(f"--only takes {','.join(valid)}; --runs must be >= 1 (got {unknown})")
    return args


def should_write(out: Path | None, results: Sequence[Measurement]) -> Path | None:
    """Without --out, docs/benchmarks.md only gets real readme-guard numbers."""
    if out is not None:
        return out
    ran = any(m.label == GUARD and m.ok for m in results)
    return DEFAULT_DOC if ran else None


def compile_package() -> None:
    """Byte-compile readme-guard as `pip install` does for the peers: an editable install
    under PYTHONDONTWRITEBYTECODE=1 (this sandbox sets it) would compile every module on
    every run, ~150 ms that no installed user pays."""
    import readme_guard

    folder = Path(readme_guard.__file__).parent
    subprocess.run((sys.executable, "-m", "compileall", "-q", str(folder)), check=True)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    settings = Settings(args.runs, args.budget, args.timeout)
    paths, manifest = load_inputs(args.only)
    tools = find_tools(with_peers=not args.no_peers)
    compile_package()
    load_before = load_average()
    results = run_all(tools, paths, not args.no_peers, settings)
    load_after = load_average()
    sizes = {key: int(str(manifest[key]["bytes"])) for key in paths}
    print(results_table(results, sizes) + "\n\n" + targets_table(targets(results, sizes)))
    out = should_write(args.out, results)
    if out is None:
        progress("readme-guard check did not run: docs/benchmarks.md left untouched")
        return 0
    command_line = shlex.join(["python", "bench/run.py", *(argv or sys.argv[1:])])
    doc = render_doc(
        command_line,
        machine_facts(load_before, load_after),
        tool_versions(tools),
        manifest,
        results,
        settings,
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(doc, encoding="utf-8")
    progress(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
