"""Every rule's documentation examples run: "Example" must trigger the rule, "Use instead"
must not. Info-string flags set the scene: ```markdown files=Images/a.png untracked=b.png
repository=Owner/Repo creates committed files, untracked files and a rules.yaml."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

import readme_guard
from readme_guard.rules import Rule, all_rules
from tests.conftest import init_repo

_SECTION = re.compile(r"^## (Example|Use instead)\s*$", re.MULTILINE)
_FENCE = re.compile(
    r"^```markdown(?P<info>[^\n]*)\n(?P<body>.*?)^```\s*$", re.MULTILINE | re.DOTALL
)
_REQUIRED_SECTIONS = ("## What it does", "## Why is this bad?", "## Example", "## Use instead")


@dataclass(frozen=True)
class Example:
    rule: Rule
    kind: str  # "Example" or "Use instead"
    body: str
    flags: dict[str, str]


def _examples(rule: Rule) -> list[Example]:
    found = []
    parts = _SECTION.split(rule.doc)
    for kind, text in zip(parts[1::2], parts[2::2], strict=True):
        fence = _FENCE.search(text)
        assert fence, f"{rule.code}: '## {kind}' has no ```markdown block"
        flags = dict(item.split("=", 1) for item in fence.group("info").split() if "=" in item)
        found.append(Example(rule, kind, fence.group("body"), flags))
    return found


ALL_EXAMPLES = [example for rule in all_rules() for example in _examples(rule)]


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.code)
def test_every_rule_is_documented(rule: Rule) -> None:
    for section in _REQUIRED_SECTIONS:
        assert section in rule.doc, f"{rule.code} documentation lacks '{section}'"
    kinds = [example.kind for example in _examples(rule)]
    assert kinds == ["Example", "Use instead"]


def _run(example: Example, folder: Path, monkeypatch: pytest.MonkeyPatch) -> set[str]:
    for name in example.flags.get("files", "").split(","):
        if name:
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).touch()
    if "repository" in example.flags:
        (folder / "rules.yaml").write_text(f"repository: {example.flags['repository']}\n")
    if "config" in example.flags:  # rules.yaml as a flow mapping: config={"toc":{"required":true}}
        (folder / "rules.yaml").write_text(example.flags["config"] + "\n")
    (folder / "README.md").write_text(example.body, encoding="utf-8")
    init_repo(folder)
    for name in example.flags.get("untracked", "").split(","):
        if name:
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).touch()
    monkeypatch.chdir(folder)
    return {d.code for d in readme_guard.check_file("README.md")}


@pytest.mark.parametrize(
    "example", ALL_EXAMPLES, ids=lambda e: f"{e.rule.code}-{e.kind.replace(' ', '-')}"
)
def test_documentation_example(
    example: Example, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    codes = _run(example, tmp_path, monkeypatch)
    if example.kind == "Example":
        assert example.rule.code in codes
    else:
        assert example.rule.code not in codes, codes


def test_docs_rules_md_is_generated_from_the_code() -> None:
    from readme_guard.rules import catalogue_markdown
    from tests.conftest import ROOT

    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == catalogue_markdown(), "run: readme-guard rules --markdown > docs/rules.md"


def test_help_uris_point_at_headings_of_docs_rules_md() -> None:
    from readme_guard.markdown import parse
    from readme_guard.source import decode
    from tests.conftest import ROOT

    document = parse(decode((ROOT / "docs" / "rules.md").read_bytes(), "docs/rules.md"))
    for rule in all_rules():
        assert rule.help_uri.endswith("docs/rules.md#" + f"{rule.code.lower()}-{rule.name}")
        assert f"{rule.code.lower()}-{rule.name}" in document.anchors
