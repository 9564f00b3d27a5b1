"""The shipped generated packages pass ruff and mypy --strict, tests included."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from apismith.write import ruff_binary

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("gotham", "private_messages", "shift_messages")


@pytest.mark.parametrize("package", PACKAGES)
@pytest.mark.parametrize("command", [["check"], ["format", "--check"]])
def test_ruff_is_clean(package: str, command: list[str]) -> None:
    result = subprocess.run(
        [ruff_binary(), *command, "--no-cache", "."],
        cwd=ROOT / "generated" / package,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("package", PACKAGES)
def test_mypy_strict_is_clean(package: str, tmp_path: Path) -> None:
    folder = ROOT / "generated" / package
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path), "src", "tests"],
        cwd=folder,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
