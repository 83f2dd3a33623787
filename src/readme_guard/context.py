"""What a rule may ask about the file it checks: the Document, its blocks, the project."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from readme_guard.blocks import PaperBlock, find_blocks
from readme_guard.document import Document
from readme_guard.settings import Config
from readme_guard.toc.anchors import Anchors
from readme_guard.toc.entries import TocRegion
from readme_guard.toc.find import find_regions
from readme_guard.toc.merge import TocCheck, compare

if TYPE_CHECKING:
    from readme_guard.project import Project
    from readme_guard.suppression import Suppressions


@dataclass
class RuleContext:
    document: Document
    config: Config
    project: Project
    file_path: Path | None  # None for stdin without --stdin-filename
    suppressions: Suppressions | None = None
    """Set by the linter after the suppression pass, for the rules declared `post=True`."""

    @cached_property
    def blocks(self) -> list[PaperBlock]:
        return find_blocks(self.document, self.config.blocks)

    @cached_property
    def anchors(self) -> Anchors:
        """Where each `#fragment` of this file leads: one answer for RG204 and RG402."""
        return Anchors(self.document)

    @cached_property
    def toc_regions(self) -> list[TocRegion]:
        """Every TOC region; the first is the document's TOC."""
        return find_regions(self.document, self.config.toc, self.anchors)

    @cached_property
    def toc_checks(self) -> list[TocCheck]:
        """The TOC compared with the headings, once for RG204 and RG4xx alike."""
        regions = self.toc_regions
        return (
            [compare(self.document, self.config.toc, regions[0], self.anchors)] if regions else []
        )

    @property
    def source_lines(self) -> tuple[str, ...]:
        return self.document.source.lines
