"""RG105's stripping of the spaces and punctuation around a field, against a plain loop."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from readme_guard.rules.fields import _strip_punctuation

_EDGE = ":：,，.。;；-–—()（）[]【】"


def _reference(text: str) -> str:
    def edge(character: str) -> bool:
        return character.isspace() or character in _EDGE

    start, end = 0, len(text)
    while start < end and edge(text[start]):
        start += 1
    while end > start and edge(text[end - 1]):
        end -= 1
    return text[start:end]


@pytest.mark.parametrize(
    ("text", "bare"),
    [
        ("（一两句话总结精华，切勿过长）", "一两句话总结精华，切勿过长"),
        ("： TODO 。\n", "TODO"),
        ("\u3000待补充\u3000", "待补充"),  # ideographic spaces
        ("【】 ... ——", ""),
        ("", ""),
        ("Masks random patches; reconstructs them.", "Masks random patches; reconstructs them"),
    ],
)
def test_strips_both_ends_only(text: str, bare: str) -> None:
    assert _strip_punctuation(text) == bare


@given(st.text(alphabet=st.sampled_from(f"{_EDGE} \t\n\u3000\u00a0ab论文")))
def test_same_as_stripping_one_character_at_a_time(text: str) -> None:
    assert _strip_punctuation(text) == _reference(text)
