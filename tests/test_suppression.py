"""Suppression comments: disable / enable, next line, whole file, and RG602."""

from __future__ import annotations

import readme_guard

BLOCK = """\
> EVT: BERT Pretraining of Video Transformers (CVPR 2022)
> ![image](https://example.org/evt.png)
>> 描述: 将 BERT-Style 预训练的方式扩展到了 Video task
"""


def _codes(text: str) -> list[tuple[str, int]]:
    return [(d.code, d.line) for d in readme_guard.check(text, select="RG1,RG602")]


def test_unsuppressed_block_is_reported() -> None:
    assert _codes("# L\n\n## V\n" + BLOCK) == [("RG102", 4)]


def test_disable_next_line_by_name() -> None:
    text = "# L\n\n## V\n<!-- readme-guard-disable-next-line missing-link -->\n" + BLOCK
    assert _codes(text) == []


def test_disable_and_enable_a_range_by_code() -> None:
    text = (
        "# L\n\n## V\n<!-- readme-guard-disable RG102 -->\n"
        + BLOCK
        + "\n<!-- readme-guard-enable RG102 -->\n\n"
        + BLOCK
    )
    assert _codes(text) == [("RG102", 11)]


def test_disable_file_without_rules_means_all() -> None:
    assert _codes("<!-- readme-guard-disable-file -->\n# L\n\n## V\n" + BLOCK) == []


def test_unknown_rule_in_a_suppression_is_rg602() -> None:
    text = "# L\n\n## V\n<!-- readme-guard-disable-next-line missing-lnk -->\n" + BLOCK
    assert _codes(text) == [("RG602", 4), ("RG102", 5)]


def test_a_suppression_that_suppresses_nothing_is_rg602() -> None:
    text = "# L\n\n<!-- readme-guard-disable-next-line RG104 -->\n## V\n" + BLOCK
    assert ("RG602", 3) in _codes(text)
    assert ("RG102", 5) in _codes(text)


def test_comments_inside_code_fences_are_not_suppressions() -> None:
    text = "# L\n\n```\n<!-- readme-guard-disable-file -->\n```\n\n## V\n" + BLOCK
    assert _codes(text) == [("RG102", 8)]


def test_comments_inside_code_spans_are_not_suppressions() -> None:
    text = "# L\n\nWrite `<!-- readme-guard-disable-file -->` to silence a file.\n\n## V\n" + BLOCK
    assert _codes(text) == [("RG102", 6)]


def test_an_inline_comment_at_the_end_of_a_line_works() -> None:
    text = "# L\n\nSee below. <!-- readme-guard-disable-next-line RG102 -->\n" + BLOCK
    assert _codes(text) == []
