"""`--format github`: workflow commands as the Actions runner parses them, the cap of 10
annotations per type, the notice that counts the rest, and the job summary."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from readme_guard.cli import cli
from readme_guard.diagnostic import Diagnostic
from readme_guard.document import Span
from readme_guard.output import github
from tests.conftest import FIXTURES, init_repo

BROKEN = FIXTURES / "integrations"
COMMAND = re.compile(r"^::(?P<kind>error|warning|notice) (?P<props>[^:]*)::(?P<message>.*)$")
PLAIN = re.compile(
    r"^(?P<file>.+):(?P<line>\d+):(?P<column>\d+): (?P<severity>error|warning) "
    r"(?P<code>RG\d{3}) (?P<msg>.+)$"
)


def unescape(text: str) -> str:
    for escaped, raw in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(escaped, raw)
    return text


def parse_command(line: str) -> tuple[str, dict[str, str], str]:
    """A workflow command split the way the runner splits it: properties on `,` and `=`."""
    match = COMMAND.match(line)
    assert match, f"not a workflow command: {line!r}"
    props = dict(p.split("=", 1) for p in match["props"].split(","))
    return match["kind"], {k: unescape(v) for k, v in props.items()}, unescape(match["message"])


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def copy_broken(folder: Path, name: str = "README.md") -> Path:
    shutil.copytree(BROKEN, folder, dirs_exist_ok=True)
    if name != "README.md":
        (folder / "README.md").rename(folder / name)
    return init_repo(folder)


def test_escaping_follows_the_runner() -> None:
    assert github.escape_data("50%: a, b\r\nc") == "50%25: a, b%0D%0Ac"
    assert github.escape_property("50%: a, b\r\nc") == "50%25%3A a%2C b%0D%0Ac"


def test_every_finding_once_with_its_position(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy_broken(tmp_path)
    monkeypatch.chdir(tmp_path)
    _, as_json = invoke("check", "--format", "json", "README.md")
    expected = json.loads(as_json)["diagnostics"]
    code, output = invoke("check", "--format", "github", "README.md")
    assert code == 1
    annotations = [parse_command(line) for line in output.splitlines() if line.startswith("::")]
    assert len(annotations) == len(expected) >= 2
    for (kind, props, message), d in zip(annotations, expected, strict=True):
        assert kind == d["severity"]
        assert props == {
            "file": "README.md",
            "line": str(d["line"]),
            "endLine": str(d["end_line"]),
            "col": str(d["column"]),
            "endColumn": str(max(d["end_column"], d["column"])),
            "title": f"{d['code']} {d['rule']}",
        }
        assert message == d["message"]
    assert output.splitlines()[-1] == f"readme-guard: {len(expected)} findings in 1 file."


def test_properties_and_message_are_escaped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = "notes, v2: 50%.md"
    copy_broken(tmp_path, name)
    readme = tmp_path / name
    readme.write_text(
        readme.read_text(encoding="utf-8").replace("EVT: BERT", "EVT: 90%, BERT"), "utf-8"
    )
    monkeypatch.chdir(tmp_path)
    _, output = invoke("check", "--format", "github", name)
    line = next(x for x in output.splitlines() if "RG102" in x)
    assert line.startswith("::error file=notes%2C v2%3A 50%25.md,line=34,endLine=34,col=3,")
    assert line.endswith(
        ",title=RG102 missing-link::paper block "
        "'EVT: 90%25, BERT Pretraining of Video Transformers (CVPR 2022)' "
        "has no [Paper] link"
    )
    assert parse_command(line)[1]["file"] == name


def test_file_is_relative_to_the_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy_broken(tmp_path)
    (tmp_path / "docs").mkdir()
    monkeypatch.chdir(tmp_path / "docs")
    _, output = invoke("check", "--format", "github", "../README.md")
    files = {parse_command(x)[1]["file"] for x in output.splitlines() if x.startswith("::")}
    assert files == {"README.md"}


def _many_findings(folder: Path) -> None:
    """The broken fixture plus 12 blocks without a Paper link and 3 placeholder descriptions:
    15 RG102 errors, 3 RG105 errors and one RG204 anchor finding."""
    copy_broken(folder)
    readme = folder / "README.md"
    extra = [
        f"&nbsp;\n> Video Model {i} (CVPR 2023)\n> ![framework](Images/evt.png)\n"
        f">> {'描述' if i < 3 else f'Pretrains video model {i} on masked frames.'}\n"
        for i in range(14)
    ]
    readme.write_text(readme.read_text(encoding="utf-8") + "\n" + "\n".join(extra), "utf-8")


def test_annotations_are_capped_per_type_and_the_rest_counted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _many_findings(tmp_path)
    monkeypatch.chdir(tmp_path)
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    _, as_json = invoke("check", "--format", "json", "README.md")
    expected = json.loads(as_json)["diagnostics"]
    errors = [d for d in expected if d["severity"] == "error"]
    assert len(errors) > github.ANNOTATION_LIMIT
    _, output = invoke("check", "--format", "github", "README.md")
    lines = output.splitlines()
    commands = [parse_command(x) for x in lines if x.startswith("::")]
    annotated = [c for c in commands if c[0] == "error"]
    assert len(annotated) == github.ANNOTATION_LIMIT
    # round-robin: every rule with an error finding has at least one annotation
    assert {c[1]["title"].split()[0] for c in annotated} == {d["code"] for d in errors}
    notices = [c for c in commands if c[0] == "notice"]
    plain = [x for x in lines if PLAIN.match(x)]
    assert len(plain) == len(expected) - (len(commands) - len(notices))
    assert len(notices) == 1
    hidden_errors = len(errors) - github.ANNOTATION_LIMIT
    hidden_warnings = max(len(expected) - len(errors) - github.ANNOTATION_LIMIT, 0)
    hidden = hidden_errors + hidden_warnings
    assert notices[0][2].startswith(
        f"{hidden} more findings ({hidden_errors} errors, {hidden_warnings} warning"
    )
    assert notices[0][2].endswith("listed above in this log and in the job summary.")
    table = [x for x in summary.read_text("utf-8").splitlines() if x.startswith("| README.md:")]
    assert len(table) == len(expected)


def test_choose_goes_round_robin_over_rules_in_code_order() -> None:
    codes = ["RG102"] * 12 + ["RG105", "RG204", "RG105"]
    chosen = github.choose(codes, limit=5)
    assert chosen == [0, 1, 12, 13, 14]
    assert github.choose(["RG102"] * 3) == [0, 1, 2]


def _finding(message: str, line: int = 1) -> github.Finding:
    diagnostic = Diagnostic(
        path="README.md",
        span=Span(line, 1, line, 5),
        code="RG204",
        rule="broken-anchor",
        severity="error",
        message=message,
        fixable=True,
    )
    return github.Finding("README.md", diagnostic)


def test_summary_links_to_the_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_SERVER_URL", "https://github.com")
    monkeypatch.setenv("GITHUB_REPOSITORY", "ReadingPapers/Report")
    monkeypatch.setenv("GITHUB_SHA", "0123abc")
    text = github.summary_markdown([_finding("`#a` matches no heading", 16)], 1, 10_000)
    row = next(x for x in text.splitlines() if x.startswith("| [README"))
    assert row == (
        "| [README.md:16:1](https://github.com/ReadingPapers/Report/blob/0123abc/README.md#L16)"
        " | [RG204 broken-anchor](https://github.com/readme-guard/readme-guard/blob/main/docs/"
        "rules.md#rg204-broken-anchor) | error | `#a` matches no heading |"
    )
    assert "1 finding (1 error, 0 warnings) in 1 file; 1 fixable with `readme-guard fix`." in text


MESSAGES = [
    "`#font-colorgreen-a|b` matches no heading; GitHub's anchor is `#-a_b-`",
    "title <font color=Green> *Robotic* </font> & [link] | pipe \\ backslash ~x~ a_b_c",
    "an unpaired ` backtick with | and <b>",
    "two\nlines",
]


@pytest.mark.parametrize("message", MESSAGES)
def test_summary_cells_render_as_the_message(message: str) -> None:
    """GitHub's own renderer (cmark-gfm) shows each message cell as the message's text,
    with backticked parts as code."""
    import html

    import cmarkgfm

    rendered = cmarkgfm.github_flavored_markdown_to_html(
        github.summary_markdown([_finding(message)], 1, 10_000)
    )
    listed = rendered.split("<table>")[-1]  # the last table: the full list
    cells = re.findall(r"<td>(.*?)</td>", listed)
    assert len(cells) == 4, rendered
    shown = cells[3]
    expected = " ".join(message.splitlines())
    if message.count("`") % 2 == 0:
        assert shown.count("<code>") == message.count("`") // 2
        shown = shown.replace("<code>", "`").replace("</code>", "`")
    assert html.unescape(shown) == expected


def test_summary_stays_under_the_limit() -> None:
    findings = [_finding("x" * 300, i) for i in range(1, 5001)]  # ~1.7 MB of rows
    text = github.summary_markdown(findings, 1, github.SUMMARY_LIMIT)
    assert len(text.encode("utf-8")) <= github.SUMMARY_LIMIT
    rows = sum(1 for x in text.splitlines() if x.startswith("| README.md:"))
    assert 0 < rows < len(findings)
    assert f"{len(findings) - rows} more findings not listed" in text


def test_summary_counts_what_the_file_already_holds(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_bytes(b"x" * (github.SUMMARY_LIMIT - 100_000))
    github.append_summary(summary, [_finding("y" * 300, i) for i in range(1, 1001)], 1)
    assert summary.stat().st_size <= github.SUMMARY_LIMIT


def test_clean_run_writes_a_passing_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    (tmp_path / "README.md").write_text("# Papers\n\nNothing yet.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, output = invoke("check", "--format", "github", "README.md")
    assert (code, output) == (0, "readme-guard: 0 findings in 1 file.\n")
    assert summary.read_text("utf-8") == (
        "earlier step\n### readme-guard\n\nAll checks passed (1 file).\n\n"
    )


def test_github_is_the_default_under_actions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy_broken(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    _, output = invoke("check", "README.md")
    assert output.startswith("::warning file=README.md,") or output.startswith("::error ")


def test_corpus_report(report_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The real REPORT.md: every line a well-formed command, a plain finding, the notice or
    the closing count; at most 10 annotations of each type."""
    monkeypatch.chdir(report_repo)
    _, as_json = invoke("check", "--format", "json", "REPORT.md")
    expected = json.loads(as_json)["diagnostics"]
    _, output = invoke("check", "--format", "github", "REPORT.md")
    lines = output.splitlines()
    assert lines[-1] == f"readme-guard: {len(expected)} findings in 1 file."
    kinds: dict[str, int] = {}
    findings = 0
    for line in lines[:-1]:
        if line.startswith("::"):
            kind, props, _ = parse_command(line)
            kinds[kind] = kinds.get(kind, 0) + 1
            findings += kind != "notice"
            assert kind == "notice" or props["file"] == "REPORT.md"
        else:
            assert PLAIN.match(line), line
            findings += 1
    assert findings == len(expected)
    assert all(count <= github.ANNOTATION_LIMIT for count in kinds.values())
    annotated = sum(count for kind, count in kinds.items() if kind != "notice")
    assert kinds.get("notice", 0) == (1 if findings > annotated else 0)
