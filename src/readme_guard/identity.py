"""What makes two papers, two assets and two URLs the same.

Plain string functions, shared by the duplicate rules (RG301-RG303): each turns one way of
writing a thing into a key that every other way of writing it shares, so the rules only need
dictionary look-ups.

Decisions:
- A URL's key keeps its query (`?id=X` names the page on OpenReview, IEEE, ...) and its path
  case; it drops the scheme (`http` = `https`), `www.`, a default port, a trailing `/` and the
  fragment, and lowercases the host.
- A title's key drops a trailing parenthesised venue, i.e. a group holding a year or a venue
  name: `(CVPR 2022)`, `(NeurIPS 2023 Oral)`, `(arXiv)`; any other trailing group such as
  `(Extended Abstract)` stays part of the title. `+` is kept (`SyncTalk++` is not `SyncTalk`).
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import parse_qs, unquote, urlsplit

MIN_TITLE_LENGTH = 10
"""Shorter normalised titles are not keys: `Multi`, `Fine`, `VLN` name no paper on their own."""


@dataclass(frozen=True, slots=True)
class PaperKey:
    """One identity of a paper; two blocks sharing a key list the same paper."""

    kind: str  # "arXiv", "DOI", "OpenReview" or "title"
    value: str  # the normalised identity
    shown: str = field(compare=False)  # how a message names it

    def describe(self) -> str:
        return f"{self.kind} {self.shown}"


_ARXIV_HOSTS = frozenset({"arxiv.org", "export.arxiv.org"})
# New-style `2005.12872`, or old-style `hep-th/9901001` / `math.GT/0309136` (archive, an
# optional subject class, seven digits).
_ARXIV_ID = (
    r"(?P<id>\d{4}\.\d{4,5}"
    r"|(?P<archive>[a-z]+(?:-[a-z]+)?)(?:\.[A-Za-z-]+)?/(?P<number>\d{7}))"
)
_ARXIV_PATH = re.compile(
    rf"^/(?:(?:abs|pdf|html|ps|format)/|ftp/arxiv/papers/\d{{4}}/){_ARXIV_ID}(?:v\d+)?(?:\.pdf)?/?$"
)
_ARXIV_DOI = re.compile(rf"^10\.48550/arxiv\.{_ARXIV_ID}$", re.IGNORECASE)
_DOI_HOSTS = frozenset({"doi.org", "dx.doi.org"})
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_ACM_DOI_PATH = re.compile(r"^/doi/(?:(?:abs|pdf|full|epdf|fullHtml)/)?(?P<doi>10\..+)$")
_OPENREVIEW_PATH = frozenset({"/forum", "/pdf"})
# A trailing group holding a year (`2022`, `'23`) or starting with a venue name; digits may
# touch letters (`CVPR2022`), so no `\b` around them.
_VENUE = re.compile(
    r"""\s*[(（]
    (?:[^()（）]*(?:(?<!\d)(?:19|20)\d{2}|['’]\d{2})(?!\d)
      |\s*(?:arxiv|preprint|cvpr|iccv|eccv|neurips|nips|iclr|icml|aaai|ijcai|acl|emnlp|naacl
          |coling|acm\s*mm|mm|kdd|www|sigir|tpami|tip|tmm|ijcv|icra|iros|corl|rss|wacv|bmvc)
        (?![a-z])
    )[^()（）]*[)）]\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
_NOT_TITLE_CHARACTER = re.compile(r"[^\w+]|_")
_DEFAULT_PORTS = frozenset({80, 443})


# Cached: RG301-RG303 split each link's URL up to five times (DOI, arXiv, OpenReview, asset
# and link keys), and urlsplit with its host and port parsing is the bulk of their time.
@lru_cache(maxsize=65536)
def _host_path(url: str) -> tuple[str, str, str] | None:
    """(host without `www.`, path, query) of an http(s) or protocol-relative URL."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https", "") or not parts.hostname:
        return None
    host = parts.hostname.removeprefix("www.")
    if port is not None and port not in _DEFAULT_PORTS:
        host = f"{host}:{port}"
    return host, parts.path, parts.query


def normalise_url(url: str) -> str | None:
    """The key of an http(s) URL (see the module notes); None for any other destination."""
    found = _host_path(url)
    if found is None:
        return None
    host, path, query = found
    return host + path.rstrip("/") + (f"?{query}" if query else "")


def arxiv_id(url: str) -> str | None:
    """The arXiv identifier an arxiv.org URL names, without version: `2005.12872`,
    `hep-th/9901001`; an old-style subject class is dropped (`math.GT/0309136` is
    `math/0309136`, as arXiv itself redirects)."""
    found = _host_path(url)
    if found is None or found[0] not in _ARXIV_HOSTS:
        return None
    return _arxiv_match(_ARXIV_PATH.match(unquote(found[1])))


def _arxiv_match(match: re.Match[str] | None) -> str | None:
    if match is None:
        return None
    if match.group("number"):
        return f"{match.group('archive').lower()}/{match.group('number')}"
    return match.group("id")


def doi(destination: str) -> str | None:
    """The DOI a destination names, lowercased (DOIs are case-insensitive): a doi.org or
    dx.doi.org URL, `doi:10...`, or an ACM Digital Library `/doi/` URL."""
    text = destination.strip()
    if text[:4].lower() == "doi:":
        candidate = text[4:].strip()
    else:
        found = _host_path(text)
        if found is None:
            return None
        host, path, _ = found
        if host in _DOI_HOSTS:
            candidate = path[1:]
        elif host == "dl.acm.org" and (match := _ACM_DOI_PATH.match(path)):
            candidate = match.group("doi")
        else:
            return None
    # A sentence's full stop pasted with the URL is not part of the DOI.
    candidate = unquote(candidate).rstrip(".,;")
    return candidate.lower() if _DOI.match(candidate) else None


def openreview_id(url: str) -> str | None:
    """The forum id of `openreview.net/forum?id=X` or `openreview.net/pdf?id=X` (ids are
    case-sensitive)."""
    found = _host_path(url)
    if found is None or found[0] != "openreview.net" or found[1] not in _OPENREVIEW_PATH:
        return None
    ids = parse_qs(found[2]).get("id")
    return ids[0] if ids else None


def link_key(destination: str) -> PaperKey | None:
    """The paper a link's destination identifies, if it names one unambiguously."""
    found = doi(destination)
    if found is not None:
        arxiv = _arxiv_match(_ARXIV_DOI.match(found))
        if arxiv is not None:  # arXiv's own DOIs name the preprint
            return PaperKey("arXiv", arxiv.lower(), arxiv)
        return PaperKey("DOI", found, found)
    arxiv = arxiv_id(destination)
    if arxiv is not None:
        return PaperKey("arXiv", arxiv.lower(), arxiv)
    forum = openreview_id(destination)
    if forum is not None:
        return PaperKey("OpenReview", forum, forum)
    return None


@lru_cache(maxsize=65536)  # RG301 compares the titles of two duplicate blocks again
def normalise_title(title: str) -> str:
    """Full-width folded (NFKC), casefolded, a trailing venue dropped, and every character
    that is not a letter, digit or `+` removed."""
    text = unicodedata.normalize("NFKC", title)
    text = _VENUE.sub("", text)
    return _NOT_TITLE_CHARACTER.sub("", text.casefold())


def title_key(title: str) -> PaperKey | None:
    """The title as a key, unless it is too short to name one paper."""
    value = normalise_title(title)
    if len(value) < MIN_TITLE_LENGTH:
        return None
    shown = _VENUE.sub("", title).strip()
    return PaperKey("title", value, f"'{shown}'")


_BADGE_HOSTS = frozenset({"img.shields.io", "badgen.net", "badge.fury.io", "api.star-history.com"})


def is_badge(url: str) -> bool:
    """A status or tag badge (`img.shields.io/badge/...`, `.../badge.svg`): decoration that
    many entries share on purpose, never a paper's figure."""
    found = _host_path(url)
    if found is None:
        return False
    host, path, _ = found
    return host in _BADGE_HOSTS or "/badge" in path or path.endswith("badge.svg")


def asset_path(path: str, base: str) -> str:
    """The key of a percent-decoded local path resolved against the absolute folder `base`
    (the file's folder, or the repository root for a path starting with `/`, as on GitHub):
    `./` and `..` folded."""
    return posixpath.normpath(posixpath.join(base, path.lstrip("/")))
