"""The library: `readme_guard.check`, `check_file`, `fix`, `fix_file`; the rule registry;
the formats the CLI offers."""

from __future__ import annotations

import doctest
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import readme_guard
from readme_guard import api
from readme_guard.cli import cli
from readme_guard.diagnostic import Finding
from readme_guard.linter import Options, Run
from readme_guard.output import FORMATS
from readme_guard.rules import RegistrationError, all_rules, lookup, rule
from tests.conftest import init_repo

# A paper block of the default profile without its Paper link (RG102), with a figure that is
# not in the repository (RG201) and a lazy continuation line (RG501, fixable).
BLOCK = """\
## Vision

> Masked Autoencoders Are Scalable Vision Learners (CVPR 2022)
> [Code](https://github.com/facebookresearch/mae)
> ![framework](Images/mae.png)
>> Masks random patches of the input image
and reconstructs the missing pixels.
"""


def _codes(diagnostics: list[readme_guard.Diagnostic]) -> list[tuple[str, int]]:
    return [(d.code, d.line) for d in diagnostics]


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository holding README.md (BLOCK) and no Images/ folder; the cwd elsewhere."""
    (tmp_path / "README.md").write_text(BLOCK, encoding="utf-8")
    init_repo(tmp_path)
    elsewhere = tmp_path.parent / f"{tmp_path.name}-cwd"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    return tmp_path


def test_module_example_runs() -> None:
    failures, tried = doctest.testmod(api)
    assert tried > 0 and failures == 0


def test_check_text_without_a_path_skips_what_needs_the_disk() -> None:
    found = readme_guard.check(BLOCK)
    assert _codes(found) == [("RG102", 3), ("RG501", 7)]
    assert {d.path for d in found} == {"-"}
    assert found[1].fixable and found[1].severity == "warning"


def test_check_text_at_a_path_checks_its_relative_links(repo: Path) -> None:
    found = readme_guard.check(BLOCK, path=repo / "README.md")
    assert _codes(found) == [("RG102", 3), ("RG201", 5), ("RG501", 7)]
    assert found[0].path == str(repo / "README.md")


def test_check_file_is_what_the_cli_reports(repo: Path) -> None:
    readme = str(repo / "README.md")
    done = CliRunner().invoke(cli, ["check", "--format", "json", readme])
    shown = [(d["code"], d["line"], d["message"]) for d in json.loads(done.output)["diagnostics"]]
    found = readme_guard.check_file(readme)
    assert [(d.code, d.line, d.message) for d in found] == shown
    assert len(shown) == 3


def test_config_is_discovered_from_the_path_unless_given_or_isolated(repo: Path) -> None:
    (repo / "rules.yaml").write_text("ignore: [RG2]\n", encoding="utf-8")
    readme = repo / "README.md"
    assert _codes(readme_guard.check_file(readme)) == [("RG102", 3), ("RG501", 7)]
    assert _codes(readme_guard.check_file(readme, isolated=True)) == [
        ("RG102", 3),
        ("RG201", 5),
        ("RG501", 7),
    ]
    other = repo.parent / f"{repo.name}-other.yaml"
    other.write_text("ignore: [RG1]\n", encoding="utf-8")
    assert _codes(readme_guard.check(BLOCK, path=readme, config=other)) == [
        ("RG201", 5),
        ("RG501", 7),
    ]


def test_selectors_as_one_string_or_a_list() -> None:
    assert _codes(readme_guard.check(BLOCK, select="RG1,RG204")) == [("RG102", 3)]
    assert _codes(readme_guard.check(BLOCK, select=["RG5"], ignore="block-separator")) == [
        ("RG501", 7)
    ]
    assert readme_guard.check(BLOCK, ignore=["RG1", "RG5"]) == []


def test_errors_are_one_line_readme_guard_errors(tmp_path: Path) -> None:
    with pytest.raises(readme_guard.ReadmeGuardError, match="unknown rule selector 'RG9'"):
        readme_guard.check(BLOCK, select="RG9")
    with pytest.raises(readme_guard.ReadmeGuardError, match=r"missing\.md: cannot read"):
        readme_guard.check_file(tmp_path / "missing.md")
    (tmp_path / "bad.yaml").write_text("profile: [\n", encoding="utf-8")
    with pytest.raises(readme_guard.ReadmeGuardError, match=r"bad\.yaml:\d+:\d+: "):
        readme_guard.check(BLOCK, config=tmp_path / "bad.yaml")
    (tmp_path / "utf16.md").write_bytes(BLOCK.encode("utf-16"))
    with pytest.raises(readme_guard.ReadmeGuardError, match="UTF-16"):
        readme_guard.check_file(tmp_path / "utf16.md")


def test_fix_keeps_the_bom_and_every_line_ending() -> None:
    text = "\ufeff" + BLOCK.replace("\n", "\r\n")
    fixed = readme_guard.fix(text)
    assert fixed == text.replace("\r\nand reconstructs", "\r\n>> and reconstructs")
    assert readme_guard.check(fixed, select="RG5") == []
    assert readme_guard.fix(fixed) == fixed


def test_fix_leaves_text_with_conflict_markers_alone() -> None:
    text = BLOCK + "\n<<<<<<< HEAD\none\n=======\ntwo\n>>>>>>> theirs\n"
    with pytest.raises(readme_guard.ReadmeGuardError, match=r"merge conflict at lines 9-13"):
        readme_guard.fix(text)


def test_fix_file_rewrites_once(repo: Path) -> None:
    readme = repo / "README.md"
    assert readme_guard.fix_file(readme) is True
    assert readme.read_text(encoding="utf-8") == BLOCK.replace(
        "\nand reconstructs", "\n>> and reconstructs"
    )
    assert readme_guard.fix_file(readme) is False
    assert _codes(readme_guard.check_file(readme)) == [("RG102", 3), ("RG201", 5)]


def test_run_fix_names_a_file_it_cannot_fix_and_fixes_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The loop `readme-guard fix` prints from: one result per input, in order."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.md").write_bytes(BLOCK.encode("utf-16"))
    (tmp_path / "b.md").write_text(BLOCK, encoding="utf-8")
    (tmp_path / "c.md").write_text(BLOCK, encoding="utf-8")
    run = Run(Options(isolated=True))
    [dry] = run.fix(("c.md",), write=False)
    assert dry.outcome is not None and dry.outcome.changed and dry.outcome.fixed == 1
    assert (tmp_path / "c.md").read_text(encoding="utf-8") == BLOCK
    first, second = run.fix(("a.md", "b.md"))
    assert first.item.display == "a.md" and first.outcome is None
    assert first.error is not None and first.error.startswith("a.md: UTF-16 text")
    assert second.error is None and second.outcome is not None
    assert (tmp_path / "b.md").read_text(encoding="utf-8") == second.outcome.text != BLOCK


def test_importing_the_package_loads_nothing_until_asked() -> None:
    code = (
        "import sys, readme_guard\n"
        "heavy = ('readme_guard.', 'cmarkgfm', 'markdown_it', 'pydantic', 'click')\n"
        "print(sorted(m for m in sys.modules if m.startswith(heavy)))\n"
        "readme_guard.check('# Title\\n')\n"
        "print('readme_guard.linter' in sys.modules, 'readme_guard.fixing' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["[]", "True", "False"]


def test_the_package_names_its_api() -> None:
    assert readme_guard.check is api.check and readme_guard.fix is api.fix
    assert set(readme_guard.__all__) >= {"check", "check_file", "fix", "fix_file", "Diagnostic"}
    assert (Path(readme_guard.__file__).parent / "py.typed").is_file()
    with pytest.raises(AttributeError, match="no attribute 'lint'"):
        _ = readme_guard.lint  # type: ignore[attr-defined]


# -- the registry --------------------------------------------------------------------------


def _nothing(ctx: object) -> Iterator[Finding]:
    return iter(())


@pytest.mark.parametrize(
    ("code", "name", "clash"),
    [
        ("RG104", "missing-picture", "clashes with RG104 (missing-figure)"),
        ("RG199", "missing-figure", "clashes with RG104 (missing-figure)"),
        ("RG10", "short-code", "malformed"),
        ("RG199", "Missing_Figure", "malformed"),
    ],
)
def test_a_taken_or_malformed_code_or_name_is_refused(code: str, name: str, clash: str) -> None:
    before = all_rules()
    with pytest.raises(RegistrationError, match=re.escape(clash)):
        rule(code, name, "A rule registered twice")(_nothing)
    assert all_rules() == before
    assert lookup(name) is None or lookup(name) == lookup("RG104")


def test_a_severity_other_than_error_or_warning_is_refused() -> None:
    with pytest.raises(RegistrationError, match="severity of RG199 must be error or warning"):
        rule("RG199", "some-check", "A rule with a made-up severity", severity="info")(_nothing)
    assert lookup("RG199") is None


def test_every_module_of_the_rules_package_is_discovered() -> None:
    folder = Path(readme_guard.__file__).parent / "rules"
    modules = {f"readme_guard.rules.{p.stem}" for p in folder.glob("*.py") if p.stem != "__init__"}
    assert {r.check.__module__ for r in all_rules()} == modules
    assert len(all_rules()) == 23


def test_only_the_suppression_check_runs_after_the_suppression_pass() -> None:
    assert [r.code for r in all_rules() if r.post] == ["RG602"]


def test_every_format_is_offered_by_the_cli(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text(BLOCK, encoding="utf-8")
    for name in FORMATS:
        done = CliRunner().invoke(cli, ["check", "--isolated", "--format", name, "-"], input=BLOCK)
        assert done.exit_code == 1 and "RG102" in done.output, (name, done.output)
