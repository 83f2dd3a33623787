"""rules.yaml: embedded default, profiles, overrides, discovery and errors at file:line:col."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from readme_guard import config
from readme_guard.cli import cli
from readme_guard.errors import ConfigError
from tests.conftest import ROOT, readme_guard_cli


def _load(tmp_path: Path, text: str) -> config.LoadedConfig:
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    return config.load(path)


def _error(tmp_path: Path, text: str) -> str:
    with pytest.raises(ConfigError) as caught:
        _load(tmp_path, text)
    return str(caught.value)


def test_the_embedded_default_is_the_repository_rules_yaml() -> None:
    assert config.default_config_text() == (ROOT / "rules.yaml").read_text(encoding="utf-8")


def test_default_profile_values() -> None:
    loaded = config.load(None)
    assert loaded.config.profile == "default"
    assert loaded.config.blocks.links.required == ("Paper",)
    assert loaded.config.layout.separator == "&nbsp;"


def test_weekly_profile_by_option_and_by_key(tmp_path: Path) -> None:
    assert config.load(None, "weekly").config.blocks.start is not None
    loaded = _load(tmp_path, "profile: weekly\n")
    assert loaded.config.profile == "weekly"
    assert loaded.config.blocks.description.pattern is not None


def test_user_keys_merge_onto_the_profile(tmp_path: Path) -> None:
    loaded = _load(tmp_path, "blocks:\n  links:\n    required: [Paper, Code]\n")
    assert loaded.config.blocks.links.required == ("Paper", "Code")
    assert "Slide" in loaded.config.blocks.links.labels  # untouched keys keep the default


def test_overrides_map_globs_to_profiles(tmp_path: Path) -> None:
    loaded = _load(
        tmp_path,
        "overrides:\n  - files: ['每周精读打卡.md', 'Archived/*.md']\n    profile: weekly\n",
    )
    assert loaded.for_file(tmp_path / "REPORT.md").profile == "default"
    assert loaded.for_file(tmp_path / "每周精读打卡.md").profile == "weekly"
    assert loaded.for_file(tmp_path / "Archived" / "2024论文精读归档.md").profile == "weekly"


def test_unknown_key_names_the_closest_valid_one(tmp_path: Path) -> None:
    message = _error(tmp_path, "blocks:\n  linkz:\n    required: []\n")
    assert message == f"{tmp_path / 'rules.yaml'}:2:3: unknown key 'linkz'; did you mean 'links'?"


def test_unknown_top_level_key(tmp_path: Path) -> None:
    assert _error(tmp_path, "selct: [RG1]\n").endswith(
        ":1:1: unknown key 'selct'; did you mean 'select'?"
    )


def test_wrong_type_points_at_the_value(tmp_path: Path) -> None:
    message = _error(tmp_path, "toc:\n  required: maybe\n")
    assert ":2:13: toc.required:" in message


def test_bad_regex(tmp_path: Path) -> None:
    message = _error(tmp_path, "blocks:\n  start: '[unclosed'\n")
    assert ":2:10: blocks.start: invalid regex" in message


def test_duplicate_key(tmp_path: Path) -> None:
    assert ':2:1: found duplicate key "profile"' in _error(
        tmp_path, "profile: default\nprofile: weekly\n"
    )


def test_syntax_error(tmp_path: Path) -> None:
    assert ":2:1: expected ',' or ']'" in _error(tmp_path, "select: [RG1\n")


def test_unknown_profile(tmp_path: Path) -> None:
    assert ":1:10: unknown profile 'monthly'" in _error(tmp_path, "profile: monthly\n")


def test_bad_key_inside_an_override(tmp_path: Path) -> None:
    message = _error(tmp_path, "overrides:\n  - files: [a.md]\n    blocks: {titel: {}}\n")
    assert ":3:14: unknown key 'titel'; did you mean 'title'?" in message


def test_yaml_tags_never_construct_objects(tmp_path: Path) -> None:
    message = _error(tmp_path, "repository: !!python/object/apply:os.system ['echo pwned']\n")
    assert "repository" in message  # a tagged value is inert data, refused by validation


def test_discovery_walks_up_to_the_repository_root(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".readme-guard.yaml").write_text("profile: weekly\n")
    nested = tmp_path / "Archived"
    nested.mkdir()
    assert config.find_config(nested, tmp_path) == tmp_path / ".readme-guard.yaml"
    assert config.find_config(nested, nested) is None


def test_config_errors_are_one_line_and_exit_2(tmp_path: Path) -> None:
    (tmp_path / "rules.yaml").write_text("blocks:\n  linkz: {}\n")
    (tmp_path / "README.md").write_text("# x\n")
    done = readme_guard_cli(tmp_path, "check", "README.md")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "readme-guard: error: "
        f"{(tmp_path / 'rules.yaml')}:2:3: unknown key 'linkz'; did you mean 'links'?"
    ]


def test_isolated_ignores_config_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "rules.yaml").write_text("this: is: not: yaml\n")
    (tmp_path / "README.md").write_text("# Title\n")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["check", "--isolated", "README.md"])
    assert result.exit_code == 0, result.output


def test_per_rule_severity_and_enabled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "README.md").write_text(
        "# List\n\n## A\n> A paper title (CVPR 2022)\n> ![f](https://e.org/f.png)\n>> Text.\n"
    )
    (tmp_path / "rules.yaml").write_text("rules:\n  RG102: {severity: warning}\n")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["check", "--format", "json", "README.md"])
    assert '"severity": "warning"' in result.output
    (tmp_path / "rules.yaml").write_text("rules:\n  missing-link: {enabled: false}\n")
    result = CliRunner().invoke(cli, ["check", "--format", "concise", "README.md"])
    assert "RG102" not in result.output


def test_unknown_rule_key_under_rules(tmp_path: Path) -> None:
    message = _error(tmp_path, "rules:\n  missing-figur: {severity: warning}\n")
    assert message.endswith(":2:3: unknown rule 'missing-figur'; did you mean 'missing-figure'?")


def test_a_comments_only_rules_yaml_is_the_default(tmp_path: Path) -> None:
    assert _load(tmp_path, "# nothing set yet\n").config.profile == "default"


def test_yaml_alias_bombs_are_refused(tmp_path: Path) -> None:
    levels = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for n in range(1, 9):
        previous = chr(ord("a") + n - 1)
        levels.append(
            f"{chr(ord('a') + n)}: &{chr(ord('a') + n)} [{', '.join(['*' + previous] * 9)}]"
        )
    message = _error(tmp_path, "# bomb\nprofile: default\n" + "\n".join(levels) + "\n")
    assert "YAML aliases (*name) of mappings and lists are not supported" in message


def test_a_config_that_is_not_a_regular_file_is_refused(tmp_path: Path) -> None:
    import os

    from readme_guard.errors import UsageError

    fifo = tmp_path / "rules.yaml"
    os.mkfifo(fifo)
    with pytest.raises(UsageError, match="not a regular file"):
        config.load(fifo)


def test_the_config_cache_is_used_and_checks_its_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pickle

    from readme_guard import cache

    monkeypatch.setenv("READMEGUARD_CACHE_DIR", str(tmp_path / "cache"))
    cache._memory.clear()
    loaded = _load(tmp_path, "profile: weekly\n")
    [entry] = (tmp_path / "cache").iterdir()
    cache._memory.clear()

    def no_validation(*args: object) -> None:
        raise AssertionError("validated again instead of read from the cache")

    monkeypatch.setattr(config, "_validate_text", no_validation)
    assert _load(tmp_path, "profile: weekly\n").config == loaded.config
    # An entry whose stored key differs (a checksum collision) is a miss, not a wrong config.
    stored_key, value = pickle.loads(entry.read_bytes())
    entry.write_bytes(pickle.dumps((stored_key + "x", value)))
    cache._memory.clear()
    assert cache.get(stored_key) is None


def test_a_warm_chain_of_configs_parses_no_yaml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A subfolder's rules.yaml extending the root's: once validated and cached, a run reads
    both files but parses YAML only to count overrides a file really holds."""
    (tmp_path / "rules.yaml").write_text("profile: default\noverrides: []\n", encoding="utf-8")
    (tmp_path / "log").mkdir()
    child = tmp_path / "log" / "rules.yaml"
    child.write_text("# the weekly log\nprofile: weekly\n", encoding="utf-8")
    paths = (tmp_path / "rules.yaml", child)
    config.load_chain(paths)  # validates and caches
    parsed: list[str] = []
    monkeypatch.setattr(config, "_load_yaml", lambda text, name: parsed.append(name))
    warm = config.load_chain(paths)
    assert warm.config.profile == "weekly" and parsed == []
    child.write_text("overrides:\n  - {files: ['a.md'], profile: default}\n", encoding="utf-8")
    config.load_chain(paths)
    assert str(child) in parsed  # a file with overrides of its own is parsed to count them
