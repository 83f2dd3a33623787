"""A small client for GitHub's REST API, standard library only (urllib).

Bounded in every direction: a timeout per request, a cap on the bytes read, a few retries,
and waits only where GitHub asks for them. A rate-limited answer (403 or 429) is retried after
`retry-after` seconds, or at `x-ratelimit-reset` when `x-ratelimit-remaining` is 0, or after
a growing pause for a secondary limit without either header; a wait longer than `max_wait`
is not waited for, the call fails instead. Any other error is raised at once as `ApiError`.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlsplit

API_VERSION = "2022-11-28"
MAX_RESPONSE = 16 * 1024 * 1024
MAX_PAGES = 20


class ApiError(Exception):
    """A request that failed: `status` is the HTTP status, 0 when no answer came."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"HTTP {status}: {message}" if status else message)
        self.status = status


class Client:
    """Requests to one repository (`OWNER/REPO`) of the API at `api_url`, with `token`."""

    def __init__(
        self,
        api_url: str,
        repository: str,
        token: str,
        *,
        timeout: float = 20.0,
        retries: int = 3,
        max_wait: float = 90.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        scheme = urlsplit(api_url).scheme
        if scheme not in ("https", "http"):
            raise ApiError(0, f"the API URL must be http(s): {api_url!r}")
        owner, _, name = repository.partition("/")
        if not owner or not name or "/" in name:
            raise ApiError(0, f"not a repository name (OWNER/REPO): {repository!r}")
        self.base = f"{api_url.rstrip('/')}/repos/{quote(owner, safe='')}/{quote(name, safe='')}"
        self.token = token
        self.timeout = timeout
        self.retries = retries
        self.max_wait = max_wait
        self.sleep = sleep
        self.clock = clock

    def request(self, method: str, path: str, body: Any = None) -> Any:
        """The decoded JSON answer (None when empty) of `method` on `path` (below the
        repository, e.g. `/pulls/3/reviews`)."""
        data = None if body is None else json.dumps(body).encode("utf-8")
        headers = {
            "Accept": "application/vnd.github+json",
            "Authorization": f"Bearer {self.token}",
            "X-GitHub-Api-Version": API_VERSION,
            "User-Agent": "readme-guard",
        }
        if data is not None:
            headers["Content-Type"] = "application/json"
        for attempt in range(self.retries + 1):
            request = urllib.request.Request(self.base + path, data, headers, method=method)
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                    raw = answer.read(MAX_RESPONSE + 1)
            except urllib.error.HTTPError as exc:
                message = _message(exc.read(64 * 1024))
                wait = self._wait(exc.code, exc.headers, message, attempt)
                if wait is None or attempt == self.retries:
                    raise ApiError(exc.code, message) from None
                self.sleep(wait)
                continue
            except (urllib.error.URLError, OSError) as exc:
                reason = getattr(exc, "reason", exc)
                raise ApiError(0, f"no answer from {self.base}: {reason}") from None
            if len(raw) > MAX_RESPONSE:
                raise ApiError(0, "the answer is larger than 16 MiB")
            try:
                return json.loads(raw) if raw.strip() else None
            except ValueError:
                raise ApiError(0, "the answer is not JSON") from None
        raise AssertionError("unreachable: the last attempt returns or raises")

    def pages(self, path: str) -> list[Any]:
        """Every item of a paginated list, 100 per page, at most MAX_PAGES pages."""
        items: list[Any] = []
        separator = "&" if "?" in path else "?"
        for page in range(1, MAX_PAGES + 1):
            found = self.request("GET", f"{path}{separator}per_page=100&page={page}")
            if not isinstance(found, list):
                raise ApiError(0, f"expected a list from {path}")
            items.extend(found)
            if len(found) < 100:
                break
        return items

    def _wait(self, status: int, headers: Any, message: str, attempt: int) -> float | None:
        """Seconds to wait before retrying a rate-limited answer; None: do not retry."""
        if status not in (403, 429):
            return None
        retry_after = headers.get("retry-after")
        if retry_after is not None and retry_after.strip().isdigit():
            wait = float(retry_after)
        elif headers.get("x-ratelimit-remaining") == "0":
            reset = headers.get("x-ratelimit-reset", "")
            wait = max(float(reset) - self.clock(), 0.0) + 1 if reset.isdigit() else 60.0
        elif status == 429 or "secondary rate limit" in message.lower():
            wait = 60.0 * 2**attempt
        else:
            return None  # a plain 403: the token may not do this
        return wait if wait <= self.max_wait else None


def _message(raw: bytes) -> str:
    """GitHub's error message from an error body, on one line."""
    try:
        found = json.loads(raw)
        text = str(found.get("message", "")) if isinstance(found, dict) else ""
    except ValueError:
        text = ""
    text = text or raw.decode("utf-8", "replace")
    return " ".join(text.split())[:300] or "no message"
