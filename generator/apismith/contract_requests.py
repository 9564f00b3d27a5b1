"""The HTTP requests that an operation's documented examples stand for.

A request example names a body; the parameters come from the parameter examples of the
same name, else from the parameter's first valid example, else (when required) from a
placeholder of the parameter's type. The generated contract tests, ``apismith verify``
and the mock's tests all read examples through this one module, so they agree on what
"the documented request" is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from apismith import ir

NO_BODY: Any = object()
"""The request sends no body."""


@dataclass(frozen=True)
class ExampleRequest:
    operation: ir.Operation
    name: str
    """The example's name (the body example's, or the first parameter example's)."""
    invalid: bool
    path_values: tuple[tuple[str, Any], ...]
    query: tuple[tuple[str, Any], ...]
    headers: tuple[tuple[str, Any], ...]
    body: Any = NO_BODY
    content_type: str | None = None

    @property
    def method(self) -> str:
        return self.operation.method.upper()

    @property
    def path(self) -> str:
        """The operation's path with every path parameter filled in and escaped."""
        path = self.operation.path
        for name, value in self.path_values:
            path = path.replace("{" + name + "}", quote(wire_text(value), safe=""))
        return path

    def query_pairs(self) -> list[tuple[str, str]]:
        """The query string as (name, text) pairs, arrays exploded."""
        pairs: list[tuple[str, str]] = []
        for name, value in self.query:
            values = value if isinstance(value, list) else [value]
            pairs.extend((name, wire_text(v)) for v in values)
        return pairs

    def header_pairs(self) -> list[tuple[str, str]]:
        return [(name, wire_text(value)) for name, value in self.headers]

    @property
    def has_body(self) -> bool:
        return self.body is not NO_BODY


def wire_text(value: Any) -> str:
    """How a parameter value is written in a path, query or header."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ",".join(wire_text(v) for v in value)
    return str(value)


def example_requests(api: ir.Api, operation: ir.Operation) -> list[ExampleRequest]:
    """One request per documented request example (body examples first, then examples
    that only parameters carry), in the spec's order."""
    named: dict[str, bool] = {}
    if operation.body is not None:
        for example in operation.body.examples:
            named.setdefault(example.name, example.invalid)
    for parameter in operation.parameters:
        for example in parameter.examples:
            if example.name not in named:
                named[example.name] = example.invalid
    requests = [_request(api, operation, name, invalid) for name, invalid in named.items()]
    return [r for r in requests if r is not None]


def call_request(api: ir.Api, operation: ir.Operation) -> ExampleRequest | None:
    """A valid request to call the operation with: the first valid example, else one
    built from placeholders; ``None`` when a required body has no valid example."""
    for request in example_requests(api, operation):
        if not request.invalid:
            return request
    return _request(api, operation, "", False)


def _request(
    api: ir.Api, operation: ir.Operation, name: str, invalid: bool
) -> ExampleRequest | None:
    values: dict[str, list[tuple[str, Any]]] = {"path": [], "query": [], "header": []}
    for parameter in operation.parameters:
        if parameter.location not in values:
            continue
        found = _parameter_value(api, parameter, name)
        if found is not _ABSENT:
            values[parameter.location].append((parameter.name, found))
    body: Any = NO_BODY
    content_type = None
    if operation.body is not None:
        example = next((e for e in operation.body.examples if e.name == name), None)
        if example is None and name:
            example = next((e for e in operation.body.examples if not e.invalid), None)
        if example is not None:
            body, content_type = example.value, operation.body.content_type
        elif operation.body.required:
            return None
    return ExampleRequest(
        operation,
        name,
        invalid,
        tuple(values["path"]),
        tuple(values["query"]),
        tuple(values["header"]),
        body,
        content_type,
    )


_ABSENT: Any = object()


def _parameter_value(api: ir.Api, parameter: ir.Parameter, name: str) -> Any:
    for example in parameter.examples:
        if example.name == name:
            return example.value
    valid = [e for e in parameter.examples if not e.invalid]
    if valid:
        return valid[0].value
    if parameter.required:
        return placeholder(api, parameter.type)
    return _ABSENT


def placeholder(api: ir.Api, type_ref: ir.TypeRef) -> Any:
    """A plain value of a parameter's type, for a required parameter without examples."""
    if isinstance(type_ref, ir.NullableType):
        return placeholder(api, type_ref.inner)
    if isinstance(type_ref, ir.ConstType):
        return type_ref.value
    if isinstance(type_ref, ir.ArrayType):
        return [placeholder(api, type_ref.items)]
    if isinstance(type_ref, ir.UnionType) and type_ref.variants:
        return placeholder(api, type_ref.variants[0])
    if isinstance(type_ref, ir.NamedType):
        named = api.types.get(type_ref.name)
        if isinstance(named, ir.Enum) and named.values:
            return named.values[0].value
        if isinstance(named, ir.Alias):
            return placeholder(api, named.target)
        return "example"
    if isinstance(type_ref, ir.Primitive):
        if type_ref.format == "uuid":
            return "00000000-0000-4000-8000-000000000000"
        if type_ref.format == "date-time":
            return "2024-01-01T00:00:00+00:00"
        if type_ref.format == "date":
            return "2024-01-01"
        return {"integer": 1, "number": 1.5, "boolean": True}.get(type_ref.kind, "example")
    return "example"


def paired_response(operation: ir.Operation, name: str) -> tuple[ir.Response, ir.Example] | None:
    """The response example with the request example's name: success ones first."""
    ordered = sorted(operation.responses, key=lambda r: not r.is_success)
    for response in ordered:
        for example in response.examples:
            if example.name == name:
                return response, example
    return None


def status_code(status: str, operation: ir.Operation) -> int:
    """A concrete status for a documented key: ``4XX`` -> 400, ``default`` -> 500 (or
    200 when the operation documents no success)."""
    if status.isdigit():
        return int(status)
    if status[:1].isdigit():
        return int(status[0]) * 100
    return 500 if any(r.is_success for r in operation.responses) else 200
