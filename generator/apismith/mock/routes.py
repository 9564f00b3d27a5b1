"""The mock's route table, prepared once: for each operation its path pattern, the
compiled validators of its parameters and body, its security rule and its responses
already serialised to bytes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import jsonschema_rs
import orjson

from apismith import ir
from apismith.contract_requests import status_code
from apismith.diagnostics import join_pointer
from apismith.refs import Resolver
from apismith.sample import sample
from apismith.schema_view import SchemaView
from apismith.validate import CompiledSchema, PayloadValidator, UnknownTarget, UnusableSchema

JSON = "application/json"
PROBLEM = "application/problem+json"


@dataclass(frozen=True, slots=True)
class Reply:
    status: int
    body: bytes
    content_type: str | None = JSON
    headers: tuple[tuple[bytes, bytes], ...] = ()


@dataclass(frozen=True, slots=True)
class ParamCheck:
    name: str
    location: str
    key: str
    """The name to look up: lower-case for headers."""
    kind: str
    """``string``, ``integer``, ``number``, ``boolean`` or ``any``: how text is read."""
    array: bool
    explode: bool
    required: bool
    validator: CompiledSchema | None


@dataclass(frozen=True, slots=True)
class BodyCheck:
    media: str
    """The documented media type, lower-case, without parameters."""
    json: bool
    required: bool
    validator: CompiledSchema | None


@dataclass(frozen=True, slots=True)
class SchemeCheck:
    kind: str
    location: str
    name: str
    """Header (lower-case), query or cookie name; ``authorization`` for http schemes."""


@dataclass(frozen=True, slots=True)
class ResponseSpec:
    key: str
    status: int
    content_type: str | None
    examples: dict[str, Reply]
    first: Reply


@dataclass(slots=True)
class Route:
    operation: ir.Operation
    params: tuple[ParamCheck, ...]
    body: BodyCheck | None
    security: tuple[SchemeCheck, ...]
    responses: dict[str, ResponseSpec]
    default: Reply
    by_request: tuple[tuple[Any, Reply], ...] = ()
    """Valid request examples whose same-named response differs from ``default``."""
    invalid: tuple[tuple[Any, frozenset[str], Reply], ...] = ()
    """Marked invalid request examples: value, the rules it breaks, its paired reply."""
    unauthorized: Reply = field(default_factory=lambda: Reply(401, b""))
    path_names: tuple[str, ...] = ()


def build_routes(api: ir.Api, resolver: Resolver) -> list[Route]:
    validators = PayloadValidator(resolver)
    schemes = {s.name: s for s in api.security_schemes}
    routes = []
    for operation in api.operations:
        names = api.security if operation.security is None else operation.security
        security = tuple(_scheme_check(schemes[n]) for n in names if n in schemes)
        body = _body_check(validators, operation)
        responses = _responses(operation, resolver)
        default = _default_reply(operation, responses)
        route = Route(
            operation,
            tuple(_param_check(api, validators, resolver, p) for p in operation.parameters),
            body,
            security,
            responses,
            default,
            path_names=tuple(re.findall(r"\{([^}]+)\}", operation.path)),
        )
        route.by_request = _by_request(operation, responses, default)
        route.invalid = _invalid(operation, responses, body)
        route.unauthorized = _unauthorized(responses)
        routes.append(route)
    return routes


def _scheme_check(scheme: ir.SecurityScheme) -> SchemeCheck:
    if scheme.kind == "api_key":
        location = scheme.location or "header"
        name = scheme.parameter or scheme.name
        return SchemeCheck("api_key", location, name.lower() if location == "header" else name)
    return SchemeCheck(scheme.kind, "header", "authorization")


def _schema_at(resolver: Resolver, source: ir.Source) -> tuple[Any, Any] | None:
    document = next((d for d in resolver.documents.values() if d.file == source.file), None)
    if document is None:
        return None
    found = resolver.resolve("#" + source.pointer, document, source.pointer)
    if found is None or not isinstance(found.value, dict):
        return None
    return found.document, found.value


def _param_check(
    api: ir.Api, validators: PayloadValidator, resolver: Resolver, parameter: ir.Parameter
) -> ParamCheck:
    validator = None
    located = _schema_at(resolver, parameter.source)
    if located is not None and "schema" in located[1]:
        document, value = located
        try:
            validator = validators.for_schema(
                document, parameter.source.pointer + "/schema", value["schema"], "request"
            )
        except UnusableSchema:
            validator = None
    array, kind = _kind(parameter.type, api)
    key = parameter.name.lower() if parameter.location == "header" else parameter.name
    return ParamCheck(
        parameter.name,
        parameter.location,
        key,
        kind,
        array,
        parameter.explode,
        parameter.required,
        validator,
    )


def _kind(type_ref: ir.TypeRef, api: ir.Api, depth: int = 0) -> tuple[bool, str]:
    """(is an array, how its text is read)."""
    if depth > 20:
        return False, "any"
    if isinstance(type_ref, ir.NullableType):
        return _kind(type_ref.inner, api, depth + 1)
    if isinstance(type_ref, ir.ArrayType):
        return True, _kind(type_ref.items, api, depth + 1)[1]
    if isinstance(type_ref, ir.NamedType):
        named = api.types.get(type_ref.name)
        if isinstance(named, ir.Alias):
            return _kind(named.target, api, depth + 1)
        if isinstance(named, ir.Enum) and named.base in ("integer", "number"):
            return False, named.base
        return False, "string" if isinstance(named, ir.Enum) else "any"
    if isinstance(type_ref, ir.Primitive):
        return False, type_ref.kind if type_ref.kind != "null" else "string"
    if isinstance(type_ref, ir.ConstType):
        value = type_ref.value
        if isinstance(value, bool):
            return False, "boolean"
        if isinstance(value, int):
            return False, "integer"
        if isinstance(value, float):
            return False, "number"
    return False, "any"


def _body_check(validators: PayloadValidator, operation: ir.Operation) -> BodyCheck | None:
    body = operation.body
    if body is None:
        return None
    media = body.content_type.split(";")[0].strip().lower()
    is_json = media == JSON or media.endswith("+json")
    validator = None
    if is_json:
        try:
            validator = validators.for_request(operation.id, body.content_type)
        except (UnknownTarget, UnusableSchema):
            validator = None
    return BodyCheck(media, is_json, body.required, validator)


def _encode(value: Any, content_type: str | None) -> bytes:
    if isinstance(value, str) and not (content_type or JSON).endswith("json"):
        return value.encode()
    return orjson.dumps(value)


def _responses(operation: ir.Operation, resolver: Resolver) -> dict[str, ResponseSpec]:
    specs = {}
    for response in operation.responses:
        status = status_code(response.status, operation)
        examples = {
            e.name: Reply(status, _encode(e.value, response.content_type), response.content_type)
            for e in response.examples
        }
        first = next(iter(examples.values()), None) or _sampled(response, status, resolver)
        specs[response.status] = ResponseSpec(
            response.status, status, response.content_type, examples, first
        )
    return specs


def _sampled(response: ir.Response, status: int, resolver: Resolver) -> Reply:
    """A documented response without an example: the smallest body its schema accepts,
    when that can be found, else an empty one."""
    content_type = response.content_type
    if response.type is None or content_type is None or not content_type.endswith("json"):
        return Reply(status, b"", None)
    document = next(d for d in resolver.documents.values() if d.file == response.source.file)
    pointer = join_pointer(response.source.pointer, "content", content_type, "schema")
    target = resolver.resolve("#" + pointer, document, pointer)
    if target is None:
        return Reply(status, b"", None)
    view = SchemaView(resolver)
    bundle = view.bundle(view.define(target.document, pointer, target.value, "response"))
    value = sample(bundle)
    if not jsonschema_rs.validator_for(bundle).is_valid(value):
        return Reply(status, b"", None)
    return Reply(status, _encode(value, content_type), content_type)


def _success(responses: dict[str, ResponseSpec]) -> list[ResponseSpec]:
    return sorted((r for r in responses.values() if 200 <= r.status < 300), key=lambda r: r.status)


def _default_reply(operation: ir.Operation, responses: dict[str, ResponseSpec]) -> Reply:
    success = _success(responses)
    with_examples = [r for r in success if r.examples]
    candidates = with_examples or success or list(responses.values())
    return candidates[0].first if candidates else Reply(204, b"", None)


def _by_request(
    operation: ir.Operation, responses: dict[str, ResponseSpec], default: Reply
) -> tuple[tuple[Any, Reply], ...]:
    if operation.body is None:
        return ()
    pairs = []
    for example in operation.body.examples:
        if example.invalid:
            continue
        reply = next(
            (r.examples[example.name] for r in _success(responses) if example.name in r.examples),
            None,
        )
        if reply is not None and reply is not default:
            pairs.append((example.value, reply))
    return tuple(pairs)


def _invalid(
    operation: ir.Operation, responses: dict[str, ResponseSpec], body: BodyCheck | None
) -> tuple[tuple[Any, frozenset[str], Reply], ...]:
    if operation.body is None:
        return ()
    found = []
    for example in operation.body.examples:
        if not example.invalid:
            continue
        reply = next(
            (
                r.examples[example.name]
                for r in responses.values()
                if r.status >= 400 and example.name in r.examples
            ),
            None,
        )
        if reply is None:
            continue
        rules: frozenset[str] = frozenset()
        if body is not None and body.validator is not None:
            rules = frozenset(e.schema_location for e in body.validator.errors(example.value))
        found.append((example.value, rules, reply))
    return tuple(found)


def _unauthorized(responses: dict[str, ResponseSpec]) -> Reply:
    documented = responses.get("401")
    if documented is not None and documented.examples:
        reply = documented.first
        return Reply(401, reply.body, reply.content_type, ((b"www-authenticate", b"Bearer"),))
    body = orjson.dumps(
        {
            "type": "about:blank",
            "title": "Unauthorized",
            "status": 401,
            "detail": "the request carries none of the credentials the operation requires",
        }
    )
    return Reply(401, body, PROBLEM, ((b"www-authenticate", b"Bearer"),))
