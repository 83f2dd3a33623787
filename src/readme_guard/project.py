"""The repository around the checked files: its root, what git tracks, its GitHub name.

Git is asked only when a rule needs it, once per run.
"""

from __future__ import annotations

import os
import re
import subprocess
import unicodedata
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from readme_guard.document import Document

_REMOTE = re.compile(r"github\.com[:/](?P<repo>[^/\s]+/[^/\s]+?)(?:\.git)?/?$")


def run_git(folder: Path, *args: str) -> str | None:
    """Git's stdout, or None when git is missing, fails or `folder` is not in a work tree."""
    try:
        result = subprocess.run(
            ["git", *args],
            cwd=folder,
            capture_output=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if result.returncode != 0:
        return None
    return result.stdout.decode("utf-8", "surrogateescape")


class Project:
    """Facts about the repository that holds `folder`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder.resolve()
        self._entries: dict[str, dict[str, bool] | None] = {}
        self._folded: dict[str, dict[str, str]] = {}

    @cached_property
    def git_root(self) -> Path | None:
        """The nearest folder holding `.git` (a folder, or a file in worktrees and
        submodules): found on disk, since a `git rev-parse` costs a process per run."""
        for folder in (self.folder, *self.folder.parents):
            if (folder / ".git").exists():
                return folder
        return None

    @property
    def root(self) -> Path:
        """The git top level, else the checked file's folder."""
        return self.git_root or self.folder

    @cached_property
    def tracked(self) -> frozenset[str] | None:
        """Paths git tracks, relative to the root with `/`; None outside a work tree."""
        if self.git_root is None:
            return None
        out = run_git(self.git_root, "ls-files", "-z", "--cached")
        if out is None:
            return None
        return frozenset(p for p in out.split("\0") if p)

    @cached_property
    def tracked_folders(self) -> frozenset[str]:
        folders: set[str] = set()
        for path in self.tracked or ():
            parts = path.split("/")[:-1]
            for i in range(1, len(parts) + 1):
                folders.add("/".join(parts[:i]))
        return frozenset(folders)

    def entries(self, folder: str) -> dict[str, bool] | None:
        """The names in `folder` spelt as stored (the exact letter case, also on a
        case-insensitive file system), each mapped to whether it is a symlink; None when
        `folder` cannot be listed. One listing per folder per run."""
        if folder not in self._entries:
            try:
                with os.scandir(folder) as scan:
                    self._entries[folder] = {entry.name: entry.is_symlink() for entry in scan}
            except OSError:
                self._entries[folder] = None
        return self._entries[folder]

    def readlink(self, path: str) -> str:
        """The target of the symlink at `path` (a revision's tree answers from git)."""
        return os.readlink(path)

    def folded(self, folder: str) -> dict[str, str]:
        """`entries(folder)` keyed by case-folded NFC name: what a name spelt differently means."""
        if folder not in self._folded:
            index: dict[str, str] = {}
            for name in sorted(self.entries(folder) or ()):
                index.setdefault(unicodedata.normalize("NFC", name).casefold(), name)
            self._folded[folder] = index
        return self._folded[folder]

    def repository(self, configured: str | None) -> str | None:
        """OWNER/REPO: as configured (rules.yaml `repository`), else the git remote `origin`."""
        return configured or self._origin

    @cached_property
    def _origin(self) -> str | None:
        if self.git_root is None:
            return None
        out = run_git(self.git_root, "remote", "get-url", "origin")
        match = _REMOTE.search(out.strip()) if out else None
        return match.group("repo") if match else None

    @cached_property
    def _documents(self) -> dict[Path, Document | None]:
        return {}

    def document(self, path: Path) -> Document | None:
        """Another Markdown file of the repository parsed, once per run (for `other.md#x`);
        None when it cannot be read or decoded."""
        if path not in self._documents:
            from readme_guard.errors import ReadmeGuardError
            from readme_guard.markdown import ParseError, parse
            from readme_guard.source import decode

            try:
                self._documents[path] = parse(decode(path.read_bytes(), str(path)))
            except (OSError, ReadmeGuardError, ParseError):
                self._documents[path] = None
        return self._documents[path]
