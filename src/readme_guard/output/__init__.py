"""Output formats: each is a module with a `render(report, stream, color)` function.

Formats are looked up by name and imported only when chosen, so `--format json` never pays
for the text renderer and the start-up path imports none of them.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from readme_guard.diagnostic import Diagnostic
    from readme_guard.linter import FileResult

FORMATS: dict[str, str] = {
    "full": "readme_guard.output.text:render_full",
    "concise": "readme_guard.output.text:render_concise",
    "json": "readme_guard.output.json:render",
    "github": "readme_guard.output.github:render",
    "sarif": "readme_guard.output.sarif:render",
}


@dataclass
class Report:
    """Everything a format may show: each file's source and its diagnostics."""

    results: Sequence[FileResult]

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return [d for result in self.results for d in result.diagnostics]


Renderer = Callable[[Report, TextIO, bool], None]


def renderer(name: str) -> Renderer:
    module_name, _, function = FORMATS[name].partition(":")
    found: Renderer = getattr(importlib.import_module(module_name), function)
    return found
