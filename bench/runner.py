"""Measure the rows of a suite and turn each into a ``Result`` with a short note."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from bench.measure import Measurement, Run, run_once
from bench.progress import Say
from bench.report import Result, number
from bench.suites import Row

# Set for every measured command: plain output, and no network calls of the tools' own.
QUIET_ENV = {
    "NO_COLOR": "1",
    "REDOCLY_TELEMETRY": "off",
    "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true",
}
NOTE_CHARS = 100
# A line that counts problems: "Validation failed with 3,381 errors and 529 warnings."
SUMMARY = re.compile(r"\b\d[\d,]* (errors?|warnings?|problems?)\b", re.IGNORECASE)


def command_env() -> dict[str, str]:
    """The environment of every measured command. ``PYTHONDONTWRITEBYTECODE`` is left
    out: each tool runs as installed, its modules' bytecode cached after the first run
    as on a user's machine, instead of compiled again on every run."""
    inherited = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**inherited, **QUIET_ENV}


def with_tool_on_path(env: Mapping[str, str], executable: str) -> dict[str, str]:
    """``env`` with the tool's own bin folder first on PATH, as in its activated venv:
    a tool that runs helpers of its own (openapi-python-client runs ruff) finds them."""
    folder = str(Path(executable).parent)
    return {**env, "PATH": os.pathsep.join([folder, env.get("PATH", os.defpath)])}


def run_row(
    row: Row,
    *,
    runs: int,
    timeout_s: float,
    workdir: Path,
    env: Mapping[str, str],
    say: Say,
) -> Result:
    """Measure ``row`` (or record why it is skipped); logs go to ``<workdir>/<suite>/<slug>``."""
    [result] = run_rows([row], runs=runs, timeout_s=timeout_s, workdir=workdir, env=env, say=say)
    return result


def run_rows(
    rows: Sequence[Row],
    *,
    runs: int,
    timeout_s: float,
    workdir: Path,
    env: Mapping[str, str],
    say: Say,
) -> list[Result]:
    """Measure ``rows``, one ``Result`` each in their order. The rows of one suite and
    input run in rounds (each tool once, then each tool again): whatever the machine
    does meanwhile weighs on every tool alike, and the ratios between them hold. Each
    round starts one tool further on, so no tool always runs right after the same other
    and inherits what it left behind."""
    results: dict[int, Result] = {}
    groups: dict[tuple[str, str], list[int]] = {}
    for index, row in enumerate(rows):
        if row.skip is not None:
            say(f"{row.suite}: {row.tool} on {row.input}: skipped ({row.skip})")
            results[index] = Result(row, None, row.skip)
        else:
            groups.setdefault((row.suite, row.input), []).append(index)
    for members in groups.values():
        measured = [_Measured(rows[i], runs, timeout_s, workdir, env, say) for i in members]
        for round_number in range(1, runs + 1):
            start = (round_number - 1) % len(measured)
            for item in measured[start:] + measured[:start]:
                item.run(round_number)
        results.update((i, item.result()) for i, item in zip(members, measured, strict=True))
    return [results[index] for index in range(len(rows))]


class _Measured:
    """The runs of one row so far."""

    def __init__(
        self,
        row: Row,
        runs: int,
        timeout_s: float,
        workdir: Path,
        env: Mapping[str, str],
        say: Say,
    ) -> None:
        self.row, self.runs, self.timeout_s, self.workdir, self.say = (
            row,
            runs,
            timeout_s,
            workdir,
            say,
        )
        self.env = with_tool_on_path(env, row.argv[0])
        self.logs = workdir / row.suite / row.slug
        self.cwd = workdir / "cwd"
        self.cwd.mkdir(parents=True, exist_ok=True)
        self.done: list[Run] = []

    def run(self, index: int) -> None:
        """Run the command once more, unless an earlier run timed out or could not start:
        repeating either only costs time."""
        if self.done and (self.done[-1].timed_out or self.done[-1].exit_code is None):
            return
        if self.row.out_dir is not None:
            set_aside(self.row.out_dir, self.workdir)
            self.row.out_dir.mkdir(parents=True)
        settle_writes()
        log = self.logs / f"run-{index}.log"
        run = run_once(self.row.argv, timeout_s=self.timeout_s, log=log, cwd=self.cwd, env=self.env)
        self.done.append(run)
        row = self.row
        self.say(
            f"{row.suite}: {row.tool} on {row.input}: run {index}/{self.runs}: "
            f"{run.wall_s:.2f} s, {number(run.cpu_s, 2)} CPU-s, {run.peak_rss_mib:,.0f} MiB, exit {run.exit_code}"
            f"{' (timed out)' if run.timed_out else ''}"
        )

    def result(self) -> Result:
        measurement = Measurement(tuple(self.done))
        note = note_for(self.row, measurement, self.logs, self.timeout_s)
        return Result(self.row, measurement, note.replace(f"{self.workdir.parent}{os.sep}", ""))


TRASH = "trash"
"""Under the work folder: earlier outputs, set aside during the runs, removed at the end."""


def set_aside(folder: Path, workdir: Path) -> None:
    """Move ``folder`` (if it exists) into the work folder's trash instead of deleting it.

    A tool must not pay for the harness's cleanup: ext4 does not reuse the inodes of
    files deleted in the last minute, so creating thousands of files right after
    deleting thousands is measurably slower. The trash goes in ``empty_trash``, once
    every run is over."""
    if not folder.exists():
        return
    trash = workdir / TRASH
    trash.mkdir(parents=True, exist_ok=True)
    folder.rename(Path(tempfile.mkdtemp(prefix=f"{folder.name}-", dir=trash)) / folder.name)


def settle_writes() -> None:
    """Flush what earlier runs wrote (a peer writes thousands of files) to disk, so that
    the kernel's write-back of one tool's output does not run in another tool's time."""
    if hasattr(os, "sync"):
        os.sync()


def empty_trash(workdir: Path) -> None:
    shutil.rmtree(workdir / TRASH, ignore_errors=True)


def note_for(row: Row, measurement: Measurement, logs: Path, timeout_s: float) -> str:
    """A few words on the outcome: why it did not run, files written, or the last line said;
    led by every exit code when the runs did not agree."""
    last = measurement.last
    if last.error is not None:
        return last.error
    if last.timed_out:
        return f"stopped after {timeout_s:g} s"
    codes = [run.exit_code for run in measurement.runs]
    mixed = f"exit codes {', '.join(map(str, codes))}; " if len(set(codes)) > 1 else ""
    if last.exit_code == 0 and row.out_dir is not None:
        return mixed + written(row.out_dir)
    return mixed + tail(logs / f"run-{len(measurement.runs)}.log")


def package_of(output: Path) -> str | None:
    """The import name of the generated package: the one folder of ``src/``."""
    found = sorted(p.parent.name for p in (output / "src").glob("*/__init__.py"))
    return found[0] if found else None


def written(folder: Path) -> str:
    """How much a generator wrote: files, and lines of Python among them."""
    files = [path for path in folder.rglob("*") if path.is_file()]
    lines = 0
    for path in files:
        if path.suffix == ".py":
            with path.open("rb") as file:
                lines += sum(1 for _ in file)
    return f"{len(files):,} file{'s' if len(files) != 1 else ''}, {lines:,} lines of Python"


def tail(log: Path) -> str:
    """The log's last line that counts problems ("... 12 errors ..."), else its last
    non-empty line; shortened."""
    try:
        with log.open("rb") as file:
            file.seek(max(0, file.seek(0, os.SEEK_END) - 4096))
            text = file.read().decode("utf-8", "replace")
    except OSError:
        return ""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    counts = [line for line in lines if SUMMARY.search(line)]
    line = (counts or lines or ["(no output)"])[-1]
    return line if len(line) <= NOTE_CHARS else line[: NOTE_CHARS - 1] + "…"
