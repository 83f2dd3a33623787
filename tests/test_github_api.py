"""The REST client and the review of suggestions against a local server that answers as
GitHub's REST API documents: rate limits are waited for only as long as GitHub says (and
never endlessly), other errors fail at once, a re-run updates the one review."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from readme_guard.diagnostic import Diagnostic
from readme_guard.document import Span
from readme_guard.github_api import ApiError, Client
from readme_guard.review import MARKER, PullRequest, comment, publish
from readme_guard.suggestions import Suggestion
from tests.fake_github import Canned, FakeGitHub

HEAD = "a" * 40


@pytest.fixture
def github() -> Iterator[FakeGitHub]:
    with FakeGitHub() as server:
        yield server


def client(server: FakeGitHub, waits: list[float] | None = None, **options: float) -> Client:
    record = waits if waits is not None else []
    return Client(
        server.url,
        "owner/list",
        "test-token",
        sleep=record.append,
        clock=lambda: 1_000_000.0,
        timeout=5,
        **options,  # type: ignore[arg-type]
    )


def suggestion(line: int, after: str, code: str = "RG501") -> Suggestion:
    d = Diagnostic("README.md", Span(line, 1, line, 2), code, "block-format", "warning", "m", True)
    return Suggestion("README.md", line, line, (f"old {line}",), (after,), (d,))


def test_requests_carry_the_documented_headers(github: FakeGitHub) -> None:
    assert client(github).request("GET", "/pulls/7/reviews") == []
    sent = github.requests[0]
    assert sent.path == "/repos/owner/list/pulls/7/reviews"
    assert sent.headers["accept"] == "application/vnd.github+json"
    assert sent.headers["x-github-api-version"] == "2022-11-28"
    assert sent.headers["authorization"] == "Bearer test-token"


def test_retry_after_is_waited_for_then_the_call_succeeds(github: FakeGitHub) -> None:
    github.canned.append(Canned(429, {"retry-after": "7"}, {"message": "slow down"}))
    waits: list[float] = []
    assert client(github, waits).request("GET", "/pulls/7/reviews") == []
    assert waits == [7.0]
    assert len(github.requests) == 2


def test_an_exhausted_primary_limit_waits_until_the_reset(github: FakeGitHub) -> None:
    headers = {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(1_000_000 + 30)}
    github.canned.append(Canned(403, headers, {"message": "API rate limit exceeded"}))
    waits: list[float] = []
    client(github, waits).request("GET", "/pulls/7/reviews")
    assert waits == [31.0]


def test_a_secondary_limit_without_headers_backs_off(github: FakeGitHub) -> None:
    for _ in range(2):
        github.canned.append(
            Canned(403, {}, {"message": "You have exceeded a secondary rate limit"})
        )
    waits: list[float] = []
    client(github, waits, max_wait=500).request("GET", "/pulls/7/reviews")
    assert waits == [60.0, 120.0]


def test_retries_are_bounded(github: FakeGitHub) -> None:
    github.canned.extend(Canned(429, {"retry-after": "1"}, {"message": "no"}) for _ in range(10))
    waits: list[float] = []
    with pytest.raises(ApiError) as caught:
        client(github, waits, retries=3).request("GET", "/pulls/7/reviews")
    assert caught.value.status == 429
    assert waits == [1.0, 1.0, 1.0]
    assert len(github.requests) == 4


def test_a_wait_too_long_is_not_waited_for(github: FakeGitHub) -> None:
    headers = {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(1_000_000 + 3600)}
    github.canned.append(Canned(403, headers, {"message": "API rate limit exceeded"}))
    waits: list[float] = []
    with pytest.raises(ApiError, match="rate limit"):
        client(github, waits).request("GET", "/pulls/7/reviews")
    assert waits == []


def test_forbidden_and_unprocessable_fail_at_once(github: FakeGitHub) -> None:
    github.canned.append(Canned(403, {}, {"message": "Resource not accessible by integration"}))
    with pytest.raises(ApiError) as caught:
        client(github).request("POST", "/pulls/7/reviews", {"body": "x"})
    assert caught.value.status == 403
    assert "Resource not accessible by integration" in str(caught.value)
    github.canned.append(Canned(422, {}, {"message": "Unprocessable Entity"}))
    with pytest.raises(ApiError) as caught:
        client(github).request("POST", "/pulls/7/reviews", {"body": "x"})
    assert caught.value.status == 422
    assert len(github.requests) == 2


def test_no_server_is_an_error_not_a_hang() -> None:
    with FakeGitHub() as server:
        url = server.url
    with pytest.raises(ApiError) as caught:
        Client(url, "owner/list", "test-token", timeout=2).request("GET", "/pulls/7/reviews")
    assert caught.value.status == 0


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://x", "javascript:x"])
def test_only_http_urls(url: str) -> None:
    with pytest.raises(ApiError, match="must be http"):
        Client(url, "owner/list", "t")


def test_pages_are_followed(github: FakeGitHub) -> None:
    github.reviews.extend({"id": i, "body": "", "user": {"login": "x"}} for i in range(250))
    assert len(client(github).pages("/pulls/7/reviews")) == 250
    assert [r.query["page"] for r in github.requests] == [["1"], ["2"], ["3"]]


def test_one_review_then_updated_on_a_re_run(github: FakeGitHub) -> None:
    pull = PullRequest(7, HEAD)
    api = client(github)
    first = [suggestion(3, "new 3"), suggestion(9, "new 9")]
    assert publish(api, pull, first) == "posted a review with 2 suggestions"
    [review] = github.reviews
    assert MARKER in review["body"] and review["commit_id"] == HEAD
    assert [c["line"] for c in github.comments] == [3, 9]
    assert "```suggestion\nnew 3\n```" in github.comments[0]["body"]
    # the contributor applied the first suggestion; a new problem came with the next commit
    second = [suggestion(9, "new 9"), suggestion(12, "new 12")]
    note = publish(api, pull, second)
    assert note == "updated the review: 1 suggestions kept, 1 added, 1 withdrawn"
    marked = [r for r in github.reviews if MARKER in r["body"]]
    assert len(marked) == 1  # never a second review of ours
    assert sorted(c["line"] for c in github.comments) == [9, 12]
    assert [r.method for r in github.requests].count("PUT") == 1
    # a third run with nothing changed sends nothing but the body update
    before = len(github.requests)
    assert publish(api, pull, second).startswith("updated the review: 2 suggestions kept, 0 added")
    assert [r.method for r in github.requests[before:]] == ["GET", "PUT", "GET"]


def test_comments_of_others_are_never_touched(github: FakeGitHub) -> None:
    pull = PullRequest(7, HEAD)
    publish(client(github), pull, [suggestion(3, "new 3")])
    forged = {"id": 5, "body": f"{comment(suggestion(4, 'x'))['body']}", "line": 4}
    github.comments.append({**forged, "user": {"login": "someone", "type": "User"}})
    publish(client(github), pull, [])
    assert [c["id"] for c in github.comments] == [5]


def test_a_suggestion_body_cannot_close_its_fence() -> None:
    body = comment(suggestion(3, "a ``` b ```` c"))["body"]
    assert "`````suggestion\na ``` b ```` c\n`````" in body


def test_multi_line_comments_name_their_first_line() -> None:
    d = suggestion(3, "x").diagnostics
    wide = Suggestion("README.md", 3, 5, ("a", "b", "c"), ("abc",), d)
    made = comment(wide)
    assert (made["start_line"], made["line"], made["side"], made["start_side"]) == (
        3,
        5,
        "RIGHT",
        "RIGHT",
    )
