"""``apismith generate`` and ``apismith check``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from apismith.cli.common import EXIT_CLEAN, EXIT_PROBLEMS, EXIT_UNREADABLE, echo_diagnostics
from apismith.config import Target, load_config
from apismith.diagnostics import DiagnosticError, Severity
from apismith.generate import Outcome, check, generate
from apismith.load import display_path
from apismith.progress import progress

_TEMPLATES = click.option(
    "--templates",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="Folder of templates that override the built-in ones by relative path.",
)


def _targets(spec: Path | None, output: Path | None) -> list[Target]:
    if spec is not None:
        if output is None:
            raise click.UsageError("-o/--output is required with a SPEC")
        return [Target(spec, output)]
    try:
        return list(load_config().targets)
    except DiagnosticError as error:
        echo_diagnostics(error.diagnostics)
        raise SystemExit(EXIT_UNREADABLE) from None


def _finish(outcomes: list[Outcome]) -> None:
    diagnostics = [d for o in outcomes for d in o.diagnostics]
    echo_diagnostics(diagnostics)
    if any(o.unreadable for o in outcomes):
        raise SystemExit(EXIT_UNREADABLE)
    if any(o.failed or o.diff for o in outcomes):
        raise SystemExit(EXIT_PROBLEMS)
    raise SystemExit(EXIT_CLEAN)


@click.command("generate")
@click.argument("spec", required=False, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder of the package.",
)
@_TEMPLATES
@click.option("--allow-remote-refs", is_flag=True, help="Follow http(s) $refs.")
def generate_command(
    spec: Path | None, output: Path | None, templates: Path | None, allow_remote_refs: bool
) -> None:
    """Generate a client package from SPEC (default: every spec in [tool.apismith])."""
    outcomes = []
    for target in _targets(spec, output):
        with progress(f"generating {display_path(target.spec)}") as shown:
            outcome = generate(target.spec, target.output, templates, allow_remote_refs, shown)
        outcomes.append(outcome)
        if not outcome.failed:
            click.echo(
                f"{display_path(target.spec)} -> {display_path(target.output)} "
                f"({len(outcome.paths)} files)",
                err=True,
            )
        else:
            errors = sum(1 for d in outcome.diagnostics if d.severity >= Severity.ERROR)
            click.echo(
                f"{display_path(target.spec)}: {errors} error(s); "
                f"{display_path(target.output)} left unchanged",
                err=True,
            )
    _finish(outcomes)


@click.command("check")
@click.argument("spec", required=False, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder to compare.",
)
@_TEMPLATES
def check_command(spec: Path | None, output: Path | None, templates: Path | None) -> None:
    """Exit 1 with a unified diff when generated output differs from what SPEC produces."""
    outcomes = []
    for target in _targets(spec, output):
        with progress(f"checking {display_path(target.output)}") as shown:
            outcome = check(target.spec, target.output, templates, shown)
        outcomes.append(outcome)
        if outcome.diff:
            sys.stdout.write(outcome.diff)
            click.echo(f"{display_path(target.output)} is stale: run `apismith generate`", err=True)
    _finish(outcomes)
