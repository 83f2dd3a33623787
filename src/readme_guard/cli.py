"""The command line: arguments in, the library called, output out. Nothing else lives here.

Only click is imported at start-up; each command imports what it needs when it runs, so
`--version` and `--help` stay as fast as `import click`.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from readme_guard.output import FORMATS

if TYPE_CHECKING:
    from readme_guard.linter import Options
    from readme_guard.output import Report

F = TypeVar("F", bound=Callable[..., Any])

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
ISSUES_URL = "https://github.com/readme-guard/readme-guard/issues"


def selection_options(function: F) -> F:
    """Options shared by `check` and `fix`: where config comes from and which rules run."""
    decorators = [
        click.option(
            "--config",
            "config_path",
            type=click.Path(dir_okay=False, path_type=Path),
            help="Use this rules.yaml instead of looking for one.",
        ),
        click.option(
            "--isolated", is_flag=True, help="Ignore every config file; use the built-in default."
        ),
        click.option(
            "--profile",
            callback=_check_profile,
            help="Use a shipped profile (file format) whatever the config says.",
        ),
        click.option(
            "--select",
            multiple=True,
            metavar="RULES",
            help="Only these rules: codes, names or prefixes, comma-separated.",
        ),
        click.option(
            "--extend-select",
            multiple=True,
            metavar="RULES",
            help="Add these rules to the selection.",
        ),
        click.option("--ignore", multiple=True, metavar="RULES", help="Skip these rules."),
        click.option(
            "--stdin-filename",
            metavar="PATH",
            help="With `-`: the path stdin stands for (config and relative paths).",
        ),
    ]
    for decorator in reversed(decorators):
        function = decorator(function)
    return function


def _check_profile(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A shipped profile name (the profiles folder, read only when the option is given)."""
    if value is None:
        return None
    from readme_guard.config import profile_names
    from readme_guard.suggest import closest

    names = profile_names()
    if value not in names:
        close = closest(value, names)
        hint = f"did you mean '{close}'? " if close else ""
        raise click.BadParameter(f"{value!r}: {hint}shipped profiles: {', '.join(names)}")
    return value


def build_options(
    config_path: Path | None,
    isolated: bool,
    profile: str | None,
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    stdin_filename: str | None,
) -> Options:
    from readme_guard.linter import Options
    from readme_guard.rules import split_selectors

    return Options(
        config_path=config_path,
        isolated=isolated,
        profile=profile,
        select=split_selectors(select) or None,
        ignore=split_selectors(ignore),
        extend_select=split_selectors(extend_select),
        stdin_filename=stdin_filename,
    )


def use_color(choice: str, stream: Any) -> bool:
    """--color always/never win; else FORCE_COLOR, NO_COLOR, then whether it is a terminal."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("FORCE_COLOR"):
        return True
    if os.environ.get("NO_COLOR"):
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


def write_report(report: Report, format_name: str, output: Path | None, color: str) -> None:
    from readme_guard.output import renderer

    render = renderer(format_name)
    if output is None:
        render(report, sys.stdout, use_color(color, sys.stdout))
        return
    import io

    from readme_guard.fixing import write_output

    text = io.StringIO()
    render(report, text, False)
    try:  # a symlink already at `output` is replaced, never followed
        write_output(output, text.getvalue().encode("utf-8"))
    except OSError as exc:
        from readme_guard.errors import UsageError

        raise UsageError(f"{output}: cannot write: {(exc.strerror or str(exc)).lower()}") from None


def default_format() -> str:
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "full"


def _error_line(message: str) -> None:
    """One error line on stderr; file names and config text in it shown visibly."""
    from readme_guard.output.escape import visible

    click.echo(f"readme-guard: error: {visible(message)}", err=True)


def _notice_lines(notices: list[str]) -> None:
    """Notices of the run (a skipped config), once each on stderr, shown visibly."""
    from readme_guard.output.escape import visible

    for notice in notices:
        click.echo(f"readme-guard: {visible(notice)}", err=True)


class _Group(click.Group):
    """Turns every error into one line and exit 2; a bug asks for a report, no traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        from readme_guard.errors import ReadmeGuardError

        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise
        except ReadmeGuardError as exc:
            _error_line(str(exc))
            ctx.exit(exc.exit_code)
        except BrokenPipeError:
            sys.stderr.close()  # `readme-guard check | head`: nothing worth a message
            ctx.exit(EXIT_FINDINGS)
        except Exception as exc:
            if os.environ.get("READMEGUARD_DEBUG"):
                raise
            click.echo(
                f"readme-guard: internal error: {type(exc).__name__}: {exc}. This is a bug; "
                f"please report it at {ISSUES_URL} (READMEGUARD_DEBUG=1 shows the traceback).",
                err=True,
            )
            ctx.exit(EXIT_ERROR)


@click.group(
    cls=_Group,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(package_name="readme-guard", prog_name="readme-guard")
def cli() -> None:
    """Lint and fix hand-edited Markdown paper lists.

    Checks every paper block for its fields (title, Paper/Code/Slide links, figure,
    description), relative image and slide paths, anchors, duplicate papers and TOC drift,
    and rewrites the TOC and block layout in place without changing what GitHub shows.

    \b
    Exit codes: 0 clean, 1 findings at or above --fail-on (default: errors), or a
                fix would change a file with --check, 2 usage, config or input error.
    Docs: https://github.com/readme-guard/readme-guard#readme
    """
    # A run builds hundreds of thousands of small objects and frees them at exit; with the
    # default thresholds the collector walks them hundreds of times (~8% of a 4 MB check).
    gc.set_threshold(200_000, 50, 100)


@cli.command()
@click.argument("files", nargs=-1, metavar="[FILES]...")
@selection_options
@click.option(
    "--format",
    "format_name",
    type=click.Choice(list(FORMATS)),
    help="Output format [default: full; github under GitHub Actions].",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report to this file instead of stdout.",
)
@click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour the output (auto: only on a terminal).",
)
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning"]),
    default="error",
    show_default=True,
    help="The lowest severity that makes the run fail (exit 1); lower ones are only shown.",
)
@click.option(
    "--changed-since",
    metavar="REF",
    help="Only findings the change since git revision REF introduced (e.g. origin/main).",
)
@click.option(
    "--skip-changed-files",
    is_flag=True,
    help="With --changed-since: leave out the files the change touched, for a hook beside "
    "one that checks them (what a deleted image breaks in a list nobody edited).",
)
@click.option(
    "--baseline",
    "baseline_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Only findings not recorded in this baseline; also list its entries that no longer match.",
)
@click.option(
    "--write-baseline",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Record every finding in this baseline file and exit 0.",
)
@click.option("--statistics", is_flag=True, help="Show counts per rule instead of the findings.")
@click.option(
    "--post-suggestions",
    is_flag=True,
    help="In a pull_request workflow with --changed-since: post the fixes on the diff's lines "
    "as one review of GitHub suggestions (GITHUB_TOKEN needs pull-requests: write).",
)
def check(
    files: tuple[str, ...],
    format_name: str | None,
    output: Path | None,
    color: str,
    exit_zero: bool,
    fail_on: str,
    changed_since: str | None,
    skip_changed_files: bool,
    baseline_path: Path | None,
    write_baseline: Path | None,
    statistics: bool,
    post_suggestions: bool,
    **selection: Any,
) -> None:
    """Check Markdown files and report findings.

    FILES are Markdown files or folders (their *.md files, honouring .gitignore); `-` reads
    stdin. With none: the `files` of rules.yaml, else README.md.
    """
    from readme_guard.errors import UsageError
    from readme_guard.linter import Run
    from readme_guard.output import Report

    # Baselines and revisions are imported only when asked for: a plain check stays lean.
    if baseline_path is not None or write_baseline is not None:
        from readme_guard import baseline
    recorded = baseline.read(baseline_path) if baseline_path is not None else None
    run = Run(build_options(**selection))
    report = Report(run.check(files), fail_on=fail_on)
    if write_baseline is not None:
        count = baseline.write(write_baseline, report)
        click.echo(f"readme-guard: recorded {count} findings in {write_baseline}.", err=True)
        return
    if recorded is not None:
        report = baseline.apply(report, recorded)
    if changed_since is not None:
        from readme_guard import changes

        report = changes.compare(report, run, changed_since, skip_changed_files)
    elif skip_changed_files:
        raise UsageError("--skip-changed-files needs --changed-since")
    chosen = "statistics" if statistics else format_name or default_format()
    if statistics and format_name == "json":
        chosen = "statistics-json"
    _notice_lines(run.notices)
    write_report(report, chosen, output, color)
    if post_suggestions:
        from readme_guard import review

        if changed_since is None:
            raise UsageError("--post-suggestions needs --changed-since (the lines of the diff)")
        review.report_note(review.suggest(report))
    for refused in run.refused:
        _error_line(refused)
    if run.refused:
        sys.exit(EXIT_ERROR)
    if report.failing() and not exit_zero:
        sys.exit(EXIT_FINDINGS)


@cli.command(name="fix")
@click.argument("files", nargs=-1, metavar="[FILES]...")
@selection_options
@click.option(
    "--diff",
    "show_diff",
    is_flag=True,
    help="Print a unified diff of the fixes and write nothing; exit 1 if any.",
)
@click.option(
    "--check",
    "check_only",
    is_flag=True,
    help="Write nothing; exit 1 when a fix would change a file (for CI).",
)
@click.option(
    "--exit-non-zero-on-fix",
    is_flag=True,
    help="Exit 1 when anything was fixed, even if no finding remains.",
)
def fix_command(
    files: tuple[str, ...],
    show_diff: bool,
    check_only: bool,
    exit_non_zero_on_fix: bool,
    **selection: Any,
) -> None:
    """Fix the TOC, block layout and separators in place, never changing the page.

    Applies the fix of every fixable finding of the selected rules. Before writing, GitHub's
    renderer (cmark-gfm) renders the file before and after: a fix that would change what
    GitHub shows outside the TOC is not applied and is reported. Files are replaced
    atomically; a file changed on disk meanwhile is left alone (exit 2). `-` reads stdin and
    prints the fixed text. Exit 0 when nothing remains, 1 when findings remain.
    """
    import dataclasses

    from readme_guard import fixing
    from readme_guard.linter import FileResult, Run
    from readme_guard.output import Report, renderer
    from readme_guard.output.escape import visible

    run = Run(build_options(**selection))
    write = not (show_diff or check_only)
    notes = sys.stderr if show_diff or "-" in files else sys.stdout
    errors = changed = fixed = 0
    results: list[FileResult] = []
    for done in run.fix(files, write):
        item, outcome = done.item, done.outcome
        if outcome is None:
            _error_line(str(done.error))
            errors += 1
            continue
        if write and item.stdin:
            sys.stdout.buffer.write(outcome.data())
        changed += outcome.changed
        fixed += outcome.fixed
        if show_diff and outcome.changed:
            click.echo(fixing.unified_diff(outcome, item.display), nl=False)
        if outcome.fixed:
            verb = "Fixed" if write else "Would fix"
            click.echo(visible(f"{verb} {fixing.summary(outcome)} in {item.display}."), file=notes)
        if write:  # the refused fixes are among the remaining findings, with their reason
            results.append(dataclasses.replace(outcome.result, diagnostics=outcome.remaining))
            continue
        for refusal in outcome.refused:  # numbered as the file on disk, which is unchanged
            d, line = refusal.diagnostic, refusal.original_line
            click.echo(
                visible(f"{d.path}:{line}: {d.code} not fixed: {refusal.describe(line)}"),
                file=notes,
            )
    _notice_lines(run.notices)
    if results:
        renderer("concise")(Report(results), notes, use_color("auto", notes))
    if errors:
        sys.exit(EXIT_ERROR)
    if not write:
        sys.exit(EXIT_FINDINGS if changed else EXIT_CLEAN)
    remaining = any(result.diagnostics for result in results)
    if remaining or (exit_non_zero_on_fix and fixed):
        sys.exit(EXIT_FINDINGS)


@cli.command(name="toc")
@click.argument("file", metavar="FILE")
@selection_options
def show_toc(file: str, **selection: Any) -> None:
    """Print the TOC that `fix` would write for FILE, markers included.

    The first TOC region (or, with `toc.detect: auto`, the list of in-page links that serves
    as TOC) is updated in place as `fix` would; a file with none gets a new one in the
    `toc.marker` style of rules.yaml. `-` reads stdin.
    """
    from readme_guard import inputs
    from readme_guard.errors import UsageError
    from readme_guard.linter import Run
    from readme_guard.toc.new import render_toc

    items = inputs.expand((file,), selection["stdin_filename"])
    if len(items) != 1:
        raise UsageError(f"{file}: `toc` takes one Markdown file")
    result = Run(build_options(**selection)).check_input(items[0])
    click.echo("\n".join(render_toc(result.document, result.config)))


@cli.command(name="rules")
@click.option(
    "--markdown",
    is_flag=True,
    help="Print the whole catalogue with every rule's documentation as Markdown.",
)
def list_rules(markdown: bool) -> None:
    """List every rule: code, name, default severity, fixable, summary."""
    from readme_guard.rules import all_rules, catalogue_markdown

    if markdown:
        click.echo(catalogue_markdown(), nl=False)
        return
    for found in all_rules():
        fix = "fix" if found.fixable else "   "
        click.echo(f"{found.code}  {found.name:<22} {found.severity:<8} {fix}  {found.summary}")


@cli.command(name="rule")
@click.argument("code_or_name")
def show_rule(code_or_name: str) -> None:
    """Show a rule's documentation, with a failing and a passing example."""
    from readme_guard.errors import UsageError
    from readme_guard.rules import lookup

    found = lookup(code_or_name)
    if found is None:
        raise UsageError(f"unknown rule '{code_or_name}' (see `readme-guard rules`)")
    fixable = "yes" if found.fixable else "no"
    click.echo(f"# {found.code} {found.name}\n")
    click.echo(f"{found.summary}. Default severity: {found.severity}. Fixable: {fixable}.\n")
    click.echo(found.doc)


@cli.command(name="init")
@click.option(
    "--profile",
    callback=_check_profile,
    help="The shipped profile the new rules.yaml starts from (default: the one that fits "
    "most of the repository's Markdown files).",
)
@click.option("--force", is_flag=True, help="Overwrite an existing rules.yaml.")
def init_command(profile: str | None, force: bool) -> None:
    """Write a commented rules.yaml here and print the pre-commit and workflow set-up.

    Every tracked Markdown file is classified from its text: which shipped profile fits
    it, or none (`notes`: only anchors, paths and the TOC are checked there).
    """
    from readme_guard import init

    chosen = init.plan(Path.cwd(), profile)
    written = init.write_config(Path.cwd(), chosen.profile, force, chosen)
    click.echo(init.instructions(written, chosen.profile, chosen), nl=False)


@cli.command(name="schema")
def show_schema() -> None:
    """Print the JSON Schema of rules.yaml (editors use it to validate and complete)."""
    import json

    from readme_guard.init import json_schema

    click.echo(json.dumps(json_schema(), indent=2, ensure_ascii=False))


def main(argv: list[str] | None = None) -> None:
    """Entry point of the `readme-guard` script."""
    cli.main(args=argv, prog_name="readme-guard")
