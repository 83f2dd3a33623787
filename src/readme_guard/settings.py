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
ContainerChoice = Literal["blockquote", "list_item", "paragraph", "table", "section", "none"]

_FORBID: Any = {"extra": "forbid", "use_attribute_docstrings": True}


@dataclass(frozen=True)
class TitleSpec:
    """How the title is read from the block's first line (its plain text)."""

    __pydantic_config__ = _FORBID
    pattern: str
    """Regex searched in the first line; group `title` is the title (else the whole match).
    Other named groups are the entry's fields (`date`, `name`), e.g. for `duplicates`."""
    source: Literal["text", "markup"] = "text"
    """Search the line's plain text (`text`) or the line as written (`markup`: to take the
    title from `**bold**` or from the first link's `[text]`)."""


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
    """Regex of the description's label (`论文简述：`); the text after it is the description.
    A block without the label still has a description: its first line of text after the
    title that is more than links and figures."""
    required: bool
    """Every block needs a description (RG103)."""


@dataclass(frozen=True)
class NotPapersSpec:
    """What is never a paper block, whatever the container (checked in every profile)."""

    __pydantic_config__ = _FORBID
    markup: tuple[str, ...]
    """Regexes searched in a block's first line as written: GitHub alerts (`> [!NOTE]`),
    callouts (`> **Note**`)."""
    without_links: bool
    """A block with no link (other than `#anchor` links) and no image is no paper: an intro,
    a remark, a TOC. Not applied with `start`, whose lines mark entries themselves."""
    only_links: bool = False
    """A block whose first line is nothing but links, the first not a title of three words
    or more (`- [fairseq](...) [fairscale](...)`), is a list of resources, no paper."""


@dataclass(frozen=True)
class TableSpec:
    """`container: table`: each body row is an entry, its columns named by the header row."""

    __pydantic_config__ = _FORBID
    title: str
    """Regex matching the header of the title column (letter case ignored)."""
    description: str | None = None
    """Regex matching the header of the description column."""


@dataclass(frozen=True)
class BlockSchema:
    """How paper blocks are found and how each field is recognised."""

    __pydantic_config__ = _FORBID
    container: ContainerChoice
    """The element that holds one entry: a top-level quote, list item or paragraph; a
    table row (`table`); a heading and what follows it up to the next heading of the same
    or a higher level (`section`); `none`: the file lists no papers."""
    start: str | None
    """Regex: each matching line starts a new block; text before the first is not a block.
    Without it each container is one block."""
    skip: tuple[str, ...]
    """Regexes searched in a block's first line: a match means the block is not a paper."""
    not_papers: NotPapersSpec
    title: TitleSpec
    links: LinksSpec
    figure: FigureSpec
    description: DescriptionSpec
    placeholders: tuple[str, ...]
    """A title or description holding only one of these is a placeholder (RG105)."""
    with_list: bool = False
    """`container: paragraph`: a list right after the paragraph (its links) is part of the
    entry."""
    section_level: int | None = None
    """`container: section`: the heading level of a paper; null: the deepest level used."""
    table: TableSpec | None = None


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
    respell_prefixes: bool = False
    """Also report (and respell) quote prefixes that render the same but are written
    differently (`>>` for `> > `): a formatting choice, off unless a profile wants it.
    Lazy lines (a missing `>`) are reported either way."""


@dataclass(frozen=True)
class DuplicatesSpec:
    """What counts as the same paper twice (RG301) and the same URL twice (RG303)."""

    __pydantic_config__ = _FORBID
    scope: Literal["section", "file"]
    """Where one paper twice is a duplicate: within one section (under one heading), or
    anywhere in the file. One identifier under two different titles is reported anywhere."""
    distinct_by: tuple[str, ...]
    """Entry fields (named groups of `blocks.title.pattern`, e.g. `date`, `name`): entries
    whose fields differ are not duplicates (one paper read by two people, or twice)."""
    generic_texts: tuple[str, ...]
    """Link texts that name no page (`link`, `Github`, `paper`): never compared by RG303."""


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
    """A shipped profile for these files, e.g. `weekly`, or `notes` for a file that is no
    paper list (only anchors, paths and the TOC are checked)."""
    blocks: dict[str, Any] | None = None
    layout: dict[str, Any] | None = None
    toc: dict[str, Any] | None = None
    duplicates: dict[str, Any] | None = None
    rules: dict[str, RuleSetting] | None = None


@dataclass(frozen=True)
class Config:
    """A rules.yaml merged onto the profile it names: every key present and validated."""

    __pydantic_config__ = _FORBID
    profile: str
    """The shipped profile this file starts from (`readme-guard init` lists them)."""
    blocks: BlockSchema
    layout: LayoutSpec
    toc: TocSpec
    duplicates: DuplicatesSpec
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
