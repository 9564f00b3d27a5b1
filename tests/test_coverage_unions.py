"""Coverage: oneOf/anyOf, with a discriminator (explicit and implicit mapping) and without."""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pydantic
import pytest
from coverage_support import RecordingServer, generated_package, problem_pointers

CAT = {"petType": "cat", "name": "Tom", "indoor": True}
DOG = {"petType": "dog", "name": "Rex", "barks": False}


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    with generated_package("unions.yaml", tmp_path_factory.mktemp("unions")) as module:
        yield module


@pytest.fixture
def client(pkg: ModuleType, coverage_server: RecordingServer) -> Iterator[Any]:
    with pkg.UnionsClient(base_url=coverage_server.base_url) as opened:
        yield opened


def test_explicit_mapping_chooses_the_variant(
    pkg: ModuleType, client: Any, coverage_server: RecordingServer
) -> None:
    for data, model in ((CAT, pkg.models.Cat), (DOG, pkg.models.Dog)):
        coverage_server.answer(200, {**data, "extra": [1]})
        result = client.pets.Pets.add_pet(body=data)
        assert coverage_server.last.json() == data
        assert type(result) is model
        assert result.to_json_data() == {**data, "extra": [1]}


def test_the_tag_decides_when_variants_overlap(pkg: ModuleType) -> None:
    bird = pydantic.TypeAdapter(pkg.models.Bird)
    duck = bird.validate_python({"species": "duck", "name": "Donald"})
    hen = bird.validate_python({"species": "hen", "name": "Henny"})
    assert (type(duck), type(hen)) == (pkg.models.Duck, pkg.models.Hen)
    assert bird.dump_python(hen, mode="json", by_alias=True) == {"species": "hen", "name": "Henny"}


def test_the_tag_decides_in_a_request_when_variants_overlap(
    client: Any, coverage_server: RecordingServer
) -> None:
    client.pets.Pets.add_bird(body={"species": "hen", "name": "Henny"})
    assert coverage_server.last.json() == {"species": "hen", "name": "Henny"}


def test_implicit_mapping_uses_schema_names(
    pkg: ModuleType, client: Any, coverage_server: RecordingServer
) -> None:
    circle = {"kind": "Circle", "radius": 1.5}
    square = {"kind": "Square", "side": 2.0}
    for data, model in ((circle, pkg.models.Circle), (square, pkg.models.Square)):
        coverage_server.answer(200, data)
        result = client.pets.Pets.add_shape(body=data)
        assert type(result) is model
        assert result.to_json_data() == data
        assert coverage_server.last.json() == data


def test_model_instances_are_accepted_as_the_body(
    pkg: ModuleType, client: Any, coverage_server: RecordingServer
) -> None:
    client.pets.Pets.add_pet(body=pkg.models.Dog.model_validate(DOG))
    assert coverage_server.last.json() == DOG


def test_a_request_matching_no_variant_is_refused(
    pkg: ModuleType, client: Any, coverage_server: RecordingServer
) -> None:
    with pytest.raises(pkg.RequestValidationError):
        client.pets.Pets.add_pet(body={"petType": "dog", "barks": "loud"})
    with pytest.raises(pkg.RequestValidationError):
        client.pets.Pets.add_pet(body={"petType": "bird", "name": "Tweety"})
    with pytest.raises(pkg.RequestValidationError):
        client.pets.Pets.add_shape(body={"kind": "Circle"})
    assert coverage_server.requests == []


def test_problems_in_a_union_name_the_json_path(
    pkg: ModuleType, client: Any, coverage_server: RecordingServer
) -> None:
    with pytest.raises(pkg.RequestValidationError) as caught:
        client.pets.Pets.add_pet(body={"petType": "dog", "name": "Rex", "barks": "loud"})
    assert problem_pointers(caught.value) == {"/barks"}
    with pytest.raises(pkg.RequestValidationError) as caught:
        client.pets.Pets.add_box(content=[1], label="much too long")
    assert problem_pointers(caught.value) == {"/content", "/label"}


@pytest.mark.parametrize(
    ("content", "kind"),
    [("text", str), (7, int), ({"kind": "Circle", "radius": 1.0}, "Circle")],
)
def test_union_without_discriminator(
    pkg: ModuleType, client: Any, coverage_server: RecordingServer, content: Any, kind: Any
) -> None:
    box = {"content": content, "label": ["a", "b"]}
    coverage_server.answer(200, box)
    result = client.pets.Pets.add_box(content=content, label=["a", "b"])
    assert coverage_server.last.json() == box
    expected = getattr(pkg.models, kind) if isinstance(kind, str) else kind
    assert type(result.content) is expected
    assert result.to_json_data() == box


def test_union_without_discriminator_refuses_what_matches_nothing(
    pkg: ModuleType, client: Any, coverage_server: RecordingServer
) -> None:
    with pytest.raises(pkg.RequestValidationError):
        client.pets.Pets.add_box(content=[1], label=["ok"])
    with pytest.raises(pkg.RequestValidationError) as caught:
        client.pets.Pets.add_box(content="fits", label="much too long")
    assert problem_pointers(caught.value) == {"/label"}
    assert coverage_server.requests == []
