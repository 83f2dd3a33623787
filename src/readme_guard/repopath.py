"""Where a repository-relative path leads, found without leaving the repository.

A path is resolved as a browser resolves a link on github.com: lexically, against a folder of
the repository (a leading `/` against its root). The result is then followed one name at a
time, each looked up in its folder's listing, so letter case is compared exactly on any file
system, and a symlink is read (never followed by the OS) so nothing outside the repository is
ever listed, opened or stat'ed. The path rules and the anchor rule share it.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from readme_guard.project import Project

_MAX_SYMLINKS = 40  # Linux gives up (ELOOP) after as many

Status = Literal["found", "case", "missing", "outside"]


@dataclass(frozen=True, slots=True)
class Target:
    status: Status
    parts: tuple[str, ...] = ()
    """found, case: the real path from the root; outside: the symlink that leaves it."""


MISSING = Target("missing")


def lexical(base: Sequence[str], path: str) -> list[str] | None:
    """`path` joined to `base` with `.` and `..` removed as a URL resolves them; None above."""
    parts = [] if path.startswith("/") else list(base)
    for name in path.split("/"):
        if name == "..":
            if not parts:
                return None
            parts.pop()
        elif name not in ("", "."):
            parts.append(name)
    return parts


def _inside(root: str, target: str) -> list[str] | None:
    """An absolute symlink target as names under `root` (compared lexically), else None."""
    normal = os.path.normpath(target)
    if normal == root:
        return []
    prefix = root.rstrip(os.sep) + os.sep
    return normal[len(prefix) :].split(os.sep) if normal.startswith(prefix) else None


def follow(project: Project, parts: Sequence[str]) -> Target:
    """Walk root-relative `parts` name by name through the folder listings, reading symlinks
    inside the root only, as the OS would resolve them but without following any."""
    root = str(project.root)
    pending = list(reversed(parts))
    here: list[str] = []
    via: tuple[str, ...] = ()
    exact = True
    hops = 0
    while pending:
        name = pending.pop()
        if name in ("", "."):
            continue
        if name == "..":  # only from a symlink's target: the written path is lexical already
            if not here:
                return Target("outside", via)
            here.pop()
            continue
        folder = os.path.join(root, *here)
        entries = project.entries(folder)
        if entries is None:
            return MISSING
        real = name if name in entries else _respelt(project, folder, name)
        if real is None:
            return MISSING
        exact = exact and (real == name or nfc(real) == nfc(name))
        if not entries[real]:
            here.append(real)
            continue
        hops += 1
        via = (*here, real)
        if hops > _MAX_SYMLINKS:
            return MISSING
        try:
            target = project.readlink(os.path.join(folder, real))
        except OSError:
            return MISSING
        if os.path.isabs(target):
            inside = _inside(root, target)
            if inside is None:
                return Target("outside", via)
            here = []
            pending.extend(reversed(inside))
        else:
            pending.extend(reversed(target.replace(os.sep, "/").split("/")))
    return Target("found" if exact else "case", tuple(here))


def _respelt(project: Project, folder: str, name: str) -> str | None:
    """The name in `folder` that differs from `name` only in case (or Unicode form)."""
    return project.folded(folder).get(nfc(name).casefold())


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)
