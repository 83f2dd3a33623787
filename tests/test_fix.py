"""`readme-guard fix`: the safety contract, point by point, then the corpus.

Splice-only, rendering verified with cmark-gfm, idempotent, atomic, and after a fix `check`
reports no fixable finding that the fix did not explain.
"""

from __future__ import annotations

import doctest
import errno
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import assume, given
from hypothesis import strategies as st

from readme_guard import fixing
from readme_guard.cli import cli
from readme_guard.diagnostic import Edit, Fix
from readme_guard.linter import Options, Run
from readme_guard.source import Source, decode
from tests.conftest import FIXTURES, corpus_file

FIX = FIXTURES / "fix"
LAZY_LINES = {92, 99, 100, 101, 102, 104, 105, 106, 107, 108}


def _fix(
    text: str, profile: str | None = None, select: tuple[str, ...] | None = None, bom: bool = False
) -> fixing.Outcome:
    run = Run(Options(isolated=True, profile=profile, select=select))
    return fixing.fix_source(run, Source("README.md", text, bom), None)


def _invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, ["fix", "--isolated", *args])


def _copy(tmp_path: Path, name: str, newline: str = "\n", bom: bool = False) -> Path:
    text = (FIX / name).read_text(encoding="utf-8").replace("\n", newline)
    target = tmp_path / name
    target.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return target


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_module_example_runs() -> None:
    failures, tried = doctest.testmod(fixing)
    assert tried > 0 and failures == 0


# -- splice only -----------------------------------------------------------------------------


def test_splice_keeps_every_byte_outside_the_edits() -> None:
    source = Source("a.md", "one\r\ntwo\nthree\r\nfour")  # mixed endings, no final newline
    # A replaced line keeps its own ending ...
    assert fixing.splice(source, [Edit(2, 2, ("TWO",))]) == "one\r\nTWO\nthree\r\nfour"
    # ... an inserted one takes the dominant newline (CRLF here, two lines against one).
    assert fixing.splice(source, [Edit(3, 2, ("new",))]) == "one\r\ntwo\nnew\r\nthree\r\nfour"
    # Replacing the last line keeps the missing final newline missing.
    assert fixing.splice(source, [Edit(4, 4, ("4", "5"))]) == "one\r\ntwo\nthree\r\n4\r\n5"
    # Appending after it adds the one newline needed between them, and none at the end.
    assert fixing.splice(source, [Edit(5, 4, ("five",))]) == "one\r\ntwo\nthree\r\nfour\r\nfive"
    assert fixing.splice(Source("a.md", "a\nb\r\n"), [Edit(1, 1, ("x", "y"))]) == "x\ny\nb\r\n"
    assert fixing.splice(Source("a.md", "a\nb\n"), [Edit(1, 2, ())]) == ""
    # Deleting the last line: the line before keeps its newline (splice-only wins).
    assert fixing.splice(Source("a.md", "a\nb"), [Edit(2, 2, ())]) == "a\n"


def test_splice_refuses_overlapping_or_out_of_range_edits() -> None:
    source = Source("a.md", "a\nb\nc\n")
    with pytest.raises(ValueError, match="overlaps"):
        fixing.splice(source, [Edit(1, 2, ("x",)), Edit(2, 3, ("y",))])
    with pytest.raises(ValueError, match="outside"):
        fixing.splice(source, [Edit(4, 4, ("x",))])


_LINE = st.text(
    st.characters(blacklist_characters="\r\n", blacklist_categories=("Cs",)), max_size=6
)


@given(
    # LF and CRLF (a lone CR line before an empty LF line would read back as one CRLF).
    lines=st.lists(st.tuples(_LINE, st.sampled_from(["\n", "\r\n"])), max_size=8),
    final=st.booleans(),
    picks=st.lists(
        st.tuples(st.integers(0, 9), st.integers(0, 2), st.lists(_LINE, max_size=3)), max_size=4
    ),
)
def test_splice_property(
    lines: list[tuple[str, str]], final: bool, picks: list[tuple[int, int, list[str]]]
) -> None:
    """Unedited lines come out in order with their own endings (the old last line may gain
    one when lines follow it); the final newline is kept."""
    if lines and not final:
        lines[-1] = (lines[-1][0], "")
    source = Source("a.md", "".join(text + ending for text, ending in lines))
    count = len(source.lines)
    edits: list[Edit] = []
    taken: set[int] = set()
    for start, length, new in picks:
        start = start % (count + 1) + 1
        end = min(start - 1 + length, count)
        gaps = set(range(start - 1, end + 1))  # the gap before each line it touches, and after
        if gaps & taken:
            continue
        taken |= gaps
        edits.append(Edit(start, end, tuple(new)))
    had_newline = not source.text or source.text.endswith("\n")
    # A last line that is empty and has no newline is no line at all: nothing to compare.
    assume(had_newline or not any(e.end_line >= count and e.lines[-1:] == ("",) for e in edits))
    result = Source("a.md", fixing.splice(source, edits))
    edited = {n for e in edits for n in range(e.start_line, e.end_line + 1)}
    kept = [(source.lines[i], source.endings[i]) for i in range(count) if i + 1 not in edited]
    added = [line for e in sorted(edits, key=lambda e: e.start_line) for line in e.lines]
    got = list(zip(result.lines, result.endings, strict=True))
    assert len(got) == len(kept) + len(added)

    def in_order(wanted: list[tuple[str, str | None]]) -> bool:
        rest = iter(got)  # `None`: any ending; "": none, or a newline when lines follow
        return all(
            any(t == w and (ending is None or e == ending or ending == "") for t, e in rest)
            for w, ending in wanted
        )

    assert in_order(list(kept))
    assert in_order([(line, None) for line in added])
    assert all(e in {*source.endings, source.newline, ""} for e in result.endings)
    ends_with_edit = any(e.lines and e.end_line >= count for e in edits)
    if result.text and had_newline:
        assert result.text.endswith("\n")
    elif result.text and ends_with_edit:
        assert not result.text.endswith("\n")


def test_overlapping_fixes_wait_for_the_next_pass() -> None:
    toc = Fix("regenerate", (Edit(2, 5, ("* [A](#a)",)),), toc=True)
    inside = Fix("anchor", (Edit(3, 3, ("* [B](#b)",)),), toc=True)
    before = Fix("insert", (Edit(2, 1, ("",)),))
    within = Fix("insert inside", (Edit(4, 3, ("x",)),))
    after = Fix("next line", (Edit(6, 6, ("y",)),))
    # The widest of those starting first wins; an insertion just before it does not overlap.
    chosen = fixing._non_overlapping([inside, within, after, toc, before])
    assert chosen == [toc, before, after]


# -- verify ----------------------------------------------------------------------------------


def test_comparison_folds_whitespace_outside_pre_and_code_only() -> None:
    assert fixing.comparable("<p>a,\nb</p>") == fixing.comparable("<p>a,  b</p>")
    assert fixing.comparable("<pre><code>a\nb</code></pre>") != fixing.comparable(
        "<pre><code>a b</code></pre>"
    )
    assert fixing.comparable("<p><code>a  b</code></p>") != fixing.comparable(
        "<p><code>a b</code></p>"
    )
    assert fixing.comparable("<p>a\u00a0b</p>") != fixing.comparable("<p>a b</p>")  # &nbsp; shows


def test_render_keeps_raw_html_as_github_does() -> None:
    html = fixing.render_html(
        '### <font color=Green> Navigation </font>\n\n<img width="512" src="a.png">\n'
    )
    assert "<font color=Green>" in html and '<img width="512" src="a.png">' in html


def test_verify_lets_the_toc_change_and_nothing_else() -> None:
    text = (
        "<!-- TOC -->\n* [Old](#old)\n<!-- TOC -->\n\n## New\n\n> A title\nwrapped\n\nplain text\n"
    )
    source = Source("a.md", text)
    toc = Fix("regenerate the TOC", (Edit(2, 2, ("* [New](#new)",)),), toc=True)
    lazy = Fix("add the prefix", (Edit(8, 8, ("> wrapped",)),))
    visible = Fix("reword", (Edit(10, 10, ("other text",)),))
    assert fixing.verify(source, [toc, lazy, visible]) == [toc, lazy]


def test_a_toc_rewrite_that_spills_over_its_region_is_dropped() -> None:
    source = Source("a.md", "# Title\n\n<!-- TOC -->\n* [A](#a)\n<!-- TOC -->\ntext after\n")
    inside = Fix("regenerate", (Edit(4, 4, ("* [Title](#title)",)),), toc=True)
    assert fixing.verify(source, [inside]) == [inside]
    # Without its end marker the list takes "text after" in as a lazy line of its last item.
    spills = Fix("regenerate", (Edit(3, 5, ("* [Title](#title)",)),), toc=True)
    lazy = Fix("layout", (Edit(1, 1, ("# Title",)),))
    assert fixing.verify(source, [spills, lazy]) == [lazy]
    # At the very top of the file too.
    top = Source("a.md", "<!-- TOC -->\n* [A](#a)\n<!-- TOC -->\n\n# A\n")
    first = Fix(
        "regenerate", (Edit(1, 3, ("<!-- TOC -->", "* [A](#a)", "<!-- TOC -->")),), toc=True
    )
    assert fixing.verify(top, [first]) == [first]


def test_fixes_that_pass_alone_but_not_together_are_dropped_greedily() -> None:
    source = Source("a.md", "para\n\nnext\n")
    # Each alone keeps the page; together the blank line between two paragraphs is gone.
    first = Fix("a", (Edit(1, 1, ("para",)),))
    a = Fix("join", (Edit(2, 2, ()),))
    b = Fix("join differently", (Edit(3, 3, ("next",)),))
    assert fixing.verify(source, [first, a, b]) == [first, b]


def _refusing_the_wrapped_title(monkeypatch: pytest.MonkeyPatch) -> None:
    """A verifier that sees the prefix added to the fixture's wrapped title (line 16) as a
    change of the page. Parser and verifier are both cmark-gfm now, so no real fix of the
    fixture is refused; this drives the refusal path."""
    real = fixing.render_html
    monkeypatch.setattr(
        fixing, "render_html", lambda text: real(text) + ("!" * ("> > Enables Effective" in text))
    )


def test_parser_and_verifier_agree_so_nothing_is_refused() -> None:
    text = (FIX / "weekly.md").read_text(encoding="utf-8")
    outcome = _fix(text, profile="weekly")
    # `> <img ...>` after `> > 论文框架图` starts an HTML block on GitHub: no lazy line, so no
    # fix is offered (markdown-it read a lazy line there and `fix` had to refuse it).
    # The other lazy line is fixed (prefix respelling is off in the weekly profile), and the
    # page is the same.
    assert outcome.refused == () and outcome.fixed == 1
    assert outcome.text.splitlines()[10] == '> <img src="https://example.org/mtmm.png" width="512">'
    assert outcome.text.splitlines()[15].startswith("> > Enables Effective Navigation")
    assert fixing.comparable(fixing.render_html(outcome.text)) == fixing.comparable(
        fixing.render_html(text)
    )


def test_a_fix_that_would_change_the_page_is_dropped_and_reported(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _refusing_the_wrapped_title(monkeypatch)
    text = (FIX / "weekly.md").read_text(encoding="utf-8")
    outcome = _fix(text, profile="weekly")
    [refusal] = outcome.refused
    assert refusal.diagnostic.line == 16
    assert str(refusal) == (
        "would change rendering at line 16: GitHub would show '!' instead of ''; edit it by hand"
    )
    assert (
        outcome.text.splitlines()[15]
        == "Enables Effective Navigation and Manipulation in the Real World]-[paper](https://arxiv.org/abs/2312.02976)"
    )
    # It was the only fix (prefix respelling is off in the weekly profile): the text is as read.
    assert outcome.fixed == 0 and outcome.text == text


def test_refusals_are_numbered_in_the_fixed_text_and_in_the_file_as_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _refusing_the_wrapped_title(monkeypatch)
    lines = (FIX / "weekly.md").read_text(encoding="utf-8").splitlines(keepends=True)
    # Two labelled links on one line before the refused line: the split adds a line.
    lines.insert(3, "> > [Code](https://github.com/x/mlper), [Project](https://x.org/mlper)\n")
    target = tmp_path / "weekly.md"
    target.write_text("".join(lines), encoding="utf-8")
    outcome = _fix("".join(lines), profile="weekly")
    [refusal] = outcome.refused
    assert (refusal.line, refusal.original_line) == (18, 17)
    checked = _invoke("--profile", "weekly", "--check", str(target))
    assert f"{target}:17: RG501 not fixed: would change rendering at line 17" in checked.output
    written = _invoke("--profile", "weekly", str(target))
    assert f"{target}:18:1: warning RG501 " in written.output
    assert "(not fixed: would change rendering at line 18" in written.output


# -- the result ------------------------------------------------------------------------------


def test_lazy_fixture_fixed_renders_the_same_and_is_idempotent() -> None:
    text = (FIX / "lazy.md").read_text(encoding="utf-8")
    outcome = _fix(text)
    assert outcome.fixed == 4 and outcome.refused == ()
    lines = outcome.text.splitlines()
    assert lines[4] == "> Representation Learning with Momentum Distillation (NeurIPS 2021)  "
    assert lines[9].startswith(">> text representations") and lines[11].startswith(">> momentum")
    assert lines[15:17] == [
        "> [Paper](https://arxiv.org/abs/2305.14344),",
        "> [Code](https://siam-mae-video.github.io/)",
    ]
    assert fixing.comparable(fixing.render_html(outcome.text)) == fixing.comparable(
        fixing.render_html(text)
    )
    again = _fix(outcome.text)
    assert again.text == outcome.text and again.fixed == 0 and not again.changed


def test_crlf_and_bom_are_kept() -> None:
    text = (FIX / "lazy.md").read_text(encoding="utf-8")
    plain = _fix(text)
    crlf = _fix(text.replace("\n", "\r\n"), bom=True)
    assert crlf.text == plain.text.replace("\n", "\r\n")
    assert crlf.data().startswith(b"\xef\xbb\xbf") and b"\n" not in crlf.data().replace(
        b"\r\n", b""
    )


def test_selection_limits_what_is_fixed() -> None:
    text = (FIX / "separator.md").read_text(encoding="utf-8")
    outcome = _fix(text, select=("RG502",))
    assert outcome.fixed_codes == ("RG502",)
    assert outcome.text == text.replace("&#160;", "&nbsp;")


def test_after_fix_check_reports_only_fixable_findings_fix_explained(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _refusing_the_wrapped_title(monkeypatch)
    text = (FIX / "weekly.md").read_text(encoding="utf-8")
    outcome = _fix(text, profile="weekly")
    after = Run(Options(isolated=True, profile="weekly")).check_source(
        Source("README.md", outcome.text), None
    )
    fixable = [(d.line, d.code) for d in after.diagnostics if d.fixable]
    explained = [(r.diagnostic.line, r.diagnostic.code) for r in outcome.refused]
    assert fixable == explained == [(16, "RG501")]
    # ... and the remaining list says why, and no longer offers it as fixable.
    [remaining] = [d for d in outcome.remaining if d.line == 16]
    assert "(not fixed: would change rendering at line 16" in remaining.message
    assert not remaining.fixable


# -- atomic write ----------------------------------------------------------------------------


def test_write_keeps_the_mode_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "README.md"
    target.write_bytes(b"old\n")
    target.chmod(0o640)
    fixing.write_atomic(target, b"new\n", b"old\n")
    assert target.read_bytes() == b"new\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert _leftovers(tmp_path) == []


def test_write_through_a_symlink_keeps_the_link(tmp_path: Path) -> None:
    real = tmp_path / "real.md"
    real.write_bytes(b"old\n")
    link = tmp_path / "README.md"
    link.symlink_to(real)
    fixing.write_atomic(link, b"new\n", b"old\n")
    assert link.is_symlink() and real.read_bytes() == b"new\n"


def test_a_file_changed_since_it_was_read_is_not_written(tmp_path: Path) -> None:
    target = tmp_path / "README.md"
    target.write_bytes(b"edited meanwhile\n")
    with pytest.raises(fixing.WriteError, match="changed on disk while being fixed"):
        fixing.write_atomic(target, b"new\n", b"old\n")
    assert target.read_bytes() == b"edited meanwhile\n"
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize("failing", ["replace", "fsync"])
def test_a_write_failing_half_way_leaves_the_original(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    target = tmp_path / "README.md"
    target.write_bytes(b"old\n")

    def no_space(*args: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(fixing.os, failing, no_space)
    with pytest.raises(fixing.WriteError, match="no space left on device; the file is unchanged"):
        fixing.write_atomic(target, b"new\n" * 1000, b"old\n")
    monkeypatch.undo()
    assert target.read_bytes() == b"old\n"
    assert _leftovers(tmp_path) == []


def test_a_read_only_file_is_not_replaced(tmp_path: Path) -> None:
    target = tmp_path / "README.md"
    target.write_bytes(b"old\n")
    target.chmod(0o444)
    with pytest.raises(fixing.WriteError, match="read-only"):
        fixing.write_atomic(target, b"new\n", b"old\n")
    assert target.read_bytes() == b"old\n"


# -- command line ----------------------------------------------------------------------------


def test_cli_fixes_in_place_and_reports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _refusing_the_wrapped_title(monkeypatch)
    target = _copy(tmp_path, "weekly.md")
    result = _invoke("--profile", "weekly", str(target))
    assert result.exit_code == 1, result.output  # one finding remains: the refused fix
    assert "Fixed" not in result.output  # the refused fix was the only one
    assert (
        f"{target}:16:1: warning RG501 lazy continuation line: add the '> > ' prefix (not fixed: "
        "would change rendering at line 16" in result.output
    )
    assert "Found 1 finding" in result.output
    assert (
        target.read_text(encoding="utf-8")
        == _fix((FIX / "weekly.md").read_text(encoding="utf-8"), profile="weekly").text
    )
    again = _invoke("--profile", "weekly", str(target))
    assert "Fixed" not in again.output and again.exit_code == 1


def test_cli_exit_zero_when_clean_and_exit_non_zero_on_fix(tmp_path: Path) -> None:
    first = _copy(tmp_path, "lazy.md")
    assert _invoke("--select", "RG501", "--exit-non-zero-on-fix", str(first)).exit_code == 1
    assert _invoke("--select", "RG501", "--exit-non-zero-on-fix", str(first)).exit_code == 0
    (tmp_path / "b").mkdir()
    second = _copy(tmp_path / "b", "lazy.md")
    result = _invoke("--select", "RG501", str(second))
    assert result.exit_code == 0 and "All checks passed" in result.output
    assert "Fixed 4 findings (RG501 ×4)" in result.output


def test_cli_diff_and_check_write_nothing(tmp_path: Path) -> None:
    target = _copy(tmp_path, "lazy.md", newline="\r\n", bom=True)
    before = target.read_bytes()
    result = CliRunner().invoke(cli, ["fix", "--isolated", "--diff", str(target)])
    assert result.exit_code == 1
    diff = result.stdout_bytes.decode()
    assert diff.startswith(f"--- {target}\n+++ {target}\n")
    assert "\n-Representation Learning with Momentum Distillation (NeurIPS 2021)  \r\n" in diff
    assert "\n+> Representation Learning with Momentum Distillation (NeurIPS 2021)  \r\n" in diff
    assert target.read_bytes() == before
    checked = _invoke("--check", str(target))
    assert (
        checked.exit_code == 1 and f"Would fix 4 findings (RG501 ×4) in {target}." in checked.output
    )
    assert target.read_bytes() == before
    assert _invoke(str(target)).exit_code == 0
    after = target.read_bytes()
    assert after.startswith(b"\xef\xbb\xbf") and after.count(b"\r\n") == after.count(b"\n")
    assert _invoke("--check", str(target)).exit_code == 0
    assert _invoke("--diff", str(target)).output == ""


def test_cli_read_only_file_is_one_line_and_exit_2(tmp_path: Path) -> None:
    target = _copy(tmp_path, "lazy.md")
    target.chmod(0o444)
    before = target.read_bytes()
    result = _invoke(str(target))
    assert result.exit_code == 2
    assert f"readme-guard: error: {target}: the file is read-only; nothing written" in result.output
    assert target.read_bytes() == before


def test_cli_file_changed_between_read_and_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = _copy(tmp_path, "lazy.md")
    render = fixing.render_html

    def edit_meanwhile(text: str) -> str:  # somebody saves the file while fix verifies
        target.write_text("saved by someone else\n", encoding="utf-8")
        return render(text)

    monkeypatch.setattr(fixing, "render_html", edit_meanwhile)
    result = _invoke(str(target))
    assert result.exit_code == 2
    assert "changed on disk while being fixed; nothing written" in result.output
    assert target.read_text(encoding="utf-8") == "saved by someone else\n"
    assert _leftovers(tmp_path) == []


def test_cli_failed_write_is_exit_2_and_the_file_is_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = _copy(tmp_path, "lazy.md")
    before = target.read_bytes()

    def no_space(*args: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(fixing.os, "replace", no_space)
    result = _invoke(str(target))
    assert result.exit_code == 2 and "no space left on device" in result.output
    assert target.read_bytes() == before and _leftovers(tmp_path) == []


def test_cli_stdin_prints_the_fixed_text() -> None:
    text = (FIX / "lazy.md").read_text(encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "readme_guard", "fix", "--isolated", "-"],
        input=text.encode(),
        capture_output=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(Path(fixing.__file__).parents[1])},
    )
    assert result.stdout.decode() == _fix(text).text
    assert b"Fixed 4 findings" in result.stderr


# -- the corpus ------------------------------------------------------------------------------


def _outside_toc(text: str) -> str:
    """The rendering with the TOC region (between the markers) left out."""
    lines = text.splitlines()
    first, last = [i for i, line in enumerate(lines) if line.strip() == "<!-- TOC -->"]
    return fixing.comparable(fixing.render_html("\n".join(lines[:first] + lines[last + 1 :])))


def test_report_md(report_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(report_repo)
    target = report_repo / "REPORT.md"
    original = target.read_text(encoding="utf-8")
    result = _invoke("REPORT.md")
    assert result.exit_code == 1  # findings that fix cannot fix remain (RG102, RG105, ...)
    fixed = target.read_text(encoding="utf-8")
    old, new = original.splitlines(), fixed.splitlines()
    toc = range(10, 24)  # the lines between the markers (1-based)
    # The TOC gains one entry; every other line is the same, or a lazy line given its prefix.
    assert len(new) == len(old) + 1
    for number, line in enumerate(old, start=1):
        if number in toc:
            continue
        changed = new[number] if number > 23 else new[number - 1]
        if number in LAZY_LINES:
            assert changed in ("> " + line, ">> " + line)
        else:
            assert changed == line
    assert _outside_toc(fixed) == _outside_toc(original)
    assert "#-navigation-" in fixed and "#font-colorgreen" not in fixed
    assert _invoke("REPORT.md").exit_code == 1
    assert target.read_text(encoding="utf-8") == fixed  # a second run changes nothing
    [after] = Run(Options(isolated=True)).check(("REPORT.md",))
    assert [d for d in after.diagnostics if d.fixable] == []
    assert not {"RG204", "RG402", "RG501"} & {d.code for d in after.diagnostics}


def test_report_md_crlf_and_bom(report_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(report_repo)
    lf = report_repo / "REPORT.md"
    crlf = report_repo / "REPORT-crlf.md"
    crlf.write_bytes(b"\xef\xbb\xbf" + lf.read_bytes().replace(b"\n", b"\r\n"))
    _invoke("REPORT.md", "REPORT-crlf.md")
    data = crlf.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\n") == data.count(b"\r\n")
    assert decode(data, "x").text.replace("\r\n", "\n") == lf.read_text(encoding="utf-8")


def test_an_archive_with_conflict_markers_is_not_fixed() -> None:
    text = corpus_file("archive2025.md").read_text(encoding="utf-8")
    with pytest.raises(fixing.ConflictError, match=r"RG601"):
        _fix(text, profile="weekly")


@pytest.mark.parametrize("name", ["archive2024.md"])
def test_weekly_archives_run_to_the_end(name: str) -> None:
    text = corpus_file(name).read_text(encoding="utf-8")
    outcome = _fix(text, profile="weekly")
    # Parser and verifier are the same cmark-gfm: no fix changes the page.
    assert outcome.edits > 5 and outcome.refused == ()
    assert fixing.comparable(fixing.render_html(outcome.text)) == fixing.comparable(
        fixing.render_html(text)
    )
    again = _fix(outcome.text, profile="weekly")
    assert again.text == outcome.text and again.fixed == 0 and again.refused == ()
