"""Coverage: the packages generated from every coverage spec pass ruff and mypy --strict."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from coverage_support import coverage_specs, generate_checked, package_name

from apismith.write import ruff_binary


@pytest.fixture(scope="session")
def coverage_outputs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Every coverage spec generated once into one folder."""
    root = tmp_path_factory.mktemp("coverage-packages")
    outputs = []
    for spec in coverage_specs():
        output = root / package_name(spec)
        generate_checked(spec, output)
        outputs.append(output)
    return outputs


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "RUFF_NO_CACHE": "true"}
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=environment)


def test_every_coverage_spec_is_generated(coverage_outputs: list[Path]) -> None:
    assert len(coverage_outputs) >= 12
    packages = [p.name for p in coverage_outputs]
    assert len(set(packages)) == len(packages)
    for output in coverage_outputs:
        assert (output / "src" / output.name / "py.typed").is_file()


@pytest.mark.parametrize("command", [["check"], ["format", "--check"]], ids=["check", "format"])
def test_ruff(coverage_outputs: list[Path], command: list[str]) -> None:
    failures = []
    for output in coverage_outputs:
        result = _run([ruff_binary(), *command, "--no-cache", "."], output)
        if result.returncode != 0:
            failures.append(f"{output.name}:\n{result.stdout}{result.stderr}")
    assert not failures, "\n".join(failures)


def test_mypy_strict(coverage_outputs: list[Path], tmp_path: Path) -> None:
    config = tmp_path / "mypy.ini"
    config.write_text("[mypy]\nstrict = true\npython_version = 3.10\n", encoding="utf-8")
    sources = [str(output / "src" / output.name) for output in coverage_outputs]
    result = _run(
        [sys.executable, "-m", "mypy", "--config-file", str(config), "--no-incremental", *sources],
        tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
