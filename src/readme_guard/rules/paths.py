"""RG201-RG203, RG205, RG206: every file a link or image names is there on GitHub.

A destination is resolved as a browser resolves it on github.com: lexically, against the
Markdown file's folder (a leading `/` against the repository root). The result is then followed
on disk one name at a time, each looked up in its folder's listing, so letter case is compared
exactly on any file system, and a symlink is read (never followed by the OS) so nothing outside
the repository is ever listed, opened or stat'ed.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import unquote
from weakref import WeakKeyDictionary

from readme_guard.context import RuleContext
from readme_guard.destinations import parse_destination
from readme_guard.diagnostic import Finding
from readme_guard.document import Link
from readme_guard.markdown import normalize_link
from readme_guard.project import Project
from readme_guard.repopath import MISSING, Target, follow, lexical, nfc
from readme_guard.rules import rule

# github.com/OWNER/REPO/blob|raw|tree/REST and raw.githubusercontent.com/OWNER/REPO/REST, where
# REST is REF/PATH; `/assets/...` and user-attachments are uploads, not files of the tree.
_REPO_URL = re.compile(
    r"(?:https?:)?//(?:(?:www\.)?github\.com/(?P<repo>[^/?#]+/[^/?#]+)/(?:blob|raw|tree)"
    r"|raw\.githubusercontent\.com/(?P<raw_repo>[^/?#]+/[^/?#]+))/(?P<rest>[^?#]*)",
    re.IGNORECASE,
)
# A permalink at a commit stays valid whatever the tree holds today.
_COMMIT = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")


@dataclass(frozen=True, slots=True)
class _Problem:
    code: str
    message: str


# Problems per distinct destination, kept for the lifetime of each Project (one run): keyed by
# (file folder, repository), then by (link kind, destination as written).
_Memo = dict[tuple[str, str], _Problem | None]
_CACHE: WeakKeyDictionary[Project, dict[tuple[str, str], _Memo]] = WeakKeyDictionary()
_UNKNOWN = _Problem("", "")


class _Checker:
    """What is wrong with each destination of one Markdown file, memoised per destination."""

    def __init__(self, project: Project, base: tuple[str, ...], repository: str | None) -> None:
        self.project = project
        self.base = base
        self.repository = repository
        memos = _CACHE.setdefault(project, {})
        self.memo = memos.setdefault(("/".join(base), repository or ""), {})

    @classmethod
    def of(cls, ctx: RuleContext) -> _Checker | None:
        """None where nothing can be checked: stdin without a name, a file outside the root."""
        if ctx.file_path is None:
            return None
        project = ctx.project
        root = project.root
        try:
            base = ctx.file_path.resolve().parent.relative_to(root).parts
        except ValueError:
            return None
        if project.entries(str(root)) is None:
            return None
        return cls(project, base, project.repository(ctx.config.repository))

    def problem(self, link: Link) -> _Problem | None:
        key = (link.kind, link.destination)
        found = self.memo.get(key, _UNKNOWN)
        if found is _UNKNOWN:
            found = self.memo[key] = self._diagnose(link)
        return found

    def _diagnose(self, link: Link) -> _Problem | None:
        destination = parse_destination(_unescaped(link))
        if destination.url:
            return self._repository_url(destination.path)
        if link.kind == "autolink" or not destination.path:
            return None
        shown = destination.path
        parts = lexical(self.base, shown)
        if parts is None:
            return _Problem("RG203", f"`{shown}` leads outside the repository root")
        target = follow(self.project, parts)
        if target.status == "missing":
            return _Problem("RG201", f"`{shown}` does not exist")
        if target.status == "outside":
            symlink = "/".join(target.parts)
            return _Problem(
                "RG203", f"`{shown}` leads outside the repository root through symlink `{symlink}`"
            )
        if target.status == "case":
            real = posixpath.relpath("/" + "/".join(target.parts), "/" + "/".join(self.base))
            if shown.startswith("/"):
                real = "/" + "/".join(target.parts)
            return _Problem("RG202", f"`{shown}` exists only as `{real}`; GitHub is case-sensitive")
        return self._untracked(shown, target.parts)

    def _repository_url(self, url: str) -> _Problem | None:
        match = _REPO_URL.match(url)
        if match is None or self.repository is None:
            return None
        if (match["repo"] or match["raw_repo"]).lower() != self.repository.lower():
            return None
        segments = unquote(match["rest"]).split("/")
        if _COMMIT.fullmatch(segments[0].lower()):
            return None
        # REF may hold `/` (refs/heads/main, feature/x): the URL is fine when any split of
        # REF/PATH names a file; a message is about the likeliest split.
        likeliest = 3 if segments[:2] in (["refs", "heads"], ["refs", "tags"]) else 1
        splits = [likeliest, *(n for n in range(1, len(segments)) if n != likeliest)]
        reported: tuple[str, Target] | None = None
        for split in splits:
            path = "/".join(segments[split:])
            if not path.strip("/"):
                return None  # the repository itself: tree/main
            parts = lexical((), path)
            target = MISSING if parts is None else follow(self.project, parts)
            if target.status == "found":
                return self._untracked(path, target.parts)
            reported = reported or (path, target)
        assert reported is not None  # the loop runs at least once
        path, target = reported
        if target.status == "case":
            real = "/".join(target.parts)
            message = f"`{path}` exists only as `{real}`; GitHub is case-sensitive"
        else:
            message = f"`{path}` is not in this repository ({self.repository})"
        return _Problem("RG205", message)

    def _untracked(self, shown: str, parts: tuple[str, ...]) -> _Problem | None:
        tracked = self.project.tracked
        if tracked is None or not parts:
            return None
        path = "/".join(parts)
        folders = self.project.tracked_folders
        spellings = {path, nfc(path)}  # macOS may list NFD names; git records NFC
        if any(p in tracked or p in folders for p in spellings):
            return None
        # Inside a submodule: git tracks the submodule's folder as one entry.
        if any("/".join(parts[:i]) in tracked for i in range(1, len(parts))):
            return None
        return _Problem("RG206", f"`{shown}` is not tracked by git, so it is missing on GitHub")


def _unescaped(link: Link) -> str:
    """The destination with HTML entities and Markdown backslash escapes decoded."""
    raw = link.destination
    if link.kind in ("html_img", "html_a"):
        return html.unescape(raw) if "&" in raw else raw
    return normalize_link(raw) if "\\" in raw or "&" in raw else raw


def _findings(ctx: RuleContext, code: str) -> Iterator[Finding]:
    checker = _Checker.of(ctx)
    if checker is None:
        return
    for link in ctx.document.links:
        problem = checker.problem(link)
        if problem is not None and problem.code == code:
            yield Finding(link.span, problem.message)


@rule("RG201", "broken-path", "Relative link or image to a file that does not exist")
def broken_path(ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Checks that every relative destination of a link, an image, an `<img src>` or an
    `<a href>` names a file or folder that exists. The path is resolved against the Markdown
    file's folder (a leading `/` against the repository root) after percent-decoding it and
    dropping its title, query and `#fragment`. URLs and `#fragment` links are not paths.

    ## Why is this bad?
    A figure that is not there renders as a broken-image icon and a slide link as a 404 page;
    nobody notices in the editor because the text still looks right.

    ## Example
    ```markdown files=Images/siammae.png
    ## Vision

    > Siamese Masked Autoencoders (NeurIPS 2023 Oral)
    > [Paper](https://arxiv.org/abs/2305.14344)
    > ![framework](Images/siam-mae.png)
    >> Learns correspondence by predicting a masked future frame from a past one.
    ```

    ## Use instead
    ```markdown files=Images/siammae.png
    ## Vision

    > Siamese Masked Autoencoders (NeurIPS 2023 Oral)
    > [Paper](https://arxiv.org/abs/2305.14344)
    > ![framework](Images/siammae.png)
    >> Learns correspondence by predicting a masked future frame from a past one.
    ```
    """
    return _findings(ctx, "RG201")


@rule("RG202", "path-case-mismatch", "Exists only with different letter case")
def path_case_mismatch(ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Checks that every relative path is spelt with the letter case of the file on disk. Each
    folder and file name is compared with the folder's real listing, so the check is exact on
    case-insensitive file systems (macOS, Windows) too. The message names the file that exists.

    ## Why is this bad?
    GitHub is case-sensitive: `Images/Albef.png` shows on the author's Mac and is a broken
    image on github.com when the file is `Images/albef.png`.

    ## Example
    ```markdown files=Images/albef.png
    ## Vision-Language

    > Align before Fuse (NeurIPS 2021)
    > [Paper](https://arxiv.org/abs/2107.07651)
    > ![img.png](Images/Albef.png)
    >> Aligns image and text representations before fusing them.
    ```

    ## Use instead
    ```markdown files=Images/albef.png
    ## Vision-Language

    > Align before Fuse (NeurIPS 2021)
    > [Paper](https://arxiv.org/abs/2107.07651)
    > ![img.png](Images/albef.png)
    >> Aligns image and text representations before fusing them.
    ```
    """
    return _findings(ctx, "RG202")


@rule("RG203", "path-outside-repo", "Resolves outside the repository root")
def path_outside_repo(ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Checks that no relative path leaves the repository root (the git top level, else the
    Markdown file's folder), neither with `..` nor through a symlink. Such a target is never
    opened: the path is checked as written first, then each symlink is read and its target
    checked, before anything outside the root is touched.

    ## Why is this bad?
    GitHub serves only the repository: a figure from a sibling folder on the author's disk is
    broken for every reader, and a symlink out of the tree leaks a local path.

    ## Example
    ```markdown
    ## Vision

    > Masked Autoencoders Are Scalable Vision Learners (CVPR 2022)
    > [Paper](https://arxiv.org/abs/2111.06377)
    > ![framework](../figures/mae.png)
    >> Masks random patches and reconstructs them.
    ```

    ## Use instead
    ```markdown files=Images/mae.png
    ## Vision

    > Masked Autoencoders Are Scalable Vision Learners (CVPR 2022)
    > [Paper](https://arxiv.org/abs/2111.06377)
    > ![framework](Images/mae.png)
    >> Masks random patches and reconstructs them.
    ```
    """
    return _findings(ctx, "RG203")


@rule("RG205", "broken-repo-url", "Absolute URL into this repository whose file is missing")
def broken_repo_url(ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Checks absolute URLs into this repository against the local tree, with exact letter
    case: `https://github.com/OWNER/REPO/blob|raw|tree/REF/PATH` (with or without
    `?raw=true`) and `https://raw.githubusercontent.com/OWNER/REPO/REF/PATH`. The repository
    is `repository: OWNER/REPO` in rules.yaml, else the git remote `origin`; without either
    the rule is silent. Uploads (`/assets/...`, user-attachments) are not files of the tree,
    and a permalink at a commit id stays valid whatever the tree holds today: both are skipped.

    ## Why is this bad?
    Weekly logs often link a figure by its github.com URL. When the file was never pushed or
    is spelt differently, the figure is broken for every reader, and no relative-path check
    sees it.

    ## Example
    ```markdown files=Images/omninav.png repository=ReadingPapers/Report
    ## Navigation

    > OmniNav: A Unified Framework for Prospective Exploration and Visual-Language Navigation
    > [Paper](https://arxiv.org/abs/2509.25687)
    > <img width="512" src="https://github.com/ReadingPapers/Report/blob/main/Images/OmniNav.png">
    >> One model for instruction, object and point goals, and frontier exploration.
    ```

    ## Use instead
    ```markdown files=Images/omninav.png repository=ReadingPapers/Report
    ## Navigation

    > OmniNav: A Unified Framework for Prospective Exploration and Visual-Language Navigation
    > [Paper](https://arxiv.org/abs/2509.25687)
    > <img width="512" src="https://github.com/ReadingPapers/Report/blob/main/Images/omninav.png">
    >> One model for instruction, object and point goals, and frontier exploration.
    ```
    """
    return _findings(ctx, "RG205")


@rule("RG206", "untracked-path", "Target exists on disk but is not tracked by git", "warning")
def untracked_path(ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Checks that the file a relative path (or a URL into this repository) names is tracked by
    git, that is committed or at least added. Outside a git work tree the rule is silent.

    ## Why is this bad?
    The figure shows in every local preview, yet `git push` leaves it behind, so on GitHub it
    is a broken image.

    ## Example
    ```markdown untracked=Images/mae.png
    ## Vision

    > Masked Autoencoders Are Scalable Vision Learners (CVPR 2022)
    > [Paper](https://arxiv.org/abs/2111.06377)
    > ![framework](Images/mae.png)
    >> Masks random patches and reconstructs them.
    ```

    ## Use instead
    ```markdown files=Images/mae.png
    ## Vision

    > Masked Autoencoders Are Scalable Vision Learners (CVPR 2022)
    > [Paper](https://arxiv.org/abs/2111.06377)
    > ![framework](Images/mae.png)
    >> Masks random patches and reconstructs them.
    ```
    """
    return _findings(ctx, "RG206")
