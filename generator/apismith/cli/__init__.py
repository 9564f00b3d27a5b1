"""The ``apismith`` command line: a thin shell over functions that tests call directly.

Each command lives in its own module and is imported only when it runs, so
``apismith --help`` and ``apismith --version`` stay fast.
"""

from __future__ import annotations

import atexit
import importlib
import os
import sys
import threading

import click

from apismith import __version__

# command name -> "module:attribute" of its click command
COMMANDS = {
    "generate": "apismith.cli.generate_command:generate_command",
    "check": "apismith.cli.generate_command:check_command",
    "lint": "apismith.cli.lint_command:lint",
    "validate": "apismith.cli.validate_command:validate",
    "mock": "apismith.cli.mock_command:mock",
    "verify": "apismith.cli.verify_command:verify",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attribute = target.split(":")
        command = getattr(importlib.import_module(module_name), attribute)
        assert isinstance(command, click.Command)
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="apismith")
def main() -> None:
    """Check OpenAPI specs and generate typed Python clients with contract tests."""


def run() -> None:
    """The console script: ``main``, then a quick exit.

    A big generation leaves millions of objects behind, and an interpreter freeing them
    one by one at exit costs a noticeable part of the run. Nothing needs that teardown
    once the exit handlers have run and the output is flushed, so the process ends there;
    while other threads are alive it exits as usual instead."""
    try:
        main()
    except SystemExit as done:
        code = done.code
    else:
        code = 0
    if isinstance(code, str):  # what sys.exit does with a message
        print(code, file=sys.stderr)
        code = 1
    if threading.active_count() > 1:
        sys.exit(code)
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code or 0)
