"""RG1xx: every paper block has its fields (title, labelled links, figure, description)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from readme_guard.context import RuleContext
from readme_guard.diagnostic import Finding
from readme_guard.document import Span
from readme_guard.rules import rule

_PUNCTUATION = re.compile(r"[\s:：,，.。;；\-–—()（）\[\]【】]*")


@rule("RG101", "missing-title", "Paper block without a title")
def missing_title(ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Checks that every paper block starts with a title line.

    ## Why is this bad?
    A block whose first line is a link or a figure has no name in the rendered list, and
    duplicate detection by title cannot see it.

    ## Example
    ```markdown
    ## Vision

    > [Paper](https://arxiv.org/abs/2111.06377)
    > ![framework](https://example.org/mae.png)
    >> Masks random patches and reconstructs them.
    ```

    ## Use instead
    ```markdown
    ## Vision

    > Masked Autoencoders Are Scalable Vision Learners (CVPR 2022)
    > [Paper](https://arxiv.org/abs/2111.06377)
    > ![framework](https://example.org/mae.png)
    >> Masks random patches and reconstructs them.
    ```
    """
    for block in ctx.blocks:
        if block.title is None:
            yield Finding(block.first_line_span, "paper block has no title")


@rule("RG102", "missing-link", "A required link label (default: Paper) is absent")
def missing_link(ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Checks that every paper block has the labelled links that `blocks.links.required`
    names (default: `[Paper]`).

    ## Why is this bad?
    A reading list entry without a link to the paper sends every reader searching.

    ## Example
    ```markdown
    ## Video

    > EVT: BERT Pretraining of Video Transformers (CVPR 2022)
    > ![image](https://example.org/evt.png)
    >> Extends BERT-style pretraining to video.
    ```

    ## Use instead
    ```markdown
    ## Video

    > EVT: BERT Pretraining of Video Transformers (CVPR 2022)
    > [Paper](https://arxiv.org/abs/2112.01529)
    > ![image](https://example.org/evt.png)
    >> Extends BERT-style pretraining to video.
    ```
    """
    required = ctx.config.blocks.links.required
    for block in ctx.blocks:
        present = {link.text.strip().lower() for link in block.labelled_links}
        missing = [label for label in required if label.lower() not in present]
        if missing:
            names = ", ".join(f"[{label}]" for label in missing)
            title = f" '{_short(block.title.text)}'" if block.title else ""
            yield Finding(block.first_line_span, f"paper block{title} has no {names} link")


@rule("RG103", "missing-description", "Paper block without a description")
def missing_description(ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Checks that every paper block has a description where the profile expects one (default:
    a nested `>>` quote). A description without its label (`论文简述：`) is still one: a
    missing label is style, not a missing description.

    ## Why is this bad?
    The one-paragraph summary is what lets a reader decide whether to open the paper.

    ## Example
    ```markdown
    ## Vision

    > Masked Autoencoders Are Scalable Vision Learners (CVPR 2022)
    > [Paper](https://arxiv.org/abs/2111.06377)
    > ![framework](https://example.org/mae.png)
    ```

    ## Use instead
    ```markdown
    ## Vision

    > Masked Autoencoders Are Scalable Vision Learners (CVPR 2022)
    > [Paper](https://arxiv.org/abs/2111.06377)
    > ![framework](https://example.org/mae.png)
    >> Masks random patches and reconstructs them.
    ```
    """
    spec = ctx.config.blocks.description
    if not spec.required:
        return
    for block in ctx.blocks:
        if block.description is None:
            yield Finding(block.first_line_span, "paper block has no description")


@rule("RG104", "missing-figure", "Paper block without a figure (Markdown image or `<img>`)")
def missing_figure(ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Checks that every paper block shows a figure: a Markdown image or an HTML `<img>`.

    ## Why is this bad?
    The framework figure is how readers recognise a paper at a glance.

    ## Example
    ```markdown
    ## Vision

    > Masked Autoencoders Are Scalable Vision Learners (CVPR 2022)
    > [Paper](https://arxiv.org/abs/2111.06377)
    >> Masks random patches and reconstructs them.
    ```

    ## Use instead
    ```markdown
    ## Vision

    > Masked Autoencoders Are Scalable Vision Learners (CVPR 2022)
    > [Paper](https://arxiv.org/abs/2111.06377)
    > <img width="512" src="https://example.org/mae.png">
    >> Masks random patches and reconstructs them.
    ```
    """
    if not ctx.config.blocks.figure.required:
        return
    for block in ctx.blocks:
        if not block.figures:
            yield Finding(block.first_line_span, "paper block has no figure")


@rule("RG105", "placeholder-text", "A field holds only a placeholder (描述, TODO, TBD, ...)")
def placeholder_text(ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Checks that no title or description holds only a placeholder word from
    `blocks.placeholders` (default: 描述, 简介, 待补充, TODO, TBD, TBA, xxx, ...).

    ## Why is this bad?
    A placeholder is a field somebody meant to fill in and forgot; it renders as if done.

    ## Example
    ```markdown
    ## Vision

    > Siamese Masked Autoencoders (NeurIPS 2023 Oral)
    > [Paper](https://arxiv.org/abs/2305.14344)
    > ![img.png](https://example.org/siammae.png)
    >> 描述
    ```

    ## Use instead
    ```markdown
    ## Vision

    > Siamese Masked Autoencoders (NeurIPS 2023 Oral)
    > [Paper](https://arxiv.org/abs/2305.14344)
    > ![img.png](https://example.org/siammae.png)
    >> 描述: learns correspondence by predicting a masked future frame from a past one.
    ```
    """
    placeholders = {p.strip().lower() for p in ctx.config.blocks.placeholders}
    for block in ctx.blocks:
        for name, field in (("title", block.title), ("description", block.description)):
            if field is None:
                continue
            bare = _strip_punctuation(field.text).lower()
            if bare in placeholders or (name == "description" and not bare):
                shown = field.text.strip() or "(empty)"
                yield Finding(field.span, f"{name} is only a placeholder: '{shown}'")


def _strip_punctuation(text: str) -> str:
    """`text` without the spaces and punctuation around it. Its end is read on the reversed
    text: a search for a run at the end would try every position of a long description."""
    return text[_leading_punctuation(text) : len(text) - _leading_punctuation(text[::-1])]


def _leading_punctuation(text: str) -> int:
    found = _PUNCTUATION.match(text)
    return found.end() if found else 0


@rule("RG106", "empty-link", "Link with an empty or `#` destination")
def empty_link(ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Checks that no link or image points nowhere: an empty destination or a bare `#`.

    ## Why is this bad?
    `[Code]()` or `[Code](#)` renders as a link and leads to the top of the page; usually
    the URL was meant to be pasted later.

    ## Example
    ```markdown
    ## Vision

    > Masked Autoencoders Are Scalable Vision Learners (CVPR 2022)
    > [Paper](https://arxiv.org/abs/2111.06377),
    > [Code](#)
    > ![framework](https://example.org/mae.png)
    >> Masks random patches and reconstructs them.
    ```

    ## Use instead
    ```markdown
    ## Vision

    > Masked Autoencoders Are Scalable Vision Learners (CVPR 2022)
    > [Paper](https://arxiv.org/abs/2111.06377),
    > [Code](https://github.com/facebookresearch/mae)
    > ![framework](https://example.org/mae.png)
    >> Masks random patches and reconstructs them.
    ```
    """
    for link in ctx.document.links:
        if link.kind == "autolink" or link.destination.strip() not in ("", "#"):
            continue
        what = "image" if link.is_image else "link"
        label = f" [{link.text}]" if link.text else ""
        where = "'#' as" if link.destination.strip() == "#" else "an empty"
        yield Finding(link.span, f"{what}{label} has {where} destination")


@rule("RG107", "unknown-link-label", "Link label not in the configured set (typo: [Papr])")
def unknown_link_label(ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Checks that every labelled link of a paper block uses a label from
    `blocks.links.labels` (default: Paper, Code, Slide, Blog, Project, Video, Dataset,
    Demo, Poster), compared without letter case. Only a label one typing slip away from a
    known one is reported (a letter left out, added or two swapped: `[Papr]`, `[Cdoe]`); a
    list's own labels and names (`[Colab]`, `[memo]`, `[NeMo]`) are left alone.

    ## Why is this bad?
    A typo such as `[Papr]` hides the link from RG102 and reads as careless.

    ## Example
    ```markdown
    ## Vision

    > Masked Autoencoders Are Scalable Vision Learners (CVPR 2022)
    > [Papr](https://arxiv.org/abs/2111.06377)
    > ![framework](https://example.org/mae.png)
    >> Masks random patches and reconstructs them.
    ```

    ## Use instead
    ```markdown
    ## Vision

    > Masked Autoencoders Are Scalable Vision Learners (CVPR 2022)
    > [Paper](https://arxiv.org/abs/2111.06377)
    > ![framework](https://example.org/mae.png)
    >> Masks random patches and reconstructs them.
    ```
    """
    labels = ctx.config.blocks.links.labels
    known = {label.lower() for label in labels}
    for block in ctx.blocks:
        for link in block.labelled_links:
            text = link.text.strip()
            if text.lower() in known:
                continue
            # `NeMo`, `CodeR`, `MAGE`: a capital after the first letter names a thing.
            close = _typo_of(text, labels) if text[1:] == text[1:].lower() else None
            if close is None:
                continue  # a label of the list's own (`[Colab]`), not a typo of a known one
            start = link.markup_column + 1  # just after `[`
            span = Span(link.line, start, link.line, start + len(link.text))
            yield Finding(span, f"unknown link label [{text}]; did you mean [{close}]?")


def _typo_of(text: str, labels: Sequence[str]) -> str | None:
    """The known label `text` is one typing slip away from (a letter left out, added or
    two swapped: `Papr`, `Cdoe`), letter case ignored."""
    folded = text.casefold()
    return next((label for label in labels if _one_slip(folded, label.casefold())), None)


def _one_slip(one: str, other: str) -> bool:
    if abs(len(one) - len(other)) > 1 or one == other:
        return False
    if len(one) == len(other):  # a swap; one letter replaced makes another word (`slime`)
        diff = [i for i, (a, b) in enumerate(zip(one, other, strict=True)) if a != b]
        swapped = len(diff) == 2 and diff[1] == diff[0] + 1 and one[diff[0]] == other[diff[1]]
        return swapped and one[diff[1]] == other[diff[0]]
    short, long = sorted((one, other), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
