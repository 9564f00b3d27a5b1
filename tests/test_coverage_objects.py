"""Coverage: objects, arrays, maps, free-form objects; unknown members are kept."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest
from coverage_support import RecordingServer, generated_package, problem_pointers

THING: dict[str, Any] = {
    "name": "lamp",
    "tags": ["light", "desk"],
    "dimensions": {"width": 1.5, "height": 40},
    "labels": {"colour": "red", "room": "study"},
    "counts": {"bulbs": 2},
    "owners": {"main": {"id": "u1", "email": "a@example.com"}, "other": {"id": "u2"}},
    "metadata": {"nested": {"deep": [1, "two", None]}, "flag": True},
    "anything": [1, {"x": None}],
    "matrix": [[1.0, 2.5], [], [3]],
    "parts": [{"sku": "A-1", "quantity": 3}, {"sku": "B-2"}],
}


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    with generated_package("objects.yaml", tmp_path_factory.mktemp("objects")) as module:
        yield module


@pytest.fixture
def client(pkg: ModuleType, coverage_server: RecordingServer) -> Iterator[Any]:
    with pkg.ObjectsClient(base_url=coverage_server.base_url) as opened:
        yield opened


def test_nested_members_become_models(pkg: ModuleType) -> None:
    thing = pkg.models.Thing.model_validate(THING)
    assert isinstance(thing.dimensions, pkg.models.Dimensions)
    assert thing.dimensions.height == 40
    assert isinstance(thing.owners["main"], pkg.models.Owner)
    assert thing.owners["other"].email is None
    assert all(isinstance(part, pkg.models.Part) for part in thing.parts)
    assert thing.labels == {"colour": "red", "room": "study"}
    assert thing.matrix == [[1.0, 2.5], [], [3.0]]
    assert thing.metadata["nested"] == {"deep": [1, "two", None]}


def test_round_trip_is_lossless(pkg: ModuleType) -> None:
    assert pkg.models.Thing.model_validate(THING).to_json_data() == THING
    minimal = {"name": "x", "tags": []}
    assert pkg.models.Thing.model_validate(minimal).to_json_data() == minimal


def test_unknown_members_are_kept_at_every_level(pkg: ModuleType) -> None:
    data = copy.deepcopy(THING)
    data["newTopLevel"] = {"a": [1, 2]}
    data["dimensions"]["depth"] = 7
    data["owners"]["main"]["since"] = "2020"
    data["parts"][1]["colour"] = None
    thing = pkg.models.Thing.model_validate(data)
    assert thing.model_extra == {"newTopLevel": {"a": [1, 2]}}
    assert thing.to_json_data() == data


def test_map_values_are_checked(pkg: ModuleType) -> None:
    with pytest.raises(ValueError):
        pkg.models.Thing.model_validate({"name": "x", "tags": [], "counts": {"a": "many"}})
    with pytest.raises(ValueError):
        pkg.models.Thing.model_validate({"name": "x", "tags": [], "owners": {"o": {}}})


def test_request_sends_the_object_and_reads_the_model(
    pkg: ModuleType, client: Any, coverage_server: RecordingServer
) -> None:
    reply = {**THING, "serverAdded": 1}
    coverage_server.answer(200, reply)
    result = client.things.Things.create_thing(
        name="lamp",
        tags=("light", "desk"),
        dimensions=pkg.models.Dimensions(width=1.5, height=40),
        labels={"colour": "red", "room": "study"},
        counts={"bulbs": 2},
        owners={"main": {"id": "u1", "email": "a@example.com"}, "other": {"id": "u2"}},
        metadata=THING["metadata"],
        anything=[1, {"x": None}],
        matrix=[[1.0, 2.5], [], [3]],
        parts=[pkg.models.Part(sku="A-1", quantity=3), {"sku": "B-2"}],
    )
    sent = coverage_server.last
    assert (sent.method, sent.path) == ("POST", "/things")
    assert sent.headers["Content-Type"] == "application/json"
    assert sent.json() == THING
    assert isinstance(result, pkg.models.Thing)
    assert result.to_json_data() == reply


def test_request_breaking_the_schema_is_refused(
    pkg: ModuleType, client: Any, coverage_server: RecordingServer
) -> None:
    with pytest.raises(pkg.RequestValidationError) as caught:
        client.things.Things.create_thing(
            name="lamp",
            tags=["ok", 5],
            counts={"bulbs": "two"},
            parts=[{"quantity": 1}],
        )
    pointers = problem_pointers(caught.value)
    assert {"/tags/1", "/counts/bulbs", "/parts/0/sku"} <= pointers
    assert coverage_server.requests == []


def test_map_of_models_as_a_whole_body(
    pkg: ModuleType, client: Any, coverage_server: RecordingServer
) -> None:
    catalog = {"a": {"name": "one", "tags": []}, "b": {"name": "two", "tags": ["x"], "new": 1}}
    coverage_server.answer(200, catalog)
    result = client.things.Things.put_catalog(body=catalog)
    assert coverage_server.last.json() == catalog
    assert set(result) == {"a", "b"}
    assert all(isinstance(v, pkg.models.Thing) for v in result.values())
    assert {k: v.to_json_data() for k, v in result.items()} == catalog
    with pytest.raises(pkg.RequestValidationError) as caught:
        client.things.Things.put_catalog(body={"a": {"name": "one"}})
    assert "/a/tags" in problem_pointers(caught.value)


def test_free_form_object_takes_any_json(
    pkg: ModuleType, client: Any, coverage_server: RecordingServer
) -> None:
    settings = {"a": 1, "b": [True, None, {"c": "d"}], "e": {"f": 1.5}}
    coverage_server.answer(200, settings)
    assert client.things.Things.put_settings(body=settings) == settings
    assert coverage_server.last.json() == settings
