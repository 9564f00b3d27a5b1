"""``apismith validate``: check JSON payloads against a spec's schemas.

Each invalid payload prints one line per error (file, line for JSON Lines, pointer in the
payload, message, and the schema location); the last line counts valid and invalid
payloads. JSON Lines input is streamed: memory stays flat however long the file is.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import click
import orjson

from apismith.cli.common import EXIT_CLEAN, EXIT_PROBLEMS, EXIT_UNREADABLE, echo_diagnostics
from apismith.load import LoadError
from apismith.validate import (
    CompiledSchema,
    PayloadError,
    PayloadValidator,
    UnknownTarget,
    UnusableSchema,
)

Payload = tuple[str, Any, str | None]
"""(where: file or file:line, parsed value, or None and a parse error message)"""


@click.command()
@click.argument("spec", type=click.Path(path_type=Path))
@click.argument("payloads", nargs=-1, type=click.Path(allow_dash=True, path_type=Path))
@click.option("--operation", "operation_id", metavar="ID", help="The operationId.")
@click.option("--request", "request", is_flag=True, help="Validate request bodies of --operation.")
@click.option("--response", "status", metavar="STATUS", help="Validate responses with STATUS.")
@click.option("--schema", "component", metavar="NAME", help="A schema in components/schemas.")
@click.option("--media-type", default=None, help="Default: the first JSON media type.")
@click.option("--jsonl", is_flag=True, help="Each file holds one JSON payload per line.")
@click.option("--allow-remote-refs", is_flag=True, hidden=True)
def validate(
    spec: Path,
    payloads: tuple[Path, ...],
    operation_id: str | None,
    request: bool,
    status: str | None,
    component: str | None,
    media_type: str | None,
    jsonl: bool,
    allow_remote_refs: bool,
) -> None:
    """Validate PAYLOADS (JSON files; none or - for standard input) against SPEC.

    \b
    apismith validate SPEC --operation ID --request [FILE ...|-]
    apismith validate SPEC --operation ID --response STATUS [FILE ...|-]
    apismith validate SPEC --schema NAME [--jsonl] [FILE ...|-]
    """
    chosen = [bool(request), status is not None, component is not None]
    if sum(chosen) != 1 or (component is None) != (operation_id is not None):
        raise click.UsageError(
            "give --operation ID with --request or --response STATUS, or --schema NAME"
        )
    try:
        validators = PayloadValidator.from_path(spec, allow_remote_refs=allow_remote_refs)
        if component is not None:
            compiled = validators.for_component(component)
        elif request:
            assert operation_id is not None
            compiled = validators.for_request(operation_id, media_type)
        else:
            assert operation_id is not None and status is not None
            compiled = validators.for_response(operation_id, status, media_type)
    except LoadError as error:
        echo_diagnostics(error.diagnostics)
        raise SystemExit(EXIT_UNREADABLE) from None
    except (UnknownTarget, UnusableSchema) as error:
        click.echo(f"error: {error}", err=True)
        raise SystemExit(EXIT_UNREADABLE) from None
    sources = list(payloads) or [Path("-")]
    try:
        valid, invalid = run(compiled, sources, jsonl, sys.stdout)
    except OSError as error:
        click.echo(f"error: {error}", err=True)
        raise SystemExit(EXIT_UNREADABLE) from None
    sys.stdout.write(f"{valid} valid, {invalid} invalid\n")
    sys.stdout.flush()
    raise SystemExit(EXIT_PROBLEMS if invalid else EXIT_CLEAN)


def run(
    compiled: CompiledSchema, sources: list[Path], jsonl: bool, out: IO[str]
) -> tuple[int, int]:
    """Validate every payload of ``sources``; write error lines to ``out``; return counts."""
    valid = invalid = 0
    is_valid = compiled.is_valid
    loads = orjson.loads
    write = out.write
    for source in sources:
        name = "<stdin>" if str(source) == "-" else str(source)
        with _open(source) as stream:
            if jsonl:
                for number, line in enumerate(stream, 1):
                    if not line.strip():
                        continue
                    try:
                        value = loads(line)
                    except orjson.JSONDecodeError as error:
                        invalid += 1
                        write(f"{name}:{number}: /: not valid JSON: {error.msg}\n")
                        continue
                    if is_valid(value):
                        valid += 1
                    else:
                        invalid += 1
                        write(_lines(f"{name}:{number}", compiled.errors(value)))
            else:
                for where, value, problem in _whole(name, stream):
                    if problem is not None:
                        invalid += 1
                        write(f"{where}: /: not valid JSON: {problem}\n")
                    elif is_valid(value):
                        valid += 1
                    else:
                        invalid += 1
                        write(_lines(where, compiled.errors(value)))
    return valid, invalid


def _open(source: Path) -> contextlib.AbstractContextManager[IO[bytes]]:
    if str(source) == "-":
        return contextlib.nullcontext(sys.stdin.buffer)
    return open(source, "rb", buffering=1 << 20)


def _whole(name: str, stream: IO[bytes]) -> Iterator[Payload]:
    try:
        yield name, orjson.loads(stream.read()), None
    except orjson.JSONDecodeError as error:
        yield f"{name}:{error.lineno}", None, error.msg


def _lines(where: str, errors: tuple[PayloadError, ...]) -> str:
    return "".join(
        f"{where}: {e.pointer or '/'}: {e.message} [{e.schema_location}]\n" for e in errors
    )
