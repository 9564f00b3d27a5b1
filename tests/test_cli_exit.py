"""The console script ends quickly (no heap teardown) without losing output or exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from apismith import cli

LINT_SPECS = Path(__file__).parent / "specs" / "lint"


def apismith(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "apismith", *args], capture_output=True, text=True, timeout=60
    )


def test_output_is_flushed_and_the_exit_code_kept() -> None:
    result = apismith("lint", str(LINT_SPECS / "example-invalid.yaml"), "--format", "json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report and "Traceback" not in result.stderr


def test_usage_errors_and_version_keep_their_exit_codes() -> None:
    unknown = apismith("no-such-command")
    assert unknown.returncode == 2 and "No such command" in unknown.stderr
    version = apismith("--version")
    assert version.returncode == 0 and version.stdout.startswith("apismith, version")


def test_with_other_threads_alive_it_exits_as_usual(monkeypatch: pytest.MonkeyPatch) -> None:
    def command() -> None:
        raise SystemExit(3)

    monkeypatch.setattr(cli, "main", command)
    release = threading.Event()
    waiting = threading.Thread(target=release.wait)
    waiting.start()
    try:
        with pytest.raises(SystemExit) as leaving:
            cli.run()
    finally:
        release.set()
        waiting.join()
    assert leaving.value.code == 3
