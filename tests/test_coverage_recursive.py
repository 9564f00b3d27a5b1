"""Coverage: recursive and mutually recursive schemas."""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest
from coverage_support import RecordingServer, generated_package, problem_pointers

TREE: dict[str, Any] = {
    "value": 1,
    "children": [
        {"value": 2, "children": [{"value": 4}]},
        {"value": 3, "parent": {"value": 1}, "index": {"x": {"value": 5, "children": []}}},
    ],
}
FOLDER: dict[str, Any] = {
    "name": "root",
    "entries": [
        {"title": "a"},
        {"title": "sub", "folder": {"name": "sub", "entries": [{"title": "b"}]}},
    ],
}
EXPRESSION: dict[str, Any] = {"op": "add", "args": [1, {"op": "mul", "args": [2, 3.5]}]}


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    with generated_package("recursive.yaml", tmp_path_factory.mktemp("recursive")) as module:
        yield module


@pytest.fixture
def client(pkg: ModuleType, coverage_server: RecordingServer) -> Iterator[Any]:
    with pkg.RecursiveClient(base_url=coverage_server.base_url) as opened:
        yield opened


def test_self_reference(pkg: ModuleType) -> None:
    tree = pkg.models.TreeNode.model_validate(TREE)
    node = pkg.models.TreeNode
    assert type(tree.children[0].children[0]) is node
    assert type(tree.children[1].index["x"]) is node
    assert type(tree.children[1].parent) is node
    assert tree.to_json_data() == TREE


def test_deep_nesting(pkg: ModuleType) -> None:
    data: dict[str, Any] = {"value": 0}
    for depth in range(1, 60):
        data = {"value": depth, "children": [data]}
    assert pkg.models.TreeNode.model_validate(data).to_json_data() == data


def test_mutual_reference(pkg: ModuleType) -> None:
    folder = pkg.models.Folder.model_validate(FOLDER)
    assert type(folder.entries[1]) is pkg.models.Entry
    assert type(folder.entries[1].folder) is pkg.models.Folder
    assert folder.to_json_data() == FOLDER


def test_recursive_union(pkg: ModuleType, client: Any, coverage_server: RecordingServer) -> None:
    coverage_server.answer(200, EXPRESSION)
    result = client.trees.Trees.evaluate(body=EXPRESSION)
    assert coverage_server.last.json() == EXPRESSION
    assert type(result) is pkg.models.Operation
    assert type(result.args[1]) is pkg.models.Operation
    assert result.to_json_data() == EXPRESSION
    coverage_server.answer(200, 2.5)
    assert client.trees.Trees.evaluate(body=2.5) == 2.5


def test_recursive_requests(pkg: ModuleType, client: Any, coverage_server: RecordingServer) -> None:
    coverage_server.answer(200, TREE)
    assert client.trees.Trees.plant_tree(**TREE).to_json_data() == TREE
    assert coverage_server.last.json() == TREE
    coverage_server.answer(200, FOLDER)
    assert client.trees.Trees.make_folder(**FOLDER).to_json_data() == FOLDER
    assert coverage_server.last.json() == FOLDER


def test_deep_problems_are_located(
    pkg: ModuleType, client: Any, coverage_server: RecordingServer
) -> None:
    with pytest.raises(pkg.RequestValidationError) as caught:
        client.trees.Trees.plant_tree(
            value=1, children=[{"value": 2, "children": [{"value": "x"}]}]
        )
    assert problem_pointers(caught.value) == {"/children/0/children/0/value"}
    with pytest.raises(pkg.RequestValidationError) as caught:
        client.trees.Trees.make_folder(
            name="r", entries=[{"title": "s", "folder": {"entries": []}}]
        )
    assert problem_pointers(caught.value) == {"/entries/0/folder/name"}
    assert coverage_server.requests == []
