"""Decoded Markdown text with its BOM and newline style remembered, and a line index.

Lines and columns are 1-based; columns count Unicode code points, so a BOM or CRLF file
reports the same positions as its plain UTF-8, LF twin.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from readme_guard.errors import InputError

_BOM = "\ufeff"
_LINE_RE = re.compile(r"[^\r\n]*(?:\r\n|\n|\r)?")


@dataclass(frozen=True)
class Source:
    """The text of one Markdown file, split into lines that keep their own line ending."""

    path: str
    text: str  # without the BOM; line endings exactly as in the file
    bom: bool = False
    lines: tuple[str, ...] = field(init=False)  # each line without its ending
    endings: tuple[str, ...] = field(init=False)  # "\n", "\r\n", "\r" or "" per line

    def __post_init__(self) -> None:
        lines: list[str] = []
        endings: list[str] = []
        for match in _LINE_RE.finditer(self.text):
            chunk = match.group()
            if not chunk:
                continue
            body = chunk.rstrip("\r\n")
            lines.append(body)
            endings.append(chunk[len(body) :])
        object.__setattr__(self, "lines", tuple(lines))
        object.__setattr__(self, "endings", tuple(endings))

    def line(self, number: int) -> str:
        """The text of 1-based line `number`, or "" past the end."""
        if 1 <= number <= len(self.lines):
            return self.lines[number - 1]
        return ""

    @property
    def newline(self) -> str:
        """The dominant newline of the file, for text that an edit adds."""
        crlf = sum(1 for e in self.endings if e == "\r\n")
        lf = sum(1 for e in self.endings if e == "\n")
        return "\r\n" if crlf > lf else "\n"

    @property
    def markdown_text(self) -> str:
        """The text the parser sees: newlines normalised so token line maps match `lines`."""
        return "\n".join(self.lines) + ("\n" if self.text.endswith(("\n", "\r")) else "")


def decode(data: bytes, path: str) -> Source:
    """Decode file bytes as UTF-8 Markdown, refusing binary and other encodings clearly."""
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise InputError(f"{path}: UTF-32 text is not supported; save the file as UTF-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{path}: UTF-16 text is not supported; save the file as UTF-8")
    if b"\x00" in data:
        raise InputError(f"{path}: binary file (contains NUL bytes), not Markdown text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            f"{path}:{line}: not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8"
        ) from None
    bom = text.startswith(_BOM)
    return Source(path=path, text=text[1:] if bom else text, bom=bom)
