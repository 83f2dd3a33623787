"""RG3xx: the same paper, figure or URL listed twice.

Each rule walks the document once and keeps the first occurrence of every key in a dict, so
a duplicate is reported once, at the later occurrence, naming the line of the earlier one.
What counts as "the same" lives in `readme_guard.identity`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from readme_guard import identity
from readme_guard.blocks import PaperBlock
from readme_guard.context import RuleContext
from readme_guard.destinations import parse_destination
from readme_guard.diagnostic import Finding
from readme_guard.document import Link, Span
from readme_guard.rules import rule


@rule("RG301", "duplicate-paper", "Same paper twice (arXiv id, DOI, OpenReview id or title)")
def duplicate_paper(ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Checks that no paper is listed in two blocks. Two blocks list the same paper when any
    link of both names the same arXiv id (`abs`, `pdf`, `html`, any version, old-style ids
    like `hep-th/9901001`), the same DOI (`doi.org`, `dx.doi.org`, `doi:`, ACM `dl.acm.org/doi/`,
    any letter case) or the same OpenReview forum id, or when their titles are equal after
    folding full-width characters, letter case, punctuation, spaces and a trailing venue such
    as `(CVPR 2022)`. Titles shorter than 10 letters and digits are not compared.

    By default one paper twice is a duplicate within one section (under one heading), not
    in two sections (`duplicates.scope: file` compares the whole file), and entries whose
    `duplicates.distinct_by` fields differ are never duplicates: in a reading log
    (`distinct_by: [date, name]`) one paper read by two people, or on two dates, is fine.
    One arXiv id, DOI or OpenReview id under two titles that differ widely is reported
    anywhere in the file, naming both lines: one of the two links is wrong.

    ## Why is this bad?
    A paper added twice, often by two people weeks apart, splits its notes in two and makes
    the list look longer than it is; `arxiv.org/abs/2005.12872` and
    `arxiv.org/pdf/2005.12872v3.pdf` do not look alike, so nobody notices by reading.

    ## Example
    ```markdown
    ## Detection

    > End-to-End Object Detection with Transformers (ECCV 2020)
    > [Paper](https://arxiv.org/abs/2005.12872)
    > ![framework](https://example.org/detr.png)
    >> Detects objects as a set, with a transformer and bipartite matching.

    &nbsp;
    > DETR: End-to-End Object Detection with Transformers
    > [Paper](https://arxiv.org/pdf/2005.12872v3.pdf)
    > ![framework](https://example.org/detr-architecture.png)
    >> A transformer predicts all objects at once.
    ```

    ## Use instead
    ```markdown
    ## Detection

    > End-to-End Object Detection with Transformers (ECCV 2020)
    > [Paper](https://arxiv.org/abs/2005.12872)
    > ![framework](https://example.org/detr.png)
    >> Detects objects as a set, with a transformer and bipartite matching.
    >> A transformer predicts all objects at once.
    ```
    """
    spec = ctx.config.duplicates
    blocks = ctx.blocks
    texts = _Texts.of(ctx)
    by_id: dict[identity.PaperKey, int] = {}  # identifier -> first block, file-wide
    seen: dict[tuple[object, identity.PaperKey], int] = {}  # (scope, key) -> first block
    for index, block in enumerate(blocks):
        keys = list(_paper_keys(block, texts))
        finding = _wrong_link(blocks, index, keys, by_id)
        scope = _scope(block, spec.scope, spec.distinct_by)
        for key, span in keys if finding is None else ():
            first = seen.get((scope, key), index)
            if first != index:
                earlier = blocks[first].start_line
                finding = Finding(
                    span, f"duplicate paper: {key.describe()} already listed at line {earlier}"
                )
                break
        if finding is not None:
            yield finding
        for key, _ in keys:
            seen.setdefault((scope, key), index)
            if key.kind != "title":
                by_id.setdefault(key, index)


def _wrong_link(
    blocks: list[PaperBlock],
    index: int,
    keys: list[tuple[identity.PaperKey, Span]],
    by_id: dict[identity.PaperKey, int],
) -> Finding | None:
    """One identifier under two different titles, anywhere in the file: one link is wrong."""
    block = blocks[index]
    for key, span in keys:
        first = by_id.get(key, index)
        if key.kind == "title" or first == index or not _titles_differ(block, blocks[first]):
            continue
        other = blocks[first]
        assert block.title is not None and other.title is not None  # _titles_differ says so
        return Finding(
            span,
            f"{key.describe()} is linked at line {other.start_line} under"
            f" '{_short(other.title.text)}' and here under '{_short(block.title.text)}':"
            " one of these links is wrong",
        )
    return None


def _scope(block: PaperBlock, scope: str, distinct_by: tuple[str, ...]) -> object:
    """What must be equal for two entries of one paper to be a duplicate: their section
    (with `scope: section`) and the fields of `distinct_by` (who read it, and when)."""
    section = block.section if scope == "section" else None
    return section, tuple(block.field(name) for name in distinct_by)


def _short(text: str, limit: int = 50) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class _Texts:
    """What a link text is: a known label, a generic text, or a name (of this or another page)."""

    labels: frozenset[str]
    generic: frozenset[str]

    @classmethod
    def of(cls, ctx: RuleContext) -> _Texts:
        return cls(
            frozenset(_fold(label) for label in ctx.config.blocks.links.labels),
            frozenset(_fold(text) for text in ctx.config.duplicates.generic_texts),
        )

    def kind(self, folded: str) -> str:
        """`folded` as `_fold` gives it."""
        if folded in self.labels:
            return "label"
        return "generic" if folded in self.generic else "name"


_NOT_ALPHANUMERIC = re.compile(r"[\W_]+")


def _fold(text: str) -> str:
    """A link text compared: letter case, spaces, brackets and punctuation folded, so
    `[[code]]` is `code` and `Agent Zero` is `agent-zero`."""
    return _NOT_ALPHANUMERIC.sub("", text.casefold())


# A link text naming a venue or a date (`COLM 2024`, `CVPR'23`) links the entry's own paper.
_VENUE_TEXT = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)|['’]\d{2}\b")


def _own_links(block: PaperBlock, texts: _Texts) -> Iterator[Link]:
    """The links that belong to the block's paper: before its description (links inside it
    cite others), and not named after something else (`[Game-TARS](...)` beside the title
    mentions another work): the title's own link, labels, generic texts, venues."""
    end = block.description.span.line if block.description else block.end_line + 1
    title = _fold(block.title.text) if block.title else ""
    for link in block.links:
        if link.is_image or link.line >= end:
            continue
        text = _fold(link.text)
        named = texts.kind(text) == "name" and not _VENUE_TEXT.search(link.text)
        if not named or (text and text in title):
            yield link


def _paper_keys(block: PaperBlock, texts: _Texts) -> Iterator[tuple[identity.PaperKey, Span]]:
    """The block's identities in the order they are tried: its own links', then its title."""
    for link in _own_links(block, texts):
        destination = parse_destination(link.destination)
        if not destination.url:
            continue
        key = identity.link_key(destination.path)
        if key is not None:
            yield key, link.span
    if block.title is not None:
        key = identity.title_key(block.title.text)
        if key is not None:
            yield key, block.title.span


def _titles_differ(block: PaperBlock, other: PaperBlock) -> bool:
    """Two titles that share few letters: one block probably links the other's paper."""
    if block.title is None or other.title is None:
        return False
    ours = identity.normalise_title(block.title.text)
    theirs = identity.normalise_title(other.title.text)
    if ours == theirs or min(len(ours), len(theirs)) < identity.MIN_TITLE_LENGTH:
        # Most duplicates repeat their title (skip the quadratic comparison); an acronym
        # (`FSTTA`) is too short to say it names another paper.
        return False
    import difflib  # only reached for two titles that differ; kept off the start-up path

    return difflib.SequenceMatcher(None, ours, theirs).ratio() < 0.5


@rule("RG302", "duplicate-asset", "One figure or slide file used by two blocks", "warning")
def duplicate_asset(ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Checks that no figure (Markdown image or `<img>`) and no local file a block links to
    (slides, PDFs) is used by two paper blocks. Local paths are compared after resolving
    them against the file's folder (`./`, `..` and percent-encoding folded, so
    `Images%2Fa.png` is `Images/a.png`); remote figures by their URL without scheme,
    `www.`, trailing `/` and fragment. One block may use one file twice; a badge
    (`img.shields.io`), a link to lines of a shared file (`refs.bib#L135-L141`) and a
    link to a Markdown notes page (`notes/kitti.md`, which lists often write once for two
    related papers) are shared on purpose.

    ## Why is this bad?
    A new block is usually written by copying the one above; a slide or figure path left
    unchanged shows the other paper's material under this paper's title.

    ## Example
    ```markdown files=Slide/siammae.pptx,Images/siammae.png,Images/albef.png
    ## Vision

    > Siamese Masked Autoencoders (NeurIPS 2023 Oral)
    > [Paper](https://arxiv.org/abs/2305.14344),
    > [Slide](Slide/siammae.pptx)
    > ![img.png](Images/siammae.png)
    >> Predicts a masked future frame from a past one.

    &nbsp;
    > Align before Fuse: Vision and Language Representation Learning (NeurIPS 2021)
    > [Paper](https://arxiv.org/abs/2107.07651),
    > [Slide](Slide/siammae.pptx)
    > ![img.png](Images/albef.png)
    >> Aligns image and text features before fusing them.
    ```

    ## Use instead
    ```markdown files=Slide/siammae.pptx,Slide/albef.pptx,Images/siammae.png,Images/albef.png
    ## Vision

    > Siamese Masked Autoencoders (NeurIPS 2023 Oral)
    > [Paper](https://arxiv.org/abs/2305.14344),
    > [Slide](Slide/siammae.pptx)
    > ![img.png](Images/siammae.png)
    >> Predicts a masked future frame from a past one.

    &nbsp;
    > Align before Fuse: Vision and Language Representation Learning (NeurIPS 2021)
    > [Paper](https://arxiv.org/abs/2107.07651),
    > [Slide](Slide/albef.pptx)
    > ![img.png](Images/albef.png)
    >> Aligns image and text features before fusing them.
    ```
    """
    folder = (ctx.file_path.resolve().parent if ctx.file_path else Path.cwd()).as_posix()
    seen: dict[str, tuple[int, int]] = {}  # key -> (block index, line) of the first use
    reported: set[tuple[int, str]] = set()
    for index, block in enumerate(ctx.blocks):
        for link in block.links:
            key = _asset_key(ctx, link, folder)
            if key is None:
                continue
            first_block, first_line = seen.setdefault(key, (index, link.line))
            if first_block == index or (index, key) in reported:
                continue
            reported.add((index, key))
            yield Finding(
                link.span,
                f"duplicate asset: '{link.destination}' is already used at line {first_line}"
                " by another paper block",
            )


_NOTES_PAGE = re.compile(r"\.(?:md|markdown)$", re.IGNORECASE)
_LINE_RANGE = re.compile(r"L\d+(?:-L?\d+)?")


def _asset_key(ctx: RuleContext, link: Link, folder: str) -> str | None:
    """Figures, and files a block links to; local keys are absolute paths (they start with
    `/`), remote ones normalised URLs (they never do)."""
    destination = parse_destination(link.destination)
    if destination.is_local_path and _LINE_RANGE.fullmatch(destination.fragment or ""):
        return None  # `refs.bib#L135-L141`: each entry cites its own lines of one shared file
    if destination.is_local_path and not link.is_image and _NOTES_PAGE.search(destination.path):
        return None  # a notes page may serve several related papers on purpose
    if destination.is_local_path:
        base = ctx.project.root.as_posix() if destination.path.startswith("/") else folder
        return identity.asset_path(destination.path, base)
    if link.is_image and destination.url and not identity.is_badge(destination.path):
        return identity.normalise_url(destination.path)
    return None


@rule("RG303", "duplicate-link", "One URL under two different link texts", "warning")
def duplicate_link(ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Checks that a URL is not linked under two different names anywhere in the file (Markdown
    links and `<a href>`; not images, bare URLs or `#fragment` links). URLs are compared
    without scheme (`http` = `https`), `www.`, default port and trailing `/`, with the query
    and the fragment kept; texts after folding letter case and spaces. Reported: two
    different known labels (`[Paper]` and `[Slide]` on one URL), two names of which neither
    holds the other (`DETR` is in `DETR: End-to-End ...`), a name and a generic text of
    `duplicates.generic_texts` (`综述：[链接]` and `[MAM adapter]`) on two lines. Two
    generic texts (`[Github]` and `[Code]`) are never compared. Also no mistake, and not
    reported: a paper block's own link (one before its description)
    cited elsewhere under a short name, as in `the [SDT](...) baseline`; and two blocks of
    one paper, which RG301 (duplicate-paper) reports.

    ## Why is this bad?
    Two texts promise two different pages. Usually one link was copied from the line above
    and its URL never replaced, so one of the two texts leads to the wrong page.

    ## Example
    ```markdown
    ## PETL

    > 相关链接：
    > - Prompt Tuning 综述：[链接](https://mp.weixin.qq.com/s/dz6Ad_pVveXwe6O0RvF7iw)
    > - [MAM adapter](https://mp.weixin.qq.com/s/dz6Ad_pVveXwe6O0RvF7iw): 对 adapter 变体的分析
    ```

    ## Use instead
    ```markdown
    ## PETL

    > 相关链接：
    > - Prompt Tuning 综述：[链接](https://mp.weixin.qq.com/s/dz6Ad_pVveXwe6O0RvF7iw)
    > - [MAM adapter](https://arxiv.org/abs/2110.04366): 对 adapter 变体的分析
    ```
    """
    blocks = ctx.blocks
    texts = _Texts.of(ctx)
    owner = {link: index for index, block in enumerate(blocks) for link in _own_links(block, texts)}
    # A paper block's other links mention other works, by whatever name the writer likes.
    mentions = {link for block in blocks for link in block.links} - owner.keys()
    seen: dict[str, tuple[Link, str, str]] = {}  # URL key -> first link, kind, folded text
    reported: set[tuple[str, str]] = set()
    for link in ctx.document.links:
        if link.kind not in ("link", "html_a"):
            continue
        destination = parse_destination(link.destination)
        key = identity.normalise_url(destination.path) if destination.url else None
        text = _fold(link.text)
        if key is None or not text or link in mentions:
            continue
        if identity.normalise_url(link.text.strip()) == key:
            continue
        fragment = destination.path.partition("#")[2]
        key += f"#{fragment}" if fragment else ""  # `#part-a` and `#part-b` are two places
        kind = texts.kind(text)
        first, first_kind, first_text = seen.setdefault(key, (link, kind, text))
        if (key, text) in reported or text == first_text:
            continue
        ours, theirs = owner.get(link), owner.get(first)
        if ours is not None and theirs is not None and ours != theirs:
            # Two entries' own links: the URL is wrong if their titles name two papers. A
            # survey's [code] that is another entry's title link is one repository listed
            # twice on purpose.
            same_role = _titles_link(link, blocks[ours]) == _titles_link(first, blocks[theirs])
            if not same_role or not _titles_differ(blocks[ours], blocks[theirs]):
                continue
        elif not _conflict((first_kind, first_text), (kind, text)):
            continue
        elif kind != first_kind and first.line == link.line:
            continue  # `[Title](url) [[paper](url)]`: one entry names its page twice
        if _expected(blocks, theirs, ours, texts):
            continue
        reported.add((key, text))
        yield Finding(
            link.span,
            f"duplicate link: this URL is linked as [{first.text.strip()}] at line {first.line}"
            f" and as [{link.text.strip()}] here",
        )


def _titles_link(link: Link, block: PaperBlock) -> bool:
    """Whether `link` is the link of the block's title (`[Title](url)`), not a label."""
    text = _fold(link.text)
    return bool(block.title and text and text in _fold(block.title.text))


def _conflict(one: tuple[str, str], other: tuple[str, str]) -> bool:
    """Whether two (kind, folded text) promise two different pages: two different known
    labels, two names neither holding the other (`DETR` is in `DETR: End-to-End ...`), or a
    name and a generic text; two generic texts (`[Github]`, `[Code]`) promise nothing."""
    (kind, text), (other_kind, other_text) = one, other
    if text == other_text or kind == other_kind == "generic":
        return False
    if kind == other_kind == "name":
        return text not in other_text and other_text not in text
    return "label" not in (kind, other_kind) or kind == other_kind


def _expected(
    blocks: list[PaperBlock], first: int | None, later: int | None, texts: _Texts
) -> bool:
    """Two texts for one URL that are no mistake, given the blocks owning the two links."""
    if (first is None) != (later is None):
        return True  # a block's own link, cited elsewhere under a short name
    if first is None or later is None or first == later:
        return False
    # One paper in two blocks: RG301 (duplicate-paper) says so.
    return bool(_paper_key_set(blocks[first], texts) & _paper_key_set(blocks[later], texts))


def _paper_key_set(block: PaperBlock, texts: _Texts) -> set[identity.PaperKey]:
    return {key for key, _ in _paper_keys(block, texts)}
