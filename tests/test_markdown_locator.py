"""The locator on its own: exact positions from a Source and the parser's line hints."""

from __future__ import annotations

from readme_guard.locator import Found, Locator, unescape
from readme_guard.source import Source


def _locator(text: str) -> Locator:
    return Locator(Source("t.md", text))


def test_byte_columns_become_character_columns() -> None:
    locate = _locator("> 论文简述：[x](y)\nplain [x](y)\n")
    assert locate.char_column(1, 18) == 8  # `[` after five 3-byte characters
    assert locate.char_column(2, 7) == 7  # ASCII: the same number


def test_content_strips_quote_markers_up_to_the_depth_and_indentation() -> None:
    locate = _locator("> >  text\n> lazy\n   >> deep\n")
    assert locate.content(1, 2) == (6, "text")
    assert locate.content(2, 2) == (3, "lazy")  # a lazy line has fewer markers
    assert locate.content(3, 2) == (7, "deep")


def test_destinations_are_found_forwards_and_repeated_ones_in_turn() -> None:
    locate = _locator("| [a](p.md) | [b](p.md) |\n[c](<with space.png>) [d](a\\_b)\n")
    assert locate.destination("p.md", 1, 2) == Found(1, 7, 11, 3, "p.md")
    assert locate.destination("p.md", 1, 2) == Found(1, 19, 23, 15, "p.md")
    assert locate.destination("with space.png", 1, 2) == Found(2, 6, 20, 1, "with space.png")
    assert locate.destination("a_b", 2, 2) == Found(2, 27, 31, 23, "a\\_b")  # as written
    assert locate.destination("p.md", 1, 2) is None  # the cursor never goes back


def test_an_image_inside_a_link_is_located_before_the_link() -> None:
    locate = _locator("[![img](Images/a.png)](https://x.org)\n")
    assert locate.destination("Images/a.png", 1, 1) == Found(1, 9, 21, 2, "Images/a.png")
    assert locate.destination("https://x.org", 1, 1) == Found(1, 24, 37, 1, "https://x.org")


def test_html_attributes_and_constructs_without_a_destination() -> None:
    locate = _locator('> <img width="512"\n>  src="Images/a.png">\nsee [ref][1]\n')
    found = locate.html_attribute("Images/a.png", '<img width="512"', 1, 2)
    assert found == Found(2, 9, 21, 1, "Images/a.png")  # the tag starts on the line before
    assert locate.markup(3, "ref") == Found(3, 5, 5, 5, "")


def test_unescape_decodes_backslashes_and_entities() -> None:
    assert unescape("a\\_b&amp;c") == "a_b&c"
    assert unescape("plain") == "plain"
