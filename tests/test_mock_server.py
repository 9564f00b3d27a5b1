"""The mock over real HTTP on 127.0.0.1: the generated contract tests' response checks
pass against it, and ``apismith mock`` stops cleanly on SIGINT and SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from apismith.mock.app import build_app
from apismith.mock.server import running

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = {
    "gotham": ROOT / "spec" / "gotham-inbox.yaml",
    "private_messages": ROOT / "spec" / "private-messages.yaml",
    "shift_messages": ROOT / "spec" / "shift-messages.yaml",
}


@pytest.mark.parametrize("package", sorted(PACKAGES))
def test_generated_response_checks_pass_against_the_mock(package: str) -> None:
    lines: list[str] = []
    with running(build_app(PACKAGES[package], log=lines.append)) as base_url:
        env = {k: v for k, v in os.environ.items() if not k.endswith("_CONTRACT_BASE_URL")}
        env[f"{package.upper()}_CONTRACT_BASE_URL"] = base_url
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "-q",
                "-p",
                "no:cacheprovider",
                "-p",
                "no:xdist",
                "-k",
                "response",
                str(ROOT / "generated" / package / "tests"),
            ],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
            cwd=ROOT,
        )
    assert result.returncode == 0, result.stdout + result.stderr
    assert " passed" in result.stdout and "skipped" not in result.stdout
    passed = int(result.stdout.split(" passed")[0].split()[-1])
    assert passed >= 1
    assert len(lines) == passed  # every case really went to the mock


def test_real_http_round_trip_and_validation() -> None:
    with running(build_app(PACKAGES["shift_messages"], log=lambda _: None)) as base_url:
        client = httpx.Client(base_url=base_url, trust_env=False, timeout=10)
        bad = client.post(
            "/v1/messages",
            json={"addressed_users": ["09dadecb-edbc-44c0-a187-1150e98e6df8"]},
            headers={"Authorization": "Bearer t"},
        )
        unauthorized = client.post("/v1/messages", json={})
        client.close()
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["code"] == 4004
    assert unauthorized.status_code == 401


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_cli_serves_and_stops_cleanly(signum: int) -> None:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "apismith", "mock", str(PACKAGES["gotham"]), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/nowhere", trust_env=False)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.1)
        assert response.status_code == 404
        process.send_signal(signum)
        _, stderr = process.communicate(timeout=15)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, stderr
    assert "GET /nowhere 404" in stderr
    assert "Traceback" not in stderr
