"""``apismith lint``: check specs and report every problem, located."""

from __future__ import annotations

from pathlib import Path

import click

from apismith.cli.common import (
    EXIT_CLEAN,
    EXIT_PROBLEMS,
    EXIT_UNREADABLE,
    echo_diagnostics,
    specs_or_configured,
)
from apismith.diagnostics import Diagnostic, has_errors
from apismith.load import LoadError, load_document
from apismith.structure import check_structure


@click.command()
@click.argument("specs", nargs=-1, type=click.Path(path_type=Path))
def lint(specs: tuple[Path, ...]) -> None:
    """Check SPECS (default: every spec in [tool.apismith])."""
    found: list[Diagnostic] = []
    unreadable = False
    for spec in specs_or_configured(specs):
        try:
            loaded = load_document(spec)
        except LoadError as error:
            found.extend(error.diagnostics)
            unreadable = True
            continue
        found.extend(loaded.diagnostics)
        found.extend(loaded.document.locate(check_structure(loaded.document)))
    echo_diagnostics(found)
    if unreadable:
        raise SystemExit(EXIT_UNREADABLE)
    raise SystemExit(EXIT_PROBLEMS if has_errors(found) else EXIT_CLEAN)
