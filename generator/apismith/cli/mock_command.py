"""``apismith mock``: serve a spec's documented examples on a real HTTP server."""

from __future__ import annotations

from pathlib import Path

import click

from apismith.cli.common import EXIT_UNREADABLE, echo_diagnostics


@click.command()
@click.argument("spec", type=click.Path(path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=4010, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--max-body",
    default=1 << 20,
    show_default=True,
    type=click.IntRange(0),
    help="Largest request body accepted, in bytes (413 above it).",
)
@click.option("--quiet", is_flag=True, help="Do not log one line per request.")
def mock(spec: Path, host: str, port: int, max_body: int, quiet: bool) -> None:
    """Serve SPEC's examples: every operation answers with its documented example.

    Requests are checked against the spec first (security, parameters, body). A
    request header ``Prefer: code=STATUS, example=NAME`` picks another documented
    response. Stop with Ctrl-C (SIGINT) or SIGTERM.
    """
    from apismith.mock.app import SpecUnusable, build_app
    from apismith.mock.server import serve

    try:
        app = build_app(spec, max_body=max_body, log=None if not quiet else _silent)
    except SpecUnusable as error:
        echo_diagnostics(error.diagnostics)
        raise SystemExit(EXIT_UNREADABLE) from None
    click.echo(f"mocking {spec} on http://{host}:{port} (Ctrl-C to stop)", err=True)
    serve(app, host, port)


def _silent(line: str) -> None:
    """No request log."""
