"""RG204: every `#fragment` link, in the TOC and in the body, leads to a heading on GitHub."""

from __future__ import annotations

import re
from collections.abc import Iterator

from readme_guard.context import RuleContext
from readme_guard.destinations import parse_destination
from readme_guard.diagnostic import Finding, Fix
from readme_guard.document import Document, Heading, Link, Span
from readme_guard.repopath import follow, lexical
from readme_guard.rules import rule
from readme_guard.slug import github_slug
from readme_guard.suggest import closest
from readme_guard.toc import USER_CONTENT, Anchors

# Any element's `id` and an `<a name>` are anchors too (GitHub keeps them, prefixed).
_HTML_ID = re.compile(
    r"<(?:[A-Za-z][\w-]*\s[^>]*?\bid|a\s[^>]*?\bname)\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+))",
    re.IGNORECASE,
)
# GitHub's line links (`#L20`, `#L19C5-L21C11`) select lines of the file, not a heading.
_LINE_FRAGMENT = re.compile(r"L\d+(?:C\d+)?(?:-L\d+(?:C\d+)?)?")
_MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")


@rule(
    "RG204",
    "broken-anchor",
    "`#fragment` (TOC or body) matching no heading's GitHub anchor",
    fixable=True,
)
def broken_anchor(ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Checks that every `#fragment` link (Markdown links and `<a href>`, in the TOC and in the
    body) matches the anchor GitHub gives a heading, and that `other.md#section` matches a
    heading of that file. The message names the anchor GitHub really gives the heading the
    link means, when one is close.

    GitHub slugs the *rendered* heading text: `### <font color=Green> Navigation </font>`
    gets `#-navigation-`, not the `#font-colorgreen-navigation-font-` some TOC generators
    write. Every heading counts, also one inside a quote or a list, as on GitHub; so do an
    `id` attribute, an `<a name>`, `#top` and GitHub's line links (`#L20`). A fragment may
    carry GitHub's `user-content-` prefix and is compared after percent-decoding.

    Letter case is not compared. GitHub's anchors are lowercase, yet on github.com a link to
    `#Deep-Learning` still reaches `deep-learning`: the page's script, not the browser, finds
    the `user-content-` id (what users report; eslint's markdown plugin ignores case by
    default for this reason, markdownlint's MD051 has an `ignore_case` option). Other
    renderers may not be so lenient, so a regenerated TOC always writes the exact anchor.

    ## Why is this bad?
    A link to an anchor that does not exist does nothing when clicked: the reader stays at the
    top of a long list.

    ## Example
    ```markdown
    <!-- TOC -->
    * [Embodied AI](#embodied-ai)
      * [<font color=Green> Navigation </font>](#font-colorgreen-navigation-font-)
    <!-- TOC -->

    ## Embodied AI

    ### <font color=Green> Navigation </font>
    ```

    ## Use instead
    ```markdown
    <!-- TOC -->
    * [Embodied AI](#embodied-ai)
      * [<font color=Green> Navigation </font>](#-navigation-)
    <!-- TOC -->

    ## Embodied AI

    ### <font color=Green> Navigation </font>
    ```

    ## Fix safety
    A broken anchor inside a TOC is fixed by regenerating the TOC (see RG402); one in the body
    needs a human to say which heading it means.
    """
    document = ctx.document
    checks = ctx.toc_checks
    targets: dict[str, tuple[Document, Anchors, frozenset[str]] | None] = {}
    for link in document.links:
        if link.is_image:
            continue
        destination = parse_destination(link.destination)
        fragment = destination.fragment
        if destination.url or not fragment:  # a bare `#` is RG106's
            continue
        if destination.path not in targets:
            targets[destination.path] = _target(ctx, destination.path)
        target = targets[destination.path]
        if target is None or _resolves(fragment, *target[1:]):
            continue
        where = f" of {destination.path}" if destination.path else ""
        message = f"`#{fragment}` matches no heading{where}{_hint(target[0], link, fragment)}"
        fix: Fix | None = None
        if not destination.path:
            fix = next((c.fix for c in checks if c.region.holds(link.line)), None)
        yield Finding(_fragment_span(link), message, fix)


def _target(ctx: RuleContext, path: str) -> tuple[Document, Anchors, frozenset[str]] | None:
    """The document a link's path names, with its anchors; None when it is not a readable
    local Markdown file inside the repository (a missing one is RG201's business)."""
    if not path:
        document: Document | None = ctx.document
    else:
        project = ctx.project
        folder = ctx.file_path.resolve().parent if ctx.file_path else project.folder
        try:
            base = folder.relative_to(project.root).parts
        except ValueError:
            return None
        # Followed name by name without leaving the root: nothing outside is even stat-ed.
        parts = lexical(base, path)
        target = follow(project, parts) if parts is not None else None
        if target is None or target.status != "found":
            return None
        resolved = project.root.joinpath(*target.parts)
        if not resolved.name.lower().endswith(_MARKDOWN_SUFFIXES):
            return None
        same = ctx.file_path is not None and resolved == ctx.file_path.resolve()
        document = ctx.document if same else ctx.project.document(resolved)
    if document is None:
        return None
    return document, Anchors(document.headings), _html_ids(document)


def _html_ids(document: Document) -> frozenset[str]:
    ids = set()
    for number, text in enumerate(document.source.lines, start=1):
        if "<" in text and number not in document.code_lines:
            for found in _HTML_ID.finditer(text):
                ids.add(next(g for g in found.groups() if g is not None))
    return frozenset(ids)


def _resolves(fragment: str, anchors: Anchors, html_ids: frozenset[str]) -> bool:
    name = fragment.removeprefix(USER_CONTENT)
    return (
        anchors.heading(fragment) is not None
        or fragment in html_ids
        or name in html_ids
        or name.lower() == "top"
        or _LINE_FRAGMENT.fullmatch(fragment) is not None
    )


def _hint(document: Document, link: Link, fragment: str) -> str:
    """`; GitHub's anchor for this heading is ...` for the heading the link means."""
    heading = _intended(document.headings, link.text.strip())
    if heading is not None:
        return f"; GitHub's anchor for this heading is `#{heading.anchor}`"
    by_anchor = {h.anchor: h for h in document.headings}
    close = closest(fragment, by_anchor)
    if close is None:
        return ""
    heading = by_anchor[close]
    name = heading.text.strip()
    return f"; did you mean `#{heading.anchor}` (heading '{name}', line {heading.line})?"


def _intended(headings: list[Heading], text: str) -> Heading | None:
    """The heading whose text the link text repeats (as written or rendered), else whose slug
    the link text's slug is."""
    if not text:
        return None
    for heading in headings:
        if text in (heading.source_text.strip(), heading.text.strip()):
            return heading
    slug = github_slug(text)
    return next((h for h in headings if github_slug(h.text.strip()) == slug), None)


def _fragment_span(link: Link) -> Span:
    """The span of `#fragment` within the link's destination (all of it when unknown)."""
    span = link.span
    hash_at = link.destination.find("#")
    if span.line != span.end_line or span.end_column - span.column != len(link.destination):
        return span
    return Span(span.line, span.column + hash_at, span.end_line, span.end_column)
