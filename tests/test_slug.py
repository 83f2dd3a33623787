"""Tests for readme_guard.slug (GitHub heading anchors)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TypedDict

import pytest
from hypothesis import given
from hypothesis import strategies as st

from readme_guard.slug import Slugger, github_slug

FIXTURES = Path(__file__).parent / "conformance" / "github-slugger-fixtures.json"


class Case(TypedDict):
    name: str
    input: str
    expected: str


CASES: list[Case] = json.loads(FIXTURES.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def conformance_results() -> list[str]:
    # One Slugger for the whole list, in order: the "(again)" cases depend on earlier ones.
    slugger = Slugger()
    return [slugger.slug(case["input"]) for case in CASES]


def test_fixture_count() -> None:
    assert len(CASES) == 78


@pytest.mark.parametrize(
    "index", range(len(CASES)), ids=[f"{i:02d}-{case['name']}" for i, case in enumerate(CASES)]
)
def test_conformance(conformance_results: list[str], index: int) -> None:
    assert conformance_results[index] == CASES[index]["expected"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # `### <font color=Green> Navigation </font>` renders to the text " Navigation ".
        (" Navigation ", "-navigation-"),
        ("MTL，multi-task learning", "mtlmulti-task-learning"),
        (
            "PETL: parameters effective transfer learning",
            "petl-parameters-effective-transfer-learning",
        ),
        ("Table of Contents", "table-of-contents"),
        ("2023 (ICLR'23)", "2023-iclr23"),
        ("C++ / CUDA", "c--cuda"),
        ("multi_task  learning", "multi_task--learning"),
    ],
)
def test_real_headings(text: str, expected: str) -> None:
    assert github_slug(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("深度学习 综述", "深度学习-综述"),
        ("多任务学习（MTL）", "多任务学习mtl"),
        ("日本語の論文", "日本語の論文"),
        ("한국어 논문 목록", "한국어-논문-목록"),
    ],
)
def test_cjk_kept(text: str, expected: str) -> None:
    assert github_slug(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("🚀 Getting Started", "-getting-started"),
        ("Papers 📚", "papers-"),
        ("👨‍👩‍👧 Family", "-family"),  # ZWJ sequence: the joiners go too
        ("🇨🇳 China", "-china"),
        # The emoji goes, but its variation selector U+FE0F is a mark (Mn) and stays, as in
        # github-slugger: the anchor starts with an invisible character.
        ("\u2b50\ufe0f Stars", "\ufe0f-stars"),
    ],
)
def test_emoji_dropped(text: str, expected: str) -> None:
    assert github_slug(text) == expected


def test_whitespace_other_than_space_is_removed() -> None:
    assert github_slug("a\u00a0b\tc\u2003d\ne") == "abcde"


def test_duplicates_and_reset() -> None:
    slugger = Slugger()
    assert [slugger.slug(t) for t in ["Intro", "Intro", "intro-1", "Intro"]] == [
        "intro",
        "intro-1",
        "intro-1-1",
        "intro-2",
    ]
    slugger.reset()
    assert slugger.slug("Intro") == "intro"


def test_empty_heading() -> None:
    slugger = Slugger()
    assert [slugger.slug(t) for t in ["", "🎉", ""]] == ["", "-1", "-2"]


@given(st.text())
def test_slug_has_no_uppercase_ascii_or_spaces(text: str) -> None:
    result = github_slug(text)
    assert " " not in result
    assert not any("A" <= ch <= "Z" for ch in result)


@given(st.text())
def test_slug_is_idempotent(text: str) -> None:
    once = github_slug(text)
    assert github_slug(once) == once


_COLLIDING = st.sampled_from(["a", "A", "a-1", "a 1", "a-1-1", "a-2", "-a-", "", " ", "a!"])


@given(st.lists(st.one_of(_COLLIDING, st.text(max_size=6)), max_size=60))
def test_slugger_never_repeats(texts: list[str]) -> None:
    slugger = Slugger()
    anchors = [slugger.slug(t) for t in texts]
    assert len(set(anchors)) == len(anchors)
