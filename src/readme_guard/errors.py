"""Errors that end a run with exit code 2 and one clear line, never a traceback."""

from __future__ import annotations


class ReadmeGuardError(Exception):
    """A user-facing error: the message is printed as one line and the exit code is 2."""

    exit_code = 2


class InputError(ReadmeGuardError):
    """A file that cannot be read or decoded as Markdown text."""


class OutsideRootError(InputError):
    """An input that is a symlink (or inside a symlinked folder) leading outside the
    repository: neither read nor written, and the rest of the run goes on."""


class ConfigError(ReadmeGuardError):
    """A rules.yaml that cannot be loaded; the message starts with `path:line:col:`."""

    def __init__(self, path: str, line: int, column: int, message: str) -> None:
        super().__init__(f"{path}:{line}:{column}: {message}")
        self.path = path
        self.line = line
        self.column = column
        self.detail = message


class UsageError(ReadmeGuardError):
    """Command-line arguments that do not make sense together."""
