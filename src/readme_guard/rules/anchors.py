"""RG204: every `#fragment` link, in the TOC and in the body, leads to a heading on GitHub."""

from __future__ import annotations

from collections.abc import Iterator

from readme_guard.context import RuleContext
from readme_guard.destinations import parse_destination
from readme_guard.diagnostic import Finding, Fix
from readme_guard.document import Document, Heading, Link, Span
from readme_guard.repopath import follow, lexical
from readme_guard.rules import rule
from readme_guard.slug import github_slug
from readme_guard.suggest import closest
from readme_guard.toc.anchors import Anchors
from readme_guard.toc.merge import TocCheck

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
    write. Every heading counts, also one inside a quote or a list, as on GitHub (repeated
    slugs numbered `-1`, `-2`); so do an `id` attribute on any element and an `<a name>`
    (also `<a name="x"/>`) anywhere outside code and comments (GitHub keeps both, prefixed
    `user-content-`, as markdownlint's MD051 models), `#top` and GitHub's line links
    (`#L20`). A fragment may carry the `user-content-` prefix and is compared after
    percent-decoding. RG402 asks the same question the same way, so the two never disagree.

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
    A broken anchor inside a TOC is fixed by the TOC update (see RG402) when it knows the
    heading meant (by the entry's text, or a renamed heading in its place) or removes a bare
    entry that stands for nothing; one in the body needs a human to say which heading it
    means.
    """
    document = ctx.document
    checks = ctx.toc_checks
    targets: dict[str, tuple[Document, Anchors] | None] = {}
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
        if target is None or target[1].resolve(fragment) is not None:
            continue
        where = f" of {destination.path}" if destination.path else ""
        message = f"`#{fragment}` matches no heading{where}{_hint(target[0], link, fragment)}"
        fix = None if destination.path else _toc_fix(checks, link)
        yield Finding(_fragment_span(link), message, fix)


def _toc_fix(checks: list[TocCheck], link: Link) -> Fix | None:
    """The TOC update, when it changes the TOC entry of `link`."""
    for check in checks:
        for entry, action in zip(check.region.entries, check.actions, strict=True):
            if entry.line == link.line and action != "keep":
                return check.fix
    return None


def _target(ctx: RuleContext, path: str) -> tuple[Document, Anchors] | None:
    """The document a link's path names, with its anchors; None when it is not a readable
    local Markdown file inside the repository (a missing one is RG201's business)."""
    if not path:
        return ctx.document, ctx.anchors
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
    if ctx.file_path is not None and resolved == ctx.file_path.resolve():
        return ctx.document, ctx.anchors
    document = project.document(resolved)
    return (document, Anchors(document)) if document is not None else None


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
