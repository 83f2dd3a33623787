"""`readme-guard init` and `readme-guard schema`: the committed schema matches the models and
agrees with the config loader; init writes a working, commented rules.yaml and prints exactly
the set-up the README shows."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import readme_guard
from readme_guard import config as config_module
from readme_guard import init
from readme_guard.cli import cli
from readme_guard.errors import ConfigError
from tests.conftest import FIXTURES, ROOT, init_repo, readme_guard_cli

SCHEMA_FILE = ROOT / init.SCHEMA_PATH


def schema_validator() -> Any:
    import jsonschema

    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def yaml_data(text: str) -> Any:
    from ruamel.yaml import YAML

    return YAML(typ="safe").load(text) or {}


def test_committed_schema_is_what_schema_prints() -> None:
    result = CliRunner().invoke(cli, ["schema"])
    assert result.exit_code == 0
    assert SCHEMA_FILE.read_text(encoding="utf-8") == result.output, (
        "schema/rules.schema.json is stale: run `readme-guard schema > schema/rules.schema.json`"
    )


def test_schema_requires_nothing_but_override_files() -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    required = {name: d["required"] for name, d in schema["$defs"].items() if "required" in d}
    assert "required" not in schema
    assert required == {"Override": ["files"]}
    assert schema["$id"] == init.SCHEMA_URL


VALID = [
    "",
    "profile: weekly\n",
    "files: [README.md, 'Archived/*.md']\nrepository: ReadingPapers/Report\n",
    "toc: {required: true, marker: doctoc}\n",
    "rules:\n  RG104: {severity: warning}\n  toc-drift: {enabled: false}\n",
    "blocks:\n  links: {required: [Paper, Code]}\n",
    "overrides:\n  - files: ['weekly.md']\n    profile: weekly\n    toc: {max_level: 3}\n",
    "overrides:\n  - files: ['a.md']\n    layout: {separator: null}\n",
]
INVALID = [
    "tocs: {required: true}\n",
    "profile: daily\n",
    "toc: {marker: fancy}\n",
    "rules:\n  RG104: {severity: fatal}\n",
    "blocks:\n  links: {required: Paper}\n",
    "overrides:\n  - profile: weekly\n",
    "overrides:\n  - files: ['a.md']\n    toc: {levels: 3}\n",
]


@pytest.mark.parametrize("text", VALID)
def test_schema_accepts_what_the_loader_accepts(text: str, tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    config_module.load(path)
    assert not list(schema_validator().iter_errors(yaml_data(text)))


@pytest.mark.parametrize("text", INVALID)
def test_schema_rejects_what_the_loader_rejects(text: str, tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError):
        config_module.load(path)
    assert list(schema_validator().iter_errors(yaml_data(text)))


def test_schema_accepts_the_full_default_and_weekly_profile() -> None:
    validator = schema_validator()
    for name in ("default", "weekly"):
        text = (ROOT / "src" / "readme_guard" / "profiles" / f"{name}.yaml").read_text("utf-8")
        assert not list(validator.iter_errors(yaml_data(text))), name


@pytest.mark.parametrize("profile", ["default", "weekly"])
def test_init_writes_a_commented_config_that_loads(
    profile: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["init", "--profile", profile])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "rules.yaml").read_text(encoding="utf-8")
    assert text.splitlines()[0] == f"# yaml-language-server: $schema={init.SCHEMA_URL}"
    assert not list(schema_validator().iter_errors(yaml_data(text)))
    assert set(yaml_data(text)) == {"profile", *init.USER_KEYS}
    assert config_module.load(tmp_path / "rules.yaml").config.profile == profile
    # the default's comments of the kept keys are all there, in order
    default = config_module.default_config_text().splitlines()
    comments = [x for x in text.splitlines() if x.startswith("#")]
    for key in init.USER_KEYS:
        start = next(i for i, x in enumerate(default) if x.startswith(f"{key}:"))
        above = start
        while default[above - 1].startswith("#"):
            above -= 1
        after = start + 1
        while after < len(default) and default[after].startswith("#   "):
            after += 1
        block = default[above:start] + default[start + 1 : after]
        assert all(line in comments for line in block), key
    assert "repository: null" in text.splitlines()


def test_init_refuses_to_overwrite(tmp_path: Path) -> None:
    first = readme_guard_cli(tmp_path, "init")
    assert first.returncode == 0, first.stderr
    (tmp_path / "rules.yaml").write_text("profile: weekly\n", encoding="utf-8")
    again = readme_guard_cli(tmp_path, "init")
    assert (again.returncode, again.stdout) == (2, "")
    assert again.stderr == (
        "readme-guard: error: rules.yaml already exists; use --force to overwrite it\n"
    )
    assert (tmp_path / "rules.yaml").read_text(encoding="utf-8") == "profile: weekly\n"
    forced = readme_guard_cli(tmp_path, "init", "--force")
    assert forced.returncode == 0
    assert (tmp_path / "rules.yaml").read_text("utf-8").startswith("# yaml-language-server:")


def test_init_refuses_beside_the_other_config_name(tmp_path: Path) -> None:
    (tmp_path / ".readme-guard.yaml").write_text("profile: weekly\n", encoding="utf-8")
    result = readme_guard_cli(tmp_path, "init")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "readme-guard: error: .readme-guard.yaml already exists; use --force to overwrite it"
    ]
    assert not (tmp_path / "rules.yaml").exists()


def test_init_then_check_in_an_empty_repository(tmp_path: Path) -> None:
    init_repo(tmp_path)
    result = readme_guard_cli(tmp_path, "init")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Wrote rules.yaml (profile: default).\n")
    broken = (FIXTURES / "integrations" / "README.md").read_text("utf-8")
    clean = "# Reading list\n\n## Vision\n\n" + (
        "> Masked Autoencoders Are Scalable Vision Learners (CVPR 2022)  \n"
        "> [Paper](https://arxiv.org/abs/2111.06377)\n"
        "> ![framework](https://example.org/mae.png)\n"
        ">> Masks random patches of the image and reconstructs them.\n"
    )
    (tmp_path / "README.md").write_text(clean, encoding="utf-8")
    passed = readme_guard_cli(tmp_path, "check")
    assert (passed.returncode, passed.stderr) == (0, ""), passed.stdout
    assert passed.stdout == "All checks passed (1 file).\n"
    (tmp_path / "README.md").write_text(broken, encoding="utf-8")
    failed = readme_guard_cli(tmp_path, "check", "--format", "concise", "--select", "RG102")
    assert failed.returncode == 1
    assert "README.md:34:3: error RG102" in failed.stdout


def printed_snippets(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> tuple[str, str]:
    """(pre-commit entry, workflow) as `init` prints them for the version in pyproject.toml."""
    version = re.search(r'^version = "([^"]+)"', (ROOT / "pyproject.toml").read_text("utf-8"), re.M)
    assert version
    monkeypatch.setattr(readme_guard, "__version__", version.group(1))
    monkeypatch.chdir(tmp_path)
    output = CliRunner().invoke(cli, ["init"]).output
    _, _, rest = output.partition("Add this to .pre-commit-config.yaml:\n\n")
    precommit, _, rest = rest.partition(f"\nSave this as {init.WORKFLOW_PATH}:\n\n")
    assert precommit and rest
    return precommit, rest


def test_readme_shows_exactly_what_init_prints(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    _, _, section = readme.partition("\n## Use it in pre-commit and GitHub Actions\n")
    assert section, "README.md lacks the section '## Use it in pre-commit and GitHub Actions'"
    fences = re.findall(r"^```yaml\n(.*?)^```$", section, re.M | re.S)
    precommit, workflow = printed_snippets(monkeypatch, tmp_path)
    assert workflow in fences
    assert precommit in fences
    assert f"@v{readme_guard.__version__}" in workflow


@pytest.mark.parametrize(
    ("version", "ref"),
    [("0.1.0", "v0.1.0"), ("1.2.3rc1", "v1.2.3rc1"), ("0+unknown", "main"), ("0.2.dev3", "main")],
)
def test_release_ref(version: str, ref: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readme_guard, "__version__", version)
    assert init.release() == ref


def test_printed_workflow_is_valid_yaml_using_this_action(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    precommit, workflow = printed_snippets(monkeypatch, tmp_path)
    steps = yaml_data(workflow)["jobs"]["readme-guard"]["steps"]
    (ours,) = [s for s in steps if s["uses"].startswith(init.REPOSITORY)]
    assert set(ours["with"]) <= set(yaml_data((ROOT / "action.yml").read_text("utf-8"))["inputs"])
    upload = steps[-1]
    assert upload["with"]["sarif_file"] == ours["with"]["sarif-file"]
    hooks = yaml_data(precommit)["repos"][0]["hooks"]
    assert [h["id"] for h in hooks] == ["readme-guard", "readme-guard-references"]
