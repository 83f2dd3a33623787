"""The rule registry: every rule is a small function registered with `@rule`.

A rule's docstring is its documentation in ruff's shape (what it does, why, example, use
instead). The fenced ```markdown blocks under "Example" and "Use instead" run as tests: the
first must trigger the rule, the second must not. An info string like
```markdown files=Images/a.png``` creates those files first.

Every module of this package is a rule family: it is imported (and its rules registered) the
first time the catalogue is asked for, so a new module needs no list to be entered in. A code
or name registered twice is refused when the second module is imported.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from readme_guard.diagnostic import Finding

if TYPE_CHECKING:
    from readme_guard.context import RuleContext

CheckFunction = Callable[["RuleContext"], Iterator[Finding]]

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
    post: bool = False
    """Runs after the suppression pass, on what it decided (`RuleContext.suppressions`); its
    own findings are not suppressed."""

    @property
    def help_uri(self) -> str:
        return f"{DOCS_URL}#{self.code.lower()}-{self.name}"


class RegistrationError(Exception):
    """A rule module registers a code or name that is taken, or a malformed rule: a bug in
    the package, raised when that module is imported (the CLI shows it as an internal error)."""


_REGISTRY: dict[str, Rule] = {}
_NAMES: dict[str, Rule] = {}
_CODE = re.compile(r"RG[1-9][0-9]{2}")
_NAME = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")


def rule(
    code: str,
    name: str,
    summary: str,
    severity: str = "error",
    fixable: bool = False,
    post: bool = False,
) -> Callable[[CheckFunction], CheckFunction]:
    """Register a check function as rule `code`; `post=True` runs it after suppression."""

    def register(function: CheckFunction) -> CheckFunction:
        where = f"{function.__module__}.{function.__qualname__}"
        if not _CODE.fullmatch(code) or not _NAME.fullmatch(name):
            raise RegistrationError(
                f"{where}: rule code '{code}' or name '{name}' is malformed "
                "(codes are RG and three digits, names kebab-case)"
            )
        if severity not in ("error", "warning"):
            raise RegistrationError(f"{where}: severity of {code} must be error or warning")
        for taken in (_REGISTRY.get(code), _NAMES.get(name)):
            if taken is not None:
                raise RegistrationError(
                    f"{where}: rule {code} ({name}) clashes with {taken.code} ({taken.name}), "
                    f"registered by {taken.check.__module__}.{taken.check.__qualname__}"
                )
        found = Rule(
            code=code,
            name=name,
            summary=summary,
            severity=severity,
            fixable=fixable,
            check=function,
            doc=_dedent(function.__doc__ or summary),
            post=post,
        )
        _REGISTRY[code] = _NAMES[name] = found
        return function

    return register


def _dedent(text: str) -> str:
    # inspect.cleandoc's result without importing inspect (~25 ms) at start-up.
    import textwrap

    first, _, rest = text.partition("\n")
    return (first.strip() + "\n" + textwrap.dedent(rest)).strip()


def all_rules() -> list[Rule]:
    """Every registered rule, by code."""
    _discover()
    return [_REGISTRY[code] for code in sorted(_REGISTRY)]


@cache
def _discover() -> None:
    """Import every module of this package once: importing one registers its rules."""
    for module in pkgutil.iter_modules(__path__, f"{__name__}."):
        importlib.import_module(module.name)


def lookup(code_or_name: str) -> Rule | None:
    """The rule with this code (RG104) or name (missing-figure), any letter case."""
    wanted = code_or_name.strip().lower()
    _discover()
    return _REGISTRY.get(wanted.upper()) or _NAMES.get(wanted)


def split_selectors(values: tuple[str, ...]) -> tuple[str, ...]:
    """`("RG1,RG2", "missing-figure")` -> `("RG1", "RG2", "missing-figure")`."""
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def matches(selector: str, candidate: Rule) -> bool:
    """A selector is a code, a name, a code prefix (`RG2`) or `ALL`."""
    wanted = selector.strip().lower()
    code = candidate.code.lower()
    return wanted in ("all", code, candidate.name) or (
        wanted.startswith("rg") and code.startswith(wanted)
    )


def is_known_selector(selector: str) -> bool:
    return any(matches(selector, candidate) for candidate in all_rules())


def selector_error(selector: str) -> str | None:
    """None for a selector naming some rule, else the message, with a close name if any."""
    if is_known_selector(selector):
        return None
    from readme_guard.suggest import closest

    rules = all_rules()
    close = closest(selector, [r.code for r in rules] + [r.name for r in rules])
    hint = f"; did you mean '{close}'?" if close else " (see `readme-guard rules`)"
    return f"unknown rule selector '{selector}'{hint}"


def catalogue_markdown() -> str:
    """docs/rules.md: a table of every rule, then each rule's documentation."""
    rules = all_rules()
    parts = [
        "# Rules\n\n",
        "Generated by `readme-guard rules --markdown`; a test keeps it in step with the code.\n\n",
        "| code | name | severity | fixable | what |\n|---|---|---|---|---|\n",
    ]
    for found in rules:
        anchor = f"{found.code.lower()}-{found.name}"
        fixable = "yes" if found.fixable else ""
        summary = found.summary.replace("|", "\\|")
        parts.append(
            f"| [{found.code}](#{anchor}) | {found.name} | {found.severity} | {fixable} "
            f"| {summary} |\n"
        )
    for found in rules:
        body = found.doc.replace("\n## ", "\n### ")
        if body.startswith("## "):
            body = "#" + body
        parts.append(f"\n## {found.code} {found.name}\n\n{found.summary}.\n\n{body}\n")
    return "".join(parts)
