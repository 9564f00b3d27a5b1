"""Running the mock with uvicorn: one process, SIGINT/SIGTERM stop it cleanly."""

from __future__ import annotations

import contextlib
import signal
import socket
import threading
import time
from collections.abc import Iterator
from types import FrameType

import uvicorn

from apismith.mock.app import MockApp


def config(app: MockApp, host: str = "127.0.0.1", port: int = 4010) -> uvicorn.Config:
    """uvicorn settings for the mock: its own one-line-per-request log, no access log."""
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        lifespan="on",
        server_header=False,
        date_header=False,
    )


def serve(app: MockApp, host: str = "127.0.0.1", port: int = 4010) -> None:
    """Serve until SIGINT or SIGTERM: uvicorn stops accepting, finishes the requests in
    flight and returns. It then raises the signal again for the handlers it found; the
    ones set here ignore it, so the command ends normally (exit status 0)."""
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, _stopped)
    uvicorn.Server(config(app, host, port)).run()


def _stopped(signum: int, frame: FrameType | None) -> None:
    """The signal was handled by the graceful shutdown already."""


@contextlib.contextmanager
def running(app: MockApp, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Serve in a background thread for the duration of a ``with`` block; yields the base
    URL (``port=0`` picks a free port). For tests that need a real HTTP server."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    server = uvicorn.Server(config(app, host, sock.getsockname()[1]))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            sock.close()
            raise RuntimeError("the mock server did not start")
        time.sleep(0.01)
    try:
        yield f"http://{host}:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
