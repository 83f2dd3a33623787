"""Compare candidate parsers with cmark-gfm (GitHub's parser) on the corpus and the field lists.

For each candidate: how many of cmark-gfm's blocks it reproduces (same type, depth, first
and last line; and same type, depth and first line), and the CPU time of a parse of the
3.7 MB bench input. Candidates that are not installed are reported as such. Run from the
checkout: `python bench/parsers.py [--shared ../shared]`. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import ctypes
import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

from readme_guard.markdown import _library, parse, tree
from readme_guard.source import decode

HERE = Path(__file__).parent
BLOCKS = {
    "block_quote", "list", "item", "paragraph", "heading", "html_block", "code_block", "table",
    "thematic_break", "footnote_definition",
}  # fmt: skip
CONTROL = re.compile(rb"[\x01-\x08\x0b\x0c\x0e-\x1f]")  # not allowed in XML 1.0
Block = tuple[str, int, int, int]  # type, depth, first line, last line


def blocks_of_xml(xml: bytes) -> list[Block]:
    """Every block of a CommonMark XML dump with `sourcepos` (cmark's and comrak's shape)."""
    found: list[Block] = []
    stack = [(ET.fromstring(CONTROL.sub(b" ", xml)), 0)]
    while stack:
        element, depth = stack.pop()
        for child in element:
            tag = child.tag.rsplit("}", 1)[-1]
            tag = "item" if tag == "tasklist" else tag
            if tag in BLOCKS:
                first, last = child.get("sourcepos", "0:0-0:0").split("-")
                found.append((tag, depth, int(first.split(":")[0]), int(last.split(":")[0])))
                stack.append((child, depth + 1))
    return found


def cmark_blocks(text: str) -> list[Block]:
    library = _library()
    library.cmark_render_xml.restype = ctypes.c_void_p
    library.cmark_render_xml.argtypes = [ctypes.c_void_p, ctypes.c_int]
    root = tree(text)
    try:
        return blocks_of_xml(ctypes.string_at(library.cmark_render_xml(root, 1 << 1)))
    finally:
        library.cmark_node_free(root)


def comrak_blocks() -> Callable[[str], list[Block]] | None:
    try:
        import comrak  # type: ignore[import-not-found]
    except ImportError:
        return None
    extensions = comrak.ExtensionOptions(
        table=True, strikethrough=True, autolink=True, tasklist=True, footnotes=True
    )
    render = comrak.RenderOptions(sourcepos=True)

    def blocks(text: str) -> list[Block]:
        xml = comrak.markdown_to_xml(text, extension_options=extensions, render_options=render)
        return blocks_of_xml(xml.encode())

    return blocks


def agreement(files: list[Path], candidate: Callable[[str], list[Block]]) -> tuple[int, int, int]:
    total = same = same_first = 0
    for path in files:
        text = decode(path.read_bytes(), str(path)).markdown_text
        reference = cmark_blocks(text)
        theirs = candidate(text)
        whole, first = set(theirs), {b[:3] for b in theirs}
        total += len(reference)
        same += sum(block in whole for block in reference)
        same_first += sum(block[:3] in first for block in reference)
    return total, same, same_first


def cpu(function: Callable[[], object], runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.process_time()
        function()
        best = min(best, time.process_time() - start)
    return best


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__)
    options.add_argument("--shared", type=Path, default=HERE.parent.parent / "shared")
    args = options.parse_args()
    corpus = sorted((args.shared / "corpus").glob("*.md"))
    field = sorted((args.shared / "field").glob("*/*.md"))
    big_path = HERE / "out" / "big-4m" / "big-4m.md"
    big = decode(big_path.read_bytes(), "big.md") if big_path.is_file() else None
    print("| parser | corpus blocks: same lines / same first line | field blocks: same lines / "
          "same first line | 3.7 MB parse, CPU s |")  # fmt: skip
    print("| --- | --- | --- | --- |")
    rows: list[tuple[str, Callable[[str], list[Block]] | None, Callable[[], object] | None]] = [
        (
            "cmark-gfm, readme-guard's Document",
            cmark_blocks,
            (lambda: parse(big)) if big else None,
        ),
    ]
    comrak = comrak_blocks()
    if comrak is not None and big is not None:
        rows.append(("comrak-ext", comrak, lambda: comrak(big.markdown_text)))
    else:
        print("| comrak-ext | not installed | | |")
    for name, blocks, timed in rows:
        if blocks is None:
            continue
        cells = []
        for files in (corpus, field):
            total, same, first = agreement(files, blocks)
            cells.append(f"{same:,}/{total:,} / {first:,}/{total:,}" if total else "absent")
        seconds = f"{cpu(timed):.2f}" if timed else "-"
        print(f"| {name} | {cells[0]} | {cells[1]} | {seconds} |")


if __name__ == "__main__":
    main()
