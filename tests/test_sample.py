"""Values made up from schemas: what the mock answers for a response without an example."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest

from apismith.mock.app import build_app
from apismith.sample import sample

NO_EXAMPLES = Path(__file__).parent / "specs" / "mock" / "no-examples.yaml"


@pytest.mark.parametrize(
    "schema",
    [
        {
            "type": "object",
            "required": ["a", "b"],
            "properties": {"a": {"type": "integer", "minimum": 3}, "b": {"const": "x"}},
        },
        {
            "type": "array",
            "minItems": 2,
            "items": {"type": "string", "format": "date", "minLength": 4},
        },
        {"anyOf": [{"type": "boolean"}, {"type": "string"}]},
        {"type": ["null", "number"], "exclusiveMinimum": 0},
        {
            "allOf": [
                {"type": "object", "required": ["a"]},
                {"required": ["b"], "properties": {"b": {"enum": [2, 3]}}},
            ]
        },
        {
            "$ref": "#/$defs/tree",
            "$defs": {
                "tree": {
                    "type": "object",
                    "properties": {"kids": {"type": "array", "items": {"$ref": "#/$defs/tree"}}},
                }
            },
        },
    ],
)
def test_a_sample_is_valid_for_its_schema(schema: dict[str, Any]) -> None:
    jsonschema.validate(sample(schema), schema, cls=jsonschema.Draft202012Validator)


def test_the_mock_answers_a_response_without_example_with_a_valid_body() -> None:
    async def call() -> httpx.Response:
        transport = httpx.ASGITransport(app=build_app(NO_EXAMPLES, log=lambda line: None))
        async with httpx.AsyncClient(transport=transport, base_url="http://mock") as client:
            return await client.get("/orders/42")

    response = asyncio.run(call())
    assert response.status_code == 200
    order = response.json()
    assert set(order) == {"id", "placed", "status", "lines", "total"}
    assert order["status"] == "open" and order["total"] == 1
    assert order["lines"] == [{"quantity": 1, "sku": "string"}]
