"""What a rule may ask about the file it checks: the Document, its blocks, the project."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from readme_guard.blocks import PaperBlock, find_blocks
from readme_guard.document import Document
from readme_guard.settings import Config

if TYPE_CHECKING:
    from readme_guard.project import Project


@dataclass
class RuleContext:
    document: Document
    config: Config
    project: Project
    file_path: Path | None  # None for stdin without --stdin-filename

    @cached_property
    def blocks(self) -> list[PaperBlock]:
        return find_blocks(self.document, self.config.blocks)

    @property
    def source_lines(self) -> tuple[str, ...]:
        return self.document.source.lines
