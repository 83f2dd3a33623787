"""The check pipeline: inputs -> Source -> Document -> rules -> suppression -> Diagnostics."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from readme_guard import config as config_module
from readme_guard import inputs, suppression
from readme_guard.context import RuleContext
from readme_guard.diagnostic import Diagnostic
from readme_guard.document import Document
from readme_guard.errors import InputError, OutsideRootError, ReadmeGuardError, UsageError
from readme_guard.markdown import ParseError, parse
from readme_guard.project import Project
from readme_guard.rules import Rule, all_rules, lookup, matches, selector_error
from readme_guard.rules.hygiene import first_conflict
from readme_guard.settings import Config
from readme_guard.source import Source

if TYPE_CHECKING:
    from readme_guard.fixing import Outcome


@dataclass(frozen=True)
class Options:
    """What the command line says about configuration and rule selection."""

    config_path: Path | None = None
    isolated: bool = False
    profile: str | None = None
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    stdin_filename: str | None = None


@dataclass
class FileResult:
    source: Source
    document: Document
    config: Config
    diagnostics: list[Diagnostic]
    path: Path | None


@dataclass
class Run:
    """Shared state of one run: configs and projects are looked up once per folder."""

    options: Options
    _configs: dict[tuple[Path, ...], config_module.LoadedConfig] = field(default_factory=dict)
    _projects: dict[Path, Project] = field(default_factory=dict)
    _roots: dict[Path, Path] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)  # said once each, on stderr
    refused: list[str] = field(default_factory=list)  # inputs skipped: symlinks out of the root

    def loaded_config(self, path: Path | None) -> config_module.LoadedConfig:
        """The config for a file at `path`: --config, else the configs from the repository
        root down to its folder (each extending the one above), else the default."""
        options = self.options
        if options.config_path is not None:
            found: tuple[Path, ...] = (options.config_path,)
        elif options.isolated or path is None:
            found = ()
        else:
            folder = path.resolve().parent
            found = config_module.find_configs(folder, self.project(folder).root)
        if found not in self._configs:
            loaded = config_module.load_chain(found, options.profile)
            self._configs[found] = loaded
            if loaded.notice and loaded.notice not in self.notices:
                self.notices.append(loaded.notice)
        return self._configs[found]

    def project(self, folder: Path) -> Project:
        """One Project per repository root (git asked once per root, not per folder)."""
        folder = folder.resolve()
        if folder not in self._roots:
            self._roots[folder] = Project(folder).root
        root = self._roots[folder]
        if root not in self._projects:
            self._projects[root] = Project(root)
        return self._projects[root]

    def default_inputs(self) -> list[inputs.Input]:
        """With no arguments: the files the config names, else README.md."""
        loaded = self.loaded_config(Path.cwd() / "README.md")
        if loaded.config.files and loaded.path is not None:
            found = inputs.from_globs(loaded.folder, loaded.config.files)
            if found:
                return found
        readme = Path("README.md")
        if not readme.exists():
            raise InputError("README.md: no such file (give the files to check)")
        return [inputs.Input("README.md", readme)]

    def expand(self, arguments: tuple[str, ...]) -> list[inputs.Input]:
        """The files the arguments name, else (none given) `default_inputs`."""
        if arguments:
            return inputs.expand(arguments, self.options.stdin_filename)
        return self.default_inputs()

    def check(self, arguments: tuple[str, ...]) -> list[FileResult]:
        results: list[FileResult] = []
        for item in self.expand(arguments):
            try:
                results.append(self.check_input(item))
            except OutsideRootError as exc:  # one line, and the other files are checked
                self.refused.append(str(exc))
        return results

    def check_input(self, item: inputs.Input) -> FileResult:
        source = inputs.read(item)
        return self.check_source(source, item.path)

    def check_source(self, source: Source, path: Path | None) -> FileResult:
        loaded = self.loaded_config(path)
        config = loaded.for_file(path) if path is not None else loaded.config
        folder = path.resolve().parent if path is not None else Path.cwd().resolve()
        project = self.project(folder)
        try:
            document = parse(source)
        except ParseError as exc:
            raise InputError(f"{source.path}: {exc}") from None
        context = RuleContext(document=document, config=config, project=project, file_path=path)
        rules = select_rules(config, self.options)
        diagnostics = run_rules(context, rules)
        return FileResult(source, document, config, diagnostics, path)

    def fix(self, arguments: tuple[str, ...], write: bool = True) -> Iterator[FixedFile]:
        """Fix each input in turn (see `fix_input`), as `check` reads them. A file that cannot
        be read, fixed or written is left as it was and named in its `error`; the others go
        on. One at a time, so a caller can report each file as it is done."""
        for item in self.expand(arguments):
            try:
                outcome = self.fix_input(item, write)
            except ReadmeGuardError as exc:
                yield FixedFile(item, error=str(exc))
                continue
            yield FixedFile(item, outcome=outcome)

    def fix_input(self, item: inputs.Input, write: bool = True) -> Outcome:
        """Fix one input; with `write`, replace its file atomically when the fixes changed
        it (never stdin: the caller prints `outcome.data()`)."""
        from readme_guard import fixing

        source = inputs.read(item)
        outcome = fixing.fix_source(self, source, item.path)
        if write and outcome.changed and item.path is not None and not item.stdin:
            original = fixing.encoded(source, source.text)
            root = inputs.repository_root(item.path)
            fixing.write_atomic(item.path, outcome.data(), original, root)
        return outcome


@dataclass(frozen=True)
class FixedFile:
    """What `Run.fix` did to one input: its outcome, or the one-line error that stopped it."""

    item: inputs.Input
    outcome: Outcome | None = None
    error: str | None = None


def select_rules(config: Config, options: Options) -> list[Rule]:
    """Rules after select / extend_select / ignore (command line over rules.yaml)."""
    select = options.select if options.select is not None else config.select
    ignore = tuple(config.ignore) + tuple(options.ignore)
    extend = tuple(config.extend_select) + tuple(options.extend_select)
    for selector in (*(select or ()), *ignore, *extend):
        problem = selector_error(selector)
        if problem is not None:
            raise UsageError(problem)
    chosen = []
    for candidate in all_rules():
        selected = select is None or any(matches(s, candidate) for s in select)
        selected = selected or any(matches(s, candidate) for s in extend)
        if not selected or any(matches(s, candidate) for s in ignore):
            continue
        setting = config.rules.get(candidate.code) or config.rules.get(candidate.name)
        if setting is not None and not setting.enabled:
            continue
        chosen.append(candidate)
    return chosen


def severity_of(config: Config, candidate: Rule) -> str:
    setting = config.rules.get(candidate.code) or config.rules.get(candidate.name)
    return (setting.severity if setting and setting.severity else None) or candidate.severity


def run_rules(context: RuleContext, rules: Iterable[Rule]) -> list[Diagnostic]:
    """Run `rules` on one file, apply its suppression comments, then run the post-pass
    rules (RG602), which see what the suppression pass decided."""
    selected = list(rules)

    def resolve(name: str) -> str | None:
        found = lookup(name)
        return found.code if found else None

    context.suppressions = suppression.read(context.document, resolve)
    kept = context.suppressions.apply(_diagnose(context, [r for r in selected if not r.post]))
    kept.extend(_diagnose(context, [r for r in selected if r.post]))
    return sorted(kept, key=Diagnostic.sort_key)


def _diagnose(context: RuleContext, rules: Iterable[Rule]) -> list[Diagnostic]:
    """The findings of `rules` as Diagnostics, with this file's path and severities."""
    path = context.document.path
    # `fix` refuses a file with conflict markers, so nothing in it is offered as fixable.
    fixes_allowed = first_conflict(context.document) is None
    diagnostics: list[Diagnostic] = []
    for candidate in rules:
        severity = severity_of(context.config, candidate)
        diagnostics.extend(
            Diagnostic(
                path=path,
                span=finding.span,
                code=candidate.code,
                rule=candidate.name,
                severity=severity,
                message=finding.message,
                fixable=fixes_allowed and candidate.fixable and finding.fix is not None,
                fix=finding.fix if fixes_allowed else None,
            )
            for finding in candidate.check(context)
        )
    return diagnostics
