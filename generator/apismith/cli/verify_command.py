"""``apismith verify``: replay the documented request examples against a running server."""

from __future__ import annotations

from pathlib import Path

import click

from apismith.cli.common import EXIT_CLEAN, EXIT_PROBLEMS, EXIT_UNREADABLE


@click.command()
@click.argument("spec", type=click.Path(path_type=Path))
@click.option("--base-url", required=True, help="The server to check, e.g. http://127.0.0.1:4010")
@click.option(
    "--token",
    default="verify-token",
    show_default=True,
    envvar="APISMITH_VERIFY_TOKEN",
    help="Credential sent for the spec's security scheme (or $APISMITH_VERIFY_TOKEN).",
)
def verify(spec: Path, base_url: str, token: str) -> None:
    """Send every request example of SPEC to the server at --base-url and check each
    answer: its status is documented (a success for valid examples, a 4xx for examples
    marked invalid) and its body is valid against the spec.

    Prints one line per request and a summary; exit status 0 when every answer is as
    documented, 1 when not, 2 when SPEC cannot be read.
    """
    from apismith.verify import verify as run

    report = run(spec, base_url, token=token)
    if report.unreadable:
        for line in report.unreadable:
            click.echo(line, err=True)
        raise SystemExit(EXIT_UNREADABLE)
    for line in report.lines():
        click.echo(line)
    raise SystemExit(EXIT_PROBLEMS if report.failed else EXIT_CLEAN)
