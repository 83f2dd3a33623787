"""What the library costs a program that uses it: `import readme_guard`, then the first call.

Each number is the median of fresh interpreters (`-X importtime` for the imports, wall clock
for the first `check`, `fix` and the CLI's `--help`), so nothing is warm but the disk cache
and the config cache the CLI also uses. Run it with bytecode caching on, as an installed
package has it: PYTHONDONTWRITEBYTECODE unset (PYTHONPYCACHEPREFIX keeps the tree clean).

Usage: python bench/api.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

TEXT = "## Papers\\n\\n> A title (CVPR 2022)\\n> [Paper](https://arxiv.org/abs/2111.06377)\\n"

# Each snippet prints one number in milliseconds.
FIRST_CALL = """\
import time
start = time.perf_counter()
import readme_guard
readme_guard.{call}
print((time.perf_counter() - start) * 1000)
"""


def _import_ms(module: str) -> float:
    """Cumulative -X importtime of `module` (its own imports included), in ms."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import {module}"],
        capture_output=True,
        text=True,
        check=True,
    )
    line = done.stderr.strip().splitlines()[-1]  # the top-level module comes last
    return int(line.split("|")[1]) / 1000


def _snippet_ms(code: str) -> float:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(done.stdout.strip())


def _process_ms(*args: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, *args], capture_output=True, check=True)
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    rows: list[tuple[str, list[float]]] = [
        ("import readme_guard", [_import_ms("readme_guard") for _ in range(runs)]),
        ("import readme_guard.cli", [_import_ms("readme_guard.cli") for _ in range(runs)]),
        (
            "import + first check(text)",
            [_snippet_ms(FIRST_CALL.format(call=f'check("{TEXT}")')) for _ in range(runs)],
        ),
        (
            "import + first fix(text)",
            [_snippet_ms(FIRST_CALL.format(call=f'fix("{TEXT}")')) for _ in range(runs)],
        ),
        (
            "readme-guard --help (process)",
            [_process_ms("-m", "readme_guard", "--help") for _ in range(runs)],
        ),
    ]
    print("| what | median ms | min ms |\n|---|---|---|")
    for name, values in rows:
        print(f"| {name} | {statistics.median(values):.1f} | {min(values):.1f} |")


if __name__ == "__main__":
    main()
