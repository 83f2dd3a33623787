"""A local stand-in for GitHub's REST API (pull-request reviews and review comments), on
127.0.0.1 in a thread, answering as the REST documentation describes: JSON bodies, 422 for a
comment off the diff, and whatever error answers a test queues (403, 429, rate limits)."""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

BOT = {"login": "github-actions[bot]", "type": "Bot"}


@dataclass
class Canned:
    """An answer served instead of the normal one to the next matching request."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None
    method: str | None = None  # None: any


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, list[str]]
    body: Any
    headers: dict[str, str]  # names in lower case


class FakeGitHub:
    def __init__(self, repository: str = "owner/list", diff: dict[str, set[int]] | None = None):
        self.repository = repository
        self.diff = diff  # path -> lines a comment may be on; None: any line
        self.reviews: list[dict[str, Any]] = []
        self.comments: list[dict[str, Any]] = []
        self.requests: list[Recorded] = []
        self.canned: list[Canned] = []
        self._ids = iter(range(1000, 10_000_000))
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                with fake._lock:
                    status, headers, body = fake.handle(
                        self.command,
                        self.path,
                        raw,
                        {k.lower(): v for k, v in self.headers.items()},
                    )
                data = b"" if body is None else json.dumps(body).encode("utf-8")
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _answer

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    def __enter__(self) -> FakeGitHub:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def handle(
        self, method: str, target: str, raw: bytes, headers: dict[str, str]
    ) -> tuple[int, dict[str, str], Any]:
        parts = urlsplit(target)
        body: Any = json.loads(raw) if raw else {}
        self.requests.append(Recorded(method, parts.path, parse_qs(parts.query), body, headers))
        if headers.get("authorization", "") != "Bearer test-token":
            return 401, {}, {"message": "Bad credentials"}
        for canned in self.canned:
            if canned.method in (None, method):
                self.canned.remove(canned)
                return canned.status, canned.headers, canned.body
        prefix = f"/repos/{self.repository}/pulls"
        if not parts.path.startswith(prefix + "/"):
            return 404, {}, {"message": "Not Found"}
        path = parts.path[len(prefix) :]
        page = int(parse_qs(parts.query).get("page", ["1"])[0])
        per_page = int(parse_qs(parts.query).get("per_page", ["30"])[0])

        def listing(items: list[dict[str, Any]]) -> tuple[int, dict[str, str], Any]:
            return 200, {}, items[(page - 1) * per_page : page * per_page]

        if match := re.fullmatch(r"/(\d+)/reviews", path):
            if method == "GET":
                return listing(self.reviews)
            if method == "POST":
                return self._create_review(int(match[1]), body)
        if match := re.fullmatch(r"/(\d+)/reviews/(\d+)", path):
            review = next((r for r in self.reviews if r["id"] == int(match[2])), None)
            if review is None:
                return 404, {}, {"message": "Not Found"}
            if method == "PUT":
                review["body"] = body["body"]
                return 200, {}, review
        if re.fullmatch(r"/(\d+)/comments", path):
            if method == "GET":
                return listing(self.comments)
            if method == "POST":
                error = self._off_diff(body)
                if error:
                    return 422, {}, error
                review = self._review(body["commit_id"], "")
                return 201, {}, self._comment(body, review["id"])
        if match := re.fullmatch(r"/comments/(\d+)", path):
            found = next((c for c in self.comments if c["id"] == int(match[1])), None)
            if found is None:
                return 404, {}, {"message": "Not Found"}
            if method == "DELETE":
                self.comments.remove(found)
                return 204, {}, None
            if method == "PATCH":
                found["body"] = body["body"]
                return 200, {}, found
        return 404, {}, {"message": "Not Found"}

    def _off_diff(self, comment: dict[str, Any]) -> dict[str, Any] | None:
        lines = {comment["line"], comment.get("start_line", comment["line"])}
        allowed = None if self.diff is None else self.diff.get(comment["path"], set())
        if allowed is not None and not lines <= allowed:
            return {
                "message": "Unprocessable Entity",
                "errors": ["Line could not be resolved"],
                "status": "422",
            }
        return None

    def _review(self, commit: str, body: str) -> dict[str, Any]:
        review = {"id": next(self._ids), "body": body, "commit_id": commit, "user": BOT}
        review["state"] = "COMMENTED"
        self.reviews.append(review)
        return review

    def _comment(self, comment: dict[str, Any], review: int) -> dict[str, Any]:
        stored = {**comment, "id": next(self._ids), "pull_request_review_id": review, "user": BOT}
        self.comments.append(stored)
        return stored

    def _create_review(self, number: int, body: dict[str, Any]) -> tuple[int, dict[str, str], Any]:
        if body.get("event") != "COMMENT" or not body.get("body"):
            return 422, {}, {"message": "Unprocessable Entity", "errors": ["body is required"]}
        for comment in body.get("comments", []):
            if not {"path", "body", "line"} <= set(comment) or comment.get("side") != "RIGHT":
                return 422, {}, {"message": "Invalid request.", "status": "422"}
            error = self._off_diff(comment)
            if error:
                return 422, {}, error
        review = self._review(body["commit_id"], body["body"])
        for comment in body.get("comments", []):
            self._comment(comment, review["id"])
        return 200, {}, review
