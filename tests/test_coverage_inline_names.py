"""Coverage: inline schemas are named deterministically from where they stand."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from coverage_support import (
    COVERAGE_SPECS,
    RecordingServer,
    generate_checked,
    generated_package,
)

from apismith.generate import Outcome
from apismith.write import read_tree

EXPECTED = {
    "ComponentsSchemasOrderPropertiesCustomer",
    "CreateOrderRequest",
    "CreateOrderRequestCustomer",
    "CreateOrderRequestLinesItem",
    "CreateOrderRequestLinesItemState",
    "CreateOrderResponse",
    "CreateOrderResponse400",
    "Order",
    "OrderCustomer",
    "OrderLines",
    "OrderLinesItem",
}


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    with generated_package("inline-names.yaml", tmp_path_factory.mktemp("inline")) as module:
        yield module


@pytest.fixture
def client(pkg: ModuleType, coverage_server: RecordingServer) -> Iterator[Any]:
    with pkg.InlineClient(base_url=coverage_server.base_url) as opened:
        yield opened


def test_inline_schemas_get_names_from_where_they_stand(pkg: ModuleType) -> None:
    classes = {n for n in pkg.models.__all__ if not n.endswith("Dict")}
    assert classes == EXPECTED
    assert set(pkg.models.OrderCustomer.model_fields) == {"vip"}
    assert set(pkg.models.Order.model_fields["customer"].annotation.__args__[0].model_fields) == {
        "name"
    }


def test_inline_schemas_share_the_module_of_their_component_or_operation(
    pkg: ModuleType,
) -> None:
    def module(name: str) -> str:
        return str(getattr(pkg.models, name).__module__).rsplit(".", 1)[-1]

    assert module("ComponentsSchemasOrderPropertiesCustomer") == module("Order") == "order"
    assert module("OrderCustomer") == "order_customer"
    operation = {module(n) for n in EXPECTED if n.startswith("CreateOrder")}
    assert len(operation) == 1
    assert module("OrderLinesItem") == "order_lines"
    assert pkg.models.OrderLines == list[pkg.models.OrderLinesItem]


def test_inline_models_work_in_calls(
    pkg: ModuleType, client: Any, coverage_server: RecordingServer
) -> None:
    coverage_server.answer(200, {"number": 12})
    result = client.orders.Orders.create_order(
        customer={"id": "c"},
        lines=[pkg.models.CreateOrderRequestLinesItem(sku="s", state="open")],
    )
    assert coverage_server.last.json() == {
        "customer": {"id": "c"},
        "lines": [{"sku": "s", "state": "open"}],
    }
    assert type(result) is pkg.models.CreateOrderResponse and result.number == 12
    coverage_server.answer(400, {"reason": "closed"})
    with pytest.raises(pkg.BadRequestError) as caught:
        client.orders.Orders.create_order(customer={"id": "c"}, lines=[])
    assert type(caught.value.body) is pkg.models.CreateOrderResponse400
    assert caught.value.body.reason == "closed"


def _reverse(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _reverse(v) for k, v in reversed(node.items())}
    if isinstance(node, list):
        return [_reverse(v) for v in node]
    return node


def test_names_do_not_depend_on_order(tmp_path: Path) -> None:
    spec = COVERAGE_SPECS / "inline-names.yaml"
    reordered = tmp_path / "reordered.yaml"
    reordered.write_text(
        yaml.safe_dump(_reverse(yaml.safe_load(spec.read_text("utf-8"))), sort_keys=False),
        encoding="utf-8",
    )
    first = _files(generate_checked(spec, tmp_path / "first"))
    again = _files(generate_checked(spec, tmp_path / "again"))
    assert first == again
    other = _files(generate_checked(reordered, tmp_path / "other"))
    assert sorted(p for p in first if "/models/" in p) == sorted(
        p for p in other if "/models/" in p
    )


def test_inline_union_members_are_named_by_what_sets_them_apart() -> None:
    from apismith.build_types import variant_suffixes

    variants = [
        {"title": "plain text", "type": "string"},
        {"type": "object", "properties": {"kind": {"const": "circle"}, "r": {"type": "number"}}},
        {"type": "object", "required": ["width", "id"], "properties": {"width": {}, "id": {}}},
        {"type": "object", "required": ["id"], "properties": {"id": {}}},
        {"type": "object", "required": ["id"], "properties": {"id": {}, "x": {}}},
        {"type": "object", "required": ["id"], "properties": {"id": {}}},
        {"allOf": [{"$ref": "#/components/schemas/rule-creation"}, {"$ref": "#/c/s/info"}]},
        {"allOf": [{"$ref": "#/components/schemas/rule-update"}, {"$ref": "#/c/s/info"}]},
        {"type": "integer"},
    ]
    assert variant_suffixes(variants) == [
        "PlainText",
        "Circle",
        "WithWidth",
        "Variant4",
        "WithX",
        "Variant6",
        "RuleCreation",
        "RuleUpdate",
        "Integer",
    ]
    assert variant_suffixes([{"type": "object"}]) == [""]
    # a tag every form shares tells nothing apart: what each form alone requires does
    action = {"action": {"enum": ["requested"]}}
    assert variant_suffixes(
        [
            {"properties": {**action, "reviewer": {}}, "required": ["action", "reviewer"]},
            {"properties": {**action, "team": {}}, "required": ["action", "team"]},
        ]
    ) == ["WithReviewer", "WithTeam"]
    # the same members, typed differently
    strings = {"type": "array", "items": {"type": "string"}}
    objects = {"type": "array", "items": {"type": "object", "properties": {"name": {}}}}
    assert variant_suffixes(
        [
            {"type": "object", "properties": {"labels": strings}},
            {"type": "object", "properties": {"labels": objects}},
            {"type": "object", "properties": {"labels": {"$ref": "#/components/schemas/label"}}},
        ]
    ) == ["LabelsStringList", "LabelsObjectList", "LabelsLabel"]
    assert variant_suffixes([{"type": "string"}, {"properties": {"id": {}}}]) == [
        "String",
        "WithId",
    ]
    assert variant_suffixes([{"type": "string"}, {"properties": {}}]) == ["String", "Object"]


def _files(outcome: Outcome) -> dict[str, str]:
    return read_tree(outcome.output, outcome.paths)
