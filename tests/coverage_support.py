"""Shared helpers of the schema coverage tests (``tests/test_coverage_*.py``).

Each coverage spec under ``tests/specs/coverage/`` names its own package in
``x-apismith.package``; ``generated_package`` generates it into a temporary folder,
imports it, and forgets it again (``sys.path`` and ``sys.modules``) afterwards.
``RecordingServer`` is a real HTTP server on 127.0.0.1 that records what the generated
clients send and answers with what a test queued.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml

from apismith.generate import Outcome, generate
from apismith.write import ruff_binary

COVERAGE_SPECS = Path(__file__).parent / "specs" / "coverage"


def coverage_specs() -> list[Path]:
    return sorted(COVERAGE_SPECS.glob("*.yaml"))


def package_name(spec: Path) -> str:
    data = yaml.safe_load(spec.read_text("utf-8"))
    return str(data["x-apismith"]["package"])


def generate_checked(spec: Path, output: Path) -> Outcome:
    """Generate ``spec`` into ``output``; fail with the diagnostics when it does not work."""
    outcome = generate(spec, output)
    errors = [d for d in outcome.diagnostics if d.severity.name == "ERROR"]
    assert not outcome.failed, f"{spec.name} did not generate: {errors}"
    return outcome


def assert_compiles_and_passes_ruff(output: Path) -> None:
    """Every module of a generated package compiles, and ``ruff check`` and ``ruff format
    --check`` find nothing."""
    for path in output.rglob("*.py"):
        compile(path.read_bytes(), str(path), "exec")
    for command in (["check"], ["format", "--check"]):
        result = subprocess.run(
            [ruff_binary(), *command, "--no-cache", "--quiet", "."],
            cwd=output,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stdout + result.stderr


@contextmanager
def imported(output: Path, package: str) -> Iterator[ModuleType]:
    """Import the generated ``package`` from ``output/src``; forget it on exit."""
    source = str(output / "src")
    assert package not in sys.modules, f"package name {package!r} is already imported"
    sys.path.insert(0, source)
    try:
        yield importlib.import_module(package)
    finally:
        sys.path.remove(source)
        for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
            del sys.modules[name]


@contextmanager
def generated_package(spec_name: str, folder: Path) -> Iterator[ModuleType]:
    """The package of ``tests/specs/coverage/<spec_name>``, generated and imported."""
    spec = COVERAGE_SPECS / spec_name
    package = package_name(spec)
    output = folder / package
    generate_checked(spec, output)
    with imported(output, package) as module:
        yield module


def problem_pointers(error: BaseException) -> set[str]:
    """The JSON pointers named by a ``RequestValidationError``."""
    problems = getattr(error, "problems", None)
    assert problems is not None, f"{error!r} has no problems"
    return {pointer for pointer, _ in problems}


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class RecordingServer:
    """Answers each request with the next queued (status, JSON body), else 204."""

    base_url: str = ""
    requests: list[Recorded] = field(default_factory=list)
    answers: list[tuple[int, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, status: int, body: Any) -> None:
        with self.lock:
            self.answers.append((status, body))

    def reset(self) -> None:
        with self.lock:
            self.requests.clear()
            self.answers.clear()

    @property
    def last(self) -> Recorded:
        assert self.requests, "no request reached the server"
        return self.requests[-1]

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        with self.lock:
            self.requests.append(
                Recorded(handler.command, handler.path, dict(handler.headers.items()), body)
            )
            status, answer = self.answers.pop(0) if self.answers else (204, None)
        payload = b"" if answer is None else json.dumps(answer).encode("utf-8")
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        handler.wfile.write(payload)


@contextmanager
def recording_server() -> Iterator[RecordingServer]:
    """A ``RecordingServer`` listening on 127.0.0.1 (a free port) in a thread."""
    recorder = RecordingServer()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            recorder._handle(self)

        do_POST = do_PUT = do_PATCH = do_DELETE = do_GET

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    host, port = server.server_address[:2]
    recorder.base_url = f"http://{host!s}:{port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield recorder
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
