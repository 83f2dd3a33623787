"""Every piece of README text, file name or config value that an output format prints goes
through here first, because in CI a stranger's pull request controls all of them.

* `visible`: control characters (ESC, CR, LF, DEL, C1), line separators, bidirectional
  overrides and the undecodable bytes of a file name (surrogate escapes) are shown as
  `\\x1b`, `\\u202e`, `\\xff`: a terminal never receives an escape sequence, and every printed
  finding stays on its line.
* `escape_data`, `escape_property`, `log_line`: the Actions runner's escaping of workflow
  commands, and a plain log line that the runner cannot take for a command (`::` at its
  start, `##[` anywhere).
* `markdown`: text for a job-summary table cell that GitHub shows as text, never as HTML,
  a link or emphasis; backtick code spans of the text are kept as code spans.
* `uri_path`: a path percent-encoded for a URI, raw bytes of a non-UTF-8 name included.
"""

from __future__ import annotations

import re
from urllib.parse import quote

# C0 controls but tab, DEL, C1 controls, line/paragraph separators, bidi embeddings,
# overrides and isolates, the BOM, and lone surrogates (undecodable bytes of a file name).
_INVISIBLE = re.compile(
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]"
)
_BACKTICKS = re.compile("`+")
_MARKDOWN_SPECIAL = frozenset("\\`*_[]<>|~&")  # what could start HTML, a link, an entity, emphasis
_AUTOLINK = re.compile(r"(?i)(?<=www)\.|:(?=//)|@")  # what GFM links without any brackets


def _shown(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # surrogateescape: the byte the name held
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """`text` with every character a terminal or log would act on shown as an escape."""
    return _INVISIBLE.sub(_shown, text)


# -- GitHub Actions workflow commands ------------------------------------------------------


def escape_data(text: str) -> str:
    """The runner's escaping of a command's message."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """The runner's escaping of a command property's value."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def in_log(text: str) -> str:
    """`text` visible, and without `##[`: the runner's old command syntax, read anywhere
    in a line."""
    return visible(text).replace("##[", "#\\x23[")


def log_line(line: str) -> str:
    """A plain line of the job log that the runner prints as it is: no line break, no `::`
    at its start (after spaces), no `##[`."""
    line = in_log(line)
    stripped = line.lstrip()
    if stripped.startswith("::"):
        line = line[: len(line) - len(stripped)] + "\\x3a" + stripped[1:]
    return line


# -- the job summary (GitHub Markdown) -----------------------------------------------------


def markdown(text: str) -> str:
    """`text` for a Markdown table cell, on one line, shown exactly as text.

    Code spans are found as CommonMark finds them (a run of N backticks up to the next run
    of exactly N) and written back with a fence longer than any run inside, so no backtick
    inside can end them early; inside, only `|` needs escaping (tables split cells first).
    Outside, what could start HTML, an entity, a link or emphasis is backslash-escaped, so
    are the `.` of `www.` and the `:` of `://` (GFM's autolinks), and `@` is followed by a
    word joiner (GitHub links `a@b.org` whatever the escaping)."""
    text = visible(" ".join(text.splitlines()))
    pieces: list[str] = []
    position = 0
    runs = list(_BACKTICKS.finditer(text))
    index = 0
    while index < len(runs):
        opening = runs[index]
        closing = next(
            (
                j
                for j in range(index + 1, len(runs))
                if len(runs[j].group()) == len(opening.group())
            ),
            None,
        )
        if closing is None:
            index += 1
            continue
        pieces.append(_plain(text[position : opening.start()]))
        pieces.append(_code(text[opening.end() : runs[closing].start()]))
        position = runs[closing].end()
        index = closing + 1
    pieces.append(_plain(text[position:]))
    return "".join(pieces)


def _plain(text: str) -> str:
    escaped = "".join(f"\\{c}" if c in _MARKDOWN_SPECIAL else c for c in text)
    return _AUTOLINK.sub(_defused, escaped)


def _defused(match: re.Match[str]) -> str:
    # A backslash is enough before `.` and `:`; GitHub links `a@b.org` whatever the escaping.
    return "@\u2060" if match.group() == "@" else "\\" + match.group()


def _code(content: str) -> str:
    longest = max((len(run) for run in _BACKTICKS.findall(content)), default=0)
    fence = "`" * (longest + 1)
    padded = f" {content} " if content.startswith("`") or content.endswith("`") else content
    return f"{fence}{padded.replace('|', chr(92) + '|')}{fence}"


# -- URIs ----------------------------------------------------------------------------------


def uri_path(path: str) -> str:
    """`path` (with `/`) percent-encoded for a URI; the bytes of a name that is not UTF-8
    (read from the file system as surrogate escapes) are encoded as they are on disk."""
    return quote(path.encode("utf-8", "surrogateescape"))
