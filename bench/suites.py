"""Suites: named lists of rows, each row one (tool, command, input) to measure.

Rows are built from a ``Context`` (where inputs, tools and scratch folders are), so
this module decides *what* is compared and nothing else. A row that cannot run (its
input or its tool is missing) still appears, with ``skip`` saying why.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bench.inputs import Input

APISMITH = "apismith"
"""The compiled wheel, as a release ships it (see ``bench.compiled``)."""
APISMITH_PURE = "apismith-pure-python"
"""The project's editable install: the same code, not compiled."""

REDOCLY_CONFIG = """\
# Written by the apismith benchmark harness: redocly's recommended rules plus the
# example checks, so that it does the same work as `apismith lint`.
extends:
  - recommended
telemetry: off
rules:
  no-invalid-media-type-examples: error
  no-invalid-parameter-examples: error
"""


@dataclass(frozen=True, slots=True)
class Row:
    """One command to measure. ``ok_exit_codes`` are the exits that count as a result
    (a linter that finds problems has still done its job); ``out_dir`` is moved aside
    before each run (see ``runner.set_aside``) and its files are counted after."""

    suite: str
    tool: str
    input: str
    argv: tuple[str, ...]
    ok_exit_codes: frozenset[int] = frozenset({0})
    out_dir: Path | None = None
    skip: str | None = None

    @property
    def slug(self) -> str:
        return f"{self.tool}--{self.input}"


@dataclass(frozen=True, slots=True)
class Context:
    """What rows need: tool executables (None when unavailable, with the reason in
    ``unavailable``), the inputs, the scratch folder and the redocly config path."""

    tools: Mapping[str, Path | None]
    github: Input
    shipped: tuple[Input, ...]
    scratch: Path
    redocly_config: Path
    unavailable: Mapping[str, str] = field(default_factory=dict)
    scale: tuple[Input, ...] = ()


LINT_EXITS = frozenset({0, 1})


def lint_rows(ctx: Context) -> list[Row]:
    spec = ctx.github
    p = spec_arg(spec)
    config = str(ctx.redocly_config)
    return [
        row(ctx, "lint", "openapi-spec-validator", spec, [p], LINT_EXITS),
        row(ctx, "lint", "redocly", spec, ["lint", "--config", config, p], LINT_EXITS),
        row(ctx, "lint", APISMITH, spec, ["lint", p], LINT_EXITS),
    ]


def generate_rows(ctx: Context) -> list[Row]:
    rows: list[Row] = []
    for spec in (ctx.github, *ctx.shipped):
        p = spec_arg(spec)
        opc, dmc, ours, pure = (
            ctx.scratch / "generate" / f"{tool}--{spec.name}"
            for tool in ("openapi-python-client", "datamodel-codegen", APISMITH, APISMITH_PURE)
        )
        rows += [
            row(
                ctx,
                "generate",
                "openapi-python-client",
                spec,
                ["generate", "--path", p, "--output-path", str(opc), "--overwrite"],
                out_dir=opc,
            ),
            row(
                ctx,
                "generate",
                "datamodel-codegen",
                spec,
                ["--input", p, "--input-file-type", "openapi", "--output", str(dmc / "models.py")],
                out_dir=dmc,
            ),
            row(ctx, "generate", APISMITH, spec, ["generate", p, "-o", str(ours)], out_dir=ours),
            row(
                ctx, "generate", APISMITH_PURE, spec, ["generate", p, "-o", str(pure)], out_dir=pure
            ),
        ]
    return rows


def scale_rows(ctx: Context) -> list[Row]:
    """``apismith generate`` on GitHub's description cut to 1/4, 1/2 and all of its paths:
    time and memory should grow no faster than the spec."""
    rows: list[Row] = []
    for spec in ctx.scale:
        out = ctx.scratch / "scale" / f"{APISMITH}--{spec.name}"
        args = ["generate", spec_arg(spec), "-o", str(out)]
        rows.append(row(ctx, "scale", APISMITH, spec, args, out_dir=out))
    return rows


SUITES: dict[str, Callable[[Context], list[Row]]] = {
    "lint": lint_rows,
    "generate": generate_rows,
    "scale": scale_rows,
}


def row(
    ctx: Context,
    suite: str,
    tool: str,
    spec: Input,
    args: list[str],
    ok_exit_codes: frozenset[int] = frozenset({0}),
    out_dir: Path | None = None,
) -> Row:
    """A row running ``tool`` with ``args``, or a skipped row saying what is missing."""
    executable = ctx.tools.get(tool)
    skip = None
    if spec.path is None:
        skip = spec.missing or "input unavailable"
    elif executable is None:
        skip = ctx.unavailable.get(tool, f"{tool} unavailable")
    return Row(
        suite, tool, spec.name, (str(executable or tool), *args), ok_exit_codes, out_dir, skip
    )


def spec_arg(spec: Input) -> str:
    return str(spec.path) if spec.path else spec.name


# The tools each suite runs: the harness installs only the peers a run needs.
SUITE_TOOLS: dict[str, frozenset[str]] = {
    "lint": frozenset({"openapi-spec-validator", "redocly", APISMITH}),
    "generate": frozenset({"openapi-python-client", "datamodel-codegen", APISMITH, APISMITH_PURE}),
    "scale": frozenset({APISMITH}),
}


def tools_for(suite_names: list[str]) -> frozenset[str]:
    """The tools (apismith included) that the chosen suites run."""
    return frozenset().union(*(SUITE_TOOLS[name] for name in suite_names))
