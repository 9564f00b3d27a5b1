"""Coverage: names colliding with each other, with keywords and builtins, with pydantic's
attributes, and names that are not ASCII."""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType
from typing import Any
from urllib.parse import parse_qsl, unquote

import pytest
from coverage_support import RecordingServer, generated_package

RECORD: dict[str, Any] = {
    "class": "c",
    "from": "f",
    "list": [1, 2],
    "type": "t",
    "model_dump": "md",
    "model_config": "mc",
    "schema": "s",
    "json": "j",
    "copy": True,
    "fields": 3,
    "to_json_data": "tj",
    "model_fields": "mf",
    "self": "me",
    "fooBar": "camel",
    "foo_bar": "snake",
    "Größe": 42,
    "名前": "Namae",
    "1st": "first",
    "_private": "p",
    "id": "i",
}
ATTRIBUTES = {
    "class_": "c",
    "from_": "f",
    "list_": [1, 2],
    "type_": "t",
    "model_dump_": "md",
    "model_config_": "mc",
    "schema_": "s",
    "json_": "j",
    "copy_": True,
    "fields_": 3,
    "to_json_data_": "tj",
    "model_fields_": "mf",
    "self_": "me",
    "foo_bar_": "camel",
    "foo_bar": "snake",
    "groe": 42,
    "field": "Namae",
    "f1st": "first",
    "private": "p",
    "id_": "i",
}


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    with generated_package("names.yaml", tmp_path_factory.mktemp("names")) as module:
        yield module


@pytest.fixture
def client(pkg: ModuleType, coverage_server: RecordingServer) -> Iterator[Any]:
    with pkg.NamesClient(base_url=coverage_server.base_url) as opened:
        yield opened


def test_members_get_safe_distinct_attributes(pkg: ModuleType) -> None:
    record = pkg.models.Record.model_validate(RECORD)
    assert {name: getattr(record, name) for name in ATTRIBUTES} == ATTRIBUTES
    assert record.to_json_data() == RECORD
    assert record.model_dump(by_alias=True) == {**RECORD}
    assert "class_" in pkg.models.Record.model_fields


def test_attribute_names_are_accepted_on_input(pkg: ModuleType) -> None:
    record = pkg.models.Record(**ATTRIBUTES)
    assert record.to_json_data() == RECORD
    assert pkg.models.Record.model_validate_json(record.model_dump_json()).to_json_data() == RECORD


def test_colliding_schema_names_stay_apart(pkg: ModuleType) -> None:
    models = pkg.models
    others = models.Others.model_validate(
        {
            "snake": {"weight": 1.5},
            "pascal": {"name": "n", "size": 2},
            "kebab": {"tag": "t"},
            "dict": {"note": "x"},
            "kind": "a_b",
        }
    )
    assert type(others.pascal) is models.PetInfo
    assert type(others.snake) is models.PetInfo__ and others.snake.weight == 1.5
    assert type(others.kebab) is models.PetInfo_ and others.kebab.tag == "t"
    assert type(others.dict_) is models.PetInfoDict and others.dict_.note == "x"
    assert set(models.PetInfoDict_.__annotations__) == {"name", "size"}
    assert others.kind is models.Kind.A_B_


def test_enum_values_that_collide_or_are_not_ascii(pkg: ModuleType) -> None:
    kind = pkg.models.Kind
    values = ["a-b", "a_b", "", "1", "name", "value", "mro", "None", "True", "grün", "名前"]
    assert [m.value for m in kind] == values
    assert len({m.name for m in kind}) == len(values)
    assert kind("名前").value == "名前" and kind("grün") is kind.GRUN
    assert kind.A_B.value == "a-b"


def test_parameters_and_members_with_colliding_names(
    client: Any, coverage_server: RecordingServer
) -> None:
    coverage_server.answer(200, {"name": "Rex", "size": 3})
    pet = client.pets.Pets.update_pet(
        class_="dog/cat", from_="shop", name="Rex", name_="query-name", groe=5, size=3
    )
    sent = coverage_server.last
    path, _, query = sent.path.partition("?")
    assert path == "/pets/dog%2Fcat"
    assert sorted(parse_qsl(query)) == [("from", "shop"), ("größe", "5"), ("name", "query-name")]
    assert unquote(query)
    assert sent.json() == {"name": "Rex", "size": 3}
    assert pet.to_json_data() == {"name": "Rex", "size": 3}


def test_member_named_like_keywords_in_calls(client: Any, coverage_server: RecordingServer) -> None:
    coverage_server.answer(200, RECORD)
    keywords = {  # keyword arguments only avoid Python's names, not pydantic's
        **{
            k.rstrip("_")
            if k.startswith(("model_", "schema", "json", "copy", "fields", "to_json"))
            else k: v
            for k, v in ATTRIBUTES.items()
        },
        "foo_bar": "camel",
        "foo_bar_": "snake",
    }
    result = client.pets.Pets.put_record(**keywords)
    assert coverage_server.last.json() == RECORD
    assert result.to_json_data() == RECORD
