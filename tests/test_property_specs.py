"""Random specs from a grammar of OpenAPI constructs (objects, arrays, enums, unions, refs,
nullable, parameters) with hostile names and texts: generation either succeeds with
output that compiles (and passes ``ruff check`` for the first few examples) or fails
with located diagnostics, never an exception. Seeded and bounded, so it runs in a few
seconds as part of ``make test``."""

from __future__ import annotations

import ast
import itertools
import json
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apismith.diagnostics import Severity
from apismith.generate import generate
from apismith.pyrender import docstring
from apismith.write import ruff_binary

HOSTILE_TEXTS = [
    '"""',
    "'''",
    "\\",
    "\\N{BULLET}",
    "\0",
    "\x1b[31m",
    "\u2028",
    "\r\n",
    "{{ 7*7 }}",
    "{% raw %}",
    "__import__('os').system('touch apismith-hostile-marker')",
    "../../etc/passwd",
    "con",
    "<script>",
    "|",
    "",
]
TEXT = st.one_of(
    st.sampled_from(HOSTILE_TEXTS),
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12),
    st.lists(st.sampled_from(HOSTILE_TEXTS), min_size=2, max_size=4).map("".join),
)
NAME = st.one_of(
    st.sampled_from(
        [
            *("class", "self", "Class", "../x", "/abs", "C:\\x", "con", "NUL", "__init__"),
            *("model_dump", "", "1st", "a-b", "a_b", "A B", "日本", "None", "json", "id"),
        ]
    ),
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=8),
)
COMPONENT = st.text("abcABC._-09", min_size=1, max_size=5)
PRIMITIVES = ["string", "integer", "number", "boolean"]
_counter = itertools.count()


def schemas(components: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    def primitive() -> st.SearchStrategy[dict[str, Any]]:
        return st.builds(
            lambda kind, description: {"type": kind, "description": description},
            st.sampled_from(PRIMITIVES),
            TEXT,
        )

    def extend(inner: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
        return st.one_of(
            st.builds(
                lambda props, title: {"type": "object", "title": title, "properties": props},
                st.dictionaries(NAME, inner, max_size=4),
                TEXT,
            ),
            st.builds(lambda items: {"type": "array", "items": items}, inner),
            st.builds(
                lambda variants: {"oneOf": variants}, st.lists(inner, min_size=2, max_size=3)
            ),
            st.builds(
                lambda variants: {"anyOf": variants}, st.lists(inner, min_size=2, max_size=3)
            ),
            st.builds(lambda s: {**s, "type": [s["type"], "null"]}, primitive()),
        )

    leaves = [
        primitive(),
        st.builds(
            lambda values, default: (
                {"type": "string", "enum": values, "default": values[0]}
                if default
                else {"type": "string", "enum": values}
            ),
            st.lists(TEXT, min_size=1, max_size=5, unique=True),
            st.booleans(),
        ),
        st.builds(lambda text: {"type": "string", "default": text, "example": text}, TEXT),
    ]
    if components:
        leaves.append(
            st.sampled_from(components).map(lambda n: {"$ref": f"#/components/schemas/{n}"})
        )
    return st.recursive(st.one_of(*leaves), extend, max_leaves=6)


@st.composite
def specs(draw: st.DrawFn) -> dict[str, Any]:
    names = draw(st.lists(COMPONENT, min_size=1, max_size=4, unique=True))
    components = {name: draw(schemas(names)) for name in names}
    paths: dict[str, Any] = {}
    for index in range(draw(st.integers(1, 3))):
        path_param = draw(st.text("abcxyz_.-", min_size=1, max_size=6))
        parameters = [
            {"name": path_param, "in": "path", "required": True, "schema": {"type": "string"}}
        ]
        for location in draw(st.lists(st.sampled_from(["query", "header"]), max_size=3)):
            parameters.append(
                {
                    "name": draw(NAME.filter(bool)),
                    "in": location,
                    "description": draw(TEXT),
                    "schema": draw(schemas(names)),
                }
            )
        operation: dict[str, Any] = {
            "operationId": draw(NAME.filter(bool)) + str(index),
            "summary": draw(TEXT),
            "description": draw(TEXT),
            "tags": [draw(NAME.filter(bool))],
            "parameters": parameters,
            "responses": {
                "200": {
                    "description": draw(TEXT),
                    "content": {"application/json": {"schema": draw(schemas(names))}},
                }
            },
        }
        if draw(st.booleans()):
            operation["requestBody"] = {
                "content": {"application/json": {"schema": draw(schemas(names))}}
            }
        paths[f"/r{index}/{{{path_param}}}"] = {"post" if index % 2 else "get": operation}
    return {
        "openapi": "3.1.0",
        "info": {"title": draw(TEXT), "version": "1", "description": draw(TEXT)},
        "x-apismith": {"package": f"prop_{next(_counter)}"},
        "paths": paths,
        "components": {"schemas": components},
    }


_RUFF_RUNS = itertools.count()


@settings(
    max_examples=12,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(specs())
def test_random_specs_generate_valid_code_or_diagnostics(spec: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        source = folder / "api.json"
        source.write_text(json.dumps(spec, ensure_ascii=False), "utf-8")
        output = folder / "out"
        outcome = generate(source, output)
        if outcome.failed:
            errors = [d for d in outcome.diagnostics if d.severity >= Severity.ERROR]
            assert errors, "a failed generation names its errors"
            for diagnostic in errors:
                assert diagnostic.file and diagnostic.line is not None, str(diagnostic)
            assert not output.exists()
            return
        for path in output.rglob("*.py"):
            compile(path.read_bytes(), str(path), "exec")
        if next(_RUFF_RUNS) < 4:
            result = subprocess.run(
                [ruff_binary(), "check", "--no-cache", "--quiet", "."],
                cwd=output,
                capture_output=True,
                text=True,
            )
            assert result.returncode == 0, result.stdout + result.stderr
        written = {p for p in folder.rglob("*") if p.is_file()}
        assert all(p == source or p.is_relative_to(output) for p in written)
        assert not list(folder.rglob("apismith-hostile-marker"))


@pytest.mark.parametrize("text", ['"""', 'a """', 'x\n"""', 'ends \\"', "back\\"])
def test_docstring_ending_in_triple_quote_compiles(text: str) -> None:
    source = docstring(text)
    assert ast.literal_eval(source).strip() == text.strip()
