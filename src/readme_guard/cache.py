"""A cache of validated configs on disk, keyed by the text they came from.

Validating rules.yaml needs ruamel.yaml and pydantic (~90 ms of imports); a hit skips both.
The key covers the shipped profiles and the exact config text, so a change to either misses.
The file name is a cheap checksum of the key; the entry stores the key itself and is used
only when it matches exactly, so a checksum collision is a miss, never a wrong config. An
entry this code cannot unpickle is ignored.
Entries are pickles of plain dataclasses written by this user into this user's cache folder;
set READMEGUARD_NO_CACHE=1 to bypass it.
"""

from __future__ import annotations

import os
import pickle
import zlib
from pathlib import Path

from readme_guard.settings import Config

_memory: dict[str, Config] = {}


def _folder() -> Path:
    explicit = os.environ.get("READMEGUARD_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "readme-guard"


def _digest(key: str) -> str:
    # zlib is already loaded by the interpreter; hashlib would cost ~8 ms of start-up.
    data = key.encode()
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}{len(data):x}"


def _enabled() -> bool:
    return os.environ.get("READMEGUARD_NO_CACHE", "") in ("", "0")


def get(key: str) -> Config | None:
    if key in _memory:
        return _memory[key]
    if not _enabled():
        return None
    try:
        with open(_folder() / f"{_digest(key)}.pickle", "rb") as handle:
            stored_key, value = pickle.load(handle)
    except (
        OSError,
        pickle.PickleError,
        EOFError,
        AttributeError,
        ImportError,
        TypeError,
        ValueError,
    ):
        return None
    if stored_key != key or not isinstance(value, Config):
        return None
    _memory[key] = value
    return value


def put(key: str, config: Config) -> None:
    _memory[key] = config
    if not _enabled():
        return
    import tempfile

    folder = _folder()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # Write then rename, so a concurrent reader never sees half a pickle.
        fd, temporary = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            pickle.dump((key, config), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, folder / f"{_digest(key)}.pickle")
    except OSError:
        return
