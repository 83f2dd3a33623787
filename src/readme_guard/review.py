"""One pull-request review of GitHub suggestions for the fixes on the lines of the diff.

The review is found again on a re-run by a hidden marker in its body: its body is updated,
its comments that still hold are kept (each carries its own marker, a hash of the file and
the lines it replaces and proposes), the others are deleted, and new suggestions are added as
review comments, so a pull request never collects a second review. A token that may not
write (a pull request from a fork) gets 403: nothing is posted and the caller notes, in the
job summary, that the suggestions are shown there instead.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from readme_guard.github_api import ApiError, Client

if TYPE_CHECKING:
    from readme_guard.output import Report
    from readme_guard.suggestions import Suggestion

MARKER = "<!-- readme-guard:suggestions -->"
_COMMENT_MARKER = re.compile(r"<!-- readme-guard:suggestion ([0-9a-f]{16}) -->")
MAX_COMMENTS = 100


@dataclass(frozen=True)
class PullRequest:
    number: int
    head: str  # the commit the review is about


def pull_request(event_path: str | None) -> PullRequest | None:
    """The pull request of a GitHub event file, or None for other events."""
    if not event_path:
        return None
    try:
        event = json.loads(Path(event_path).read_bytes())
        pull = event["pull_request"]
        number, head = pull["number"], pull["head"]["sha"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not isinstance(number, int) or not isinstance(head, str):
        return None
    if not re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", head):
        return None
    return PullRequest(number, head)


def _key(suggestion: Suggestion) -> str:
    parts = (suggestion.file, *suggestion.before, "\0", *suggestion.after)
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:16]


def comment(suggestion: Suggestion) -> dict[str, Any]:
    """The review comment for one suggestion, as the REST API takes it."""
    from readme_guard.output.escape import markdown as escape_markdown
    from readme_guard.output.github import fenced

    findings = "; ".join(
        f"**{d.code} {d.rule}** ({d.severity}): {escape_markdown(d.message)}"
        for d in suggestion.diagnostics
    )
    body = f"<!-- readme-guard:suggestion {_key(suggestion)} -->\n{findings}\n\n" + fenced(
        "".join(line + "\n" for line in suggestion.after), "suggestion"
    )
    found: dict[str, Any] = {
        "path": suggestion.file,
        "body": body,
        "line": suggestion.end_line,
        "side": "RIGHT",
    }
    if suggestion.start_line < suggestion.end_line:
        found.update(start_line=suggestion.start_line, start_side="RIGHT")
    return found


def on_diff(report: Report, head: str | None = None) -> list[Suggestion]:
    """The verified fixes of the new findings that lie inside one hunk of the diff; with
    `head`, only in files whose text is the same at that commit (the review's line numbers
    are the head's: a merge commit's file may differ)."""
    from readme_guard.output.sarif import RepositoryPaths
    from readme_guard.project import run_git
    from readme_guard.suggestions import suggestions

    paths = RepositoryPaths()
    found: list[Suggestion] = []
    for result in report.results:
        hunks = (report.hunks or {}).get(result.source.path, ())
        relative, root = paths.relative(result, result.source.path)
        if head is not None:
            text = None if root is None else run_git(root, "cat-file", "blob", f"{head}:{relative}")
            if text != result.source.text and text != "\ufeff" + result.source.text:
                continue
        for suggestion in suggestions(relative, result.source, result.diagnostics):
            if any(a <= suggestion.start_line and suggestion.end_line <= b for a, b in hunks):
                found.append(suggestion)
    return found[:MAX_COMMENTS]


def _body(count: int) -> str:
    noun = "suggestion" if count == 1 else "suggestions"
    return (
        f"{MARKER}\n**readme-guard**: {count} {noun} for the findings on the lines this pull "
        "request changes. *Commit suggestion* applies one; *Add suggestion to batch* collects "
        "several into one commit. The job summary lists every finding."
    )


def _ours(reviews: Sequence[dict[str, Any]]) -> dict[str, Any] | None:
    """The review to update: the last marked one by a bot (the workflow token), else the last."""
    bots = [r for r in reviews if (r.get("user") or {}).get("type") == "Bot"]
    chosen = bots or list(reviews)
    return chosen[-1] if chosen else None


def publish(client: Client, pull: PullRequest, wanted: Sequence[Suggestion]) -> str:
    """Create or update the review; a one-line account of what was done."""
    comments = [comment(s) for s in wanted]
    reviews = client.pages(f"/pulls/{pull.number}/reviews")
    ours = _ours([r for r in reviews if MARKER in str(r.get("body") or "")])
    if ours is None:
        if not comments:
            return "no suggestions on the lines of this pull request"
        body = {"commit_id": pull.head, "body": _body(len(comments)), "event": "COMMENT"}
        client.request("POST", f"/pulls/{pull.number}/reviews", {**body, "comments": comments})
        return f"posted a review with {len(comments)} suggestions"
    review = int(ours["id"])
    client.request("PUT", f"/pulls/{pull.number}/reviews/{review}", {"body": _body(len(comments))})
    # Comments added on a re-run belong to reviews of their own: look at every comment of the
    # pull request, and only at those of the review's author (a marker is easy to copy).
    author = (ours.get("user") or {}).get("login")
    have: dict[str, int] = {}
    for item in client.pages(f"/pulls/{pull.number}/comments"):
        match = _COMMENT_MARKER.search(str(item.get("body") or ""))
        if match is None or match[1] in have or (item.get("user") or {}).get("login") != author:
            continue
        have[match[1]] = int(item["id"])
    keys = [_key(s) for s in wanted]
    removed = [have[k] for k in have if k not in keys]
    for comment_id in removed:
        client.request("DELETE", f"/pulls/comments/{comment_id}")
    added = [c for k, c in zip(keys, comments, strict=True) if k not in have]
    for item in added:
        client.request("POST", f"/pulls/{pull.number}/comments", {**item, "commit_id": pull.head})
    kept = len(comments) - len(added)
    return (
        f"updated the review: {kept} suggestions kept, {len(added)} added, {len(removed)} withdrawn"
    )


def suggest(report: Report) -> str:
    """Post the suggestions of `report` to the pull request of this workflow run; what
    happened, as one line for the log and the job summary. Never raises for API errors."""
    pull = pull_request(os.environ.get("GITHUB_EVENT_PATH"))
    if pull is None:
        return "suggestions need a pull_request event; none were posted"
    try:
        client = Client(
            os.environ.get("GITHUB_API_URL", "https://api.github.com"),
            os.environ.get("GITHUB_REPOSITORY", ""),
            os.environ.get("GITHUB_TOKEN", ""),
        )
        return publish(client, pull, on_diff(report, pull.head))
    except ApiError as exc:
        if exc.status == 403:
            return (
                "suggestions could not be posted: the token may not write to this pull request "
                "(a pull request from a fork gets a read-only token); the fixes are shown in the "
                "job summary instead"
            )
        if exc.status == 422:
            return f"GitHub refused the suggestions ({exc}); the fixes are shown in the job summary"
        return f"suggestions could not be posted ({exc}); the fixes are shown in the job summary"


def report_note(note: str) -> None:
    """`note` on stderr and, under GitHub Actions, as a paragraph of the job summary."""
    import sys

    from readme_guard.output.escape import markdown as escape_markdown

    print(f"readme-guard: {note}", file=sys.stderr)
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        try:
            with open(summary, "a", encoding="utf-8") as stream:
                stream.write(f"**Suggestions**: {escape_markdown(note)}.\n\n")
        except OSError:
            pass  # the note is in the log already
