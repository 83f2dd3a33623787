"""Properties over generated Markdown in the shapes of the corpus (paper blocks, quotes with
lazy lines, nested quotes, lists, fences, HTML, TOC markers, CJK, emoji, CRLF, BOM):

* `check` never raises, and the command line exits 0 or 1 (never 2) on valid UTF-8;
* `fix` is idempotent, never changes GitHub's rendering outside the TOC, and keeps every line
  that lies outside the paper blocks and the TOC byte for byte;
* (tests/test_markdown_tree.py) the Document's blocks are cmark-gfm's own.

Nesting stays within what the parser reads (see docs/robustness.md); deeper is RG603.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readme_guard import fixing
from readme_guard.blocks import find_blocks
from readme_guard.cli import main
from readme_guard.document import Document
from readme_guard.linter import FileResult, Options, Run
from readme_guard.source import Source, decode
from tests.test_toc import find_regions

# Derandomized: the suite gives the same answer on every run and machine; explore with
# `pytest --hypothesis-seed=N` (and report what it finds as an explicit test).
BOUNDED = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

# -- generators -----------------------------------------------------------------------------

WORDS = st.sampled_from(
    [
        "Masked", "Autoencoders", "Vision", "Transformer", "(CVPR 2022)", "(NeurIPS 2023 Oral)",
        "论文简述：", "描述", "多模态", "视觉语言导航", "🙂", "🚀", "*emphasis*", "**strong**",
        "`code`", "a_b", "\\*", "&nbsp;", "&amp;", "<br>", "<font color=Green>Nav</font>",
        "[Paper](https://arxiv.org/abs/2111.06377)", "[Code](https://github.com/lab/mae)",
        "![framework](Images/mae.png)", '<img width="512" src="Images/a.png">',
        "https://example.com/a", "www.example.org", "me@example.com", "[broken](#nowhere)",
        "[ref][1]", "~~old~~", "|", "key: value", "TODO", ":", "[", "]", "(", ")",
    ]
)  # fmt: skip
TEXT = st.lists(WORDS, min_size=1, max_size=8).map(" ".join)
URL = st.sampled_from(["https://arxiv.org/abs/2111.06377", "Slide/mae.pptx", "#vision", ""])
INDENT = st.sampled_from(["", " ", "  ", "   "])


@st.composite
def paper_block(draw: st.DrawFn) -> list[str]:
    """A paper block as people type it: prefixes missing, commas dropped, lazy lines."""
    prefix = draw(st.sampled_from(["> ", ">", ">  "]))
    lines = [f"{prefix}{draw(TEXT)} (CVPR 2022){draw(st.sampled_from(['  ', '', ' ']))}"]
    for label in draw(st.lists(st.sampled_from(["Paper", "Code", "Slide", "Papr"]), max_size=3)):
        comma = draw(st.sampled_from([",", ""]))
        lazy = draw(st.booleans())
        lines.append(f"{'' if lazy else prefix}[{label}]({draw(URL)}){comma}")
    if draw(st.booleans()):
        lines.append(f"{prefix}![framework](Images/{draw(st.sampled_from(['a', 'b']))}.png)")
    description = draw(st.sampled_from([">> ", "> > ", ">>", ""]))
    lines += [f"{description}{draw(TEXT)}" for _ in range(draw(st.integers(0, 2)))]
    return lines


@st.composite
def quote(draw: st.DrawFn) -> list[str]:
    """Nested quotes (at most 6 deep) with lazy continuation lines."""
    lines = []
    for _ in range(draw(st.integers(1, 4))):
        depth = draw(st.integers(0, 6))
        marker = draw(st.sampled_from([">", "> "])) * depth
        lines.append(f"{marker}{draw(TEXT)}")
    return lines


@st.composite
def bullet_list(draw: st.DrawFn) -> list[str]:
    """Lists nested at most 4 deep, bullets and numbers, TOC-like entries."""
    lines = []
    for _ in range(draw(st.integers(1, 5))):
        level = draw(st.integers(0, 3))
        bullet = draw(st.sampled_from(["-", "*", "+", "1."]))
        entry = draw(st.one_of(TEXT, TEXT.map(lambda t: f"[{t}](#{t.lower()})")))
        lines.append(f"{'  ' * level}{bullet} {entry}")
    return lines


@st.composite
def fence(draw: st.DrawFn) -> list[str]:
    body = draw(st.lists(st.one_of(TEXT, st.just("# not a heading"), st.just("> not a quote"))))
    closed = draw(st.booleans())
    return ["```markdown", *body, *(["```"] if closed else [])]


@st.composite
def toc(draw: st.DrawFn) -> list[str]:
    start, end = draw(st.sampled_from([("<!-- TOC -->", "<!-- /TOC -->"), ("<!-- TOC -->",) * 2]))
    entries = draw(st.lists(TEXT, max_size=4))
    return [start, *(f"* [{e}](#{e.lower().replace(' ', '-')})" for e in entries), end]


HEADING = st.tuples(st.integers(1, 6), TEXT).map(lambda p: ["#" * p[0] + " " + p[1]])
SETEXT = TEXT.map(lambda t: [t, "==="])
HTML = st.sampled_from(
    [
        ['<p align="center">', '  <img width="512" src="Images/a.png">', "</p>"],
        ["<details>", "<summary>More</summary>", "", "hidden *text*", "</details>"],
        ["<!-- readme-guard-disable-next-line RG104 -->"],
        ["<!-- a comment", "over lines -->"],
        ['<a href="#vision">top</a>'],
    ]
)
SEPARATOR = st.sampled_from([["&nbsp;"], ["---"], [""], ["<br>"]])
TABLE = st.just(["| a | b |", "|---|---|", "| [x](#y) | 中文 |"])
ELEMENT = st.one_of(
    paper_block(), quote(), bullet_list(), fence(), toc(), HEADING, SETEXT, HTML, SEPARATOR,
    TABLE, TEXT.map(lambda t: [t]), st.lists(INDENT.flatmap(lambda i: TEXT.map(i.__add__))),
)  # fmt: skip


@st.composite
def markdown(draw: st.DrawFn) -> bytes:
    """A whole file: elements between blank lines (sometimes none), any newline style, an
    optional BOM, with or without a final newline."""
    lines: list[str] = []
    for element in draw(st.lists(ELEMENT, max_size=12)):
        lines += element
        lines += [""] * draw(st.integers(0, 2))
    newline = draw(st.sampled_from(["\n", "\r\n", "mixed"]))
    if newline == "mixed":
        text = "".join(line + draw(st.sampled_from(["\n", "\r\n"])) for line in lines)
    else:
        text = newline.join(lines) + (newline if draw(st.booleans()) else "")
    return (b"\xef\xbb\xbf" if draw(st.booleans()) else b"") + text.encode("utf-8")


def _run(profile: str) -> Run:
    return Run(Options(isolated=True, profile=profile))


# -- check ----------------------------------------------------------------------------------


@BOUNDED
@given(data=markdown(), profile=st.sampled_from(["default", "weekly"]))
def test_check_never_raises(data: bytes, profile: str) -> None:
    result = _run(profile).check_source(decode(data, "README.md"), None)
    for diagnostic in result.diagnostics:
        assert 1 <= diagnostic.span.line <= max(1, len(result.source.lines))


@settings(BOUNDED, max_examples=60)
@given(data=markdown())
def test_command_line_exits_0_or_1_on_valid_utf8(
    data: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "README.md"
    target.write_bytes(data)
    try:
        main(["check", "--isolated", "--format", "json", str(target)])
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 0
    out, err = capsys.readouterr()
    assert code in (0, 1), err
    assert err == ""
    report = json.loads(out)
    assert report["summary"]["files"] == 1
    assert (code == 1) == bool(report["diagnostics"])


# -- fix ------------------------------------------------------------------------------------


def _masked(document: Document) -> str:
    """The text with each TOC region (markers included) replaced by one sentinel line."""
    lines = list(document.source.lines)
    for region in reversed(find_regions(document)):
        lines[region.start_line - 1 : region.end_line] = ["<!-- toc region -->"]
    return "\n".join(lines) + "\n"


def _protected(result: FileResult) -> set[int]:
    """Lines (1-based) that fix may rewrite: paper blocks and TOC regions."""
    spans = [(b.start_line, b.end_line) for b in find_blocks(result.document, result.config.blocks)]
    spans += [(r.start_line, r.end_line) for r in find_regions(result.document)]
    return {line for start, end in spans for line in range(start, end + 1)}


def _is_subsequence(needles: Sequence[str], haystack: Sequence[str]) -> bool:
    remaining = iter(haystack)
    return all(any(line == candidate for candidate in remaining) for line in needles)


@BOUNDED
@given(data=markdown(), profile=st.sampled_from(["default", "weekly"]))
def test_fix_is_idempotent_keeps_the_page_and_the_bytes_outside_its_edits(
    data: bytes, profile: str
) -> None:
    run = _run(profile)
    source = decode(data, "README.md")
    outcome = fixing.fix_source(run, source, None)

    again = fixing.fix_source(_run(profile), decode(outcome.data(), "README.md"), None)
    assert again.text == outcome.text  # idempotent

    before = run.check_source(source, None)
    after = outcome.result
    assert comparable(_masked(after.document)) == comparable(_masked(before.document))

    assert outcome.data().startswith(b"\xef\xbb\xbf") == data.startswith(b"\xef\xbb\xbf")
    if not outcome.changed:
        assert outcome.data() == data
        return
    protected = _protected(before)
    kept = [
        line + ending
        for number, (line, ending) in enumerate(
            zip(source.lines, source.endings, strict=True), start=1
        )
        if number not in protected
    ]
    fixed = Source("README.md", outcome.text)
    assert _is_subsequence(kept, [a + b for a, b in zip(fixed.lines, fixed.endings, strict=True)])


def comparable(text: str) -> str:
    return fixing.comparable(fixing.render_html(text))
