"""``apismith lint``: check specs and report every problem, located."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from apismith.cli.common import EXIT_CLEAN, EXIT_PROBLEMS, EXIT_UNREADABLE, specs_or_configured
from apismith.diagnostics import Diagnostic, Severity, has_errors
from apismith.lint.linter import lint_spec
from apismith.report import FORMATS, render

_LEVELS = {"error": Severity.ERROR, "warning": Severity.WARNING, "info": Severity.INFO}


@click.command()
@click.argument("specs", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="text (colour on a terminal), json, github (workflow annotations) or sarif 2.1.0.",
)
@click.option(
    "--fail-on",
    type=click.Choice(tuple(_LEVELS)),
    default="error",
    show_default=True,
    help="Exit 1 when a problem of this severity or worse is found.",
)
@click.option(
    "--allow-remote-refs", is_flag=True, help="Do not refuse http(s) $refs (never fetched)."
)
def lint(
    specs: tuple[Path, ...], output_format: str, fail_on: str, allow_remote_refs: bool
) -> None:
    """Check SPECS (default: every spec in [tool.apismith]).

    Rules: structure (OpenAPI meta-schema), references, operations, examples, and hygiene
    warnings. Exit 0 clean, 1 problems at or above --fail-on, 2 unreadable input.
    """
    found: list[Diagnostic] = []
    unreadable = False
    for spec in specs_or_configured(specs):
        result = lint_spec(spec, allow_remote_refs=allow_remote_refs)
        found.extend(result.diagnostics)
        unreadable = unreadable or not result.readable
    colour = output_format == "text" and sys.stdout.isatty()
    click.echo(render(found, output_format, colour), nl=False, color=colour or None)
    if unreadable:
        raise SystemExit(EXIT_UNREADABLE)
    raise SystemExit(EXIT_PROBLEMS if has_errors(found, _LEVELS[fail_on]) else EXIT_CLEAN)
