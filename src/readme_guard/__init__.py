"""readme-guard: a linter and formatter for hand-edited Markdown paper lists."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("readme-guard")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = ["__version__"]
