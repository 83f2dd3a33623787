"""RE2 (google-re2) against Python's `re` for the regexes of rules.yaml.

Measures, in fresh processes, what `import re2` adds to start-up, then the cost per call
of compiling and searching the shipped profiles' patterns on lines shaped like the corpus
(one search per line is what the block finder does), and the backtracking case that made
RE2 necessary. Not a test: the times depend on the machine.

Usage: python bench/regex.py [--lines N]
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import time

import re2  # type: ignore[import-not-found]

PATTERNS = {
    "title (default)": r"^\s*(?P<title>.*?)\s*$",
    "label (default)": r"^[A-Za-z][A-Za-z0-9 ._-]{0,19}$",
    "skip (default)": r"^\s*(相关链接|一些参考链接|参考链接)",
    "start (weekly)": r"^\s*\[\d{4}[-./]\d{1,2}[-./]\d{1,2}\]",
    "description (weekly)": r"^\s*论文简[述介评]\s*[:：]?\s*",
}
LINES = [
    "Siamese Masked Autoencoders (NeurIPS 2023 Oral)",
    "[2024-12-29]-[陈银]-[Multi-Level Prompts for Vision-Language Emotion Recognition](x)",
    "论文简述：提出了一个名为MLPER的情感识别模型，建立基于面部表情的多级提示。",
    "Paper",
]


def import_cost(module: str, runs: int = 9) -> float:
    """Median milliseconds of `import module` itself (`-X importtime`, cumulative), in
    fresh interpreters: the whole-process difference is lost in the noise of start-up."""
    times = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", f"import {module}"],
            check=True,
            capture_output=True,
            text=True,
        )
        for line in done.stderr.splitlines():
            fields = [f.strip() for f in line.split("|")]
            if len(fields) == 3 and fields[2] == module:
                times.append(int(fields[1]) / 1000)
    return statistics.median(times)


def per_call(function: object, count: int) -> float:
    """Microseconds per call of `function()` (best of three)."""
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for _ in range(count):
            function()  # type: ignore[operator]
        best = min(best, time.perf_counter() - start)
    return best / count * 1e6


def _search_all(compiled: object, lines: list[str]) -> None:
    for line in lines:
        compiled.search(line)  # type: ignore[attr-defined]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=20_000, help="searches per measurement")
    args = parser.parse_args()
    options = re2.Options()
    options.log_errors = False
    print(f"import re2: {import_cost('re2'):.1f} ms (only when a rules.yaml has its own regex)")
    print()
    print("| pattern | compile re (µs) | compile RE2 (µs) | search re (µs) | search RE2 (µs) |")
    print("|---|---:|---:|---:|---:|")
    for name, pattern in PATTERNS.items():
        # re caches compiled patterns; purging first measures the compilation itself
        compile_re = per_call(lambda p=pattern: (re.purge(), re.compile(p)), 2000)
        compile_re2 = per_call(lambda p=pattern: re2.compile(p, options), 2000)
        lines = LINES * (args.lines // len(LINES))
        search_re = per_call(lambda c=re.compile(pattern), ls=lines: _search_all(c, ls), 1)
        compiled = re2.compile(pattern, options)
        search_re2 = per_call(lambda c=compiled, ls=lines: _search_all(c, ls), 1)
        search_re, search_re2 = search_re / len(lines), search_re2 / len(lines)
        print(
            f"| {name} | {compile_re:.2f} | {compile_re2:.2f} | {search_re:.2f} | "
            f"{search_re2:.2f} |"
        )
    print()
    print("(re columns: Python's `re`; RE2 searches pay for encoding each str to UTF-8)")
    print()
    line = "a" * 40 + "!"
    slow = re2.compile(r"(a+)+$", options)
    print(f"`(a+)+$` on 40 `a` and `!`: RE2 {per_call(lambda: slow.search(line), 10_000):.2f} µs")
    short = "a" * 22 + "!"
    start = time.perf_counter()
    re.compile(r"(a+)+$").search(short)
    took = time.perf_counter() - start
    print(f"`(a+)+$` on 22 `a` and `!`: re {took:.2f} s (doubles with each `a`: 40 take days)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
