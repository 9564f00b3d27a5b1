"""The ``jsonl`` suite: ``apismith validate --jsonl`` throughput on seed-sized payloads.

The payloads are the Gotham request example (``sendMessages``), one per line, with a
few invalid lines mixed in (a message without ``title``, a wrong ``formatStyle``, a
line that is not JSON). Files are written once into the bench cache, never the
repository. Rows: apismith on 1,000,000 lines (throughput and memory) and on 100,000
lines, beside a tiny single-process script using the ``jsonschema`` library on the same
100,000 lines, so the table's ratio compares the two on one input.
"""

from __future__ import annotations

import copy
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.cache import stamp_matches, write_stamp
from bench.gotham import OPERATION, compact, request_example, send_operation
from bench.inputs import Input
from bench.report import Result, row_line
from bench.suites import APISMITH, Context, Row, row

SUITE = "jsonl"
PEER = "jsonschema"
LINES = 1_000_000
PEER_LINES = 100_000
INVALID_EVERY = 10_007  # a prime: invalid lines fall at no round position
STAMP_VERSION = "v1"

# The peer: one process, the jsonschema library, one validator compiled once.
PEER_SCRIPT = """\
import json, sys, yaml
from jsonschema import Draft202012Validator
spec = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
media = spec["paths"][sys.argv[3]]["post"]["requestBody"]["content"]["application/json"]
schema = dict(media["schema"], components=spec["components"])
validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
valid = invalid = 0
with open(sys.argv[2], "rb") as lines:
    for line in lines:
        try:
            payload = json.loads(line)
        except ValueError:
            invalid += 1
            continue
        if next(validator.iter_errors(payload), None) is None:
            valid += 1
        else:
            invalid += 1
print(f"{valid} valid, {invalid} invalid")
"""

COUNTS = re.compile(r"([\d,]+) valid, ([\d,]+) invalid")


def invalid_variants(example: Any) -> list[str]:
    """Lines that must fail: no ``title``, a ``formatStyle`` outside the enum, not JSON."""
    untitled = copy.deepcopy(example)
    untitled["messages"][0].pop("title", None)
    styled = copy.deepcopy(example)
    styled["messages"][0].setdefault("body", {})["formatStyle"] = "HTML"
    text = compact(example)
    return [compact(untitled), compact(styled), text[: len(text) // 2]]


def write_payloads(path: Path, example: Any, lines: int) -> int:
    """Write ``lines`` payloads to ``path`` (atomically); returns how many are invalid."""
    good = compact(example) + "\n"
    bad = [line + "\n" for line in invalid_variants(example)]
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    invalid = 0
    chunk: list[str] = []
    with partial.open("w", encoding="utf-8") as sink:
        for index in range(1, lines + 1):
            if index % INVALID_EVERY == 0:
                chunk.append(bad[invalid % len(bad)])
                invalid += 1
            else:
                chunk.append(good)
            if len(chunk) >= 10_000:
                sink.write("".join(chunk))
                chunk.clear()
        sink.write("".join(chunk))
    partial.replace(path)
    return invalid


def expected_invalid(lines: int) -> int:
    return lines // INVALID_EVERY


@dataclass(frozen=True, slots=True)
class Payloads:
    """A JSONL input and how many of its lines there are."""

    input: Input
    lines: int


def payload_file(folder: Path, spec: Path, lines: int) -> Payloads:
    """The JSONL file of ``lines`` Gotham payloads under ``folder``, written once."""
    name = f"gotham-send.{lines}.jsonl"
    path = folder / name
    stamp = folder / f".{name}.stamp"
    tag = f"{STAMP_VERSION} {lines} {compact(request_example(spec))}"
    if not (path.is_file() and stamp_matches(stamp, tag)):
        write_payloads(path, request_example(spec), lines)
        write_stamp(stamp, tag)
    return Payloads(Input(name, path), lines)


def gotham_spec(ctx: Context) -> Input | None:
    return next((spec for spec in ctx.shipped if spec.name == "gotham-inbox.yaml"), None)


def rows(ctx: Context, folder: Path) -> tuple[list[Row], dict[str, int]]:
    """The suite's rows, and the line count of each input (by name)."""
    spec = gotham_spec(ctx)
    if spec is None or spec.path is None:
        missing = Input("gotham-send.jsonl", None, "input missing: spec/gotham-inbox.yaml")
        return [row(ctx, SUITE, APISMITH, missing, [])], {}
    big = payload_file(folder, spec.path, LINES)
    small = payload_file(folder, spec.path, PEER_LINES)
    script = folder / "jsonschema_peer.py"
    script.write_text(PEER_SCRIPT, encoding="utf-8")
    path, _, _ = send_operation(spec.path)
    either = frozenset({0, 1})

    def ours(payloads: Payloads) -> Row:
        args = ["validate", str(spec.path), "--operation", OPERATION, "--request", "--jsonl"]
        return row(ctx, SUITE, APISMITH, payloads.input, [*args, str(payloads.input.path)], either)

    peer = Row(
        SUITE,
        PEER,
        small.input.name,
        (sys.executable, str(script), str(spec.path), str(small.input.path), path),
    )
    lines = {big.input.name: big.lines, small.input.name: small.lines}
    return [ours(big), ours(small), peer], lines


def throughput(results: Sequence[Result], lines: dict[str, int]) -> list[dict[str, Any]]:
    """Payloads per second (lines over median wall time) and the counts each tool printed."""
    out: list[dict[str, Any]] = []
    for result in results:
        m = result.measurement
        median = m.median_wall_s if m else None
        count = lines.get(result.row.input)
        said = COUNTS.search(result.note)
        out.append(
            {
                "tool": result.row.tool,
                "input": result.row.input,
                "lines": count,
                "median_wall_s": median,
                "payloads_per_s": count / median if count and median else None,
                "peak_rss_mib": m.peak_rss_mib if m else None,
                "valid": int(said.group(1).replace(",", "")) if said else None,
                "invalid": int(said.group(2).replace(",", "")) if said else None,
                "expected_invalid": expected_invalid(count) if count else None,
                "outcome": result.outcome,
            }
        )
    return out


def markdown(figures: Sequence[dict[str, Any]]) -> str:
    columns = ("tool", "input", "payloads/s", "peak RSS (MiB)", "valid / invalid (expected)")
    lines = [row_line(columns), row_line(("---",) * len(columns))]
    for item in figures:
        rate = item["payloads_per_s"]
        rss = item["peak_rss_mib"]
        counts = (
            f"{item['valid']:,} / {item['invalid']:,} ({item['expected_invalid']:,})"
            if item["valid"] is not None
            else item["outcome"]
        )
        lines.append(
            row_line(
                (
                    item["tool"],
                    item["input"],
                    "—" if rate is None else f"{rate:,.0f}",
                    "—" if rss is None else f"{rss:,.0f}",
                    counts,
                )
            )
        )
    return "\n".join(lines) + "\n"
