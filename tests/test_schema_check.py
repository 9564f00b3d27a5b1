"""The JSON Schema checker generated clients carry, held to the jsonschema library."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location(
    "schema_check_under_test", ROOT / "templates" / "runtime" / "_schema_check.py"
)
assert _spec is not None and _spec.loader is not None
schema_check = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(schema_check)

SCHEMAS: list[Any] = [
    {"type": "object", "required": ["a"], "properties": {"a": {"type": "integer", "minimum": 2}}},
    {
        "type": "array",
        "items": {"type": "string", "maxLength": 3},
        "minItems": 1,
        "uniqueItems": True,
    },
    {"anyOf": [{"type": "string"}, {"type": "integer", "multipleOf": 3}]},
    {"oneOf": [{"type": "number"}, {"type": "integer"}]},
    {"type": "object", "additionalProperties": False, "properties": {"x": {"const": 1}}},
    {"if": {"required": ["t"]}, "then": {"required": ["u"]}, "else": {"maxProperties": 1}},
    {"not": {"type": "null"}, "enum": [1, "1", True, None, [1], {"a": 1}]},
    {"type": ["string", "null"], "pattern": "^a"},
    {
        "$ref": "#/$defs/n",
        "$defs": {"n": {"type": "object", "properties": {"n": {"$ref": "#/$defs/n"}}}},
    },
    {
        "type": "object",
        "patternProperties": {"^x-": {"type": "string"}},
        "additionalProperties": {"type": "integer"},
    },
]

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 5)
    | st.floats(-5, 5, allow_nan=False)
    | st.text("ax-1", max_size=4),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.text("axtun-", max_size=3), children, max_size=3)
    ),
    max_leaves=8,
)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(schema_index=st.integers(0, len(SCHEMAS) - 1), value=JSON)
def test_verdicts_match_jsonschema(schema_index: int, value: Any) -> None:
    schema = SCHEMAS[schema_index]
    expected = jsonschema.Draft202012Validator(schema).is_valid(value)
    assert (schema_check.check(schema, value) == []) == expected


def test_every_problem_is_reported_at_its_pointer() -> None:
    schema = {
        "type": "object",
        "required": ["name", "tags"],
        "properties": {
            "name": {"type": "string", "minLength": 2},
            "tags": {"type": "array", "items": {"enum": ["a", "b"]}},
            "when": {"type": "string", "format": "date-time"},
            "id": {"type": "string", "format": "uuid"},
            "n": {"type": "integer", "format": "int32"},
        },
    }
    value = {"name": "x", "when": "2024-02-30T10:00:00Z", "id": "nope", "n": 2**31}
    problems = dict(schema_check.check(schema, value))
    assert set(problems) == {"/name", "/tags", "/when", "/id", "/n"}
    assert "not a valid date-time" in problems["/when"]
    assert "int32" in problems["/n"]


def test_the_closest_form_names_the_failing_member() -> None:
    cat = {
        "type": "object",
        "required": ["kind"],
        "properties": {"kind": {"const": "cat"}, "purrs": {"type": "boolean"}},
    }
    dog = {
        "type": "object",
        "required": ["kind"],
        "properties": {"kind": {"const": "dog"}, "barks": {"type": "boolean"}},
    }
    problems = schema_check.check({"oneOf": [cat, dog]}, {"kind": "dog", "barks": "loud"})
    assert problems == [("/barks", "expected boolean, got string")]
    # no form is closer than another: the value as a whole is reported
    assert schema_check.check({"anyOf": [{"type": "string"}, {"type": "integer"}]}, [1]) == [
        ("", "does not match any of the 2 allowed forms")
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"kind": "hen", "eggs": 2}, []),
        ({"kind": "duck", "eggs": 2}, []),
        ({"kind": "duck", "eggs": "two"}, [("/eggs", "expected integer, got string")]),
        ({"kind": "goose"}, [("/kind", "'goose' is not one of the allowed values: 'hen', 'duck'")]),
        ({"eggs": 1}, [("/kind", "required member 'kind' is missing: it says which form this is")]),
    ],
)
def test_the_discriminator_picks_the_form(value: Any, expected: list[tuple[str, str]]) -> None:
    bird = {
        "type": "object",
        "properties": {"kind": {"type": "string"}, "eggs": {"type": "integer"}},
    }
    schema = {
        "oneOf": [{"$ref": "#/$defs/hen"}, {"$ref": "#/$defs/duck"}],
        "discriminator": {
            "propertyName": "kind",
            "mapping": {"hen": {"$ref": "#/$defs/hen"}, "duck": {"$ref": "#/$defs/duck"}},
        },
        "$defs": {"hen": bird, "duck": bird},
    }
    # both forms fit any bird: plain oneOf refuses every value, the tag decides instead
    assert (
        jsonschema.Draft202012Validator(
            {k: v for k, v in schema.items() if k != "discriminator"}
        ).is_valid(value)
        is False
    )
    assert schema_check.check(schema, value) == expected


def test_a_pattern_python_cannot_read_is_left_to_the_server() -> None:
    schema = {
        "type": "object",
        "properties": {"name": {"type": "string", "pattern": "^\\p{L}+$"}},
        "patternProperties": {"^\\p{Lu}": {"type": "integer"}},
    }
    assert schema_check.check(schema, {"name": "Zoë", "Xy": "not checked either"}) == []
    assert schema_check.check({"type": "string", "pattern": "^a"}, "b") == [
        ("", "does not match the pattern '^a'")
    ]
