"""Shared fixtures of the test suite."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from coverage_support import RecordingServer, recording_server

from apismith.generate import build
from apismith.package import plan_files
from apismith.plan import PlannedFile


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


@pytest.fixture(scope="session")
def unions_plan() -> list[PlannedFile]:
    """The planned files of a small package with long unions: some need ruff's formatter,
    others do not."""
    api, resolver, diagnostics, _ = build(Path(__file__).parent / "specs/coverage/unions.yaml")
    assert api is not None and resolver is not None, diagnostics
    return plan_files(api, resolver)
