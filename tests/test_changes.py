"""`check --changed-since REF` and baselines on the bundled example in a real git repository:
only what a change introduced is reported, matched by line-shift-stable fingerprints."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from readme_guard.cli import cli
from tests.conftest import ROOT, git

NEW_ENTRY = (
    "\n&nbsp;\n"
    "> BLIP: Bootstrapping Language-Image Pre-training (ICML 2022)  \n"
    "> [Paper](https://arxiv.org/abs/2201.12086),\n"
    "> [Code](https://github.com/salesforce/BLIP)\n"
    "> ![framework](Images/blip.png)\n"
    ">> Bootstraps captions from noisy web data\n"
    "to pretrain a vision-language model.\n"
)
# What the change introduces: the TOC entry of the renamed heading is broken (RG402 and RG204
# on line 11, a line nobody touched), the renamed heading is missing from the TOC (RG402 on
# the changed line 53), and the new entry's two problems: a figure that does not exist and a
# lazy continuation line (a warning, which `fix` can fix).
INTRODUCED = [("RG402", 11), ("RG204", 11), ("RG402", 53), ("RG201", 66), ("RG501", 68)]
LAZY_LINE = 68


def change(folder: Path) -> None:
    """Rename one heading and add one entry with two problems, and commit."""
    readme = folder / "README.md"
    text = readme.read_text(encoding="utf-8")
    assert "\n## Multimodality\n" in text
    text = text.replace("\n## Multimodality\n", "\n## Multimodal learning\n") + NEW_ENTRY
    readme.write_text(text, encoding="utf-8")
    git(folder, "commit", "-q", "-am", "rename a heading, add BLIP")


def check_json(folder: Path, *args: str) -> tuple[int, list[tuple[str, int]], str]:
    result = CliRunner().invoke(cli, ["check", "--format", "json", *args, "README.md"])
    if result.exit_code == 2:
        return 2, [], result.output
    found = json.loads(result.stdout)["diagnostics"]
    return result.exit_code, [(d["code"], d["line"]) for d in found], result.output


def test_changed_since_reports_exactly_what_the_change_introduced(example_list: Path) -> None:
    _, before, _ = check_json(example_list)
    assert len(before) == 8  # the example's deliberate problems
    change(example_list)
    _, everything, _ = check_json(example_list)
    assert len(everything) == 8 + len(INTRODUCED)
    code, found, _ = check_json(example_list, "--changed-since", "HEAD~1")
    assert code == 1
    assert found == INTRODUCED
    # nothing old: every other finding of today is one of the example's, moved or not
    assert not set(found) & {(c, n) for c, n in before}


def test_a_baseline_written_before_the_change_gives_the_same_answer(example_list: Path) -> None:
    result = CliRunner().invoke(cli, ["check", "--write-baseline", "baseline.json", "README.md"])
    assert result.exit_code == 0
    assert "recorded 8 findings in baseline.json" in result.output
    recorded = json.loads((example_list / "baseline.json").read_text(encoding="utf-8"))
    assert [f["code"] for f in recorded["findings"]].count("RG302") == 2
    change(example_list)
    code, found, _ = check_json(example_list, "--baseline", "baseline.json")
    assert (code, found) == (1, INTRODUCED)
    text = CliRunner().invoke(cli, ["check", "--baseline", "baseline.json", "README.md"]).output
    assert "Found 5 findings not in the baseline (4 errors, 1 warning)." in text
    assert "baseline entr" not in text  # every recorded finding is still there


def test_fixed_findings_make_baseline_entries_stale(example_list: Path) -> None:
    CliRunner().invoke(cli, ["check", "--write-baseline", "baseline.json", "README.md"])
    readme = example_list / "README.md"
    readme.write_text(readme.read_text("utf-8").replace(">> 描述", ">> Real words."), "utf-8")
    result = CliRunner().invoke(cli, ["check", "--baseline", "baseline.json", "README.md"])
    assert result.exit_code == 0
    assert "README.md:39: RG105 baseline entry matches no finding any more" in result.output
    assert "1 baseline entry matches no finding" in result.output


def test_lines_moving_is_not_a_change_of_findings(example_list: Path) -> None:
    readme = example_list / "README.md"
    text = readme.read_text("utf-8")
    readme.write_text(text.replace("## Deep Learning\n", "## Deep Learning\n\nIntro.\n\n"), "utf-8")
    code, found, output = check_json(example_list, "--changed-since", "HEAD")
    assert (code, found) == (0, []), output


def test_a_deleted_image_breaks_a_list_nobody_edited(example_list: Path) -> None:
    git(example_list, "rm", "-q", "Images/albef.png")
    code, found, _ = check_json(example_list, "--changed-since", "HEAD")
    assert (code, found) == (1, [("RG201", 59)])


def test_a_renamed_list_keeps_its_old_findings(example_list: Path) -> None:
    git(example_list, "mv", "README.md", "LIST.md")
    result = CliRunner().invoke(cli, ["check", "--changed-since", "HEAD", "LIST.md"])
    assert result.exit_code == 0, result.output
    assert "8 known findings not shown" in result.output


def test_a_copied_entry_is_the_new_finding_even_above_the_old_one(example_list: Path) -> None:
    """Two identical (rule, line text) findings: the one on the changed lines is the new one."""
    readme = example_list / "README.md"
    copied = (
        "&nbsp;\n> VideoMAE: Masked Autoencoders Are Data-Efficient Learners (NeurIPS 2022)  \n"
        "> [Paper](https://arxiv.org/abs/2203.12602)\n> ![framework](Images/siammae.png)\n"
        ">> Masks video tubes at a very high ratio.\n\n"
    )
    text = readme.read_text("utf-8").replace(
        "### Video pretraining\n", copied + "### Video pretraining\n"
    )
    readme.write_text(text, "utf-8")
    lines = text.splitlines()
    figure = "> ![framework](Images/siammae.png)"
    uses = [n for n, line in enumerate(lines, start=1) if line == figure]
    assert len(uses) == 3  # SiamMAE's own, the copy's, EVT's (already a reuse at HEAD)
    _, found, _ = check_json(example_list, "--changed-since", "HEAD")
    assert found == [("RG302", uses[1])]


@pytest.mark.parametrize(
    "revision",
    ["--output=pwned", "-p", "HEAD;touch pwned", "$(touch pwned)", "a..b", "HEAD\n", "x y", ""],
)
def test_a_hostile_revision_is_refused_in_one_line(example_list: Path, revision: str) -> None:
    result = CliRunner().invoke(cli, ["check", "--changed-since", revision, "README.md"])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1
    assert "is not a revision name" in result.output
    assert not list(example_list.glob("pwned*"))


def test_an_unknown_revision_and_a_folder_outside_git(example_list: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["check", "--changed-since", "v9.9", "README.md"])
    assert (result.exit_code, result.output.count("\n")) == (2, 1)
    assert "'v9.9' is not a commit of this repository" in result.output
    outside = tmp_path / "plain"
    outside.mkdir()
    (outside / "README.md").write_text("# Title\n", "utf-8")
    result = CliRunner().invoke(
        cli, ["check", "--changed-since", "HEAD", str(outside / "README.md")]
    )
    assert result.exit_code == 2 and "is not in a git repository" in result.output


@pytest.mark.parametrize(
    "content",
    [
        b"not json",
        b"\xff\xfe",
        b"[]",
        b'{"version": 2, "findings": []}',
        b'{"version": 1}',
        b'{"version": 1, "findings": [{"key": "k", "path": "README.md"}]}',
        b'{"version": 1, "findings": [{"key": 1, "path": "a", "line": 1, "code": "c", "message": "m"}]}',
        b"[" * 100_000,
    ],
)
def test_a_malformed_baseline_is_one_error_line(example_list: Path, content: bytes) -> None:
    (example_list / "baseline.json").write_bytes(content)
    result = CliRunner().invoke(cli, ["check", "--baseline", "baseline.json", "README.md"])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1
    assert result.output.startswith(
        "readme-guard: error: baseline.json: not a readme-guard baseline"
    )


def test_fail_on_decides_whether_warnings_fail(example_list: Path) -> None:
    readme = example_list / "README.md"
    (example_list / "rules.yaml").write_text("select: [RG302]\n", encoding="utf-8")
    default = CliRunner().invoke(cli, ["check", "--format", "concise", "README.md"])
    assert default.exit_code == 0
    assert "README.md:50:16: warning RG302 duplicate asset" in default.output
    assert "No finding at or above --fail-on error: the run passes." in default.output
    strict = CliRunner().invoke(cli, ["check", "--fail-on", "warning", "README.md"])
    assert strict.exit_code == 1
    assert readme.exists()


def test_statistics_count_per_rule(example_list: Path) -> None:
    result = CliRunner().invoke(cli, ["check", "--statistics", "README.md"])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == "2\tRG302\t    duplicate-asset"
    assert "1\tRG204\t[*] broken-anchor" in lines
    assert lines[-1] == "Found 8 findings."
    data = CliRunner().invoke(cli, ["check", "--statistics", "--format", "json", "README.md"])
    rows = json.loads(data.stdout)
    assert {"code": "RG402", "name": "toc-drift", "count": 1, "fixable": 1} in rows
    assert sum(row["count"] for row in rows) == 8


def test_path_facts_come_from_the_revision_tree_symlinks_too(example_list: Path) -> None:
    """At HEAD `Figures` is a symlink to `Images`; the change points it elsewhere. The
    figure the list names through it breaks: that RG201 is new, found from REF's tree."""
    readme = example_list / "README.md"
    readme.write_text(
        readme.read_text("utf-8").replace("(Images/albef.png)", "(Figures/albef.png)"), "utf-8"
    )
    (example_list / "Figures").symlink_to("Images")
    git(example_list, "add", "-A")
    git(example_list, "commit", "-q", "-m", "figures through a symlink")
    (example_list / "Figures").unlink()
    (example_list / "Figures").symlink_to("Slide")
    code, found, _ = check_json(example_list, "--changed-since", "HEAD")
    assert (code, found) == (1, [("RG201", 59)])


def test_before_the_first_commit_everything_is_new(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "fresh"
    shutil.copytree(ROOT / "examples", folder)
    (folder / "README.findings.txt").unlink()
    git(folder, "init", "-q")
    git(folder, "add", "-A")  # the first commit, about to be made
    monkeypatch.chdir(folder)
    code, found, _ = check_json(folder, "--changed-since", "HEAD")
    assert code == 1 and len(found) == 8
    result = CliRunner().invoke(
        cli, ["check", "--changed-since", "HEAD", "--skip-changed-files", "README.md"]
    )
    assert result.exit_code == 0  # every list is new: the Markdown hook reports them
