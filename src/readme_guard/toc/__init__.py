"""The table of contents, in one place.

* `markers`: the marker styles and the regions they enclose (light: settings.py imports it);
* `entries`: one record per TOC entry, the entry text of a heading, clickable links in HTML;
* `anchors`: the one answer to "does this `#fragment` resolve on GitHub" (RG204 and RG402);
* `detect`: a TOC without markers (a list of in-page links near the top);
* `merge`: the TOC compared with the headings, and the update `fix` applies (a merge);
* `new`: a TOC for a document that has none, and what `readme-guard toc` prints.
"""

from __future__ import annotations

import re

# Stands in for a TOC region on both sides of fix's rendering check: a TOC update may change
# what the region shows, and nothing else.
SENTINEL = "<!-- readme-guard: toc region -->"
_PREFIX = re.compile(r"[ \t>]*")


def line_prefix(line: str) -> str:
    """The indentation and quote markers `line` starts with (what a TOC line inside a list
    item or a quote carries)."""
    found = _PREFIX.match(line)
    return found.group() if found else ""


def sentinel_for(first_line: str) -> str:
    """The sentinel line for a region starting with `first_line`: with its indentation and
    quote markers, so a region inside a list item or a quote stays inside it."""
    return line_prefix(first_line) + SENTINEL
