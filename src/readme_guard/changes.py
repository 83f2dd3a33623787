"""`check --changed-since REF`: only the findings that the change since REF introduced.

REF's version of every checked file is checked too, as REF's tree had it: the text comes from
git's object store, and path facts (which files exist, their letter case, symlinks, what is
tracked) come from REF's tree listing, so a figure deleted since REF is a new RG201 and a
heading renamed since REF turns the untouched TOC entry that names it into a new RG204. The
two sets of findings are matched by `fingerprint.key` (rule, file, line text), never by line
number; what is left over is new.

REF comes from a user or a CI event: it must look like a revision (no leading `-`, no spaces
or control characters) and is resolved with `git rev-parse --verify --end-of-options`; git is
always run with an argument list, never through a shell, and nothing is read outside the
object store and the repository.
"""

from __future__ import annotations

import dataclasses
import os
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from readme_guard.blocks import find_blocks
from readme_guard.errors import ReadmeGuardError, UsageError
from readme_guard.fingerprint import keyed, split, surplus
from readme_guard.linter import FileResult, Run
from readme_guard.project import Project, run_git
from readme_guard.source import decode

if TYPE_CHECKING:
    from readme_guard.document import Document
    from readme_guard.output import Report

# Branches, tags, ids, HEAD~2, origin/main, main@{1}: what a CI event or a user writes.
_REVISION = re.compile(r"[A-Za-z0-9_@][A-Za-z0-9._/@{}~^+-]{0,254}")
_TREE_ENTRY = re.compile(r"(?P<mode>\d+) (?P<type>\w+) (?P<object>[0-9a-f]+)\t(?P<path>.*)", re.S)
_SYMLINK_MODE = "120000"


def resolve(root: Path, revision: str) -> str | None:
    """The commit id `revision` names in the repository at `root`; None for `HEAD` before the
    first commit (an empty tree: everything is new); UsageError otherwise."""
    if not _REVISION.fullmatch(revision) or ".." in revision:
        raise UsageError(f"--changed-since: {revision!r} is not a revision name")
    out = run_git(
        root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}"
    )
    if (out is None or not out.strip()) and revision == "HEAD" and _unborn(root):
        return None
    if out is None or not out.strip():
        raise UsageError(
            f"--changed-since: '{revision}' is not a commit of this repository "
            "(in a shallow clone, fetch it first)"
        )
    return out.strip()


def _unborn(root: Path) -> bool:
    """A repository without a commit yet (its first commit is being made)."""
    return run_git(root, "rev-parse", "--git-dir") is not None and (
        run_git(root, "rev-list", "-n", "1", "--all") == ""
    )


class Tree:
    """The files of one commit (None: no commit yet, an empty tree): listing, symlinks, blobs,
    read from git's object store."""

    def __init__(self, root: Path, commit: str | None) -> None:
        self.root = root
        self.commit = commit or "(no commit)"
        out = (
            ""
            if commit is None
            else run_git(root, "ls-tree", "-r", "-t", "-z", "--full-tree", commit)
        )
        if out is None:
            raise ReadmeGuardError(f"cannot list the files of commit {commit}")
        self.objects: dict[str, tuple[str, str]] = {}  # path -> (mode, object id)
        self.listing: dict[str, dict[str, bool]] = {"": {}}  # folder -> name -> is symlink
        for record in out.split("\0"):
            match = _TREE_ENTRY.fullmatch(record)
            if match is None:
                continue
            path = match["path"]
            folder, _, name = path.rpartition("/")
            self.listing.setdefault(folder, {})[name] = match["mode"] == _SYMLINK_MODE
            if match["type"] == "tree":
                self.listing.setdefault(path, {})
            else:  # a blob, or a submodule's commit (tracked, not listable)
                self.objects[path] = (match["mode"], match["object"])

    def read(self, path: str) -> bytes | None:
        """The bytes of the file (or symlink target) at repository path `path`, else None."""
        found = self.objects.get(path)
        if found is None or found[0] == "160000":
            return None
        out = run_git(self.root, "cat-file", "blob", found[1])
        return None if out is None else out.encode("utf-8", "surrogateescape")


class TreeProject(Project):
    """The repository as it was at a commit: every path fact comes from that commit's tree."""

    def __init__(self, folder: Path, tree: Tree) -> None:
        super().__init__(folder)
        self.tree = tree
        self._revision_documents: dict[Path, Document | None] = {}

    def _relative(self, path: str | Path) -> str | None:
        relative = os.path.relpath(path, self.root)
        if relative == os.curdir:
            return ""
        if relative == os.pardir or relative.startswith(os.pardir + os.sep):
            return None
        return relative.replace(os.sep, "/")

    def entries(self, folder: str) -> dict[str, bool] | None:
        relative = self._relative(folder)
        return None if relative is None else self.tree.listing.get(relative)

    @cached_property
    def tracked(self) -> frozenset[str] | None:
        return frozenset(self.tree.objects)

    def readlink(self, path: str) -> str:
        relative = self._relative(path)
        data = None if relative is None else self.tree.read(relative)
        if data is None:
            raise OSError(f"{path}: not a symlink of {self.tree.commit}")
        return data.decode("utf-8", "surrogateescape")

    def document(self, path: Path) -> Document | None:
        if path not in self._revision_documents:
            from readme_guard.markdown import ParseError, parse

            relative = self._relative(path)
            data = None if relative is None else self.tree.read(relative)
            try:
                found = None if data is None else parse(decode(data, str(path)))
            except (ReadmeGuardError, ParseError):
                found = None
            self._revision_documents[path] = found
        return self._revision_documents[path]


@dataclass
class _RevisionRun(Run):
    """A run that sees the repository as `tree` had it (configs are the current ones)."""

    tree: Tree | None = None

    def project(self, folder: Path) -> Project:
        if folder not in self._projects:
            assert self.tree is not None
            self._projects[folder] = TreeProject(folder, self.tree)
        return self._projects[folder]


@dataclass
class Comparison:
    """The findings of one file split into new and known, and the lines the change touched."""

    new: list[int] = field(default_factory=list)  # positions in the file's diagnostics
    touched: frozenset[int] = frozenset()
    hunks: tuple[tuple[int, int], ...] = ()  # line ranges of the diff, with 3 lines of context
    unchanged: bool = False  # the file is as it was at the revision


def touched_lines(matcher: SequenceMatcher[str], last: int) -> set[int]:
    """Lines of the new text (1-based, `last` of them) that were inserted or replaced;
    around a deletion, the lines on either side of it."""
    touched: set[int] = set()
    for tag, _, _, start, end in matcher.get_opcodes():
        if tag in ("replace", "insert"):
            touched.update(range(start + 1, end + 1))
        elif tag == "delete":
            touched.update(n for n in (start, start + 1) if 1 <= n <= last)
    return touched


def diff_hunks(matcher: SequenceMatcher[str]) -> tuple[tuple[int, int], ...]:
    """The first and last line of the new text in each hunk of a unified diff with three
    lines of context: the lines a pull-request review comment may be put on."""
    hunks = []
    for group in matcher.get_grouped_opcodes(3):
        first, last = group[0][3] + 1, group[-1][4]
        if last >= first:
            hunks.append((first, last))
    return tuple(hunks)


def with_blocks(result: FileResult, lines: set[int]) -> frozenset[int]:
    """`lines` widened to every paper block that holds one of them."""
    widened = set(lines)
    for block in find_blocks(result.document, result.config.blocks):
        if any(block.start_line <= n <= block.end_line for n in lines):
            widened.update(range(block.start_line, block.end_line + 1))
    return frozenset(widened)


def renames(root: Path, commit: str) -> dict[str, str]:
    """Current path -> path at `commit`, for files git sees as renamed since."""
    out = run_git(root, "diff", "--no-ext-diff", "--name-status", "-z", "-M", commit, "--")
    if out is None:
        return {}
    found: dict[str, str] = {}
    fields = iter(out.split("\0"))
    for status in fields:
        if status.startswith(("R", "C")):
            old, new = next(fields, ""), next(fields, "")
            found[new] = old
        elif status:
            next(fields, "")
    return found


def compare(report: Report, run: Run, revision: str, skip_changed: bool = False) -> Report:
    """`report` with only the findings new since `revision`; the others become `previous`.
    `skip_changed`: leave out the files the change touched (a hook on them reports them)."""
    from readme_guard.output.sarif import RepositoryPaths

    paths = RepositoryPaths()
    kept: list[FileResult] = []
    previous: list[FileResult] = []
    touched: dict[str, frozenset[int]] = {}
    hunks: dict[str, tuple[tuple[int, int], ...]] = {}
    trees: dict[Path, tuple[Tree, _RevisionRun, dict[str, str]]] = {}
    for result in report.results:
        relative, root = paths.relative(result, result.source.path)
        if root is None:
            raise UsageError(f"--changed-since: {result.source.path} is not in a git repository")
        if root not in trees:
            commit = resolve(root, revision)
            tree = Tree(root, commit)
            revision_run = _RevisionRun(run.options, run._configs, tree=tree)
            trees[root] = (tree, revision_run, renames(root, commit) if commit else {})
        tree, revision_run, renamed = trees[root]
        comparison = _compare_file(result, relative, tree, revision_run, renamed)
        if skip_changed and not comparison.unchanged:
            continue
        new = set(comparison.new)
        fresh, known = split(result, new)
        kept.append(fresh)
        previous.append(known)
        touched[result.source.path] = comparison.touched
        hunks[result.source.path] = comparison.hunks
    label = f"new since {revision}"
    return dataclasses.replace(
        report,
        results=kept,
        previous=[*report.previous, *previous],
        touched=touched,
        hunks=hunks,
        label=f"{report.label}, {label}" if report.label else label,
    )


def _compare_file(
    result: FileResult, relative: str, tree: Tree, run: _RevisionRun, renamed: dict[str, str]
) -> Comparison:
    everything = list(range(len(result.diagnostics)))
    data = tree.read(renamed.get(relative, relative))
    size = len(result.source.lines)
    whole = Comparison(everything, frozenset(range(1, size + 1)), ((1, size),) if size else ())
    if data is None:  # a new file: everything in it is new
        return whole
    try:
        source = decode(data, result.source.path)
        before = run.check_source(source, result.path)
    except ReadmeGuardError:  # REF's version could not be read: judge by the current one
        return whole
    matcher = SequenceMatcher(None, before.source.lines, result.source.lines)
    lines = with_blocks(result, touched_lines(matcher, len(result.source.lines)))
    known = keyed(relative, before.source, before.diagnostics)
    current = list(keyed(relative, result.source, result.diagnostics))
    spans = [d.span for d in result.diagnostics]

    def on_touched(index: int) -> bool:
        span = spans[index]
        return any(n in lines for n in range(span.line, span.end_line + 1))

    new = sorted(surplus(current, known, on_touched))
    unchanged = source.text == result.source.text
    return Comparison(new, lines, diff_hunks(matcher), unchanged)
