"""rules.yaml: discovery, loading (ruamel.yaml), merging onto a profile, validation (pydantic).

Every error reads `rules.yaml:LINE:COL: message`. ruamel.yaml and pydantic cost ~90 ms to
import, so they are imported inside the functions that need them, and a validated config is
cached on disk keyed by the bytes it came from (`cache.py`).
"""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Any

from readme_guard.errors import ConfigError, UsageError
from readme_guard.settings import Config
from readme_guard.suggest import closest

CONFIG_NAMES = ("rules.yaml", ".readme-guard.yaml")
CACHE_FORMAT = "2"  # bump when settings.py changes shape
_PROFILES = Path(__file__).parent / "profiles"
# A rules.yaml may come from a pull request: bounds that no real config comes near, so a
# hostile one is refused in a second instead of taking gigabytes or the recursion limit.
MAX_CONFIG_BYTES = 256 * 1024
MAX_CONFIG_DEPTH = 20  # mappings and lists inside each other; the schema needs 5
MAX_SCALAR_ALIASES = 100
_REGEX_FIELDS = (
    ("blocks", "start"),
    ("blocks", "title", "pattern"),
    ("blocks", "links", "label_pattern"),
    ("blocks", "description", "pattern"),
    ("blocks", "table", "title"),
    ("blocks", "table", "description"),
)
_REGEX_LISTS = (("blocks", "skip"), ("blocks", "not_papers", "markup"))
_SELECTOR_KEYS = ("select", "ignore", "extend_select")
# A top-level key at the start of a line, for recognising another tool's rules.yaml.
_TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:", re.MULTILINE)


@cache
def profile_names() -> tuple[str, ...]:
    """The shipped profiles: every `*.yaml` of the profiles folder, `default` first."""
    names = sorted(p.stem for p in _PROFILES.glob("*.yaml"))
    return ("default", *(n for n in names if n != "default"))


def profile_help(name: str) -> str:
    """A profile's one-line description: its first comment line, after `name:`."""
    first = _profile_text(name).partition("\n")[0]
    return first.removeprefix("#").strip().removeprefix(f"{name}:").strip()


@dataclass(frozen=True)
class LoadedConfig:
    """A validated config and where it came from."""

    config: Config
    path: str | None  # None: the embedded default
    folder: Path  # globs in `files` are relative to it
    key: str = ""  # the cache key it was validated under
    notice: str | None = None  # said once: an unrelated rules.yaml was skipped
    override_folders: tuple[Path, ...] = ()  # each override's globs are relative to one
    _per_file: dict[str, Config] = field(default_factory=dict, compare=False, repr=False)

    def for_file(self, path: Path) -> Config:
        """The config for one file: the overrides whose globs match it applied in order,
        computed once per combination (and cached on disk like the config itself)."""
        from readme_guard import cache as config_cache

        resolved = path.resolve()
        matching = tuple(
            i
            for i, o in enumerate(self.config.overrides)
            if _glob_any(_relative(resolved, self._override_folder(i)), o.files)
        )
        key = ",".join(map(str, matching))
        if key not in self._per_file:
            disk_key = f"{self.key}\0overrides:{key}"
            found = config_cache.get(disk_key) if self.key and matching else None
            if found is None:
                found = _apply_overrides(self, matching)
                if self.key and matching:
                    config_cache.put(disk_key, found)
            self._per_file[key] = found
        return self._per_file[key]

    def _override_folder(self, index: int) -> Path:
        folders = self.override_folders
        return folders[index] if index < len(folders) else self.folder


def _relative(resolved: Path, folder: Path) -> str:
    try:
        return resolved.relative_to(folder.resolve()).as_posix()
    except ValueError:
        return resolved.name


def _glob_any(relative: str, globs: Sequence[str]) -> bool:
    pure = PurePosixPath(relative)
    return any(pure.match(g) or fnmatch.fnmatch(relative, g) for g in globs)


# -- discovery -----------------------------------------------------------------------------


def find_config(start: Path, root: Path | None) -> Path | None:
    """The nearest rules.yaml or .readme-guard.yaml from `start` up to `root` (inclusive)."""
    found = find_configs(start, root)
    return found[-1] if found else None


def find_configs(start: Path, root: Path | None) -> tuple[Path, ...]:
    """Every config from `root` down to `start`'s folder, outermost first: a subfolder's
    rules.yaml extends the one above it."""
    folder = start.resolve()
    stop = root.resolve() if root else None
    found: list[Path] = []
    while True:
        for name in CONFIG_NAMES:
            candidate = folder / name
            if candidate.is_symlink() and not _inside(candidate, stop or folder):
                raise UsageError(
                    f"{candidate}: a symbolic link leading outside the repository; not read"
                )
            if candidate.is_file():
                found.append(candidate)
                break
        if folder == stop or folder.parent == folder or stop is None:
            return tuple(reversed(found))
        folder = folder.parent


def unrelated(path: Path, text: str) -> bool:
    """A `rules.yaml` of another tool (semgrep's `rules:` list, Prometheus' `groups:`):
    no top-level key of readme-guard's (nor one close to it), or only a `rules:` that is a
    list. Read as text, never parsed: skipping it cannot be turned into a failure."""
    if path.name != "rules.yaml":
        return False
    from readme_guard.settings import Config

    known = {f for f in Config.__dataclass_fields__}
    keys = _TOP_KEY.findall(text)
    ours = [k for k in keys if k in known]
    if keys and not ours:  # a typo of one of ours (`selct:`) is still ours, and an error
        return not any(closest(k, known) for k in keys)
    if ours == ["rules"]:
        after = text[text.index("rules") :].splitlines()[1:]
        following = next(
            (line for line in after if line.strip() and not line.lstrip().startswith("#")), ""
        )
        return following.lstrip().startswith("- ")
    return False


def _inside(path: Path, root: Path) -> bool:
    return Path(os.path.realpath(path)).is_relative_to(root)


# -- loading -------------------------------------------------------------------------------


@cache
def _profile_text(name: str) -> str:
    # A plain path, not importlib.resources: that import alone costs ~50 ms at start-up.
    return (_PROFILES / f"{name}.yaml").read_text(encoding="utf-8")


def default_config_text() -> str:
    """The embedded default rules.yaml, byte for byte the repository's root rules.yaml."""
    return _profile_text("default")


def load(path: Path | None, profile: str | None = None) -> LoadedConfig:
    """Load `path` (None: the embedded default), optionally forcing a shipped profile."""
    return load_chain((path,) if path is not None else (), profile)


def load_chain(paths: Sequence[Path], profile: str | None = None) -> LoadedConfig:
    """Load the configs `paths`, outermost first, each extending the one before; no paths:
    the embedded default. An unrelated rules.yaml is skipped with a notice."""
    from readme_guard import cache as config_cache

    texts: list[tuple[str, Path]] = []
    notices = []
    for path in paths:
        text = _read(path)
        if unrelated(path, text):
            notices.append(
                f"{path}: not a readme-guard config (another tool's rules.yaml?); skipped"
            )
            continue
        texts.append((text, path))
    display = str(texts[-1][1]) if texts else None
    folder = texts[-1][1].parent if texts else Path.cwd()
    shipped = "\0".join(_profile_text(name) for name in profile_names())
    key = f"{CACHE_FORMAT}\0{profile}\0{shipped}\0" + "\0".join(t for t, _ in texts)
    config = config_cache.get(key)
    if config is None:
        config = _validate_chain(texts, profile)
        config_cache.put(key, config)
    override_folders: list[Path] = []
    if len(texts) > 1:  # each file's overrides are relative to its own folder
        for text, path in texts:
            override_folders += [path.parent] * _override_count(text, path)
    return LoadedConfig(
        config=config,
        path=display,
        folder=folder,
        key=key,
        notice="; ".join(notices) or None,
        override_folders=tuple(override_folders),
    )


# A top-level `overrides:` key of a block mapping (with what follows it on its line), or a
# flow mapping that might hold one; `overrides: []` (the shipped default) holds none.
_MAY_OVERRIDE = re.compile(r"^(?:[\"']?overrides[\"']?[ \t]*:(?P<rest>.*)|[ \t]*\{)", re.M)
_NO_OVERRIDES = re.compile(r"[ \t]*\[[ \t]*\][ \t]*(?:#.*)?")


def _override_count(text: str, path: Path) -> int:
    """How many overrides `text` holds (its own, before merging)."""
    if all(  # most configs: no YAML parse (ruamel costs ~100 ms)
        found["rest"] is not None and _NO_OVERRIDES.fullmatch(found["rest"])
        for found in _MAY_OVERRIDE.finditer(text)
    ):
        return 0
    data = _load_yaml(text, str(path))
    found = data.get("overrides") if isinstance(data, Mapping) else None
    return len(found) if isinstance(found, list) else 0


def _read(path: Path) -> str:
    if path.exists() and not path.is_file():  # a folder, a FIFO, a device: never read
        raise UsageError(f"{path}: not a regular file")
    try:
        if path.stat().st_size > MAX_CONFIG_BYTES:  # before reading it into memory
            raise ConfigError(str(path), 1, 1, _too_big())
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read config: {_reason(exc)}") from None


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return str(exc)


def _validate_chain(texts: Sequence[tuple[str, Path]], forced_profile: str | None) -> Config:
    """Each file validated on its own (errors name its lines), then the merge of all:
    mappings merge, lists replace, overrides add up."""
    if len(texts) <= 1:
        text, display = (texts[0][0], str(texts[0][1])) if texts else ("", "rules.yaml")
        return _validate_text(text, display, forced_profile)
    merged: dict[str, Any] = {}
    overrides: list[Any] = []
    for text, path in texts:
        _validate_text(text, str(path), forced_profile)
        user = _plain(_load_yaml(text, str(path))) if text.strip() else None
        if isinstance(user, Mapping):
            overrides += list(user.get("overrides") or [])
            merged = _merge(merged, user)
    merged["overrides"] = overrides
    return _validate_user(merged, merged, str(texts[-1][1]), forced_profile)


def _too_big() -> str:
    return f"the file is larger than {MAX_CONFIG_BYTES // 1024} KB; rules.yaml needs a few KB"


def _validate_text(text: str, display: str, forced_profile: str | None) -> Config:
    if len(text.encode("utf-8")) > MAX_CONFIG_BYTES:
        raise ConfigError(display, 1, 1, _too_big())
    if text.strip():
        _check_structure(text, display)
    user = _load_yaml(text, display) if text.strip() else None
    if user is None:  # an empty file, or one holding only comments
        user = {}
    if not isinstance(user, Mapping):
        raise ConfigError(display, 1, 1, "expected a mapping of settings at the top level")
    return _validate_user(user, user, display, forced_profile)


def _validate_user(
    user: Mapping[str, Any], tree: Any, display: str, forced_profile: str | None
) -> Config:
    """`user` merged onto its profile and validated; `tree` (ruamel's) gives positions."""
    profile = forced_profile or user.get("profile") or "default"
    _check_profile(profile, tree, ("profile",), display)
    base = _profile_data(profile)
    merged = _merge(base, user)
    merged["profile"] = profile
    merged["ignore"] = _union(base.get("ignore"), user.get("ignore"))
    _check_selectors(merged, tree, display)
    config = _validate(merged, tree, display)
    for index, override in enumerate(config.overrides):
        if override.profile:
            _check_profile(override.profile, tree, ("overrides", index, "profile"), display)
        partial = _override_data(override)
        start = _profile_data(override.profile) if override.profile else dict(merged)
        _validate(_merge(start, partial), tree, display, prefix=("overrides", index))
    return config


def _check_profile(name: str, tree: Any, loc: tuple[Any, ...], display: str) -> None:
    if name in profile_names():
        return
    line, column = _position(tree, loc, at_value=True)
    close = closest(name, profile_names())
    hint = f"; did you mean '{close}'?" if close else ""
    raise ConfigError(
        display,
        line,
        column,
        f"unknown profile {name!r}{hint} (shipped profiles: {', '.join(profile_names())})",
    )


def _union(*lists: Any) -> list[Any]:
    merged: list[Any] = []
    for items in lists:
        merged += [item for item in (items or []) if item not in merged]
    return merged


def _check_selectors(merged: Mapping[str, Any], tree: Any, display: str) -> None:
    """Every code, name or prefix in select / ignore / extend_select names a rule."""
    from readme_guard.rules import selector_error

    for key in _SELECTOR_KEYS:
        values = merged.get(key) or []
        if not isinstance(values, list):
            continue
        for index, selector in enumerate(values):
            problem = selector_error(str(selector))
            if problem is not None:
                line, column = _position(tree, (key, index), at_value=True)
                raise ConfigError(display, line, column, f"{key}: {problem}")


_PROFILE_KEYS = ("blocks", "layout", "toc", "duplicates")


@cache
def _profile_tree(name: str) -> Any:
    return _plain(_load_yaml(_profile_text(name), f"{name}.yaml"))


def _profile_data(name: str) -> dict[str, Any]:
    """A fresh copy of profile `name` merged onto the default."""
    import copy

    data: dict[str, Any] = copy.deepcopy(_profile_tree("default"))
    if name != "default":
        data = _merge(data, copy.deepcopy(_profile_tree(name)))
        data["profile"] = name
    return data


def _override_data(override: Any) -> dict[str, Any]:
    return {k: getattr(override, k) for k in _PROFILE_KEYS if getattr(override, k) is not None}


def _apply_overrides(loaded: LoadedConfig, indexes: Sequence[int]) -> Config:
    from readme_guard.settings import RuleSetting

    config = loaded.config
    if not indexes:
        return config
    data = _config_data(config)
    rules: dict[str, RuleSetting] = dict(config.rules)
    for index in indexes:
        override = config.overrides[index]
        if override.profile:
            profile = _profile_data(override.profile)
            kept = {k: v for k, v in data.items() if k not in (*_PROFILE_KEYS, "profile")}
            data = _merge(profile, kept)
            data["ignore"] = _union(kept.get("ignore"), profile.get("ignore"))
        data = _merge(data, _override_data(override))
        rules.update(override.rules or {})
    data["overrides"] = []
    result = _validate(data, {}, loaded.path or "rules.yaml")
    return replace(result, rules=rules)


def _config_data(config: Config) -> dict[str, Any]:
    import dataclasses

    data = dataclasses.asdict(config)
    data.pop("rules")
    plain: dict[str, Any] = _plain(data)
    return plain


def _load_yaml(text: str, display: str) -> Any:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    yaml = YAML(typ="rt")  # round-trip: keeps positions, never constructs Python objects
    try:
        return yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = (exc.problem or exc.context or "invalid YAML").strip()
        if "duplicate key" in problem:
            problem = problem.split(" with value")[0]
        raise ConfigError(display, line, column, problem) from None
    except YAMLError as exc:
        raise ConfigError(display, 1, 1, str(exc).splitlines()[0]) from None


def _check_structure(text: str, display: str) -> None:
    """Refuse, from the YAML events and before anything is built, what would make loading
    unbounded: an alias (`*name`) of a mapping or list (nine aliases nine deep expand to
    billions of nodes), more than MAX_SCALAR_ALIASES aliases of scalars (each copies its
    text: 60,000 of a 100 KB string take gigabytes), and nesting deeper than
    MAX_CONFIG_DEPTH (the composer recurses)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError
    from ruamel.yaml.events import (
        AliasEvent,
        CollectionEndEvent,
        CollectionStartEvent,
        ScalarEvent,
    )

    collections: set[str] = set()
    depth = scalar_aliases = 0
    try:
        for event in YAML(typ="rt").parse(text):
            mark = event.start_mark
            where = (display, mark.line + 1, mark.column + 1)
            if isinstance(event, CollectionStartEvent):
                depth += 1
                if depth > MAX_CONFIG_DEPTH:
                    raise ConfigError(*where, f"nested more than {MAX_CONFIG_DEPTH} levels deep")
                if event.anchor:
                    collections.add(event.anchor)
            elif isinstance(event, CollectionEndEvent):
                depth -= 1
            elif isinstance(event, ScalarEvent) and event.anchor:
                collections.discard(event.anchor)  # an anchor may be reused
            elif isinstance(event, AliasEvent):
                if event.anchor in collections:
                    raise ConfigError(
                        *where, "YAML aliases (*name) of mappings and lists are not supported"
                    )
                scalar_aliases += 1
                if scalar_aliases > MAX_SCALAR_ALIASES:
                    raise ConfigError(
                        *where, f"more than {MAX_SCALAR_ALIASES} YAML aliases (*name)"
                    )
    except YAMLError:
        return  # a syntax error: loading reports it with its position


def _plain(node: Any) -> Any:
    """ruamel's commented containers and scalars as plain dicts, lists and scalars."""
    if isinstance(node, Mapping):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list | tuple):
        return [_plain(v) for v in node]
    if hasattr(node, "value") and type(node).__name__ == "TaggedScalar":
        return str(node.value)
    return node


def _merge(base: Mapping[str, Any], update: Mapping[str, Any]) -> dict[str, Any]:
    """Deep-merge mappings; lists and scalars in `update` replace those in `base`."""
    merged = dict(base)
    for key, value in update.items():
        key = str(key)
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = _plain(value)
    return merged


# -- validation ----------------------------------------------------------------------------


def _validate(
    data: Mapping[str, Any], user: Any, display: str, prefix: tuple[Any, ...] = ()
) -> Config:
    from pydantic import ValidationError

    try:
        config: Config = _adapter().validate_python(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        loc = tuple(error["loc"])
        unknown_key = error["type"] in ("extra_forbidden", "unexpected_keyword_argument")
        line, column = _position(user, prefix + loc, at_value=not unknown_key)
        raise ConfigError(display, line, column, _describe(error, loc)) from None
    _check_regexes(config, user, display, prefix)
    _check_globs(config, user, display, prefix)
    _check_rule_keys(config, user, display, prefix)
    return config


def _check_rule_keys(config: Config, user: Any, display: str, prefix: tuple[Any, ...]) -> None:
    """Keys under `rules:` must name a rule, by code or name (a typo would do nothing)."""
    from readme_guard.rules import all_rules, lookup

    sections = [(("rules",), config.rules)] + [
        (("overrides", i, "rules"), o.rules or {}) for i, o in enumerate(config.overrides)
    ]
    for path, rules in sections:
        for key in rules:
            if lookup(key) is not None:
                continue
            known = [r.code for r in all_rules()] + [r.name for r in all_rules()]
            close = closest(key, known)
            hint = f"; did you mean '{close}'?" if close else " (see `readme-guard rules`)"
            line, column = _position(user, prefix + path + (key,))
            raise ConfigError(display, line, column, f"unknown rule '{key}'{hint}")


@cache
def _adapter() -> Any:
    from pydantic import TypeAdapter

    return TypeAdapter(Config)


def _describe(error: Mapping[str, Any], loc: tuple[Any, ...]) -> str:
    key = ".".join(str(p) for p in loc)
    if error["type"] in ("extra_forbidden", "unexpected_keyword_argument"):
        name = str(loc[-1])
        known = _known_keys(loc[:-1])
        close = closest(name, known)
        hint = f"; did you mean '{close}'?" if close else f"; valid keys: {', '.join(known)}"
        return f"unknown key '{name}'{hint}"
    message = str(error["msg"])
    return f"{key}: {message[0].lower()}{message[1:]}" if key else message


def _known_keys(loc: tuple[Any, ...]) -> list[str]:
    import dataclasses
    import typing

    from readme_guard import settings

    current: Any = settings.Config
    for part in loc:
        if isinstance(part, int) or not dataclasses.is_dataclass(current):
            if part == "overrides" or (isinstance(part, int) and current is settings.Override):
                current = settings.Override
            continue
        hints = typing.get_type_hints(current)
        current = hints.get(str(part))
        if part == "overrides":
            current = settings.Override
        elif current is not None and not dataclasses.is_dataclass(current):
            args = [a for a in typing.get_args(current) if dataclasses.is_dataclass(a)]
            current = args[0] if args else current
    if dataclasses.is_dataclass(current) and isinstance(current, type):
        return [f.name for f in dataclasses.fields(current)]
    return []


def _check_regexes(config: Config, user: Any, display: str, prefix: tuple[Any, ...]) -> None:
    from readme_guard.patterns import PatternError, compile_pattern

    patterns: list[tuple[tuple[Any, ...], str | None]] = [
        (path, _dig(config, path)) for path in _REGEX_FIELDS
    ]
    for path in _REGEX_LISTS:
        patterns += [((*path, i), p) for i, p in enumerate(_dig(config, path))]
    for path, pattern in patterns:
        if pattern is None:
            continue
        try:
            compile_pattern(pattern)
        except PatternError as exc:
            line, column = _position(user, prefix + path, at_value=True)
            raise ConfigError(
                display, line, column, f"{'.'.join(map(str, path))}: invalid regex: {exc}"
            ) from None


def _check_globs(config: Config, user: Any, display: str, prefix: tuple[Any, ...]) -> None:
    """`files` globs name files below the config's folder: an absolute one or one that
    climbs with `..` would read (and `fix` write) outside the repository."""
    for index, pattern in enumerate(config.files):
        parts = pattern.replace("\\", "/").split("/")
        if pattern.startswith(("/", "~")) or ":" in parts[0] or ".." in parts:
            line, column = _position(user, (*prefix, "files", index), at_value=True)
            raise ConfigError(
                display,
                line,
                column,
                f"files.{index}: {pattern!r} leaves the config's folder; "
                "give globs relative to it, without '..'",
            )


def _dig(obj: Any, path: tuple[str, ...]) -> Any:
    for part in path:
        obj = getattr(obj, part, None)
    return obj


def _position(node: Any, loc: Sequence[Any], at_value: bool = False) -> tuple[int, int]:
    """1-based line and column of the deepest part of `loc` present in the ruamel tree:
    of its key, or of its value when `at_value` and the value is a scalar."""
    line, column = 1, 1
    for depth, part in enumerate(loc):
        lc = getattr(node, "lc", None)
        if isinstance(node, Mapping) and part in node:
            if lc is not None:
                last_scalar = depth == len(loc) - 1 and not isinstance(node[part], Mapping | list)
                pos_line, pos_col = lc.value(part) if at_value and last_scalar else lc.key(part)
                line, column = pos_line + 1, pos_col + 1
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            if lc is not None:
                item_line, item_col = lc.item(part)
                line, column = item_line + 1, item_col + 1
            node = node[part]
        else:
            break
    return line, column
