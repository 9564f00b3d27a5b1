"""Shared fixtures of the test suite."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from coverage_support import RecordingServer, recording_server


@pytest.fixture(scope="session")
def _coverage_server_session() -> Iterator[RecordingServer]:
    with recording_server() as server:
        yield server


@pytest.fixture
def coverage_server(_coverage_server_session: RecordingServer) -> Iterator[RecordingServer]:
    """A real HTTP server on 127.0.0.1 that records requests and sends queued answers."""
    _coverage_server_session.reset()
    yield _coverage_server_session
    _coverage_server_session.reset()
