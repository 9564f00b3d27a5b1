"""Coverage: nullable members, as OpenAPI 3.0 ``nullable: true`` and as 3.1 type arrays."""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest
from coverage_support import RecordingServer, generated_package, problem_pointers

SPECS = {
    "3.0": ("nullable-30.yaml", "Nullable30Client"),
    "3.1": ("nullable-31.yaml", "Nullable31Client"),
}
ALL_NULL: dict[str, Any] = {
    "name": "Ann",
    "nickname": None,
    "age": None,
    "aliases": None,
    "mood": None,
    "address": None,
}
ALL_SET: dict[str, Any] = {
    "name": "Ann",
    "nickname": "A",
    "age": 40,
    "aliases": ["Annie"],
    "mood": "happy",
    "address": {"city": "Oslo"},
}


@pytest.fixture(scope="module", params=sorted(SPECS))
def pkg(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ModuleType]:
    spec, _ = SPECS[request.param]
    with generated_package(spec, tmp_path_factory.mktemp("nullable")) as module:
        setattr(module, "client_class", getattr(module, SPECS[request.param][1]))  # noqa: B010
        yield module


@pytest.fixture
def client(pkg: ModuleType, coverage_server: RecordingServer) -> Iterator[Any]:
    with pkg.client_class(base_url=coverage_server.base_url) as opened:
        yield opened


def test_null_is_read_and_kept(pkg: ModuleType) -> None:
    profile = pkg.models.Profile.model_validate(ALL_NULL)
    assert profile.nickname is None and profile.age is None and profile.address is None
    assert profile.to_json_data() == ALL_NULL


def test_values_are_read_as_usual(pkg: ModuleType) -> None:
    profile = pkg.models.Profile.model_validate(ALL_SET)
    assert isinstance(profile.address, pkg.models.Address)
    assert profile.mood == "happy" and profile.mood is not None and profile.mood.value == "happy"
    assert profile.to_json_data() == ALL_SET


def test_a_required_nullable_member_is_still_required(pkg: ModuleType) -> None:
    with pytest.raises(ValueError):
        pkg.models.Profile.model_validate({"name": "Ann"})


def test_null_where_not_nullable_is_an_error(pkg: ModuleType) -> None:
    with pytest.raises(ValueError):
        pkg.models.Profile.model_validate({"name": None, "nickname": None})


def test_null_is_sent_and_omitted_members_are_not(
    client: Any, coverage_server: RecordingServer
) -> None:
    coverage_server.answer(200, ALL_NULL)
    result = client.profiles.Profiles.save_profile(
        name="Ann", nickname=None, age=None, aliases=None, mood=None, address=None
    )
    assert coverage_server.last.json() == ALL_NULL
    assert result.to_json_data() == ALL_NULL
    client.profiles.Profiles.save_profile(name="Ann", nickname=None)
    assert coverage_server.last.json() == {"name": "Ann", "nickname": None}
    client.profiles.Profiles.save_profile(**ALL_SET)
    assert coverage_server.last.json() == ALL_SET


def test_null_where_not_nullable_is_refused(
    pkg: ModuleType, client: Any, coverage_server: RecordingServer
) -> None:
    with pytest.raises(pkg.RequestValidationError) as caught:
        client.profiles.Profiles.save_profile(name=None, nickname="A", mood="angry")
    assert {"/name", "/mood"} <= problem_pointers(caught.value)
    assert coverage_server.requests == []


def test_reference_to_a_nullable_model(pkg: ModuleType) -> None:
    data: dict[str, Any] = {"name": "Ann", "nickname": None, "manager": None}
    assert pkg.models.Profile.model_validate(data).to_json_data() == data
    data = {"name": "Ann", "nickname": None, "manager": {"id": "m1"}}
    assert isinstance(pkg.models.Profile.model_validate(data).manager, pkg.models.Manager)
