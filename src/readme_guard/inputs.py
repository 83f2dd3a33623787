"""Which files a run reads: arguments, folders (honouring .gitignore), stdin, config `files`."""

from __future__ import annotations

import glob
import os
import stat
import sys
from dataclasses import dataclass
from pathlib import Path

from readme_guard.errors import InputError
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
    """Files of a config's `files` globs, relative to the config's folder."""
    found: list[Input] = []
    for pattern in patterns:
        for match in sorted(glob.glob(pattern, root_dir=folder, recursive=True)):
            path = folder / match
            if path.is_file():
                found.append(Input(os.path.relpath(path), path))
    return found


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
