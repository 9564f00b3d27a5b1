"""Results as one Markdown table (with each peer's time relative to apismith's) and as JSON."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bench.measure import Measurement
from bench.suites import APISMITH, Row


@dataclass(frozen=True, slots=True)
class Result:
    """A row and what happened: ``measurement`` is None for a skipped row."""

    row: Row
    measurement: Measurement | None
    note: str = ""

    @property
    def outcome(self) -> str:
        if self.measurement is None:
            return "skipped"
        runs = self.measurement.runs
        if any(run.exit_code is None for run in runs):
            return "not started"
        if any(run.timed_out for run in runs):
            return "timed out"
        bad = [run.exit_code for run in runs if run.exit_code not in self.row.ok_exit_codes]
        if bad:
            return f"failed (exit {bad[0]})"
        code = runs[-1].exit_code
        return "ok" if code == 0 else f"ok (exit {code})"

    @property
    def ok(self) -> bool:
        return self.outcome.startswith("ok")


def ratios(results: Sequence[Result]) -> list[float | None]:
    """Each row's median wall time over apismith's on the same suite and input.

    None when either side has no usable figure (skipped, failed, timed out): a ratio
    to a failure would be a number that means nothing.
    """
    ours: dict[tuple[str, str], float] = {}
    for result in results:
        median = result.measurement.median_wall_s if result.measurement else None
        if result.row.tool == APISMITH and result.ok and median:
            ours[(result.row.suite, result.row.input)] = median
    out: list[float | None] = []
    for result in results:
        base = ours.get((result.row.suite, result.row.input))
        median = result.measurement.median_wall_s if result.measurement else None
        out.append(median / base if base and median is not None and result.ok else None)
    return out


COLUMNS = (
    "suite",
    "input",
    "tool",
    "wall median (s)",
    "CPU median (s)",
    "peak RSS (MiB)",
    "runs",
    "outcome",
    "vs apismith",
    "note",
)


def table(results: Sequence[Result]) -> str:
    """The Markdown table; "vs apismith" is the tool's median wall time over apismith's
    (2.0x: the tool takes twice as long as apismith). CPU time is user plus system time
    over every process of the command: beside the wall time, it shows how much of a
    tool's speed comes from spreading its work over the machine's cores."""
    lines = [row_line(COLUMNS), row_line(("---",) * len(COLUMNS))]
    for result, ratio in zip(results, ratios(results), strict=True):
        m = result.measurement
        lines.append(
            row_line(
                (
                    result.row.suite,
                    result.row.input,
                    result.row.tool,
                    number(m.median_wall_s if m else None, 2),
                    number(m.median_cpu_s if m else None, 2),
                    number(m.peak_rss_mib if m else None, 0),
                    str(len(m.runs)) if m else "0",
                    result.outcome,
                    "—" if ratio is None else f"{ratio:.2f}x",
                    result.note,
                )
            )
        )
    return "\n".join(lines) + "\n"


def number(value: float | None, digits: int) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def row_line(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cell.replace("|", "\\|").replace("\n", " ") for cell in cells) + " |"


def as_json(results: Sequence[Result], meta: Mapping[str, Any]) -> dict[str, Any]:
    """Everything measured, run by run, with the table's figures and the run's settings."""
    rows = []
    for result, ratio in zip(results, ratios(results), strict=True):
        m = result.measurement
        rows.append(
            {
                "suite": result.row.suite,
                "tool": result.row.tool,
                "input": result.row.input,
                "command": list(result.row.argv),
                "outcome": result.outcome,
                "note": result.note,
                "median_wall_s": m.median_wall_s if m else None,
                "median_cpu_s": m.median_cpu_s if m else None,
                "peak_rss_mib": m.peak_rss_mib if m else None,
                "ratio_to_apismith": ratio,
                "runs": [
                    {
                        "wall_s": run.wall_s,
                        "cpu_s": run.cpu_s,
                        "peak_rss_mib": run.peak_rss_mib,
                        "exit_code": run.exit_code,
                        "timed_out": run.timed_out,
                        "error": run.error,
                    }
                    for run in (m.runs if m else ())
                ],
            }
        )
    return {"meta": dict(meta), "results": rows}
