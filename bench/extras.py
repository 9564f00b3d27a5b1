"""Suites that report more than a timing table: ``lint-diff``, ``jsonl``, ``mock``, ``output``.

Each takes the run's ``Context`` and ``Settings`` and returns a ``Section``: Markdown
printed after the main table, the rows it measured (if any) and its figures for JSON.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench import jsonl, lintdiff, mockbench, output
from bench.progress import Say
from bench.report import Result, table
from bench.runner import run_row, with_tool_on_path
from bench.suites import APISMITH, Context


@dataclass(frozen=True, slots=True)
class Settings:
    runs: int
    timeout_s: float
    workdir: Path
    env: dict[str, str]
    say: Say


@dataclass(frozen=True, slots=True)
class Section:
    suite: str
    markdown: str
    data: dict[str, Any]
    results: list[Result] = field(default_factory=list)


def lint_diff(ctx: Context, settings: Settings) -> Section:
    """apismith's example findings on GitHub's spec against Redocly's two example rules."""
    suite = "lint-diff"
    spec = ctx.github.path
    redocly, ours = ctx.tools.get("redocly"), ctx.tools.get(APISMITH)
    missing = (
        ctx.github.missing
        if spec is None
        else ctx.unavailable.get("redocly", "redocly unavailable")
        if redocly is None
        else ctx.unavailable.get(APISMITH, "apismith unavailable")
        if ours is None
        else None
    )
    if missing or spec is None or redocly is None or ours is None:
        return Section(suite, f"skipped: {missing}\n", {"skipped": missing})
    folder = settings.workdir / suite
    folder.mkdir(parents=True, exist_ok=True)
    commands = {
        "redocly": [
            str(redocly),
            "lint",
            "--config",
            str(ctx.redocly_config),
            "--format",
            "json",
            "--max-problems",
            "1000000",
            str(spec),
        ],
        APISMITH: [str(ours), "lint", "--format", "json", str(spec)],
    }
    reports: dict[str, Any] = {}
    for tool, argv in commands.items():
        settings.say(f"{suite}: {tool} lint --format json")
        out, log = folder / f"{tool}.json", folder / f"{tool}.log"
        try:
            with out.open("wb") as sink, log.open("wb") as err:
                subprocess.run(
                    argv,
                    stdin=subprocess.DEVNULL,
                    stdout=sink,
                    stderr=err,
                    env=with_tool_on_path(settings.env, argv[0]),
                    timeout=settings.timeout_s,
                    check=False,
                )
            reports[tool] = lintdiff.load_json(out.read_text(encoding="utf-8"))
        except (OSError, subprocess.TimeoutExpired, ValueError) as error:
            reason = f"{tool} gave no JSON report: {error}"
            return Section(suite, f"failed: {reason}\n", {"failed": reason})
    document = json.loads(spec.read_bytes())
    summary, examples = lintdiff.differential(reports[APISMITH], reports["redocly"], document)
    data = {
        "summary": summary,
        "examples": lintdiff.details(examples),
        "commands": commands,
    }
    text = (
        f"Example findings on {ctx.github.name}: apismith `example/*` against Redocly's "
        f"{' and '.join(sorted(lintdiff.REDOCLY_RULES))}, by example (its defining JSON pointer).\n\n"
        + lintdiff.markdown(summary)
    )
    return Section(suite, text, data)


def jsonl_suite(ctx: Context, settings: Settings) -> Section:
    """``apismith validate --jsonl`` payloads per second, beside the jsonschema library."""
    folder = ctx.scratch / jsonl.SUITE
    settings.say(f"{jsonl.SUITE}: writing payload files (once) into {folder}")
    rows, lines = jsonl.rows(ctx, folder)
    results = [
        run_row(
            row,
            runs=settings.runs,
            timeout_s=settings.timeout_s,
            workdir=settings.workdir,
            env=settings.env,
            say=settings.say,
        )
        for row in rows
    ]
    figures = jsonl.throughput(results, lines)
    text = (
        "Whole-process throughput on the Gotham request example, one payload a line "
        f"(one invalid line in every {jsonl.INVALID_EVERY:,}):\n\n"
        + table(results)
        + "\n"
        + jsonl.markdown(figures)
    )
    return Section(jsonl.SUITE, text, {"figures": figures}, results)


def mock_suite(ctx: Context, settings: Settings) -> Section:
    """``apismith mock`` against Prism under wrk, one after the other."""
    spec = jsonl.gotham_spec(ctx)
    if spec is None or spec.path is None:
        return Section(mockbench.SUITE, "skipped: spec/gotham-inbox.yaml missing\n", {})
    folder = settings.workdir / mockbench.SUITE
    folder.mkdir(parents=True, exist_ok=True)
    wrk = mockbench.find_wrk()
    servers: list[mockbench.ServerFigures] = []
    for tool in (APISMITH, "prism"):
        executable = ctx.tools.get(tool)
        if executable is None:
            figures = mockbench.ServerFigures(tool, [])
            figures.status = ctx.unavailable.get(tool, f"{tool} unavailable")
            servers.append(figures)
            continue
        port = mockbench.free_port()
        if tool == APISMITH:
            # --quiet: no line per request, as Prism's -v error
            argv = [str(executable), "mock", str(spec.path), "--host", mockbench.HOST]
            argv += ["--port", str(port), "--quiet"]
        else:
            argv = [str(executable), "mock", "-p", str(port), "-h", mockbench.HOST]
            argv += ["-v", "error", str(spec.path)]
        settings.say(
            f"{mockbench.SUITE}: {tool} on port {port}, wrk {' '.join(mockbench.WRK_ARGS)}"
        )
        env = with_tool_on_path(settings.env, str(executable))
        servers.append(
            mockbench.measure_server(
                tool, argv, port, spec.path, wrk, folder, env, hostile=tool == APISMITH
            )
        )
    head = (
        f"wrk {' '.join(mockbench.WRK_ARGS)} POSTing the Gotham request example "
        "(?preview=true, a bearer token) to each server on 127.0.0.1, one server at a time"
        + ("" if wrk else "; wrk is not installed (apt-get install wrk), so no figures")
        + ":\n\n"
    )
    return Section(
        mockbench.SUITE, head + mockbench.markdown(servers), {"servers": mockbench.as_json(servers)}
    )


def output_suite(ctx: Context, settings: Settings) -> Section:
    """The generated GitHub client's targets: completeness, names, ruff, mypy, import time."""
    text, data = output.check(
        ctx,
        timeout_s=settings.timeout_s,
        logs=settings.workdir / output.SUITE,
        env=settings.env,
        say=settings.say,
    )
    return Section(output.SUITE, text, data)


# output and lint-diff run last: they load GitHub's description into this process, and a
# child's ru_maxrss starts from its parent's high-water mark (Linux keeps it across exec),
# so a row measured after them would report at least this process's peak.
EXTRAS: dict[str, Callable[[Context, Settings], Section]] = {
    "jsonl": jsonl_suite,
    "mock": mock_suite,
    "output": output_suite,
    "lint-diff": lint_diff,
}

# The tools each of these suites runs (the harness installs only the peers a run needs).
EXTRA_TOOLS: dict[str, frozenset[str]] = {
    "lint-diff": frozenset({"redocly", APISMITH}),
    "jsonl": frozenset({APISMITH}),
    "mock": frozenset({"prism", APISMITH}),
    "output": frozenset({APISMITH}),
}
