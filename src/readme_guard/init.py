"""Setting up a repository: `readme-guard init` and `readme-guard schema`.

`init` writes a short, commented rules.yaml cut from the embedded default (the keys a user
usually sets, with the default's own comments), headed by a `yaml-language-server` line so
editors validate and complete it against the committed JSON Schema, and returns the two
snippets to paste: the pre-commit entry and the GitHub workflow.

Before writing, `init` reads the repository: every tracked Markdown file is classified by
the shipped profile whose block schema recognises the most entries in it, or `notes` when
none recognises a list (`classify`), and the config's `files` and `overrides` say so.

`schema` derives that JSON Schema from the `settings` dataclasses with pydantic. A user's
rules.yaml is merged onto a profile, so no mapping key is required in it; only items of lists
(`overrides`), which replace rather than merge, keep their required keys.
"""

from __future__ import annotations

import fnmatch
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from readme_guard.errors import UsageError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from readme_guard.document import Link

REPOSITORY = "readme-guard/readme-guard"
REPOSITORY_URL = f"https://github.com/{REPOSITORY}"
SCHEMA_PATH = "schema/rules.schema.json"
SCHEMA_URL = f"https://raw.githubusercontent.com/{REPOSITORY}/main/{SCHEMA_PATH}"
CONFIG_NAME = "rules.yaml"
WORKFLOW_PATH = ".github/workflows/readme-guard.yml"
SARIF_FILE = "readme-guard.sarif"
# Top-level keys of the default a user usually sets; the rest stay in the profile.
USER_KEYS = ("files", "repository", "rules", "overrides")
NOT_A_LIST = "notes"
# A paper list: at least this many entries with a title and a link to open...
MIN_ENTRIES = 3
# ... whose lines are at least this share of the file's non-blank lines.
MIN_COVERAGE = 0.25


@dataclass(frozen=True)
class Classified:
    path: str  # relative to the repository root, with `/`
    profile: str  # a shipped profile, or `notes`
    entries: int  # entries that profile recognises


def classify(root: Path, paths: list[str]) -> list[Classified]:
    """Each Markdown file's best-fitting shipped profile, from its own text."""
    return [_classify_one(root, path) for path in paths]


def _classify_one(root: Path, path: str) -> Classified:
    from readme_guard import config
    from readme_guard.blocks import find_blocks
    from readme_guard.errors import ReadmeGuardError
    from readme_guard.markdown import ParseError, parse
    from readme_guard.source import decode

    try:
        document = parse(decode((root / path).read_bytes(), path))
    except (OSError, ReadmeGuardError, ParseError):
        return Classified(path, NOT_A_LIST, 0)
    written = [n for n, line in enumerate(document.source.lines, 1) if line.strip()]
    best = Classified(path, NOT_A_LIST, 0)
    best_lines = 0
    for name in config.profile_names():
        if name == NOT_A_LIST:
            continue
        schema = config.load(None, name).config.blocks
        entries = [
            b
            for b in find_blocks(document, schema)
            if b.title is not None
            and _paper_like(b.title.text, b.links)
            and any(not link.destination.startswith("#") for link in b.links)
        ]
        covered = {n for b in entries for n in range(b.start_line, b.end_line + 1)}
        lines = len(covered.intersection(written))
        if len(entries) > best.entries:
            best, best_lines = Classified(path, name, len(entries)), lines
    if best.entries < MIN_ENTRIES or best_lines < MIN_COVERAGE * len(written):
        return Classified(path, NOT_A_LIST, best.entries)
    return best


def _paper_like(title: str, links: Sequence[Link]) -> bool:
    """A title of two words or more, a CJK one of four characters, or a linked name
    (`[BERT](...)`): `Add`, `Copy` in a CONTRIBUTING.md's items are instructions."""
    if len(title.split()) >= 2 or (len(title.strip()) >= 4 and not title.isascii()):
        return True
    return any(link.text.strip() == title.strip() for link in links)


def tracked_markdown(root: Path) -> list[str]:
    """The Markdown files git tracks (every `*.md` when `root` is no work tree)."""
    from readme_guard.project import Project

    tracked = Project(root).tracked
    if tracked is None:
        names = [p.relative_to(root).as_posix() for p in root.rglob("*.md") if p.is_file()]
    else:
        names = list(tracked)
    return sorted(n for n in names if n.lower().endswith((".md", ".markdown")))


def _glob_escape(path: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", path)


def _globs(paths: list[str], everything: list[str]) -> list[str]:
    """`paths` as globs: a folder whose Markdown files all belong here as `folder/*.md`."""
    folders = Counter(str(PurePosixPath(p).parent) for p in paths)
    globs: list[str] = []
    for path in paths:
        folder = str(PurePosixPath(path).parent)
        whole = folder != "." and folders[folder] == sum(
            1 for p in everything if str(PurePosixPath(p).parent) == folder
        )
        glob = (
            f"{_glob_escape(folder)}/*.md" if whole and path.endswith(".md") else _glob_escape(path)
        )
        if glob not in globs:
            globs.append(glob)
    return globs


@dataclass(frozen=True)
class Plan:
    """What `init` writes: the top-level profile, `files` and the overrides."""

    profile: str
    files: list[str]
    overrides: list[tuple[list[str], str]]  # (globs, profile)
    classified: list[Classified]


def plan(root: Path, forced: str | None = None) -> Plan:
    paths = tracked_markdown(root)
    found = classify(root, paths)
    lists = [c.profile for c in found if c.profile != NOT_A_LIST]
    top = forced or (Counter(lists).most_common(1)[0][0] if lists else "default")
    groups: dict[str, list[str]] = {}
    for item in found:
        if item.profile != top:
            groups.setdefault(item.profile, []).append(item.path)
    overrides = [(_globs(group, paths), name) for name, group in sorted(groups.items())]
    return Plan(top, _globs(paths, paths) or ["README.md"], overrides, found)


def precommit_files(files: list[str]) -> str:
    """A pre-commit `files:` regex matching the globs of `files` (`*` stays in a folder)."""
    parts = []
    for glob in files:
        pattern = fnmatch.translate(glob).removeprefix("(?s:").removesuffix(")\\Z")
        parts.append(pattern.replace(".*", "[^/]*"))
    return "^(" + "|".join(parts) + ")$"


# -- schema --------------------------------------------------------------------------------


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a user's rules.yaml (draft 2020-12, as pydantic writes it)."""
    from pydantic import TypeAdapter

    from readme_guard.config import profile_names
    from readme_guard.settings import Config

    schema: dict[str, Any] = TypeAdapter(Config).json_schema(mode="validation")
    definitions: dict[str, Any] = schema["$defs"]
    _drop_required(schema, definitions, set())
    override = definitions["Override"]["properties"]
    for key, spec in schema["properties"].items():
        # An override's `blocks`, `layout` and `toc` are partial versions of the top-level ones.
        if key in override and "$ref" in spec:
            override[key] = {
                "anyOf": [{"$ref": spec["$ref"]}, {"type": "null"}],
                "description": f"Like the top-level `{key}`, for these files only.",
            }
    profiles = list(profile_names())
    schema["properties"]["profile"]["enum"] = profiles
    override["profile"]["anyOf"] = [{"enum": profiles, "type": "string"}, {"type": "null"}]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_URL,
        **schema,
        "title": "readme-guard rules.yaml",
        "description": (
            "readme-guard configuration. Every key is optional: the file is merged onto the "
            "profile it names. Generated by `readme-guard schema`."
        ),
    }


def _drop_required(node: dict[str, Any], definitions: dict[str, Any], seen: set[str]) -> None:
    """Remove `required` from `node` and every object schema reached through properties;
    array items are whole values, not merged, so their required keys stay."""
    node.pop("required", None)
    children = list(node.get("properties", {}).values())
    children += node.get("anyOf", [])
    additional = node.get("additionalProperties")
    if isinstance(additional, dict):
        children.append(additional)
    for child in children:
        ref = child.get("$ref", "")
        name = ref.rpartition("/")[2]
        if name and name not in seen:
            seen.add(name)
            _drop_required(definitions[name], definitions, seen)
        elif not ref:
            _drop_required(child, definitions, seen)


# -- rules.yaml ----------------------------------------------------------------------------


def _sections(text: str, keys: dict[str, int]) -> dict[str, list[str]]:
    """The lines of each top-level key: its value and the comment block just above it,
    up to the next key's comment block (`keys`: key -> 0-based line of the key)."""
    lines = text.splitlines()
    starts: dict[str, int] = {}
    for key, line in keys.items():
        start = line
        while start > 0 and lines[start - 1].startswith("#"):
            start -= 1
        starts[key] = start
    order = sorted(starts, key=starts.__getitem__)
    ends = [starts[k] for k in order[1:]] + [len(lines)]
    return {key: lines[starts[key] : end] for key, end in zip(order, ends, strict=True)}


def config_text(profile: str, chosen: Plan | None = None) -> str:
    """A commented rules.yaml for `profile`: the user keys of the embedded default, with
    `files` and `overrides` as `chosen` found them."""
    import io

    from ruamel.yaml import YAML

    from readme_guard import config

    default = config.default_config_text()
    yaml = YAML(typ="rt")
    tree = yaml.load(default)
    sections = _sections(default, {str(k): tree.lc.key(k)[0] for k in tree})
    kept = "\n".join(line for key in USER_KEYS for line in sections[key]).strip("\n")
    head = (
        f"# yaml-language-server: $schema={SCHEMA_URL}\n"
        "# readme-guard configuration, written by `readme-guard init`.\n"
        "# Keys left out keep the profile's values: every key and its default are in\n"
        f"# {REPOSITORY_URL}/blob/main/rules.yaml\n"
        "\n"
        "# The shipped profile to start from:\n"
        + "".join(f"#   {name}: {config.profile_help(name)}\n" for name in config.profile_names())
        + "profile: default\n\n"
    )
    document = yaml.load(head + kept + "\n")
    document["profile"] = profile  # round-trip: every comment stays where it was
    if chosen is not None:
        document["files"] = _flow(chosen.files)
        document["overrides"] = [
            {"files": _flow(globs), "profile": name} for globs, name in chosen.overrides
        ]
    yaml.Representer = _null_representer()
    out = io.StringIO()
    yaml.dump(document, out)
    return out.getvalue()


def _flow(items: list[str]) -> Any:
    """A YAML list written on one line, `[a, b]`."""
    from ruamel.yaml.comments import CommentedSeq

    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq


def _null_representer() -> type[Any]:
    """ruamel's round-trip representer, writing None as `null` (as the default does)
    rather than as nothing; a subclass, so the shared class is left alone."""
    from ruamel.yaml.representer import RoundTripRepresenter

    class Representer(RoundTripRepresenter):
        pass

    Representer.add_representer(
        type(None), lambda r, _: r.represent_scalar("tag:yaml.org,2002:null", "null")
    )
    return Representer


def write_config(folder: Path, profile: str, force: bool, chosen: Plan | None = None) -> Path:
    """Write rules.yaml into `folder`; an existing config is kept unless `force`."""
    from readme_guard.config import CONFIG_NAMES

    target = folder / CONFIG_NAME
    existing = next((folder / n for n in CONFIG_NAMES if (folder / n).exists()), None)
    if existing is not None and not force:
        raise UsageError(f"{existing.name} already exists; use --force to overwrite it")
    try:
        target.write_text(config_text(profile, chosen), encoding="utf-8")
    except OSError as exc:
        reason = (exc.strerror or str(exc)).lower()
        raise UsageError(f"{target}: cannot write: {reason}") from None
    return target


# -- snippets ------------------------------------------------------------------------------


def release() -> str:
    """The git tag of this version; `main` when running from an unreleased source tree."""
    from readme_guard import __version__

    return "main" if "+" in __version__ or "dev" in __version__ else f"v{__version__}"


def precommit_snippet(ref: str, files: str | None = None) -> str:
    match = f"        files: '{files}'\n" if files else ""
    return (
        "repos:\n"
        f"  - repo: {REPOSITORY_URL}\n"
        f"    rev: {ref}\n"
        "    hooks:\n"
        "      - id: readme-guard\n"
        f"{match}"
        "      - id: readme-guard-references  # a commit that deletes a figure a list shows\n"
        "      # - id: readme-guard-fix  # rewrite the TOC and block layout on commit\n"
    )


def workflow_snippet(ref: str) -> str:
    return (
        "name: readme-guard\n"
        "on:\n"
        "  push:\n"
        "    branches: [main]\n"
        "  pull_request:\n"
        "permissions:\n"
        "  contents: read\n"
        "  pull-requests: write  # for suggest: one review of one-click fixes\n"
        "  actions: read  # these two for the SARIF upload\n"
        "  security-events: write\n"
        "jobs:\n"
        "  readme-guard:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4\n"
        f"      - uses: {REPOSITORY}@{ref}\n"
        "        with:\n"
        "          suggest: true\n"
        f"          sarif-file: {SARIF_FILE}\n"
        "      - uses: github/codeql-action/upload-sarif@v3\n"
        "        if: ${{ !cancelled() && hashFiles('" + SARIF_FILE + "') != '' }}\n"
        "        with:\n"
        f"          sarif_file: {SARIF_FILE}\n"
        "          category: readme-guard\n"
    )


def instructions(written: Path, profile: str, chosen: Plan | None = None) -> str:
    """What `init` prints after writing the config."""
    ref = release()
    found = ""
    files = None
    if chosen is not None and chosen.classified:
        found = "".join(
            f"  {c.path}: {c.profile}"
            + (f" ({c.entries} entries)" if c.profile != NOT_A_LIST else " (not a paper list)")
            + "\n"
            for c in chosen.classified
        )
        found = f"Markdown files and the profile that fits each:\n{found}\n"
        files = precommit_files(chosen.files)
    return (
        f"{found}Wrote {written.name} (profile: {profile}).\n\n"
        "Add this to .pre-commit-config.yaml:\n\n"
        f"{precommit_snippet(ref, files)}\n"
        f"Save this as {WORKFLOW_PATH}:\n\n"
        f"{workflow_snippet(ref)}"
    )
