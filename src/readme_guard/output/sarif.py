"""`--format sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

Locations are relative to the git top level (`uriBaseId: %SRCROOT%`), so an upload from any
folder of the checkout points at the right file. Each result carries a `partialFingerprints`
entry built from the rule, the file and the finding's own line text (not its line number), so
code scanning follows a finding across commits that move it up or down.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from readme_guard.fingerprint import fingerprints
from readme_guard.output import Report
from readme_guard.output.escape import uri_path, visible

if TYPE_CHECKING:
    from readme_guard.diagnostic import Diagnostic
    from readme_guard.linter import FileResult
    from readme_guard.rules import Rule

SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
INFORMATION_URI = "https://github.com/readme-guard/readme-guard"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "readmeGuard/v1"


class RepositoryPaths:
    """Paths relative to the git top level of each file, asking git once per folder."""

    def __init__(self) -> None:
        self._roots: dict[Path, Path | None] = {}

    def root(self, folder: Path) -> Path | None:
        if folder not in self._roots:
            from readme_guard.project import Project

            self._roots[folder] = Project(folder).git_root
        return self._roots[folder]

    def relative(self, result: FileResult, given: str) -> tuple[str, Path | None]:
        """(path relative to the repository with `/`, the repository root), or
        (`given` with `/`, None) when the file is stdin or outside any repository."""
        if result.path is not None:
            resolved = result.path.resolve()
            root = self.root(resolved.parent)
            if root is not None and resolved.is_relative_to(root):
                return resolved.relative_to(root).as_posix(), root
        return Path(given).as_posix(), None


def _first_paragraph(doc: str, heading: str = "## What it does") -> str:
    """The paragraph under `heading` in a rule's documentation, on one line."""
    _, found, rest = doc.partition(heading)
    text = rest if found else doc
    paragraph = text.strip().split("\n\n", 1)[0]
    return " ".join(line.strip() for line in paragraph.splitlines() if not line.startswith("#"))


def _rule_descriptor(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": _first_paragraph(rule.doc) or rule.summary},
        "help": {"text": rule.doc, "markdown": rule.doc},
        "helpUri": rule.help_uri,
        "defaultConfiguration": {"level": rule.severity},
        "properties": {"fixable": rule.fixable},
    }


def _region(d: Diagnostic) -> dict[str, int]:
    return {
        "startLine": d.span.line,
        "startColumn": d.span.column,
        "endLine": d.span.end_line,
        "endColumn": max(d.span.end_column, 1),
    }


def _results(
    report: Report, rule_index: dict[str, int], roots: dict[str, str]
) -> Iterator[dict[str, Any]]:
    paths = RepositoryPaths()
    for result in report.results:
        relative, root = paths.relative(result, result.source.path)
        location: dict[str, Any] = {"uri": uri_path(relative)}
        if root is not None:
            location["uriBaseId"] = SRCROOT
            roots.setdefault(SRCROOT, root.as_uri() + "/")
        prints = fingerprints(relative, result.source, result.diagnostics)
        for d, print_ in zip(result.diagnostics, prints, strict=True):
            item: dict[str, Any] = {
                "ruleId": d.code,
                "level": "error" if d.severity == "error" else "warning",
                "message": {"text": visible(d.message)},
                "locations": [
                    {"physicalLocation": {"artifactLocation": location, "region": _region(d)}}
                ],
                "partialFingerprints": {FINGERPRINT_KEY: print_},
            }
            if d.code in rule_index:
                item["ruleIndex"] = rule_index[d.code]
            yield item


def as_dict(report: Report) -> dict[str, Any]:
    from readme_guard import __version__
    from readme_guard.rules import all_rules

    rules = all_rules()
    rule_index = {r.code: i for i, r in enumerate(rules)}
    roots: dict[str, str] = {}
    results = list(_results(report, rule_index, roots))
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "readme-guard",
                "version": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [_rule_descriptor(r) for r in rules],
            }
        },
        # Our columns count Unicode characters; SARIF's default is UTF-16 code units.
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    if roots:
        run["originalUriBaseIds"] = {name: {"uri": uri} for name, uri in roots.items()}
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(report: Report, stream: TextIO, color: bool) -> None:
    json.dump(as_dict(report), stream, ensure_ascii=False, indent=2)
    stream.write("\n")
