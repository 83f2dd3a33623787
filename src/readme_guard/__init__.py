"""readme-guard: a linter and formatter for hand-edited Markdown paper lists.

The library (see `readme_guard.api`): `check(text)` and `check_file(path)` return the
findings as `Diagnostic`s; `fix(text)` returns the fixed text and `fix_file(path)` fixes a
file in place. Importing the package imports none of it: each name loads on first use, so
the CLI's start-up stays as cheap as `import click`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from readme_guard.api import check as check
    from readme_guard.api import check_file as check_file
    from readme_guard.api import fix as fix
    from readme_guard.api import fix_file as fix_file
    from readme_guard.diagnostic import Diagnostic as Diagnostic
    from readme_guard.errors import ReadmeGuardError as ReadmeGuardError

    __version__: str

__all__ = [
    "Diagnostic",
    "ReadmeGuardError",
    "__version__",
    "check",
    "check_file",
    "fix",
    "fix_file",
]
_HOMES = {
    "check": "readme_guard.api",
    "check_file": "readme_guard.api",
    "fix": "readme_guard.api",
    "fix_file": "readme_guard.api",
    "Diagnostic": "readme_guard.diagnostic",
    "ReadmeGuardError": "readme_guard.errors",
}


def __getattr__(name: str) -> object:
    if name == "__version__":
        return _version()
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'readme_guard' has no attribute '{name}'")
    found = getattr(importlib.import_module(home), name)
    globals()[name] = found  # the next lookup is a plain attribute
    return found


def _version() -> str:
    # importlib.metadata costs ~40 ms of imports: read the version only when asked for.
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("readme-guard")
    except PackageNotFoundError:  # a source tree that was never installed
        return "0+unknown"
