"""The library: check and fix Markdown text or files from Python, as the CLI does.

    >>> import readme_guard
    >>> text = "## Papers\\n\\n> A title (CVPR 2022)\\nwrapped on a lazy line\\n"
    >>> [d.code for d in readme_guard.check(text, select=["RG501"])]
    ['RG501']
    >>> print(readme_guard.fix(text, select=["RG501"]), end="")
    ## Papers
    <BLANKLINE>
    > A title (CVPR 2022)
    > wrapped on a lazy line

Every function takes the same keywords as the CLI's options: `config` (a rules.yaml; by
default the one found from `path` upwards, as `readme-guard check` finds it), `isolated`
(ignore every config file), `profile` (a shipped profile), `select` and `ignore` (codes,
names or prefixes). `path` says where the text lives: relative links are checked against that
folder, and it is the path the diagnostics name. A bad input or config raises
`ReadmeGuardError` with the one-line message the CLI would print.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from readme_guard import inputs
from readme_guard.diagnostic import Diagnostic
from readme_guard.linter import Options, Run
from readme_guard.rules import split_selectors
from readme_guard.source import Source

__all__ = ["check", "check_file", "fix", "fix_file"]

PathArgument = str | os.PathLike[str]
Selectors = str | Iterable[str]
_BOM = "\ufeff"


def check(
    text: str,
    *,
    path: PathArgument | None = None,
    config: PathArgument | None = None,
    isolated: bool = False,
    profile: str | None = None,
    select: Selectors | None = None,
    ignore: Selectors = (),
) -> list[Diagnostic]:
    """The findings in Markdown `text`, sorted by line, suppression comments applied."""
    run = _run(config, isolated, profile, select, ignore)
    return run.check_source(_source(text, path), _file(path)).diagnostics


def check_file(
    path: PathArgument,
    *,
    config: PathArgument | None = None,
    isolated: bool = False,
    profile: str | None = None,
    select: Selectors | None = None,
    ignore: Selectors = (),
) -> list[Diagnostic]:
    """The findings in the Markdown file at `path` (UTF-8; a BOM and any newlines allowed)."""
    run = _run(config, isolated, profile, select, ignore)
    return run.check_input(_input(path)).diagnostics


def fix(
    text: str,
    *,
    path: PathArgument | None = None,
    config: PathArgument | None = None,
    isolated: bool = False,
    profile: str | None = None,
    select: Selectors | None = None,
    ignore: Selectors = (),
) -> str:
    """`text` with every fix of the selected rules applied that keeps GitHub's rendering
    (checked with cmark-gfm); every other byte is kept. Text with merge-conflict markers is
    refused (`ReadmeGuardError`)."""
    from readme_guard.fixing import fix_source  # cmark-gfm only when fixing

    source = _source(text, path)
    outcome = fix_source(_run(config, isolated, profile, select, ignore), source, _file(path))
    return (_BOM if source.bom else "") + outcome.text


def fix_file(
    path: PathArgument,
    *,
    config: PathArgument | None = None,
    isolated: bool = False,
    profile: str | None = None,
    select: Selectors | None = None,
    ignore: Selectors = (),
) -> bool:
    """Fix the file at `path` in place, as `readme-guard fix` does (atomically, and only if
    it did not change meanwhile); True when it was rewritten."""
    run = _run(config, isolated, profile, select, ignore)
    return run.fix_input(_input(path)).changed


def _run(
    config: PathArgument | None,
    isolated: bool,
    profile: str | None,
    select: Selectors | None,
    ignore: Selectors,
) -> Run:
    return Run(
        Options(
            config_path=Path(config) if config is not None else None,
            isolated=isolated,
            profile=profile,
            select=None if select is None else _selectors(select),
            ignore=_selectors(ignore),
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
