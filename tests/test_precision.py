"""Issue 12 on fixtures written for it: what is never a paper, duplicates as real lists show
them, descriptions without labels, files without headings, the common formats in YAML alone
(awesome list items, tables, a heading per paper, a paragraph and its list), `init` reading
the repository, and config that is one thing (profiles, subfolders, other tools' files)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import readme_guard
from readme_guard import config, init
from readme_guard.blocks import PaperBlock, find_blocks
from readme_guard.cli import cli
from readme_guard.errors import ConfigError, UsageError
from readme_guard.linter import FileResult, Options, Run
from readme_guard.source import Source
from tests.conftest import FIXTURES, init_repo

FORMATS = FIXTURES / "formats"


def _run(
    text: str, profile: str | None = None, yaml: str | None = None, tmp: Path | None = None
) -> FileResult:
    if yaml is not None:
        assert tmp is not None
        (tmp / "rules.yaml").write_text(yaml, encoding="utf-8")
        options = Options(config_path=tmp / "rules.yaml")
        return Run(options).check_source(Source("README.md", text), tmp / "README.md")
    return Run(Options(isolated=True, profile=profile)).check_source(
        Source("README.md", text), None
    )


def _found(result: FileResult) -> list[tuple[str, int]]:
    return [(d.code, d.line) for d in result.diagnostics if d.code != "RG201"]


def _starts(result: FileResult) -> list[int]:
    return [b.start_line for b in find_blocks(result.document, result.config.blocks)]


# -- not everything in a quote is a paper ---------------------------------------------------


NOT_PAPERS = """\
> [!NOTE]
> Read [the guide](https://example.org/guide) first.

> **Warning**
> Links may rot: <https://example.org/archive>.

> An intro quote that says what the list is, with no link and no image.

## Vision

> Masked Autoencoders Are Scalable Vision Learners (CVPR 2022)
> [Paper](https://arxiv.org/abs/2111.06377)
> ![framework](https://example.org/mae.png)
>> Masks random patches and reconstructs them.
"""


@pytest.mark.parametrize("profile", ["default", "weekly", "awesome"])
def test_alerts_callouts_and_linkless_quotes_are_never_papers(profile: str) -> None:
    result = _run(NOT_PAPERS, profile)
    assert _starts(result) == ([11] if profile == "default" else [])
    assert result.config.blocks.not_papers.markup  # described in the schema, not in code


def test_entries_before_the_first_heading_and_without_headings_are_found() -> None:
    text = NOT_PAPERS.split("## Vision\n\n")[1]
    assert _starts(_run(text)) == [1]  # no heading at all
    log = (FORMATS / "no-heading-log.md").read_text(encoding="utf-8")
    assert _starts(_run(log, "weekly")) == [1, 6, 11, 15]


# -- descriptions, duplicates in a dated log ------------------------------------------------


def test_a_description_without_its_label_is_a_description() -> None:
    result = _run((FORMATS / "no-heading-log.md").read_text(encoding="utf-8"), "weekly")
    [first, *_] = find_blocks(result.document, result.config.blocks)
    assert first.description is not None and first.description.text.startswith("It segments")
    assert not [code for code, _ in _found(result) if code == "RG103"]


def test_a_dated_log_scopes_duplicates_by_date_and_name() -> None:
    result = _run((FORMATS / "no-heading-log.md").read_text(encoding="utf-8"), "weekly")
    # Read by two members (1, 6) and by one member on two dates (1, 11): no duplicate; line
    # 15 gives another paper the arXiv id of line 1.
    assert _found(result) == [("RG104", 11), ("RG301", 15)]
    [wrong] = [d for d in result.diagnostics if d.code == "RG301"]
    assert "at line 1 under 'Segment Anything' and here under 'Visual Instruction" in wrong.message
    assert wrong.message.endswith("one of these links is wrong")


def test_the_same_entry_twice_on_one_date_by_one_member_is_a_duplicate() -> None:
    entry = "> > [2023-03-05]-[Wang]-[Segment Anything](https://arxiv.org/abs/2304.02643)\n"
    entry += "> > <img src='https://example.org/a.png'>\n> > 论文简述：text.\n> >\n"
    assert _found(_run(entry + entry.replace("a.png", "b.png"), "weekly")) == [("RG301", 5)]


# -- the awesome profile ---------------------------------------------------------------------


def test_awesome_profile_reads_bold_and_first_link_titles() -> None:
    result = _run((FORMATS / "awesome.md").read_text(encoding="utf-8"), "awesome")
    blocks = find_blocks(result.document, result.config.blocks)
    titles = [b.title.text if b.title else None for b in blocks]
    assert titles[:2] == [
        "Masked Autoencoders Are Scalable Vision Learners",
        "BEiT: BERT Pre-Training of Image Transformers",
    ]
    assert [b.start_line for b in blocks] == [14, 15, 16, 17, 21, 22, 23]  # no alert, TOC, tools
    assert [link.text for link in blocks[0].labelled_links] == ["Paper", "Code"]
    assert _found(result) == [("RG107", 16), ("RG301", 17), ("RG301", 23)]


def test_duplicates_in_two_sections_are_allowed_unless_the_scope_is_the_file(
    tmp_path: Path,
) -> None:
    text = (FORMATS / "awesome.md").read_text(encoding="utf-8")
    yaml = "profile: awesome\nduplicates: {scope: file}\n"
    found = _found(_run(text, yaml=yaml, tmp=tmp_path))
    assert ("RG301", 22) in found and ("RG301", 17) in found


def test_rg107_reports_typos_only_and_rg303_never_compares_generic_texts() -> None:
    text = """\
## Tools

> Masked Autoencoders Are Scalable Vision Learners (CVPR 2022)
> [Paper](https://arxiv.org/abs/2111.06377),
> [Colab](https://github.com/facebookresearch/mae),
> [Github](https://github.com/facebookresearch/mae)
> ![framework](https://example.org/mae.png)
>> See [code](https://github.com/x/y#install) and [link](https://github.com/x/y#usage).
>> Also [paper](https://github.com/x/z) and [Github](https://github.com/x/z).
"""
    assert _found(_run(text)) == []
    two_labels = text.replace(
        "[Colab](https://github.com/facebookresearch/mae)",
        "[Code](https://arxiv.org/abs/2111.06377)",
    )
    assert _found(_run(two_labels)) == [("RG303", 5)]


# -- tables, a heading per paper, a paragraph and its list -----------------------------------


def _format(name: str, container: str, tmp: Path) -> tuple[FileResult, list[PaperBlock]]:
    """Fixture `name` under the awesome profile with another container (and its options)."""
    yaml = f"profile: awesome\nblocks:\n  container: {container}\n"
    result = _run((FORMATS / name).read_text(encoding="utf-8"), yaml=yaml, tmp=tmp)
    return result, find_blocks(result.document, result.config.blocks)


def test_a_table_row_is_an_entry_its_columns_name_the_labels(tmp_path: Path) -> None:
    options = "table\n  table: {title: '^title$'}\n  links: {required: [Paper]}"
    result, blocks = _format("table.md", options, tmp_path)
    assert next(b.title.text if b.title else "" for b in blocks).startswith("PagedAttention")
    assert [[link.text for link in b.labelled_links] for b in blocks] == [
        ["Paper", "Code"],
        ["Paper"],
        ["Code"],
    ]
    assert _found(result) == [("RG102", 7)]


def test_one_heading_per_paper(tmp_path: Path) -> None:
    options = "section\n  links: {required: [Code]}\n  description: {required: true}"
    result, blocks = _format("sections.md", options, tmp_path)
    assert [(b.start_line, b.end_line) for b in blocks] == [(5, 9), (10, 14), (17, 19)]
    assert blocks[0].section == blocks[1].section != blocks[2].section  # `## Vision`, `## Audio`
    assert _found(result) == [("RG102", 5), ("RG102", 10), ("RG103", 17)]


def test_a_title_paragraph_and_its_list_of_links(tmp_path: Path) -> None:
    options = "paragraph\n  with_list: true\n  links: {required: [Paper]}"
    result, blocks = _format("paragraph-list.md", options, tmp_path)
    assert [b.start_line for b in blocks] == [5, 9]  # not the intro paragraph, which has no list
    assert _found(result) == [("RG102", 9)]


# -- init reads the repository --------------------------------------------------------------


def _repository(tmp_path: Path) -> Path:
    (tmp_path / "Archived").mkdir()
    log = (FORMATS / "no-heading-log.md").read_text(encoding="utf-8")
    (tmp_path / "log.md").write_text(log, encoding="utf-8")
    (tmp_path / "Archived" / "2023.md").write_text(log, encoding="utf-8")
    (tmp_path / "Archived" / "2022.md").write_text(log, encoding="utf-8")
    (tmp_path / "README.md").write_text(
        (FORMATS / "awesome.md").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (tmp_path / "CONTRIBUTING.md").write_text(
        "# Contributing\n\n- Add [a paper](https://arxiv.org/abs/2111.06377) as one item.\n"
        "- Copy [this one](https://arxiv.org/abs/2111.06377) and [see](#missing).\n"
        "- Keep [the style](https://arxiv.org/abs/2111.06377).\n",
        encoding="utf-8",
    )
    return init_repo(tmp_path)


def test_init_classifies_every_markdown_file_and_writes_overrides(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _repository(tmp_path)
    found = {c.path: c.profile for c in init.plan(root).classified}
    assert found == {
        "Archived/2022.md": "weekly",
        "Archived/2023.md": "weekly",
        "CONTRIBUTING.md": "notes",
        "README.md": "awesome",
        "log.md": "weekly",
    }
    monkeypatch.chdir(root)
    result = CliRunner().invoke(cli, ["init"])
    assert result.exit_code == 0, result.output
    assert (
        "files: '^(Archived/[^/]*\\.md|CONTRIBUTING\\.md|README\\.md|log\\.md)$'" in result.output
    )
    loaded = config.load(root / "rules.yaml")
    assert loaded.config.profile == "weekly"
    assert loaded.for_file(root / "README.md").profile == "awesome"
    assert loaded.for_file(root / "CONTRIBUTING.md").blocks.container == "none"
    checked = Run(Options()).check(())
    by_file = {r.source.path: {d.code for d in r.diagnostics} for r in checked}
    assert set(by_file) == set(found)
    assert by_file["CONTRIBUTING.md"] == {"RG204"}  # anchors, yes; no RG1xx, no RG3xx


# -- config that is one thing ---------------------------------------------------------------


def test_profiles_are_discovered_from_the_profiles_folder() -> None:
    assert config.profile_names() == ("default", "awesome", "notes", "weekly")
    assert config.profile_help("weekly").startswith("a weekly reading log")
    result = CliRunner().invoke(cli, ["check", "--profile", "awsome", "-"], input="")
    assert result.exit_code == 2 and "did you mean 'awesome'?" in result.output


def test_a_subfolder_config_extends_the_root_one(tmp_path: Path) -> None:
    (tmp_path / "rules.yaml").write_text("ignore: [RG104]\nprofile: weekly\n", encoding="utf-8")
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "rules.yaml").write_text(
        "overrides:\n  - files: ['*.md']\n    rules: {RG103: {enabled: false}}\n", encoding="utf-8"
    )
    root = init_repo(tmp_path)
    run = Run(Options())
    loaded = run.loaded_config(root / "notes" / "log.md")
    per_file = loaded.for_file(root / "notes" / "log.md")
    assert per_file.profile == "weekly" and "RG104" in per_file.ignore
    assert not per_file.rules["RG103"].enabled
    assert run.project(root / "notes") is run.project(root)  # one Project per root


def test_another_tools_rules_yaml_is_skipped_with_one_notice(tmp_path: Path) -> None:
    (tmp_path / "rules.yaml").write_text(
        "rules:\n  - id: no-eval\n    pattern: eval(...)\n", encoding="utf-8"
    )
    (tmp_path / "README.md").write_text("# Title\n", encoding="utf-8")
    init_repo(tmp_path)
    for other in ("groups:\n  - name: x\n", "rules:\n- id: y\n"):
        assert config.unrelated(tmp_path / "rules.yaml", other)
    assert not config.unrelated(tmp_path / "rules.yaml", "selct: [RG1]\n")
    result = CliRunner().invoke(
        cli, ["check", str(tmp_path / "README.md"), str(tmp_path / "README.md")]
    )
    assert result.exit_code == 0, result.output
    assert result.stderr.count("not a readme-guard config") == 1
    fixed = CliRunner().invoke(cli, ["fix", str(tmp_path / "README.md")])
    assert fixed.exit_code == 0, fixed.output
    assert fixed.stderr.count("not a readme-guard config") == 1


def test_selector_errors_carry_their_position_and_a_suggestion(tmp_path: Path) -> None:
    (tmp_path / "rules.yaml").write_text(
        "ignore:\n  - RG104\n  - missing-figur\n", encoding="utf-8"
    )
    with pytest.raises(ConfigError) as caught:
        config.load(tmp_path / "rules.yaml")
    assert str(caught.value).endswith(
        ":3:5: ignore: unknown rule selector 'missing-figur'; did you mean 'missing-figure'?"
    )
    with pytest.raises(UsageError, match="did you mean 'missing-figure'"):
        readme_guard.check("", select="missng-figure")


def test_per_file_configs_come_from_the_cache_on_a_warm_run(tmp_path: Path) -> None:
    (tmp_path / "rules.yaml").write_text(
        "overrides:\n  - files: ['log.md']\n    profile: weekly\n", encoding="utf-8"
    )
    from readme_guard import cache

    first = config.load(tmp_path / "rules.yaml").for_file(tmp_path / "log.md")
    cache._memory.clear()  # a new process: only the disk cache is left
    calls: list[object] = []
    original = config._apply_overrides
    config._apply_overrides = lambda *a: calls.append(a) or original(*a)  # type: ignore[assignment]
    try:
        again = config.load(tmp_path / "rules.yaml").for_file(tmp_path / "log.md")
    finally:
        config._apply_overrides = original  # type: ignore[assignment]
    assert again == first and again.profile == "weekly" and calls == []


def test_lines_after_a_conflict_marker_are_left_to_rg601() -> None:
    text = (
        "> > [2025-08-31]-[Wang]-[Segment Anything](https://arxiv.org/abs/2304.02643)\n"
        "> > <img src='https://example.org/a.png'>\n"
        "<<<<<<< HEAD\n> > 论文简述：one.\n=======\n> > 论文简述：two.\n"
        ">>>>>>> 82ae37b2ef76a87a7d1bde5cf740265e4b2a8922\n"
        "> > [2025-08-31]-[Li]-[Visual Instruction Tuning](https://arxiv.org/abs/2304.08485)\n"
        "> > <img src='https://example.org/b.png'>\n> > 论文简述：three.\n"
    )
    found = _found(_run(text, "weekly"))
    assert {code for code, _ in found} == {"RG601"}  # no lazy line, no missing description


def test_awesome_lists_badges_names_and_quotes_in_items_are_no_findings() -> None:
    text = """\
## Decoding

- 🦩 **Speculative Decoding with Big Little Decoder** [[pdf](https://arxiv.org/abs/2302.07863)] ![](https://img.shields.io/badge/NeurIPS2023-orange)
- **Fast Inference from Transformers via Speculative Decoding** [[pdf](https://arxiv.org/abs/2211.17192)] [[memo](https://github.com/x/memo)] [[NeMo](https://github.com/x/nemo)] ![](https://img.shields.io/badge/NeurIPS2023-orange)
- **Accelerating Large Language Model Decoding with Speculative Sampling** [[pdf](https://arxiv.org/abs/2302.01318)]
    > A long abstract quoted under the item,
    > on two lines.
- **[A Survey on Speculative Decoding](https://arxiv.org/abs/2401.07851)** [[code](https://github.com/x/spec-survey)]

## Resources

- **[spec-survey](https://github.com/x/spec-survey)** The survey's paper list.
"""
    result = _run(text, "awesome")
    blocks = find_blocks(result.document, result.config.blocks)
    assert blocks[0].title is not None and blocks[0].title.text.startswith("Speculative")
    assert _found(result) == []  # shared badge, repository names, a quote, a survey's code
