"""readme-guard: a linter and formatter for hand-edited Markdown paper lists."""

from __future__ import annotations

__all__ = ["__version__"]


def __getattr__(name: str) -> str:
    # importlib.metadata costs ~40 ms of imports: read the version only when asked for.
    if name != "__version__":
        raise AttributeError(name)
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("readme-guard")
    except PackageNotFoundError:  # a source tree that was never installed
        return "0+unknown"
