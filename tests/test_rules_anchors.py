"""RG204 broken-anchor: `#fragment` links, in the TOC and the body, against GitHub's anchors."""

from __future__ import annotations

from pathlib import Path

import pytest

from readme_guard.diagnostic import Diagnostic
from tests.conftest import init_repo
from tests.test_toc import TOC_FIXTURES, check_file

HEADINGS = (
    "# Papers\n\n## Deep Learning\n\n### <font color=Green> Navigation </font>\n\n"
    "## 目录\n\n## Notes\n\n## Notes\n\n> ## Quoted heading\n\n"
)


def _check(folder: Path, body: str, files: dict[str, str] | None = None) -> list[Diagnostic]:
    """RG204 on a README.md of HEADINGS and then `body` (from line 15), beside `files`."""
    for name, text in (files or {}).items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    path = folder / "README.md"
    path.write_text(HEADINGS + body + "\n", encoding="utf-8")
    return check_file(path, ["RG204"])


@pytest.mark.parametrize(
    "link",
    [
        "[DL](#deep-learning)",
        "[DL](#user-content-deep-learning)",  # GitHub's own id
        "[DL](#Deep-Learning)",  # github.com's page script ignores letter case
        "[Nav](#-navigation-)",
        "[目录](#目录)",
        "[目录](#%E7%9B%AE%E5%BD%95)",  # percent-encoded
        "[second](#notes-1)",  # duplicates are numbered over all headings
        "[quoted](#quoted-heading)",  # GitHub anchors headings inside quotes too
        '<a href="#deep-learning">DL</a>',
        "[top](#top)",
        "[line](#L20)",  # GitHub's line links
        '[custom](#custom-spot)\n\n<a name="custom-spot"></a>',
        '[span](#fig-1)\n\n<p id="fig-1">Figure 1</p>',
        "`[code](#not-a-link)`",
        "```\n[fenced](#nowhere)\n```",
        "![image](#nowhere)",  # an image's fragment is no navigation
        "[empty](#)",  # RG106's
    ],
)
def test_links_that_resolve(link: str, tmp_path: Path) -> None:
    assert _check(tmp_path, link) == []


def test_broken_body_link_is_reported_at_its_fragment_and_not_fixable(tmp_path: Path) -> None:
    [finding] = _check(tmp_path, "See [the notes](#noets).")
    assert (finding.line, finding.column, finding.span.end_column) == (15, 17, 23)
    assert finding.message.startswith("`#noets` matches no heading")
    assert "did you mean `#notes` (heading 'Notes', line 9)?" in finding.message
    assert not finding.fixable and finding.fix is None


def test_html_link_gets_the_closest_anchor(tmp_path: Path) -> None:
    [finding] = _check(tmp_path, '<a href="#navigation">Navigation</a>')
    assert (finding.line, finding.column) == (15, 10)
    assert finding.message.endswith("did you mean `#-navigation-` (heading 'Navigation', line 5)?")


def test_link_text_names_the_intended_heading(tmp_path: Path) -> None:
    [finding] = _check(tmp_path, "[ Navigation ](#font-colorgreen-navigation-font-)")
    assert finding.message == (
        "`#font-colorgreen-navigation-font-` matches no heading; "
        "GitHub's anchor for this heading is `#-navigation-`"
    )


def test_no_hint_when_nothing_is_close(tmp_path: Path) -> None:
    [finding] = _check(tmp_path, "[x](#zzzzzzzz)")
    assert finding.message == "`#zzzzzzzz` matches no heading"


def test_headings_in_fences_and_html_have_no_anchor() -> None:
    found = check_file(TOC_FIXTURES / "not_headings.md", ["RG204"])
    assert [(d.line, d.message.split(" ")[0]) for d in found] == [(31, "`#in-a-fence`")]


def test_fragment_of_another_markdown_file(tmp_path: Path) -> None:
    other = "# Other\n\n## Section\n"
    assert _check(tmp_path, "[ok](docs/other.md#section)", {"docs/other.md": other}) == []
    [finding] = _check(tmp_path, "[bad](docs/other.md#sectoin)", {"docs/other.md": other})
    assert finding.message.startswith("`#sectoin` matches no heading of docs/other.md")
    assert "did you mean `#section`" in finding.message
    assert (finding.column, finding.fix) == (20, None)


def test_root_relative_and_self_links(tmp_path: Path) -> None:
    init_repo(tmp_path)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "page.md").write_text("[a](/README.md#notes)\n[b](page.md#x)\n")
    _check(tmp_path, "[self](README.md#deep-learning) [bad](README.md#nope)")
    assert [d.line for d in check_file(tmp_path / "README.md", ["RG204"])] == [15]
    [finding] = check_file(tmp_path / "sub" / "page.md", ["RG204"])
    assert (finding.line, finding.message.split(" of ")[1]) == (2, "page.md")


@pytest.mark.parametrize(
    "link",
    [
        "[missing file](gone.md#x)",  # RG201's business
        "[not markdown](script.py#x)",
        "[outside](../elsewhere.md#x)",  # RG203's business, never opened
        "[url](https://example.org/page#x)",
    ],
)
def test_targets_that_are_not_rg204s_business(link: str, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (tmp_path / "elsewhere.md").write_text("# Elsewhere\n")
    (repo / "script.py").write_text("print()\n")
    init_repo(repo)
    assert _check(repo, link) == []


def test_toc_links_carry_the_toc_rewrite_body_links_do_not() -> None:
    found = check_file(TOC_FIXTURES / "jetbrains.md", ["RG204"])
    assert [(d.line, d.fixable, d.fix is not None and d.fix.toc) for d in found] == [
        (12, True, True),
        (14, True, True),
    ]
