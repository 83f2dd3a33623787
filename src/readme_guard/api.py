"""The library: check and fix Markdown text or files from Python, as the CLI does.

    >>> import readme_guard
    >>> text = "## Papers\\n\\n> A title (CVPR 2022)\\n> [Paper](https://x.org)\\nwrapped\\n"
    >>> [(d.code, d.line) for d in readme_guard.check(text)]
    [('RG103', 3), ('RG104', 3), ('RG501', 5)]
    >>> print(readme_guard.fix(text), end="")
    ## Papers
    <BLANKLINE>
    > A title (CVPR 2022)
    > [Paper](https://x.org)
    > wrapped

Every function takes the keywords of `Selection`, the CLI's options: `config` (a rules.yaml;
by default the one found from `path` upwards, as `readme-guard check` finds it), `isolated`
(ignore every config file), `profile` (a shipped profile), `select` and `ignore` (codes,
names or prefixes). `path` says where the text lives: relative links are checked against that
folder, and it is the path the diagnostics name. A bad input or config raises
`ReadmeGuardError` with the one-line message the CLI would print.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

from readme_guard import inputs
from readme_guard.diagnostic import Diagnostic
from readme_guard.linter import Options, Run
from readme_guard.rules import split_selectors
from readme_guard.source import Source

if TYPE_CHECKING:
    from typing_extensions import Unpack  # typing's own from Python 3.11

__all__ = ["Selection", "check", "check_file", "fix", "fix_file"]

PathArgument = str | os.PathLike[str]
Selectors = str | Iterable[str]
_BOM = "\ufeff"


class Selection(TypedDict, total=False):
    """The keywords every function takes: which config, which rules (the CLI's options)."""

    config: PathArgument | None
    """A rules.yaml. None: the one found from `path` upwards, else the built-in default."""
    isolated: bool
    """Ignore every config file; use the built-in default (`--isolated`)."""
    profile: str | None
    """A shipped profile by name (`weekly`, `awesome`, ...), whatever the config says."""
    select: Selectors | None
    """Only these rules: codes, names or prefixes, a list or one comma-separated string."""
    ignore: Selectors
    """Skip these rules."""


def check(
    text: str, *, path: PathArgument | None = None, **selection: Unpack[Selection]
) -> list[Diagnostic]:
    """The findings in Markdown `text`, sorted by line, suppression comments applied."""
    return _run(selection).check_source(_source(text, path), _file(path)).diagnostics


def check_file(path: PathArgument, **selection: Unpack[Selection]) -> list[Diagnostic]:
    """The findings in the Markdown file at `path` (UTF-8; a BOM and any newlines allowed)."""
    return _run(selection).check_input(_input(path)).diagnostics


def fix(text: str, *, path: PathArgument | None = None, **selection: Unpack[Selection]) -> str:
    """`text` with every fix of the selected rules applied that keeps GitHub's rendering
    (checked with cmark-gfm); every other byte is kept. Text with merge-conflict markers is
    refused (`ReadmeGuardError`)."""
    from readme_guard.fixing import fix_source  # the verifier only when fixing

    source = _source(text, path)
    outcome = fix_source(_run(selection), source, _file(path))
    return (_BOM if source.bom else "") + outcome.text


def fix_file(path: PathArgument, **selection: Unpack[Selection]) -> bool:
    """Fix the file at `path` in place, as `readme-guard fix` does (atomically, and only if
    it did not change meanwhile); True when it was rewritten."""
    return _run(selection).fix_input(_input(path)).changed


def _run(selection: Selection) -> Run:
    config = selection.get("config")
    select = selection.get("select")
    return Run(
        Options(
            config_path=Path(config) if config is not None else None,
            isolated=selection.get("isolated", False),
            profile=selection.get("profile"),
            select=None if select is None else _selectors(select),
            ignore=_selectors(selection.get("ignore", ())),
        )
    )


def _selectors(value: Selectors) -> tuple[str, ...]:
    # A lone string is one selector list (`"RG1,RG204"`), not its characters.
    return split_selectors((value,) if isinstance(value, str) else tuple(value))


def _source(text: str, path: PathArgument | None) -> Source:
    bom = text.startswith(_BOM)
    return Source(os.fspath(path) if path is not None else "-", text[1:] if bom else text, bom)


def _file(path: PathArgument | None) -> Path | None:
    return Path(path) if path is not None else None


def _input(path: PathArgument) -> inputs.Input:
    return inputs.Input(os.fspath(path), Path(path))
