"""What the commands share: spec arguments, diagnostics output and exit codes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import click

from apismith.config import load_config
from apismith.diagnostics import Diagnostic, DiagnosticError

EXIT_CLEAN = 0
EXIT_PROBLEMS = 1
EXIT_UNREADABLE = 2


def specs_or_configured(specs: Sequence[Path]) -> list[Path]:
    """The specs named on the command line, else every spec in ``[tool.apismith]``."""
    if specs:
        return list(specs)
    try:
        return [target.spec for target in load_config().targets]
    except DiagnosticError as error:
        echo_diagnostics(error.diagnostics)
        raise SystemExit(EXIT_UNREADABLE) from None


def echo_diagnostics(diagnostics: Iterable[Diagnostic]) -> None:
    for diagnostic in sorted(diagnostics, key=Diagnostic.sort_key):
        click.echo(str(diagnostic), err=True)
