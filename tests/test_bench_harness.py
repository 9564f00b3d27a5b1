"""The benchmark harness's pure parts: measuring a command, the table and its ratios.

No network: commands here are tiny ``python -c`` programs.
"""

from __future__ import annotations

import io
import json
import os
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `bench` is a folder at the repository root, not installed
    sys.path.insert(0, str(ROOT))

from bench import runner  # noqa: E402
from bench.compiled import source_digest  # noqa: E402
from bench.inputs import Input  # noqa: E402
from bench.measure import Measurement, Run, run_once  # noqa: E402
from bench.progress import reporter, silent, wanted  # noqa: E402
from bench.report import Result, as_json, ratios, table  # noqa: E402
from bench.runner import (  # noqa: E402
    command_env,
    empty_trash,
    run_row,
    run_rows,
    tail,
    with_tool_on_path,
    written,
)
from bench.suites import (  # noqa: E402
    APISMITH,
    APISMITH_PURE,
    Context,
    Row,
    generate_rows,
    lint_rows,
    tools_for,
)

MIB = 1024 * 1024
TOUCH_200_MIB = "b = b'x' * (200 * 1024 * 1024)"  # bytes * n writes every page: all resident


def python(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def test_peak_rss_is_the_memory_the_command_touched(tmp_path: Path) -> None:
    run = run_once(python(TOUCH_200_MIB), timeout_s=60, log=tmp_path / "log")
    assert run.exit_code == 0
    assert not run.timed_out
    assert 200 <= run.peak_rss_mib < 300


def test_a_small_command_after_a_big_one_reports_its_own_peak(tmp_path: Path) -> None:
    # RUSAGE_CHILDREN would report the big command's peak for both.
    run_once(python(TOUCH_200_MIB), timeout_s=60, log=tmp_path / "big")
    small = run_once(python("pass"), timeout_s=60, log=tmp_path / "small")
    assert small.exit_code == 0
    assert small.peak_rss_mib < 100


def test_the_harness_own_memory_does_not_inflate_a_command(tmp_path: Path) -> None:
    # Linux carries a parent's peak over fork and exec: the launcher keeps it out.
    ballast = b"x" * (300 * MIB)
    small = run_once(python("pass"), timeout_s=60, log=tmp_path / "small")
    assert len(ballast) == 300 * MIB
    assert small.exit_code == 0
    assert small.peak_rss_mib < 100


def test_a_signal_ends_the_run_as_a_signal(tmp_path: Path) -> None:
    run = run_once(
        python("import os, signal; os.kill(os.getpid(), signal.SIGTERM)"),
        timeout_s=60,
        log=tmp_path / "log",
    )
    assert run.exit_code == -15


def test_a_grandchild_counts_towards_the_peak(tmp_path: Path) -> None:
    code = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {TOUCH_200_MIB!r}], check=True)"
    run = run_once(python(code), timeout_s=60, log=tmp_path / "log")
    assert run.exit_code == 0
    assert run.peak_rss_mib >= 200


BURN_CPU = "import time\nwhile time.process_time() < 0.3: pass"


def test_cpu_time_counts_every_process_of_the_command(tmp_path: Path) -> None:
    # two processes each burn 0.3 s of CPU time: the command used at least 0.6 s
    code = (
        "import subprocess, sys\n"
        f"child = subprocess.Popen([sys.executable, '-c', {BURN_CPU!r}])\n"
        f"exec({BURN_CPU!r})\n"
        "child.wait()"
    )
    run = run_once(python(code), timeout_s=60, log=tmp_path / "log")
    assert run.exit_code == 0
    assert run.cpu_s is not None and run.cpu_s >= 0.6


def test_a_waiting_command_uses_less_cpu_time_than_wall_time(tmp_path: Path) -> None:
    run = run_once(python("import time; time.sleep(0.5)"), timeout_s=60, log=tmp_path / "log")
    assert run.cpu_s is not None and run.wall_s >= 0.5
    assert run.cpu_s < run.wall_s - 0.3


def test_output_and_exit_code_are_recorded(tmp_path: Path) -> None:
    log = tmp_path / "log"
    run = run_once(python("import sys; print('12 errors'); sys.exit(3)"), timeout_s=60, log=log)
    assert run.exit_code == 3
    assert log.read_text().strip() == "12 errors"


def measured(row: Row, tmp_path: Path, runs: int, timeout_s: float) -> Measurement:
    [result] = run_rows([row], runs=runs, timeout_s=timeout_s, workdir=tmp_path, env={}, say=silent)
    assert result.measurement is not None
    return result.measurement


def test_a_command_past_its_time_limit_is_stopped_and_not_repeated(tmp_path: Path) -> None:
    row = Row("lint", "sleeper", "api.json", tuple(python("import time; time.sleep(60)")))
    measurement = measured(row, tmp_path, runs=3, timeout_s=0.5)
    assert len(measurement.runs) == 1
    assert measurement.last.timed_out
    assert measurement.last.wall_s < 10
    assert measurement.last.cpu_s is None and measurement.median_cpu_s is None


def test_a_command_that_cannot_start_is_recorded_not_raised(tmp_path: Path) -> None:
    row = Row("lint", "missing", "api.json", (str(tmp_path / "no-such-tool"),))
    measurement = measured(row, tmp_path, runs=3, timeout_s=5)
    measured_runs = measurement.runs
    assert len(measured_runs) == 1
    assert measurement.last.exit_code is None
    assert measurement.last.error is not None and measurement.last.error.startswith("cannot start")
    assert measurement.median_wall_s is None


def test_every_run_is_kept_with_its_log(tmp_path: Path) -> None:
    row = Row("lint", "quiet", "api.json", tuple(python("pass")))
    assert len(measured(row, tmp_path, runs=3, timeout_s=60).runs) == 3
    logs = tmp_path / "lint" / row.slug
    assert sorted(logs.glob("run-*.log")) == [logs / f"run-{i}.log" for i in (1, 2, 3)]


def fake(tool: str, walls: list[float], exit_code: int = 0, suite: str = "lint") -> Result:
    row = Row(suite, tool, "api.json", (tool,), ok_exit_codes=frozenset({0, 1}))
    runs = tuple(Run(wall, 100 * 1024, exit_code, cpu_s=2 * wall) for wall in walls)
    return Result(row, Measurement(runs))


def test_median_and_peak_over_runs() -> None:
    measured = Measurement(
        (Run(3.0, 1024, 0, cpu_s=5.0), Run(1.0, 4096, 0, cpu_s=1.0), Run(2.0, 2048, 0, cpu_s=4.0))
    )
    assert measured.median_wall_s == 2.0
    assert measured.median_cpu_s == 4.0
    assert measured.peak_rss_mib == 4.0


def test_ratio_is_the_peer_median_over_apismith_median_on_the_same_input() -> None:
    results = [fake("redocly", [5.0, 4.0, 6.0], exit_code=1), fake(APISMITH, [2.0, 2.0, 9.0])]
    assert ratios(results) == [2.5, 1.0]


def test_no_ratio_when_apismith_failed_or_a_row_was_skipped() -> None:
    skipped = Result(Row("lint", "redocly", "api.json", ("redocly",), skip="npm not found"), None)
    results = [fake("openapi-spec-validator", [4.0]), skipped, fake(APISMITH, [1.0], exit_code=2)]
    assert ratios(results) == [None, None, None]
    assert [r.outcome for r in results] == ["ok", "skipped", "failed (exit 2)"]


def test_ratios_are_per_suite_and_input() -> None:
    results = [fake(APISMITH, [1.0]), fake("datamodel-codegen", [3.0], suite="generate")]
    assert ratios(results) == [1.0, None]


def test_table_is_markdown_with_one_line_per_row() -> None:
    results = [fake("redocly", [3.0], exit_code=1), fake(APISMITH, [1.5])]
    lines = table(results).splitlines()
    assert lines[0].startswith(
        "| suite | input | tool | wall median (s) | CPU median (s) | peak RSS (MiB) |"
    )
    assert lines[1] == "| --- " * 10 + "|"
    assert (
        lines[2] == "| lint | api.json | redocly | 3.00 | 6.00 | 100 | 1 | ok (exit 1) | 2.00x |  |"
    )
    assert lines[3] == "| lint | api.json | apismith | 1.50 | 3.00 | 100 | 1 | ok | 1.00x |  |"


def test_table_cells_cannot_break_the_table() -> None:
    result = Result(Row("lint", "x", "a|b.json", ("x",), skip="missing"), None, note="a | b\nc")
    assert table([result]).splitlines()[2] == (
        "| lint | a\\|b.json | x | — | — | — | 0 | skipped | — | a \\| b c |"
    )


def test_json_has_every_run() -> None:
    data = as_json([fake(APISMITH, [1.0, 2.0])], {"runs": 2})
    text = json.loads(json.dumps(data))
    assert text["meta"] == {"runs": 2}
    assert text["results"][0]["median_wall_s"] == 1.5
    assert text["results"][0]["median_cpu_s"] == 3.0
    assert [run["wall_s"] for run in text["results"][0]["runs"]] == [1.0, 2.0]
    assert [run["cpu_s"] for run in text["results"][0]["runs"]] == [2.0, 4.0]


def context(tmp_path: Path, **tools: Path | None) -> Context:
    spec = tmp_path / "api.json"
    spec.write_text("{}")
    return Context(
        tools=tools,
        github=Input("api.json", spec),
        shipped=(Input("gone.yaml", None, "input missing: spec/gone.yaml"),),
        scratch=tmp_path / "scratch",
        redocly_config=tmp_path / "redocly.yaml",
        unavailable={"redocly": "not installed: npm not found"},
    )


def test_rows_say_why_they_cannot_run(tmp_path: Path) -> None:
    ctx = context(tmp_path, apismith=Path("/bin/apismith"), redocly=None)
    lint = {row.tool: row for row in lint_rows(ctx)}
    assert lint["redocly"].skip == "not installed: npm not found"
    assert lint["openapi-spec-validator"].skip == "openapi-spec-validator unavailable"
    assert lint[APISMITH].skip is None
    assert lint[APISMITH].argv == ("/bin/apismith", "lint", str(tmp_path / "api.json"))
    generate = generate_rows(ctx)
    assert [row.skip for row in generate if row.input == "gone.yaml"] == [
        "input missing: spec/gone.yaml"
    ] * 4


def test_apismith_generate_is_called_with_spec_and_output(tmp_path: Path) -> None:
    ctx = context(tmp_path, apismith=Path("/bin/apismith"))
    ours = next(row for row in generate_rows(ctx) if row.tool == APISMITH)
    assert ours.out_dir is not None
    assert ours.argv == (
        "/bin/apismith",
        "generate",
        str(tmp_path / "api.json"),
        "-o",
        str(ours.out_dir),
    )
    assert tools_for(["lint"]) == {"openapi-spec-validator", "redocly", APISMITH}


def test_generate_measures_the_compiled_and_the_pure_apismith_apart(tmp_path: Path) -> None:
    ctx = context(tmp_path, apismith=Path("/wheel/apismith"), **{APISMITH_PURE: None})
    rows = {row.tool: row for row in generate_rows(ctx) if row.input == "api.json"}
    assert rows[APISMITH].argv[0] == "/wheel/apismith" and rows[APISMITH].skip is None
    assert rows[APISMITH_PURE].skip == f"{APISMITH_PURE} unavailable"
    assert rows[APISMITH].out_dir != rows[APISMITH_PURE].out_dir
    assert APISMITH_PURE in tools_for(["generate"])


def test_the_compiled_build_is_redone_when_a_source_or_template_changes(tmp_path: Path) -> None:
    for name, text in {
        "pyproject.toml": "[project]\n",
        "generator/apismith/naming.py": "x = 1\n",
        "templates/model.py.jinja": "{{ x }}\n",
    }.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    first = source_digest(tmp_path)
    (tmp_path / "generator" / "apismith" / "__pycache__").mkdir()
    (tmp_path / "generator" / "apismith" / "__pycache__" / "naming.pyc").write_bytes(b"\0")
    assert source_digest(tmp_path) == first  # bytecode is no source
    (tmp_path / "templates" / "model.py.jinja").write_text("{{ y }}\n")
    changed = source_digest(tmp_path)
    assert changed != first
    (tmp_path / "generator" / "apismith" / "naming.py").write_text("x = 2\n")
    assert source_digest(tmp_path) not in {first, changed}


def test_notes_prefer_the_line_that_counts_problems(tmp_path: Path) -> None:
    log = tmp_path / "log"
    log.write_text(
        "x: 1 problem\n❌ Validation failed with 3,381 errors and 529 warnings.\nrun again\n\n"
    )
    assert tail(log) == "❌ Validation failed with 3,381 errors and 529 warnings."
    log.write_text("first\nlast line\n")
    assert tail(log) == "last line"


def test_written_counts_files_and_python_lines(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "a.py").write_text("x = 1\ny = 2\n")
    (tmp_path / "README.md").write_text("hi\n")
    assert written(tmp_path) == "2 files, 2 lines of Python"


def test_the_tool_folder_comes_first_on_path() -> None:
    env = with_tool_on_path({"PATH": "/usr/bin"}, "/peers/x/bin/tool")
    assert env["PATH"] == "/peers/x/bin:/usr/bin"


def test_progress_only_on_a_terminal_and_never_in_ci() -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert wanted(Tty(), {}) is True
    assert wanted(Tty(), {"CI": "true"}) is False
    assert wanted(io.StringIO(), {}) is False
    out = io.StringIO()
    reporter(out, enabled=False)("hidden")
    reporter(out, enabled=True)("shown")
    assert out.getvalue() == "bench: shown\n"


def test_runs_that_disagree_are_named_in_the_note(tmp_path: Path) -> None:
    flip = tmp_path / "flip"
    code = f"import pathlib, sys; p = pathlib.Path({str(flip)!r}); sys.exit(0 if p.exists() else p.touch() or 1)"
    row = Row("generate", "x", "api.json", tuple(python(code)))
    result = run_row(row, runs=2, timeout_s=60, workdir=tmp_path / "runs", env={}, say=silent)
    assert result.outcome == "failed (exit 1)"
    assert result.note == "exit codes 1, 0; (no output)"


def test_earlier_output_is_set_aside_and_only_removed_at_the_end(tmp_path: Path) -> None:
    out = tmp_path / "out"
    marker = "import pathlib, sys; (pathlib.Path(sys.argv[1]) / 'made').write_text('x')"
    row = Row("generate", "x", "api.json", (*python(marker), str(out)), out_dir=out)
    workdir = tmp_path / "runs"
    (out / "stale").mkdir(parents=True)
    result = run_row(row, runs=2, timeout_s=60, workdir=workdir, env={}, say=silent)
    assert result.outcome == "ok"
    assert sorted(p.name for p in out.iterdir()) == ["made"]
    kept = sorted(
        p.relative_to(workdir / "trash").parts[1:] for p in (workdir / "trash").rglob("*")
    )
    assert ("out", "stale") in kept and ("out", "made") in kept
    empty_trash(workdir)
    assert not (workdir / "trash").exists()


def test_every_run_starts_with_earlier_writes_flushed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    journal = tmp_path / "journal"

    def sync() -> None:
        with journal.open("a") as written_to:
            written_to.write("sync ")

    monkeypatch.setattr(runner.os, "sync", sync)
    code = f"open({str(journal)!r}, 'a').write('run ')"
    row = Row("generate", "x", "api.json", tuple(python(code)))
    run_row(row, runs=2, timeout_s=60, workdir=tmp_path / "runs", env={}, say=silent)
    assert journal.read_text().split() == ["sync", "run", "sync", "run"]


def test_measured_commands_may_cache_their_bytecode(monkeypatch: pytest.MonkeyPatch) -> None:
    """A tool runs as installed: a harness started with ``PYTHONDONTWRITEBYTECODE`` must
    not make it compile its modules again on every run."""
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    monkeypatch.setenv("APISMITH_BENCH_PROBE", "kept")
    env = command_env()
    assert "PYTHONDONTWRITEBYTECODE" not in env
    assert env["APISMITH_BENCH_PROBE"] == "kept" and env["NO_COLOR"] == "1"


def test_the_tools_on_one_input_run_in_rounds(tmp_path: Path) -> None:
    """Each tool once, then each again, each round starting one tool further on: a slow
    spell of the machine, or what a tool leaves behind, weighs on all of them alike.
    Another input's rows wait for their own rounds."""
    journal = tmp_path / "journal"

    def writer(tool: str, spec: str) -> Row:
        code = f"open({str(journal)!r}, 'a').write({tool + ' '!r})"
        return Row("generate", tool, spec, tuple(python(code)))

    rows = [writer("a", "x.json"), writer("b", "x.json"), writer("c", "x.json")]
    rows.append(writer("d", "y.json"))
    results = run_rows(rows, runs=3, timeout_s=60, workdir=tmp_path / "runs", env={}, say=silent)
    order = journal.read_text().split()
    assert order == ["a", "b", "c", "b", "c", "a", "c", "a", "b", "d", "d", "d"]
    assert [r.row.tool for r in results] == ["a", "b", "c", "d"]
    assert all(r.measurement is not None and len(r.measurement.runs) == 3 for r in results)


def test_the_wall_time_is_the_commands_own_not_the_launchers(tmp_path: Path) -> None:
    """The launcher (a Python interpreter) starts slowly here; the command does not."""
    slow_start = tmp_path / "site"
    slow_start.mkdir()
    (slow_start / "sitecustomize.py").write_text("import time\ntime.sleep(0.5)\n")
    env = {**os.environ, "PYTHONPATH": str(slow_start)}
    started = time.perf_counter()
    run = run_once(["true"], timeout_s=60, log=tmp_path / "log", env=env)
    assert time.perf_counter() - started >= 0.5  # the launcher did start slowly
    assert run.exit_code == 0 and run.wall_s < 0.4
