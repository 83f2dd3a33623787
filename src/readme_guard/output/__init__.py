"""Output formats: each is a module with a `render(report, stream, color)` function.

Formats are looked up by name and imported only when chosen, so `--format json` never pays
for the text renderer and the start-up path imports none of them. `FORMATS` is the one list
of formats: the CLI's `--format` choices are its keys. This module imports nothing heavy (the
CLI reads it at start-up); `Report` lives in `output.report` and is imported on first use.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from readme_guard.output.report import Report as Report

FORMATS: dict[str, str] = {
    "full": "readme_guard.output.text:render_full",
    "concise": "readme_guard.output.text:render_concise",
    "json": "readme_guard.output.json:render",
    "github": "readme_guard.output.github:render",
    "sarif": "readme_guard.output.sarif:render",
    "rdjson": "readme_guard.output.rdjson:render",
}
STATISTICS: dict[str, str] = {
    # What `--statistics` shows instead of the findings (as JSON with `--format json`).
    "statistics": "readme_guard.output.statistics:render_text",
    "statistics-json": "readme_guard.output.statistics:render_json",
}

Renderer = Callable[["Report", TextIO, bool], None]


def __getattr__(name: str) -> object:
    # `from readme_guard.output import Report` without dataclasses at start-up (~10 ms).
    if name != "Report":
        raise AttributeError(name)
    from readme_guard.output.report import Report

    return Report


def plural(count: int, word: str) -> str:
    """`1 finding`, `2 findings`."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def renderer(name: str) -> Renderer:
    """The render function of a format (a key of FORMATS or STATISTICS)."""
    module_name, _, function = (FORMATS.get(name) or STATISTICS[name]).partition(":")
    found: Renderer = getattr(importlib.import_module(module_name), function)
    return found
