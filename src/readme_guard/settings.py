"""The shape of rules.yaml as plain dataclasses.

They import nothing heavy, so a run whose validated config is cached never loads pydantic.
`config.py` validates YAML into them with pydantic (`__pydantic_config__` forbids extra keys);
`readme-guard schema` derives the JSON Schema from them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from readme_guard.toc.markers import MarkerStyle

Severity = Literal["error", "warning"]
ContainerChoice = Literal["blockquote", "list_item", "paragraph"]

_FORBID: Any = {"extra": "forbid", "use_attribute_docstrings": True}


@dataclass(frozen=True)
class TitleSpec:
    """How the title is read from the block's first line (its plain text)."""

    __pydantic_config__ = _FORBID
    pattern: str
    """Regex searched in the first line; group `title` is the title (else the whole match)."""


@dataclass(frozen=True)
class LinksSpec:
    """Labelled links: `[Paper](...)`, `[Code](...)`, ... in the block's first paragraph."""

    __pydantic_config__ = _FORBID
    labels: tuple[str, ...]
    """Known labels (compared case-insensitively)."""
    required: tuple[str, ...]
    """Labels every block must have (RG102)."""
    label_pattern: str
    """Link texts that look like a label; only these are checked against `labels` (RG107)."""


@dataclass(frozen=True)
class FigureSpec:
    __pydantic_config__ = _FORBID
    required: bool
    """Every block needs a Markdown image or an `<img>` (RG104)."""


@dataclass(frozen=True)
class DescriptionSpec:
    """Which paragraph lines of a block are its description."""

    __pydantic_config__ = _FORBID
    min_quote_depth: int
    """Lines nested at least this deep in quotes, relative to the block (2 means `>>`)."""
    pattern: str | None
    """Regex a line must match; the text after the match is the description."""
    required: bool
    """Every block needs a description (RG103)."""


@dataclass(frozen=True)
class BlockSchema:
    """How paper blocks are found and how each field is recognised."""

    __pydantic_config__ = _FORBID
    container: ContainerChoice
    """The top-level element that holds blocks: a quote, a list item or a paragraph."""
    after_first_heading: bool
    """Anything before the first heading (an intro quote, a banner) is not a paper."""
    start: str | None
    """Regex: each matching line starts a new block; text before the first is not a block.
    Without it each container is one block."""
    skip: tuple[str, ...]
    """Regexes searched in a block's first line: a match means the block is not a paper."""
    title: TitleSpec
    links: LinksSpec
    figure: FigureSpec
    description: DescriptionSpec
    placeholders: tuple[str, ...]
    """A title or description holding only one of these is a placeholder (RG105)."""


@dataclass(frozen=True)
class LayoutSpec:
    """The canonical block layout that `fix` restores (RG501, RG502)."""

    __pydantic_config__ = _FORBID
    link_separator: str | None
    """Put after every labelled link but the last, one link per line; null: links may share
    a line (a list format) and nothing is checked."""
    separator: str | None
    """The line between consecutive blocks; null for none."""
    description_prefix: str
    """The quote prefix of description lines."""
    body_prefix: str
    """The quote prefix of title, link and figure lines."""
    strip_trailing_spaces: bool = False
    """Also report (and strip) spaces at the end of block lines, except a hard break."""


@dataclass(frozen=True)
class TocSpec:
    __pydantic_config__ = _FORBID
    required: bool
    """Report RG401 when the document has no TOC."""
    min_level: int | None
    """Smallest heading level listed; default: what the existing TOC shows."""
    max_level: int | None
    """Largest heading level listed; default: what the existing TOC shows."""
    insert_after: str | None
    """Where `fix` inserts a missing TOC: after the heading with this text (or regex)."""
    marker: MarkerStyle
    """Marker style of an inserted TOC."""
    detect: Literal["markers", "auto"] = "auto"
    """Which TOC is checked and updated: `markers` only a region between marker comments;
    `auto` also, in a file without markers, a list of in-page links near the top (RG402)."""


@dataclass(frozen=True)
class RuleSetting:
    """Per-rule settings under `rules:`, keyed by code (RG104) or name (missing-figure)."""

    __pydantic_config__ = _FORBID
    severity: Severity | None = None
    """Overrides the rule's default severity."""
    enabled: bool = True
    """False turns the rule off, like `ignore`."""


@dataclass(frozen=True)
class Override:
    """Settings for the files matching `files` (globs relative to the config's folder)."""

    __pydantic_config__ = _FORBID
    files: tuple[str, ...]
    """Globs such as `Archived/*.md`; `**` matches across folders."""
    profile: str | None = None
    """A shipped profile for these files, e.g. `weekly`."""
    blocks: dict[str, Any] | None = None
    layout: dict[str, Any] | None = None
    toc: dict[str, Any] | None = None
    rules: dict[str, RuleSetting] | None = None


@dataclass(frozen=True)
class Config:
    """A rules.yaml merged onto the profile it names: every key present and validated."""

    __pydantic_config__ = _FORBID
    profile: str
    """The shipped profile this file starts from: `default` or `weekly`."""
    blocks: BlockSchema
    layout: LayoutSpec
    toc: TocSpec
    files: tuple[str, ...] = ()
    """What `readme-guard check` checks with no arguments (globs)."""
    repository: str | None = None
    """OWNER/REPO, for RG205; default: the git remote `origin`."""
    select: tuple[str, ...] | None = None
    """Rule codes, names or prefixes (RG2) to run; default: all."""
    ignore: tuple[str, ...] = ()
    """Rule codes, names or prefixes not to run."""
    extend_select: tuple[str, ...] = ()
    """Added to `select`."""
    rules: dict[str, RuleSetting] = field(default_factory=dict)
    overrides: tuple[Override, ...] = ()
