"""The user's repository as its maintainer has it: `init`, then `check` with no arguments.

Lays out ../shared/corpus/ in a git repository in a temporary folder (README.md, REPORT.md,
the weekly log as `每周精读打卡.md`, the archives as `Archived/2024论文精读归档.md` and
`Archived/2025论文精读归档.md`, an empty placeholder for every other path of `tree.txt`),
runs `readme-guard init` there, then `readme-guard check`, and prints the profile chosen per
file and the findings per file and rule (counts and names only; the texts stay in the
temporary folder).

    python bench/corpus.py                     # print the tables
    python bench/corpus.py --keep /tmp/corpus  # keep the repository (for hand checks)
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

from field import ROOT, place, run_cli, run_init

CORPUS = ROOT.parent / "shared" / "corpus"
# Repository path -> the corpus file it is.
LAYOUT = {
    "README.md": "README.md",
    "REPORT.md": "REPORT.md",
    "每周精读打卡.md": "weekly.md",
    "Archived/2024论文精读归档.md": "archive2024.md",
    "Archived/2025论文精读归档.md": "archive2025.md",
}


def run(root: Path, corpus: Path) -> tuple[list[str], Counter[tuple[str, str]], int]:
    """Lay out, `init`, `check`: the lines of the profile table, findings per (file, rule),
    and check's exit code."""
    place(root, {path: corpus / name for path, name in LAYOUT.items()}, corpus / "tree.txt")
    chosen = run_init(root)
    code, _, out = run_cli(root, "check", [], ["--format", "json"])
    found = Counter((d["path"], d["code"]) for d in json.loads(out)["diagnostics"])
    lines = ["| File | Profile | Entries |", "|---|---|---|"]
    for c in chosen:
        lines.append(f"| `{c.path}` | {c.profile} | {'–' if c.entries is None else c.entries} |")
    return lines, found, code


def findings_table(found: Counter[tuple[str, str]]) -> list[str]:
    files = sorted({path for path, _ in found})
    codes = sorted({code for _, code in found})
    lines = ["| File | " + " | ".join(codes) + " | total |", "|---" * (len(codes) + 2) + "|"]
    for path in files:
        counts = " | ".join(str(found.get((path, c), 0)) for c in codes)
        lines.append(f"| `{path}` | {counts} | {sum(found[(path, c)] for c in codes)} |")
    totals = " | ".join(str(sum(found[(p, c)] for p in files)) for c in codes)
    lines.append(f"| **total** | {totals} | {sum(found.values())} |")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--keep", type=Path, help="lay the repository out here and keep it")
    options = parser.parse_args()
    if not options.corpus.is_dir():
        print(f"corpus.py: {options.corpus} is not there; nothing to run", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="readme-guard-corpus-") as temporary:
        root = options.keep or Path(temporary) / "repository"
        profiles, found, code = run(root, options.corpus)
    print("\n".join([*profiles, "", f"check exit {code}", "", *findings_table(found)]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
