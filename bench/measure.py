"""Run one whole-process command: wall time, CPU time, peak RSS, exit code.

Peak RSS comes from ``os.wait4`` on the command's own process, which reports the
largest resident set of that process and of every descendant it waited for. This
is per command: ``getrusage(RUSAGE_CHILDREN)`` would instead give the maximum over
every child the harness ever ran, so a small command measured after a big one would
inherit the big one's figure. A process started straight from the harness would
still start from the harness's own peak (Linux carries it over through fork and
exec), so each command is started by a small launcher process that spawns it and
reports the command's own peak through a pipe. The same ``wait4`` gives the CPU time
(user and system) of the command and of every descendant it waited for: the work a
tool does, however many processes it spreads it over.

Each command runs in its own session (process group) so that a time-out can stop it
and everything it started, and so that nothing it leaves behind outlives its row.
"""

from __future__ import annotations

import contextlib
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Run:
    """One execution. ``exit_code`` is negative for a signal; None when it never started.
    ``cpu_s`` is None when the command was stopped or never started."""

    wall_s: float
    peak_rss_kib: int
    exit_code: int | None
    timed_out: bool = False
    error: str | None = None
    cpu_s: float | None = None

    @property
    def peak_rss_mib(self) -> float:
        return self.peak_rss_kib / 1024


@dataclass(frozen=True, slots=True)
class Measurement:
    """Every run of one command; the figures the table shows are computed from these."""

    runs: tuple[Run, ...]

    @property
    def started(self) -> list[Run]:
        """The runs whose command started: only they have figures."""
        return [run for run in self.runs if run.exit_code is not None]

    @property
    def median_wall_s(self) -> float | None:
        walls = [run.wall_s for run in self.started]
        return statistics.median(walls) if walls else None

    @property
    def median_cpu_s(self) -> float | None:
        """None unless every started run has its CPU time (a stopped one has none)."""
        times = [run.cpu_s for run in self.started if run.cpu_s is not None]
        return statistics.median(times) if times and len(times) == len(self.started) else None

    @property
    def peak_rss_mib(self) -> float | None:
        peaks = [run.peak_rss_mib for run in self.started]
        return max(peaks) if peaks else None

    @property
    def last(self) -> Run:
        return self.runs[-1]


_LAUNCHER = """
import os, signal, sys, time
report = int(sys.argv[1])
try:
    started = time.perf_counter()
    pid = os.posix_spawnp(sys.argv[2], sys.argv[2:], os.environ)
except OSError as error:
    os.write(report, f"error {error.strerror or error}".encode())
    sys.exit(127)
_, status, usage = os.wait4(pid, 0)
cpu = usage.ru_utime + usage.ru_stime
os.write(report, f"{usage.ru_maxrss} {time.perf_counter() - started!r} {cpu!r}".encode())
code = os.waitstatus_to_exitcode(status)
if code < 0:
    signal.signal(-code, signal.SIG_DFL)
    os.kill(os.getpid(), -code)
sys.exit(code)
"""


def run_once(
    argv: Sequence[str],
    *,
    timeout_s: float,
    log: Path,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> Run:
    """Run ``argv`` once with its output in ``log``; stop it after ``timeout_s`` seconds.

    A small launcher starts the command and reports its peak memory, its CPU time and
    its wall time, from its start to its end: the launcher's own start (a Python
    interpreter, some 17 ms) is no part of any tool's time. A run stopped for its timeout is timed from outside."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as sink:
        read_end, write_end = os.pipe()
        start = time.perf_counter()
        try:
            process = subprocess.Popen(
                [sys.executable, "-c", _LAUNCHER, str(write_end), *argv],
                stdin=subprocess.DEVNULL,
                stdout=sink,
                stderr=subprocess.STDOUT,
                cwd=cwd,
                env=None if env is None else dict(env),
                start_new_session=True,
                pass_fds=(write_end,),
            )
        except OSError as error:
            os.close(read_end)
            return Run(0.0, 0, None, error=f"cannot start: {error.strerror or error}")
        finally:
            os.close(write_end)
        expired = threading.Event()

        def stop() -> None:
            expired.set()
            kill_group(process.pid)

        timer = threading.Timer(timeout_s, stop)
        timer.start()
        try:
            _, status, _ = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - start
    with os.fdopen(read_end, "rb") as pipe:
        report = pipe.read().decode()
    exit_code = os.waitstatus_to_exitcode(status)
    process.returncode = exit_code  # reaped here, not by Popen
    kill_group(process.pid)  # anything the command left running in its session
    if report.startswith("error "):
        return Run(0.0, 0, None, error=f"cannot start: {report[6:]}")
    peak, own_wall, cpu = [*report.split(" "), "", ""][:3]  # empty: the launcher was stopped
    if own_wall:  # the command's own time, from its start to its end: not the launcher's
        wall = float(own_wall)
    return Run(
        wall,
        int(peak) if peak.isdigit() else 0,
        exit_code,
        timed_out=expired.is_set(),
        cpu_s=float(cpu) if cpu else None,
    )


def kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)
