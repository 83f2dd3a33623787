"""RG6xx: problems of the file itself rather than of its paper blocks."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from readme_guard.context import RuleContext
from readme_guard.diagnostic import Finding
from readme_guard.document import NESTING_LIMIT, Document, Span
from readme_guard.rules import rule

# git's markers (marker size 7): ours, the diff3 base, the separator, theirs.
_CONFLICT_MARKER = re.compile(r"(?:<{7}|\|{7}|>{7})(?:[ \t].*)?|={7}[ \t]*")


@rule("RG601", "conflict-marker", "Leftover git merge-conflict markers")
def conflict_marker(ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Checks for git merge-conflict markers left in the file: a `<<<<<<< ` line followed by a
    `=======` line and then a `>>>>>>> ` line (with an optional diff3 `||||||| ` line), at the
    start of a line and outside code blocks. Each marker of such a set is reported. A lone
    `=======` is a setext heading underline, not a marker.

    ## Why is this bad?
    An unresolved conflict keeps both versions of the text, and GitHub shows the markers:
    `<<<<<<< HEAD` renders as a paragraph and `>>>>>>> 82ae37b` as a seven-deep quote.

    ## Example
    ```markdown
    ## 2025

    <<<<<<< HEAD
    > > [2025-09-07]-[A]-[Paper one](https://arxiv.org/abs/2501.00001)
    =======
    > > [2025-09-07]-[B]-[Paper two](https://arxiv.org/abs/2501.00002)
    >>>>>>> 82ae37b2ef76a87a7d1bde5cf740265e4b2a8922
    ```

    ## Use instead
    ```markdown
    ## 2025

    > > [2025-09-07]-[A]-[Paper one](https://arxiv.org/abs/2501.00001)
    > > [2025-09-07]-[B]-[Paper two](https://arxiv.org/abs/2501.00002)
    ```
    """
    lines = ctx.source_lines
    for conflict in conflicts(lines, ctx.document.code_lines):
        first, last = conflict[0], conflict[-1]
        for number in conflict:
            text = lines[number - 1]
            if number == first:
                message = f"unresolved merge conflict (lines {first} to {last}): `{text.strip()}`"
            else:
                message = f"merge-conflict marker `{text.strip()}` of the conflict at line {first}"
            yield Finding(Span(number, 1, number, len(text) + 1), message)


def first_conflict(document: Document) -> list[int] | None:
    """The line numbers of the file's first complete conflict marker set, if any."""
    return next(conflicts(document.source.lines, document.code_lines), None)


def conflicts(lines: Sequence[str], code_lines: frozenset[int]) -> Iterator[list[int]]:
    """Line numbers of each complete marker set: `<<<<<<<`, [`|||||||`], `=======`, `>>>>>>>`."""
    current: list[int] = []
    separated = False
    for number, text in enumerate(lines, start=1):
        if number in code_lines or not _CONFLICT_MARKER.fullmatch(text):
            continue
        kind = text[0]
        if kind == "<":
            current, separated = [number], False
        elif current and not separated and kind in "|=":
            current.append(number)
            separated = kind == "="
        elif current and separated and kind == ">":
            yield [*current, number]
            current = []


@rule(
    "RG602",
    "invalid-suppression",
    "Suppression comment naming an unknown rule, or unused",
    severity="warning",
    post=True,
)
def invalid_suppression(ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Checks `<!-- readme-guard-disable ... -->` comments: each must name known rules (by code
    or name) and must suppress at least one finding.

    ## Why is this bad?
    A comment with a misspelt rule name silences nothing, and one left behind after its
    finding was fixed hides the next real problem at that spot.

    ## Example
    ```markdown
    ## Vision

    <!-- readme-guard-disable-next-line missing-figur -->
    > Masked Autoencoders Are Scalable Vision Learners (CVPR 2022)
    > [Paper](https://arxiv.org/abs/2111.06377)
    >> Masks random patches and reconstructs them.
    ```

    ## Use instead
    ```markdown
    ## Vision

    <!-- readme-guard-disable-next-line missing-figure -->
    > Masked Autoencoders Are Scalable Vision Learners (CVPR 2022)
    > [Paper](https://arxiv.org/abs/2111.06377)
    >> Masks random patches and reconstructs them.
    ```
    """
    # A post-pass rule: only after the suppression pass is it known which comments were used.
    if ctx.suppressions is None:
        raise RuntimeError("RG602 runs after the suppression pass (post=True)")
    for span, message in ctx.suppressions.problems():
        yield Finding(span, message)


@rule(
    "RG603",
    "nesting-too-deep",
    "Quotes and lists nested too deeply to be checked",
    severity="warning",
)
def nesting_too_deep(ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Reports each region of quotes and lists nested more than 32 levels deep (each quote and
    each list counts one). readme-guard does not read inside such a region, so its links,
    paths and paper blocks go unchecked; the rest of the file is checked as usual.

    ## Why is this bad?
    Nothing a reader needs is nested that deep; it is almost always a run of `>` or list
    markers typed by accident, and whatever it holds escapes every other check.

    ## Example
    ```markdown
    ## Vision

    > > > > > > > > > > > > > > > > > > > > > > > > > > > > > > > > > Masked Autoencoders
    ```

    ## Use instead
    ```markdown
    ## Vision

    > Masked Autoencoders
    ```
    """
    lines = ctx.source_lines
    for first, last in ctx.document.too_deep:
        text = lines[first - 1] if first <= len(lines) else ""
        where = f"line {first}" if first == last else f"lines {first} to {last}"
        yield Finding(
            Span(first, 1, first, len(text) + 1),
            f"quotes and lists nested more than {NESTING_LIMIT} levels deep ({where}): not checked",
        )
