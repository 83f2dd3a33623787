"""Field run: `check` and `fix` on every real paper list of ../shared/field/, as its
maintainer would run them: with the built-in default (`as is`), on a copy whose hand-made TOC
is wrapped in `<!-- TOC -->` markers (`markers`), and on a copy where `readme-guard init`
wrote the config first and `check` / `fix` run with no arguments (`init`). Writes
docs/field.md (counts, folder and file names only: the lists' text belongs to their authors
and never leaves the temporary folder).

Each list is laid out in a git repository in a temporary folder: its Markdown files at their
paths, an empty placeholder for every other path of its `tree.txt`, all committed.

    python bench/field.py                      # all lists, built-in default config
    python bench/field.py --profile weekly     # pick a shipped profile (passed to the CLI)
    python bench/field.py --only yuto3o+awesome-kgc --cli-arg=--select=RG4
    python bench/field.py --output -           # print the tables instead of writing
    python bench/field.py --keep /tmp/field    # keep the laid-out repositories (hand checks)

Reusable pieces: `lay_out(folder, root)`, `place(root, files, tree)`, `run_cli(...)`,
`run_init(root)`, `measure(...)`, `findings_table(rows)` (bench/corpus.py uses them).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from readme_guard.fixing import comparable, render_html
from readme_guard.markdown import parse
from readme_guard.settings import TocSpec
from readme_guard.source import decode
from readme_guard.toc import SENTINEL
from readme_guard.toc.anchors import Anchors
from readme_guard.toc.detect import detect_list
from readme_guard.toc.entries import TocRegion, clickable
from readme_guard.toc.find import find_regions
from readme_guard.toc.markers import marker_pairs
from readme_guard.toc.merge import compare

ROOT = Path(__file__).resolve().parent.parent
FIELD = ROOT.parent / "shared" / "field"
SPEC = TocSpec(required=False, min_level=None, max_level=None, insert_after=None, marker="vscode")
MARKDOWN = (".md", ".markdown")
VARIANTS = ("as is", "markers", "init")
# How `init` prints each file's profile: `  path: profile (12 entries)` or `(not a paper list)`.
_CHOSEN = re.compile(
    r"  (?P<path>.+): (?P<profile>[\w-]+) \((?:(?P<entries>\d+) entries|not a paper list)\)"
)


@dataclass(frozen=True)
class Chosen:
    """The profile `init` chose for one file, and the entries it recognises there."""

    path: str
    profile: str
    entries: int | None  # None: not a paper list


@dataclass
class Row:
    """One list, one variant (`as is` or `markers`), summed over its Markdown files."""

    name: str
    variant: str
    files: int = 0
    check_exit: int = 0
    check_seconds: float = 0.0
    findings: Counter[str] = field(default_factory=Counter)
    fix_exit: int = 0
    fix_seconds: float = 0.0
    lines_changed: int = 0
    outside_same: bool = True
    idempotent: bool = True
    entries: int = 0
    entries_after: int = 0
    resolving_before: int = 0
    resolving_after: int = 0
    clickable_before: int = 0
    clickable_after: int = 0
    chosen: list[Chosen] = field(default_factory=list)  # the `init` variant: per file
    placeholders: int = 0  # Markdown placeholders `init` classified too (empty: notes)
    note: str = ""

    @property
    def safe(self) -> bool:
        return (
            self.check_exit in (0, 1)
            and self.fix_exit in (0, 1)
            and self.outside_same
            and self.idempotent
            and self.resolving_after >= self.resolving_before
            and self.clickable_after >= self.clickable_before - self.removed
        )

    @property
    def removed(self) -> int:
        """Entries that led nowhere before and are gone (the only deletion fix may make)."""
        broken_before = self.entries - self.resolving_before
        return max(0, broken_before - (self.entries_after - self.resolving_after))


def lay_out(folder: Path, root: Path) -> list[str]:
    """The list's files under `root` (a new git repository), placeholders for the rest of its
    tree; returns its Markdown paths (POSIX, relative)."""
    files = {
        path.relative_to(folder).as_posix(): path
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.relative_to(folder).as_posix() not in ("tree.txt", "SOURCE")
    }
    return place(root, files, folder / "tree.txt")


def place(root: Path, files: dict[str, Path], tree: Path) -> list[str]:
    """`files` (repository path -> file to copy) under `root`, an empty placeholder for every
    other path of `tree` (when it exists), all committed in a new git repository; returns the
    Markdown paths, sorted."""
    for relative, source in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    for line in tree.read_text(encoding="utf-8").splitlines() if tree.exists() else ():
        parts = PurePosixPath(line.strip()).parts
        if not parts or ".." in parts or parts[0] == "/" or parts[0] == ".git":
            continue
        target = root.joinpath(*parts)
        if not target.exists():
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.touch()
            except OSError:  # a path that is a folder of another path, say
                continue
    _git(root, "init", "-q")
    _commit(root, "list")
    return sorted(r for r in files if r.lower().endswith(MARKDOWN))


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def _commit(root: Path, message: str) -> None:
    _git(root, "add", "-A")
    _git(
        root,
        "-c",
        "user.name=field",
        "-c",
        "user.email=field@example.org",
        "commit",
        "-qm",
        message,
    )


def run_cli(root: Path, command: str, files: list[str], args: list[str]) -> tuple[int, float, str]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "readme_guard", command, *args, *files],
        cwd=root,
        capture_output=True,
        text=True,
    )
    return done.returncode, time.perf_counter() - started, done.stdout


def run_init(root: Path) -> list[Chosen]:
    """`readme-guard init` in `root`: the profile it chose per file, as it printed them."""
    _, _, out = run_cli(root, "init", [], [])
    found = (_CHOSEN.fullmatch(line) for line in out.splitlines())
    return [
        Chosen(m["path"], m["profile"], int(m["entries"]) if m["entries"] else None)
        for m in found
        if m
    ]


def _toc(text: bytes, name: str) -> tuple[TocRegion | None, str]:
    document = parse(decode(text, name))
    regions = find_regions(document, SPEC, Anchors(document))
    return (regions[0] if regions else None), document.source.text


def _masked_html(text: str, region: TocRegion | None) -> str:
    lines = text.split("\n")
    if region is not None:
        lines[region.start_line - 1 : region.end_line] = [SENTINEL]
    return comparable(render_html("\n".join(lines)))


def _resolving(data: bytes, name: str) -> tuple[int, int]:
    document = parse(decode(data, name))
    anchors = Anchors(document)
    regions = find_regions(document, SPEC, anchors)
    if not regions:
        return 0, 0
    entries = regions[0].entries
    return len(entries), sum(anchors.resolve(e.fragment) is not None for e in entries)


def measure(root: Path, files: list[str], args: list[str], row: Row, named: bool = True) -> None:
    """Check, fix and fix again in `root` (on `files`, or with no files when not `named`: the
    config's own); add what happened to `row`, measured on `files`."""
    before = {f: (root / f).read_bytes() for f in files}
    given = files if named else []
    code, seconds, out = run_cli(root, "check", given, [*args, "--format", "json"])
    row.check_exit, row.check_seconds = code, seconds
    try:
        report = json.loads(out)
        row.findings.update(d["code"] for d in report["diagnostics"])
    except (ValueError, KeyError):
        row.note = "check printed no JSON"
    row.fix_exit, row.fix_seconds, _ = run_cli(root, "fix", given, args)
    after = {f: (root / f).read_bytes() for f in files}
    run_cli(root, "fix", given, args)
    row.idempotent = all((root / f).read_bytes() == after[f] for f in files)
    for name in files:
        old, new = before[name], after[name]
        old_text, new_text = old.decode("utf-8", "replace"), new.decode("utf-8", "replace")
        row.lines_changed += _changed_lines(old_text, new_text)
        region_before, text_before = _toc(old, name)
        region_after, text_after = _toc(new, name)
        row.outside_same &= _masked_html(text_before, region_before) == _masked_html(
            text_after, region_after
        )
        count, resolving = _resolving(old, name)
        row.entries += count
        row.resolving_before += resolving
        count, resolving = _resolving(new, name)
        row.entries_after += count
        row.resolving_after += resolving
        row.clickable_before += clickable(render_html(text_before))
        row.clickable_after += clickable(render_html(text_after))


def _changed_lines(old: str, new: str) -> int:
    import difflib

    matcher = difflib.SequenceMatcher(None, old.splitlines(), new.splitlines(), autojunk=False)
    return sum(
        max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"
    )


def wrap_toc(root: Path, files: list[str]) -> int:
    """Wrap each file's hand-made TOC (a detected list the TOC merge takes for the file's
    TOC, not a section's own list of links) in `<!-- TOC -->` markers; returns how many
    files have markers now (a file that had them is left as it is)."""
    wrapped = written = 0
    for name in files:
        path = root / name
        data = path.read_bytes()
        document = parse(decode(data, name))
        if marker_pairs(document):
            wrapped += 1  # already has markers: measured as it is
            continue
        anchors = Anchors(document)
        region = detect_list(document, anchors)
        if region is None or compare(document, SPEC, region, anchors).own_list:
            continue
        text = document.source.text
        newline = document.source.newline
        lines = text.split(newline) if newline in text else text.split("\n")
        lines.insert(region.end_line, "<!-- /TOC -->")
        lines.insert(region.start_line - 1, "<!-- TOC -->")
        body = newline.join(lines)
        path.write_bytes(("\ufeff" if document.source.bom else "").encode() + body.encode("utf-8"))
        wrapped += 1
        written += 1
    if written:
        _commit(root, "markers")
    return wrapped


def run_list(folder: Path, args: list[str], init_args: list[str], work: Path) -> list[Row]:
    """The three variants of one list; `init_args` for the run after `init` (no --isolated)."""
    root = work / folder.name
    files = lay_out(folder, root)
    markers_root = work / (folder.name + "+markers")
    init_root = work / (folder.name + "+init")
    shutil.copytree(root, markers_root, symlinks=True)
    shutil.copytree(root, init_root, symlinks=True)
    rows = [Row(folder.name, "as is", files=len(files))]
    measure(root, files, args, rows[0])
    wrapped = wrap_toc(markers_root, files)
    if wrapped:
        row = Row(folder.name, "markers", files=wrapped)
        measure(markers_root, files, args, row)
        rows.append(row)
    chosen = run_init(init_root)
    row = Row(folder.name, "init", files=len(files), chosen=[c for c in chosen if c.path in files])
    row.placeholders = len(chosen) - len(row.chosen)
    measure(init_root, files, init_args, row, named=False)
    rows.append(row)
    return rows


def findings_table(rows: list[Row], variant: str) -> list[str]:
    """Per list, findings per rule of one variant, and the totals."""
    chosen = [r for r in rows if r.variant == variant]
    codes = sorted({c for r in chosen for c in r.findings})
    lines = ["| List | " + " | ".join(codes) + " | total |", "|---" * (len(codes) + 2) + "|"]
    for r in chosen:
        counts = " | ".join(str(r.findings.get(c, 0)) for c in codes)
        lines.append(f"| `{r.name}` | {counts} | {sum(r.findings.values())} |")
    totals = " | ".join(str(sum(r.findings.get(c, 0) for r in chosen)) for c in codes)
    lines.append(f"| **total** | {totals} | {sum(sum(r.findings.values()) for r in chosen)} |")
    return lines


def profiles_table(rows: list[Row]) -> list[str]:
    """Per file of the list: the profile `init` chose and the entries it recognises."""
    lines = ["| List | File | Profile | Entries |", "|---|---|---|---|"]
    for r in rows:
        for c in r.chosen:
            entries = "–" if c.entries is None else str(c.entries)
            lines.append(f"| `{r.name}` | `{c.path}` | {c.profile} | {entries} |")
    return lines


def profiles_totals(rows: list[Row]) -> str:
    chosen = [c for r in rows for c in r.chosen]
    profiles = Counter(c.profile for c in chosen)
    shown = ", ".join(f"{name} {count}" for name, count in sorted(profiles.items()))
    entries = sum(c.entries or 0 for c in chosen)
    placeholders = sum(r.placeholders for r in rows)
    return (
        f"- **profiles**: `init` classified the lists' {len(chosen)} Markdown files as {shown} "
        f"({entries} entries recognised in those it took for paper lists), and the "
        f"{placeholders} empty placeholders of `tree.txt` paths ending in `.md` as notes."
    )


def runs_table(rows: list[Row]) -> list[str]:
    lines = [
        "| List | Variant | Files | check exit | check s | findings | fix exit | fix s "
        "| lines changed | outside TOC same | idempotent | TOC entries | resolving before → after "
        "| clickable before → after | removed | safe |",
        "|---" * 16 + "|",
    ]
    for r in rows:
        lines.append(
            f"| `{r.name}` | {r.variant} | {r.files} | {r.check_exit} | {r.check_seconds:.2f} "
            f"| {sum(r.findings.values())} | {r.fix_exit} | {r.fix_seconds:.2f} "
            f"| {r.lines_changed} "
            f"| {_yes(r.outside_same)} | {_yes(r.idempotent)} | {r.entries} "
            f"| {r.resolving_before} → {r.resolving_after} "
            f"| {r.clickable_before} → {r.clickable_after} | {r.removed} | {_yes(r.safe)} |"
        )
    return lines


def _yes(flag: bool) -> str:
    return "yes" if flag else "**no**"


def totals(rows: list[Row]) -> list[str]:
    out = []
    for variant in VARIANTS:
        chosen = [r for r in rows if r.variant == variant]
        if not chosen:
            continue

        def total(attribute: str, chosen: list[Row] = chosen) -> int:
            return sum(int(getattr(r, attribute)) for r in chosen)

        seconds = sum(r.check_seconds for r in chosen), sum(r.fix_seconds for r in chosen)
        out.append(
            f"- **{variant}**: {len(chosen)} lists, {total('files')} files; "
            f"{sum(r.safe for r in chosen)} of {len(chosen)} rows safe; "
            f"{sum(sum(r.findings.values()) for r in chosen)} findings; "
            f"{total('lines_changed')} lines changed by fix; rendering outside the TOC "
            f"unchanged in {total('outside_same')}, idempotent in {total('idempotent')}; "
            f"TOC entries {total('entries')} → {total('entries_after')}, resolving "
            f"{total('resolving_before')} → {total('resolving_after')}, {total('removed')} "
            f"stale removed; clickable in-page links {total('clickable_before')} → "
            f"{total('clickable_after')}; check {seconds[0]:.1f} s, fix {seconds[1]:.1f} s."
        )
    return out


def report(rows: list[Row], args: list[str]) -> str:
    shown = " ".join(args)
    return "\n".join(
        [
            "# Field run",
            "",
            "`python bench/field.py` ran `readme-guard check` and `readme-guard fix` (twice) on "
            f"every list of `../shared/field/`, three ways: *as is*, with `{shown}`, each list "
            "laid out in its own git repository (its Markdown files, an empty placeholder for "
            "every other path of its `tree.txt`); *markers*, the same on a copy whose hand-made "
            "TOC (the list of in-page links that `toc.detect: auto` finds and takes for the "
            "file's TOC, not a section's own list of links) is wrapped in `<!-- TOC -->` … "
            "`<!-- /TOC -->` markers (lists without such a TOC have no `markers` row); *init*, "
            "on a copy where `readme-guard init` wrote rules.yaml first, then `check` and `fix` "
            "with no arguments, as a maintainer would run them after set-up. Counts and names "
            "only: the lists' text belongs to their authors.",
            "",
            "Columns: *outside TOC same*: cmark-gfm renders the file before and after `fix` alike "
            "once the TOC region (before and after) is masked; *idempotent*: a second `fix` "
            "changes no byte; *resolving*: TOC entries whose `#fragment` resolves on GitHub; "
            "*clickable*: in-page links with text in the rendered page. A row is *safe* when "
            "both exit codes are 0 or 1, the rendering outside the TOC is unchanged, the fix is "
            "idempotent, no resolving entry was lost and clickable links went down by no more "
            "than the stale entries removed (*removed*: entries that led nowhere and are "
            "gone). Times are wall-clock on a shared 2-core machine.",
            "",
            "## Totals",
            "",
            *totals(rows),
            profiles_totals(rows),
            "",
            "## Runs",
            "",
            *runs_table(rows),
            "",
            "## Profiles `init` chose",
            "",
            "*Entries*: the entries (a title and a link out) the chosen profile recognises, as "
            "`init` prints them; `–` for a file `init` found to be no paper list (`notes`: only "
            "anchors, paths and the TOC are checked there).",
            "",
            *profiles_table(rows),
            "",
            "## Findings per rule after `init`",
            "",
            *findings_table(rows, "init"),
            "",
            "## Findings per rule (as is, built-in default)",
            "",
            *findings_table(rows, "as is"),
            "",
        ]
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--field", type=Path, default=FIELD)
    parser.add_argument("--only", action="append", help="list folder names (repeatable)")
    parser.add_argument("--profile", help="a shipped profile, passed as --profile")
    parser.add_argument("--cli-arg", action="append", default=[], help="more CLI arguments")
    parser.add_argument("--output", default=str(ROOT / "docs" / "field.md"), help="- for stdout")
    parser.add_argument("--keep", type=Path, help="lay the lists out here and keep them")
    options = parser.parse_args()
    if not options.field.is_dir():
        print(f"field.py: {options.field} is not there; nothing to run", file=sys.stderr)
        return 2
    args = [
        "--isolated",
        *(["--profile", options.profile] if options.profile else []),
        *options.cli_arg,
    ]
    init_args = list(options.cli_arg)
    folders = sorted(p for p in options.field.iterdir() if p.is_dir())
    if options.only:
        folders = [p for p in folders if p.name in options.only]
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="readme-guard-field-") as temporary:
        work = options.keep or Path(temporary)
        for folder in folders:
            found = run_list(folder, args, init_args, work)
            rows.extend(found)
            print("\n".join(runs_table(found)[2:]), file=sys.stderr)
    text = report(rows, args)
    if options.output == "-":
        print(text)
    else:
        Path(options.output).write_text(text, encoding="utf-8")
    return 0 if all(r.safe for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
