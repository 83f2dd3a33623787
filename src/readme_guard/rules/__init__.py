"""The rule registry: every rule is a small function registered with `@rule`.

A rule's docstring is its documentation in ruff's shape (what it does, why, example, use
instead). The fenced ```markdown blocks under "Example" and "Use instead" run as tests: the
first must trigger the rule, the second must not. An info string like
```markdown files=Images/a.png``` creates those files first.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from readme_guard.diagnostic import Finding

if TYPE_CHECKING:
    from readme_guard.context import RuleContext

CheckFunction = Callable[["RuleContext"], Iterator[Finding]]

# One module per rule family, in code order.
FAMILIES = ("fields", "paths", "anchors", "duplicates", "toc", "layout", "hygiene")
DOCS_URL = "https://github.com/readme-guard/readme-guard/blob/main/docs/rules.md"


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    summary: str
    severity: str
    fixable: bool
    check: CheckFunction
    doc: str

    @property
    def help_uri(self) -> str:
        return f"{DOCS_URL}#{self.code.lower()}-{self.name}"


_REGISTRY: dict[str, Rule] = {}


def rule(
    code: str, name: str, summary: str, severity: str = "error", fixable: bool = False
) -> Callable[[CheckFunction], CheckFunction]:
    """Register a check function as rule `code`."""

    def register(function: CheckFunction) -> CheckFunction:
        _REGISTRY[code] = Rule(
            code=code,
            name=name,
            summary=summary,
            severity=severity,
            fixable=fixable,
            check=function,
            doc=_dedent(function.__doc__ or summary),
        )
        return function

    return register


def _dedent(text: str) -> str:
    import inspect

    return inspect.cleandoc(text)


def all_rules() -> list[Rule]:
    """Every registered rule, by code."""
    if not _REGISTRY or len(_loaded) < len(FAMILIES):
        for family in FAMILIES:
            if family not in _loaded:
                importlib.import_module(f"readme_guard.rules.{family}")
                _loaded.add(family)
    return [_REGISTRY[code] for code in sorted(_REGISTRY)]


_loaded: set[str] = set()


def lookup(code_or_name: str) -> Rule | None:
    """The rule with this code (RG104) or name (missing-figure), any letter case."""
    wanted = code_or_name.strip().lower()
    for candidate in all_rules():
        if wanted in (candidate.code.lower(), candidate.name):
            return candidate
    return None


def matches(selector: str, candidate: Rule) -> bool:
    """A selector is a code, a name, a code prefix (`RG2`) or `ALL`."""
    wanted = selector.strip().lower()
    code = candidate.code.lower()
    return wanted in ("all", code, candidate.name) or (
        wanted.startswith("rg") and code.startswith(wanted)
    )


def is_known_selector(selector: str) -> bool:
    return any(matches(selector, candidate) for candidate in all_rules())
