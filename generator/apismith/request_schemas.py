"""The JSON Schemas that a generated package's contract tests hold requests to: each
operation's request body, and its parameters grouped by where they are sent."""

from __future__ import annotations

from typing import Any

from apismith import ir
from apismith.refs import Resolver, Target
from apismith.schema_view import SchemaView


def request_body_schemas(api: ir.Api, resolver: Resolver) -> dict[str, Any]:
    """Operation id -> the JSON Schema its request body must satisfy (request direction)."""
    schemas: dict[str, Any] = {}
    for operation in api.operations:
        body = operation.body
        if body is None:
            continue
        media = _target(resolver, body.source)
        if media is None or not isinstance(media.value, dict) or "schema" not in media.value:
            continue
        view = SchemaView(resolver)
        name = view.define(
            media.document, body.source.pointer + "/schema", media.value["schema"], "request"
        )
        schemas[operation.id] = _ordered(view.bundle(name))
    return schemas


_PARAMETER_GROUPS = {"path": "path", "query": "query", "header": "headers", "cookie": "cookies"}


def request_parameter_schemas(api: ir.Api, resolver: Resolver) -> dict[str, Any]:
    """Operation id -> a JSON Schema of ``{path: {...}, query: {...}, headers: {...},
    cookies: {...}}`` holding each parameter's schema, for operations with parameters."""
    schemas: dict[str, Any] = {}
    for operation in api.operations:
        view = SchemaView(resolver)
        groups: dict[str, dict[str, Any]] = {}
        defs: dict[str, Any] = {}
        for parameter in operation.parameters:
            found = _target(resolver, parameter.source)
            if found is None or not isinstance(found.value, dict) or "schema" not in found.value:
                continue
            name = view.define(
                found.document,
                parameter.source.pointer + "/schema",
                found.value["schema"],
                "request",
            )
            defs.update(view.bundle(name)["$defs"])
            group = groups.setdefault(
                _PARAMETER_GROUPS[parameter.location], {"type": "object", "properties": {}}
            )
            group["properties"][parameter.name] = {"$ref": f"#/$defs/{name}"}
        if groups:
            schema = {"type": "object", "properties": groups, "$defs": defs}
            schemas[operation.id] = _ordered(schema)
    return schemas


def _target(resolver: Resolver, source: ir.Source) -> Target | None:
    document = next(d for d in resolver.documents.values() if d.file == source.file)
    return resolver.resolve("#" + source.pointer, document, source.pointer)


def _ordered(schema: dict[str, Any]) -> dict[str, Any]:
    schema["$defs"] = dict(sorted(schema["$defs"].items(), key=lambda item: _natural(item[0])))
    return schema


def _natural(name: str) -> tuple[int, str]:
    """``s2`` before ``s10``: definitions in the order they were first reached."""
    digits = "".join(c for c in name if c.isdigit())
    return (int(digits) if digits else -1, name)
