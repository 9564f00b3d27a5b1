"""Coverage: defaults and const."""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest
from coverage_support import RecordingServer, generated_package, problem_pointers


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    with generated_package("defaults-const.yaml", tmp_path_factory.mktemp("dc")) as module:
        yield module


@pytest.fixture
def client(pkg: ModuleType, coverage_server: RecordingServer) -> Iterator[Any]:
    with pkg.DefaultsClient(base_url=coverage_server.base_url) as opened:
        yield opened


def test_defaults_fill_absent_members(pkg: ModuleType) -> None:
    job = pkg.models.Job.model_validate({"kind": "batch", "name": "n"})
    assert (job.retries, job.mode, job.tags, job.ratio) == (3, "safe", [], 0.5)
    assert job.options == {"verbose": False}
    assert job.note is None and job.version is None


def test_defaults_are_not_written_back(pkg: ModuleType) -> None:
    data = {"kind": "batch", "name": "n"}
    assert pkg.models.Job.model_validate(data).to_json_data() == data
    full = {**data, "version": 2, "retries": 0, "mode": "fast", "tags": ["a"], "note": None}
    assert pkg.models.Job.model_validate(full).to_json_data() == full


def test_mutable_defaults_are_not_shared(pkg: ModuleType) -> None:
    first = pkg.models.Job.model_validate({"kind": "batch", "name": "a"})
    first.tags.append("x")
    first.options["verbose"] = True
    second = pkg.models.Job.model_validate({"kind": "batch", "name": "b"})
    assert (second.tags, second.options) == ([], {"verbose": False})


def test_const_members(pkg: ModuleType) -> None:
    assert (
        pkg.models.Job.model_validate({"kind": "batch", "name": "n", "version": 2}).kind == "batch"
    )
    with pytest.raises(ValueError):
        pkg.models.Job.model_validate({"kind": "stream", "name": "n"})
    with pytest.raises(ValueError):
        pkg.models.Job.model_validate({"kind": "batch", "name": "n", "version": 3})


def test_request_sends_only_what_was_given(client: Any, coverage_server: RecordingServer) -> None:
    coverage_server.answer(200, {"kind": "batch", "name": "n"})
    job = client.jobs.Jobs.submit_job(kind="batch", name="n")
    assert coverage_server.last.json() == {"kind": "batch", "name": "n"}
    assert job.retries == 3
    client.jobs.Jobs.submit_job(kind="batch", name="n", retries=0, tags=[], note=None)
    assert coverage_server.last.json() == {
        "kind": "batch",
        "name": "n",
        "retries": 0,
        "tags": [],
        "note": None,
    }


def test_request_breaking_const_is_refused(
    pkg: ModuleType, client: Any, coverage_server: RecordingServer
) -> None:
    with pytest.raises(pkg.RequestValidationError) as caught:
        client.jobs.Jobs.submit_job(kind="stream", name="n", version=3)
    assert problem_pointers(caught.value) == {"/kind", "/version"}
    assert coverage_server.requests == []
