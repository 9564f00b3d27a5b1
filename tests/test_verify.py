"""``apismith verify`` against the mock (clean) and against a wrong server (caught)."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from apismith.cli import main
from apismith.mock.app import build_app
from apismith.mock.server import running

ROOT = Path(__file__).resolve().parents[1]
SPECS = sorted((ROOT / "spec").glob("*.yaml"))
GOTHAM = ROOT / "spec" / "gotham-inbox.yaml"
SHIFT = ROOT / "spec" / "shift-messages.yaml"


def run_verify(spec: Path, base_url: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["verify", str(spec), "--base-url", base_url])
    return result.exit_code, result.output


@pytest.mark.parametrize("spec", SPECS, ids=[s.stem for s in SPECS])
def test_the_mock_passes_verify(spec: Path) -> None:
    with running(build_app(spec, log=lambda _: None)) as base_url:
        code, output = run_verify(spec, base_url)
    assert code == 0, output
    assert "FAIL" not in output
    assert output.splitlines()[-1].endswith(", 0 with problems")


@contextlib.contextmanager
def wrong_server(status: int, body: Any) -> Iterator[str]:
    """Answers every request with ``status`` and ``body``, whatever it asked."""
    payload = json.dumps(body).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_an_undocumented_field_type_is_caught() -> None:
    with wrong_server(200, {"responses": [{"sourceId": 12}]}) as base_url:
        code, output = run_verify(GOTHAM, base_url)
    assert code == 1
    assert (
        "FAIL  POST /gotham/v1/inbox/messages sendToGroup -> 200: /responses/0/sourceId:" in output
    )
    assert "12 is not of type" in output


def test_accepting_an_invalid_example_is_caught() -> None:
    envelope = {"meta": {}, "data": [], "time": 0.1}
    with wrong_server(200, envelope) as base_url:
        code, output = run_verify(SHIFT, base_url)
    assert code == 1
    assert "ok    POST /v1/messages messageToTeam -> 200" in output
    assert "usersWithoutText (invalid) -> 200: an example marked invalid was accepted" in output


def test_a_wrong_error_body_is_caught() -> None:
    with wrong_server(400, {"errors": [{"code": "4004"}]}) as base_url:
        code, output = run_verify(SHIFT, base_url)
    assert code == 1
    assert "messageToTeam -> 400: a valid example was refused" in output
    assert "usersWithoutText (invalid) -> 400: /errors/0/code:" in output


def test_no_server_is_a_problem_and_a_bad_spec_is_unreadable(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    code, output = run_verify(GOTHAM, f"http://127.0.0.1:{port}")  # nothing listens
    assert code == 1
    assert "no answer" in output
    code, _ = run_verify(tmp_path / "missing.yaml", f"http://127.0.0.1:{port}")
    assert code == 2
