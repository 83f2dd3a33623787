"""Which files a run reads: arguments, folders (honouring .gitignore), stdin, config `files`."""

from __future__ import annotations

import os
import re
import stat
import sys
from dataclasses import dataclass
from pathlib import Path

from readme_guard.errors import InputError, OutsideRootError
from readme_guard.project import run_git
from readme_guard.source import Source, decode

MARKDOWN_SUFFIXES = (".md", ".markdown")
_SKIPPED_FOLDERS = {".git", "node_modules", ".venv", "venv", "__pycache__", ".tox"}


@dataclass(frozen=True)
class Input:
    display: str  # as given on the command line (relative stays relative)
    path: Path | None  # for stdin: --stdin-filename, which places it for config and paths
    stdin: bool = False


def expand(arguments: tuple[str, ...], stdin_filename: str | None) -> list[Input]:
    """Files named by the arguments; a folder means its Markdown files."""
    inputs: list[Input] = []
    for argument in arguments:
        if argument == "-":
            name = stdin_filename or "-"
            inputs.append(Input(name, Path(stdin_filename) if stdin_filename else None, True))
            continue
        path = Path(argument)
        if path.is_dir():
            found = _markdown_in(path)
            if not found:
                raise InputError(f"{argument}: no Markdown files in this folder")
            inputs.extend(Input(str(f), f) for f in found)
        elif path.exists() or path.is_symlink():
            inputs.append(Input(argument, path))
        else:
            raise InputError(f"{argument}: no such file or folder")
    return inputs


def from_globs(folder: Path, patterns: tuple[str, ...]) -> list[Input]:
    """Files of a config's `files` globs, relative to the config's folder. The folder is
    walked without following symlinked folders (a `**` through `docs -> /` would walk the
    whole file system); config validation refuses absolute patterns and `..`."""
    compiled = [glob_regex(p) for p in patterns]
    found: list[Input] = []
    for relative in _files_below(folder):
        if any(c.fullmatch(relative) for c in compiled):
            path = folder / relative
            found.append(Input(os.path.relpath(path), path))
    return found


def glob_regex(pattern: str) -> re.Pattern[str]:
    """A glob as a regex over `/`-separated relative paths: `**/` any folders (or none),
    `*` and `?` within one name, `[...]` a set, as `glob.glob(recursive=True)` reads them."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:[^/]*/)*")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        elif pattern[i] == "[" and "]" in pattern[i + 2 :]:
            end = pattern.index("]", i + 2)
            body = pattern[i + 1 : end]
            negated = body.startswith("!")
            body = re.escape(body[1:] if negated else body).replace("\\-", "-")
            out.append(f"[{'^' if negated else ''}{body}]")
            i = end + 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out))


def _files_below(folder: Path) -> list[str]:
    """Every file below `folder` as a sorted relative `/` path, symlinked folders unvisited."""
    found: list[str] = []
    for root, folders, files in os.walk(folder):  # os.walk never follows symlinked folders
        folders[:] = sorted(f for f in folders if f not in _SKIPPED_FOLDERS)
        relative = Path(root).relative_to(folder).as_posix()
        prefix = "" if relative == "." else relative + "/"
        found.extend(prefix + name for name in files if Path(root, name).is_file())
    return sorted(found)


def _markdown_in(folder: Path) -> list[Path]:
    listed = _git_listed(folder)
    if listed is not None:
        return sorted(p for p in listed if p.suffix.lower() in MARKDOWN_SUFFIXES and p.is_file())
    found: list[Path] = []
    for root, folders, files in os.walk(folder):
        folders[:] = sorted(f for f in folders if f not in _SKIPPED_FOLDERS)
        found.extend(Path(root, f) for f in files if f.lower().endswith(MARKDOWN_SUFFIXES))
    return sorted(found)


def _git_listed(folder: Path) -> list[Path] | None:
    """Tracked and untracked-but-not-ignored files below `folder`, when it is in git."""
    out = run_git(folder, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    if out is None:
        return None
    return [folder / name for name in out.split("\0") if name]


def read(item: Input) -> Source:
    """Read and decode one input; every failure is one clear line (InputError)."""
    if item.stdin or item.path is None:
        return decode(sys.stdin.buffer.read(), item.display)
    path = item.path
    refuse_outside_root(path, item.display)
    try:
        mode = path.stat().st_mode
        if stat.S_ISDIR(mode):
            raise InputError(f"{item.display}: is a folder, not a file")
        if not stat.S_ISREG(mode):  # reading a pipe or a device may block or never end
            raise InputError(f"{item.display}: not a regular file (a pipe, socket or device)")
        data = path.read_bytes()
    except InputError:
        raise
    except RecursionError:
        raise InputError(f"{item.display}: symbolic link loop") from None
    except OSError as exc:
        reason = (exc.strerror or str(exc)).lower()
        raise InputError(f"{item.display}: cannot read: {reason}") from None
    return decode(data, item.display)


def repository_root(path: Path) -> Path:
    """The repository a path is written in, found lexically (a symlinked folder on the way is
    not followed): the nearest folder holding `.git`, else the current folder when the path
    is below it, else the path's own folder. Real (resolved) for comparing."""
    written = Path(os.path.abspath(path)).parent
    for folder in (written, *written.parents):
        if (folder / ".git").exists():
            return folder.resolve()
    cwd = Path.cwd()
    return (cwd if written.is_relative_to(cwd) else written).resolve()


def refuse_outside_root(path: Path, display: str) -> None:
    """Raise OutsideRootError when `path`, its symlinks followed, leaves its repository."""
    real = Path(os.path.realpath(path))
    root = repository_root(path)
    if not real.is_relative_to(root):
        raise OutsideRootError(
            f"{display}: a symbolic link leading outside the repository; not read or written"
        )
