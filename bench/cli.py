"""``python -m bench [SUITE ...]``: prepare inputs and peers, measure, print the table."""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path

from bench import compiled, inputs, peers
from bench.cache import cache_dir
from bench.extras import EXTRA_TOOLS, EXTRAS, Section, Settings
from bench.progress import Say, reporter
from bench.report import as_json, table
from bench.runner import command_env, empty_trash, run_rows
from bench.suites import (
    APISMITH,
    APISMITH_PURE,
    REDOCLY_CONFIG,
    SUITES,
    Context,
    Row,
    tools_for,
)

REPO = Path(__file__).resolve().parents[1]
DEFAULT_RUNS = 3
DEFAULT_TIMEOUT_S = 600.0
QUICK_TIMEOUT_S = 180.0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m bench",
        description="Benchmark apismith against its peers; prints a Markdown table.",
    )
    p.add_argument(
        "suites",
        nargs="*",
        default=["all"],
        choices=[*SUITES, *EXTRAS, "all", "prepare"],
        help="suites to run (default: all); 'prepare' only fetches inputs and installs peers",
    )
    p.add_argument(
        "--runs", type=int, help=f"runs per row (default {DEFAULT_RUNS}; 1 with --quick)"
    )
    p.add_argument(
        "--timeout",
        type=float,
        help=f"seconds before a command is stopped (default {DEFAULT_TIMEOUT_S:g}; "
        f"{QUICK_TIMEOUT_S:g} with --quick)",
    )
    p.add_argument("--quick", action="store_true", help="one run per row and a shorter time limit")
    p.add_argument("--json", type=Path, metavar="FILE", help="also write every figure as JSON")
    p.add_argument(
        "--cache", help="cache folder (default $APISMITH_BENCH_CACHE or ~/.cache/apismith-bench)"
    )
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    runs = args.runs or (1 if args.quick else DEFAULT_RUNS)
    timeout_s = args.timeout or (QUICK_TIMEOUT_S if args.quick else DEFAULT_TIMEOUT_S)
    if runs < 1 or timeout_s <= 0:
        parser().error("--runs and --timeout must be positive")
    names = list(SUITES) if "all" in args.suites else [s for s in args.suites if s in SUITES]
    extras = list(EXTRAS) if "all" in args.suites else [s for s in args.suites if s in EXTRAS]
    prepare_all = "all" in args.suites or "prepare" in args.suites
    say = reporter()
    cache = cache_dir(args.cache)
    cache.mkdir(parents=True, exist_ok=True)

    github = inputs.github_spec(cache, say)
    wanted = tools_for(names).union(*(EXTRA_TOOLS[name] for name in extras))
    installed = [
        peers.install(peer, cache, say)
        for peer in peers.PEERS
        if prepare_all or peer.name in wanted
    ]
    for item in installed:
        if item.executable is None:
            say(f"{item.peer.name}: {item.error}")
    if not names and not extras:
        say(f"prepared in {cache}")
        return 0

    ctx = context(cache, github, installed, say, scale="scale" in names)
    rows: list[Row] = [row for name in names for row in SUITES[name](ctx)]
    workdir = cache / "runs"
    env = command_env()
    results = run_rows(rows, runs=runs, timeout_s=timeout_s, workdir=workdir, env=env, say=say)
    if rows:
        sys.stdout.write(table(results))
        print(
            "\nvs apismith: the tool's median wall time over apismith's on the same input (2.00x: twice as long)."
            f"\n{APISMITH}: the compiled wheel a release ships; {APISMITH_PURE}: the same sources, not compiled."
        )
    settings = Settings(runs, timeout_s, workdir, env, say)
    sections: list[Section] = []
    for name in extras:
        section = EXTRAS[name](ctx, settings)
        sections.append(section)
        sys.stdout.write(f"\n## {name}\n\n{section.markdown}")
    empty_trash(workdir)
    if args.json:
        meta = metadata(runs, timeout_s, cache, installed)
        data = as_json(results + [r for section in sections for r in section.results], meta)
        data["sections"] = {section.suite: section.data for section in sections}
        args.json.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        say(f"results written to {args.json}")
    return 0


def context(
    cache: Path,
    github: inputs.Input,
    installed: list[peers.Installed],
    say: Say,
    *,
    scale: bool = False,
) -> Context:
    """Where everything is. ``apismith`` is the compiled wheel a release ships (built
    into the cache when the sources changed); ``apismith-pure-python`` is the project's
    editable install, measured beside it in the generate suite."""
    config = cache / "redocly.yaml"
    config.write_text(REDOCLY_CONFIG, encoding="utf-8")
    tools: dict[str, Path | None] = {item.peer.name: item.executable for item in installed}
    unavailable = {
        item.peer.name: f"not installed: {item.error}" for item in installed if item.error
    }
    pure = apismith_executable()
    tools[APISMITH_PURE] = pure
    if pure is None:
        unavailable[APISMITH_PURE] = "apismith not found (run make bench, which installs .venv)"
    try:
        tools[APISMITH] = compiled.install(cache, say)
    except compiled.BuildError as error:
        tools[APISMITH] = None
        unavailable[APISMITH] = str(error)
    return Context(
        tools=tools,
        github=github,
        shipped=tuple(inputs.shipped_specs(REPO)),
        scratch=cache / "scratch",
        redocly_config=config,
        unavailable=unavailable,
        scale=tuple(inputs.github_cuts(github)) if scale else (),
    )


def apismith_executable() -> Path | None:
    """The ``apismith`` beside the running interpreter (the project's .venv), else on PATH."""
    for candidate in (Path(sys.executable).parent / APISMITH, REPO / ".venv" / "bin" / APISMITH):
        if candidate.is_file():
            return candidate
    found = shutil.which(APISMITH)
    return Path(found) if found else None


def metadata(
    runs: int, timeout_s: float, cache: Path, installed: list[peers.Installed]
) -> dict[str, object]:
    return {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "runs": runs,
        "timeout_s": timeout_s,
        "cache": str(cache),
        "github_spec": inputs.GITHUB_PACKAGE,
        "apismith_commit": tool_version(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"]),
        "apismith": tool_version([str(apismith_executable() or APISMITH), "--version"]),
        "apismith_build": f"{APISMITH}: the compiled wheel; {APISMITH_PURE}: the editable install",
        "python": platform.python_version(),
        "node": tool_version(["node", "--version"]),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "peers": {item.peer.name: peers.version_of(item) for item in installed},
    }


def tool_version(argv: list[str]) -> str | None:
    """What a command prints on stdout (a version, a commit), or None."""
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() or None
