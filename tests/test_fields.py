"""RG101-RG107 on REPORT.md-shaped fixtures: one failing and one passing file per rule.

Each fixture's first line says what it must produce, e.g. `<!-- expect: RG102@6 RG102@12 -->`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import readme_guard
from tests.conftest import FIXTURES

FIELD_FIXTURES = sorted((FIXTURES / "fields").glob("*.md"))
_EXPECT = re.compile(r"<!-- expect: (?P<items>[^>]*?) -->")


def _expected(path: Path) -> set[tuple[str, int]]:
    match = _EXPECT.search(path.read_text(encoding="utf-8").splitlines()[0])
    assert match, f"{path.name} lacks an expect comment"
    items = match.group("items").split()
    return {(code, int(line)) for code, line in (i.split("@") for i in items if i != "none")}


def _found(text: bytes, profile: str | None = None) -> list[tuple[str, int, int]]:
    found = readme_guard.check(text.decode("utf-8"), isolated=True, profile=profile, select="RG1")
    return [(d.code, d.line, d.column) for d in found]


def test_one_failing_and_one_passing_fixture_per_rule() -> None:
    names = {path.name for path in FIELD_FIXTURES}
    for code in ("RG101", "RG102", "RG103", "RG104", "RG105", "RG106", "RG107"):
        assert {f"{code}-fail.md", f"{code}-pass.md"} <= names


@pytest.mark.parametrize("path", FIELD_FIXTURES, ids=lambda p: p.stem)
def test_fixture(path: Path) -> None:
    found = {(code, line) for code, line, _ in _found(path.read_bytes())}
    assert found == _expected(path)


def test_field_findings_point_at_the_field() -> None:
    text = (FIXTURES / "fields" / "RG107-fail.md").read_bytes()
    # `> [Papr](...)`: the label starts in column 4, just after `[`.
    assert ("RG107", 7, 4) in _found(text)
    text = (FIXTURES / "fields" / "RG105-fail.md").read_bytes()
    assert ("RG105", 10, 4) in _found(text)  # `>> 描述`: after the markers


def test_block_findings_point_at_the_first_line() -> None:
    text = (FIXTURES / "fields" / "RG102-fail.md").read_bytes()
    assert ("RG102", 6, 3) in _found(text)


def test_bom_and_crlf_give_the_same_positions() -> None:
    plain = (FIXTURES / "fields" / "RG107-fail.md").read_bytes()
    crlf = b"\xef\xbb\xbf" + plain.replace(b"\n", b"\r\n")
    assert _found(crlf) == _found(plain)


def test_cjk_columns_count_characters() -> None:
    text = (
        "# 列表\n\n## 视觉\n> 论文：Masked Autoencoders\n"
        "> [Papr](https://a.org)\n> ![图](x.png)\n>> 描述: 好\n"
    )
    assert ("RG107", 5, 4) in _found(text.encode())


WEEKLY = """\
## 必须是【全文】精读的论文，如实记录

> ==> 时间倒序，本次更新插入位置 <==
>
> >   [2026-6-28]-[徐赟博]-[OmniNav: A Unified Framework for Prospective Exploration]
> >
> > <img width="512" alt="image" src="https://github.com/ReadingPapers/Report/blob/main/Images/omninav.png">
> >
> > 论文简述：具身导航要求智能体能够理解视觉环境、遵循自然语言指令并自主探索。
> >
> > [2026-6-28]-[何艺超]-[本周未精读]

> >[2026-6-21]-[戴逦]-[A Supervised Multi-task Framework for Joint Cryo-ET Restoration]
> >
> >论文简述:
> >
> >cryoDeRec 提出了一种面向 Cryo-ET 数据恢复的监督式多任务学习框架。

>>[2026-5-10]-[徐赟博]-Ground Slow, Move Fast: A Dual-System Foundation Model
>>
>><img width="512" alt="image" src="https://github.com/ReadingPapers/Report/blob/main/Images/DUAL_VLN.png">

>>论文简述：快慢双系统导航模型。

> > [2026-5-31]-[徐赟博]-[泛读一些vla经典模型论文，没有专门精读]
"""


def test_weekly_profile_recognises_entries_and_skips_non_entries() -> None:
    found = _found(WEEKLY.encode(), profile="weekly")
    # The 戴逦 entry has no figure; its description follows a bare `论文简述:`; the 徐赟博
    # entry's description sits in a second quote after a blank line and still counts.
    assert found == [("RG104", 13, 4)]


AWESOME_CONFIG = """\
blocks:
  container: list_item
  start: null
  skip: []
  title:
    pattern: '^\\s*(?P<title>[^(\\[]+?)\\s*(\\(|\\[|$)'
  links:
    labels: [Paper, Code, Project]
    required: [Paper]
    label_pattern: '^[A-Za-z]+$'
  figure:
    required: false
  description:
    min_quote_depth: 0
    pattern: null
    required: false
"""

AWESOME = """\
# Awesome masked modelling

## Vision

- **Masked Autoencoders Are Scalable Vision Learners** (CVPR 2022) [[Paper](https://arxiv.org/abs/2111.06377)] [[Code](https://github.com/facebookresearch/mae)]
- **BEiT: BERT Pre-Training of Image Transformers** (ICLR 2022) [[Code](https://github.com/microsoft/unilm)]
- **SimMIM** (CVPR 2022) [[Papr](https://arxiv.org/abs/2111.09886)]
"""


def test_a_third_format_is_described_in_yaml_alone(tmp_path: Path) -> None:
    (tmp_path / "rules.yaml").write_text(AWESOME_CONFIG, encoding="utf-8")
    (tmp_path / "README.md").write_text(AWESOME, encoding="utf-8")
    diagnostics = readme_guard.check_file(
        tmp_path / "README.md", config=tmp_path / "rules.yaml", select="RG1"
    )
    found = [(d.code, d.line) for d in diagnostics]
    assert found == [("RG102", 6), ("RG102", 7), ("RG107", 7)]
