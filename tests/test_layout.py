"""RG501 block-format and RG502 block-separator on corpus-shaped fixtures and on REPORT.md."""

from __future__ import annotations

from pathlib import Path

import pytest

import readme_guard
from readme_guard.diagnostic import Diagnostic, Edit
from tests.conftest import FIXTURES, corpus_file

FIX = FIXTURES / "fix"


def _check(
    text: str, profile: str | None = None, config: str | None = None, folder: Path | None = None
) -> list[Diagnostic]:
    if config is None:
        return readme_guard.check(text, isolated=True, profile=profile, select="RG501,RG502")
    assert folder is not None
    (folder / "rules.yaml").write_text(config, encoding="utf-8")
    return readme_guard.check(
        text, path=folder / "README.md", config=folder / "rules.yaml", select="RG501,RG502"
    )


def _fixture(name: str) -> str:
    return (FIX / name).read_text(encoding="utf-8")


def _edits(diagnostic: Diagnostic) -> tuple[Edit, ...]:
    assert diagnostic.fix is not None
    return diagnostic.fix.edits


def test_lazy_lines_of_title_and_description_get_their_own_prefix() -> None:
    found = {d.line: d for d in _check(_fixture("lazy.md")) if d.code == "RG501"}
    assert found[5].message == "lazy continuation line: add the '> ' prefix"
    assert _edits(found[5]) == (
        Edit(5, 5, ("> Representation Learning with Momentum Distillation (NeurIPS 2021)  ",)),
    )
    # The description is a list inside `>>`: its lazy lines need `>> `, not `> `.
    assert found[10].message == "lazy continuation line: add the '>> ' prefix"
    assert _edits(found[10])[0].lines[0].startswith(">> text representations")
    assert found[12].message == "lazy continuation line: add the '>> ' prefix"


def test_two_labelled_links_on_one_line_are_split_at_the_space() -> None:
    [found] = [d for d in _check(_fixture("lazy.md")) if d.line == 16]
    assert found.message == "2 labelled links on one line: put each on a line of its own"
    assert _edits(found) == (
        Edit(
            16,
            16,
            (
                "> [Paper](https://arxiv.org/abs/2305.14344),",
                "> [Code](https://siam-mae-video.github.io/)",
            ),
        ),
    )


def test_only_the_offending_lines_are_reported() -> None:
    lines = {d.line for d in _check(_fixture("lazy.md"))}
    assert lines == {5, 10, 12, 16}


def test_a_missing_link_separator_is_reported_without_a_fix() -> None:
    text = (
        "## Video\n\n> EVT: BERT Pretraining of Video Transformers (CVPR 2022)\n"
        "> [Paper](https://arxiv.org/abs/2112.01529)\n> [Code](https://github.com/x/evt)\n"
        "> ![image](https://example.org/evt.png)\n>> Extends BERT-style pretraining to video.\n"
    )
    [found] = _check(text)
    assert (found.line, found.column) == (4, 44)
    assert found.message.startswith("no ',' after [Paper]")
    assert not found.fixable


def test_weekly_profile_reports_lazy_lines_but_not_prefix_spelling() -> None:
    found = {d.line: d for d in _check(_fixture("weekly.md"), profile="weekly")}
    # A title wrapped onto a lazy line; the `> <img>` line 11 starts an HTML block on GitHub,
    # so it is no lazy line.
    assert found[16].message == "lazy continuation line: add the '> > ' prefix"
    assert set(found) == {16}  # `> >[` and `>>` render as `> > `: a formatting choice


def test_respelling_prefixes_is_an_option_showing_before_and_after(tmp_path: Path) -> None:
    (tmp_path / "rules.yaml").write_text(
        "profile: weekly\nlayout: {respell_prefixes: true}\n", encoding="utf-8"
    )
    (tmp_path / "log.md").write_text(_fixture("weekly.md"), encoding="utf-8")
    diagnostics = readme_guard.check_file(
        tmp_path / "log.md", config=tmp_path / "rules.yaml", select="RG501"
    )
    found = {d.line: d for d in diagnostics}
    assert found[3].message == "quote prefix '> >[' -> '> > ['"
    assert _edits(found[3])[0].lines[0].startswith("> > [2024-12-29]")
    assert found[6].message == "quote prefix '>>论' -> '> > 论'"
    assert _edits(found[6])[0].lines[0].startswith("> > 论文简述：")
    assert set(found) == {3, 4, 6, 16}


def test_unconfigured_depth_follows_the_paragraphs_own_spelling() -> None:
    text = "## Log\n\n> > > [2024-10-14]-崔凯-[Prompt Learning](https://x.org/a)\n> > wrapped\n"
    [found] = _check(text, profile="weekly")
    assert found.message == "lazy continuation line: add the '> > > ' prefix"


def test_trailing_spaces_are_left_alone_unless_configured(tmp_path: Path) -> None:
    text = (
        "## Vision\n\n> Siamese Masked Autoencoders (NeurIPS 2023 Oral)  \n"
        "> [Paper](https://siam-mae-video.github.io/resources/paper.pdf), \n"
        "> [Code](https://siam-mae-video.github.io/)\n> ![img.png](https://example.org/a.png)\n"
        ">> Predicts a masked future frame. \n"
    )
    assert _check(text) == []
    found = _check(text, config="layout:\n  strip_trailing_spaces: true\n", folder=tmp_path)
    # The title's hard break stays; the space after the comma and at the very end go.
    assert {d.line: _edits(d)[0].lines for d in found} == {
        4: ("> [Paper](https://siam-mae-video.github.io/resources/paper.pdf),",),
        7: (">> Predicts a masked future frame.",),
    }


def test_a_separator_swallowed_by_the_block_above_is_reported_not_welded() -> None:
    found = [d for d in _check(_fixture("separator.md")) if d.code == "RG501"]
    [swallowed] = found
    assert swallowed.line == 18
    assert "read as part of the block above" in swallowed.message
    assert not swallowed.fixable  # prefixing the next block's lines would merge two papers


def test_block_separator_missing_and_misspelled() -> None:
    found = [d for d in _check(_fixture("separator.md")) if d.code == "RG502"]
    missing, misspelled = found
    assert missing.line == 8 and not missing.fixable
    assert misspelled.line == 13
    assert _edits(misspelled) == (Edit(13, 13, ("&nbsp;",)),)
    # The MAE block follows a heading: no separator is needed there.
    assert all(d.line < 25 for d in found)


def test_no_separator_findings_when_the_profile_has_none() -> None:
    assert not [d for d in _check(_fixture("separator.md"), profile="weekly") if d.code == "RG502"]


@pytest.mark.parametrize("crlf", [False, True])
def test_report_md_layout_findings_are_exactly_its_lazy_lines(crlf: bool) -> None:
    text = corpus_file("REPORT.md").read_text(encoding="utf-8")
    if crlf:
        text = text.replace("\n", "\r\n")
    found = _check(text)
    assert {d.line for d in found} == {92, 99, 100, 101, 102, 104, 105, 106, 107, 108}
    assert all(d.code == "RG501" and d.fixable for d in found)
    assert {d.line for d in found if "'> '" in d.message} == {92}


LIST_FORMAT = """\
blocks:
  container: list_item
  start: null
  title: {pattern: '^\\s*(?P<title>[^(\\[]+?)\\s*(\\(|\\[|$)'}
  links: {labels: [Paper, Code], required: [Paper], label_pattern: '^[A-Za-z]+$'}
  figure: {required: false}
  description: {min_quote_depth: 0, pattern: null, required: false}
"""

AWESOME = """\
## Vision

- **Masked Autoencoders Are Scalable Vision Learners** (CVPR 2022) [[Paper](https://arxiv.org/abs/2111.06377)] [[Code](https://github.com/facebookresearch/mae)]
- **BEiT: BERT Pre-Training of Image Transformers** (ICLR 2022) [[Paper](https://arxiv.org/abs/2106.08254)]
"""


def test_a_list_format_turns_the_link_layout_off_with_a_null_separator(tmp_path: Path) -> None:
    # Between list items no separator is asked for: a line there would end the list.
    found = _check(AWESOME, config=LIST_FORMAT, folder=tmp_path)
    assert [(d.line, d.message[:26]) for d in found] == [
        (3, "2 labelled links on one li"),
        (3, "no ',' after [Paper] (add "),
    ]
    quiet = LIST_FORMAT + "layout: {link_separator: null}\n"
    assert _check(AWESOME, config=quiet, folder=tmp_path) == []
