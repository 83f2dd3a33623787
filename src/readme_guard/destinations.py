"""What a link destination points at: a URL, or a path in the repository plus a fragment.

Shared by the path, anchor and duplicate rules so they agree on what `Images%2Fa.png`,
`<Slide/a b.pptx>`, `./a.png "title"` and `#-navigation-` mean.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_TITLE = re.compile(r"""\s+(?:"[^"]*"|'[^']*'|\([^)]*\))\s*$""")


@dataclass(frozen=True, slots=True)
class Destination:
    raw: str
    url: bool  # has a scheme (https:, mailto:) or is protocol-relative (//host)
    path: str  # percent-decoded path, without query and fragment; "" for `#frag`
    fragment: str | None  # percent-decoded, without `#`

    @property
    def is_local_path(self) -> bool:
        return not self.url and bool(self.path)


@lru_cache(maxsize=65536)
def parse_destination(raw: str) -> Destination:
    """Split a destination as written into its path and fragment."""
    text = raw.strip()
    angled = text.startswith("<") and text.endswith(">")
    text = text[1:-1] if angled else _TITLE.sub("", text)
    if _SCHEME.match(text) or text.startswith("//"):
        return Destination(raw=raw, url=True, path=text, fragment=None)
    text, hash_sign, fragment = text.partition("#")
    text = text.partition("?")[0]
    return Destination(
        raw=raw,
        url=False,
        path=unquote(text),
        fragment=unquote(fragment) if hash_sign else None,
    )
