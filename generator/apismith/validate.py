"""Payload validation against a spec: compiled once per schema, reused for every payload.

>>> validators = PayloadValidator.from_path(Path("spec/gotham-inbox.yaml"))
>>> check = validators.for_request("sendMessages")
>>> check.errors({"messages": [{}]})
(PayloadError(pointer='/messages/0/title', ...), ...)

A payload is a parsed JSON value. Each error names the place in the payload (a JSON
pointer; for a missing property, the property's own pointer), the keyword in the spec
that rejected it, and a plain message. Schemas get the document's semantics (see
:mod:`apismith.schema_view`): 3.0 ``nullable``, readOnly properties not sent in requests,
writeOnly properties not returned in responses.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema_rs
import orjson

from apismith.diagnostics import join_pointer
from apismith.load import Document, load_document
from apismith.refs import Resolver
from apismith.schema_view import DRAFT_2020_12, Direction, SchemaView
from apismith.spec_walk import find_operation, pick_media_type, pick_status

__all__ = ["CompiledSchema", "PayloadError", "PayloadValidator", "UnknownTarget", "UnusableSchema"]


_ALTERNATIVES = (
    jsonschema_rs.ValidationErrorKind.AnyOf,
    jsonschema_rs.ValidationErrorKind.OneOfNotValid,
    jsonschema_rs.ValidationErrorKind.OneOfMultipleValid,
)


@dataclass(frozen=True, slots=True)
class PayloadError:
    pointer: str
    """Where in the payload, as a JSON pointer ("" is the whole payload)."""
    schema_location: str
    """The rejecting keyword in the spec, e.g. ``#/components/schemas/Message/required``."""
    message: str


class UnknownTarget(LookupError):
    """The spec has no such operation, response, media type or component schema."""


class UnusableSchema(ValueError):
    """The schema cannot be compiled (for instance a ``pattern`` that is not a regex)."""


class CompiledSchema:
    """One schema, compiled; call :meth:`errors` (or :meth:`is_valid`) per payload."""

    __slots__ = ("_direction", "_prefix", "_validator", "_view")

    def __init__(
        self,
        view: SchemaView,
        direction: Direction,
        validator: Any,
        prefix: tuple[str, ...] = (),
    ) -> None:
        self._view = view
        self._direction = direction
        self._validator = validator
        self._prefix = prefix

    def is_valid(self, payload: Any) -> bool:
        return bool(self._validator.is_valid(payload))

    def errors(self, payload: Any) -> tuple[PayloadError, ...]:
        """Every error, in the validator's order; empty when the payload is valid."""
        if self._validator.is_valid(payload):
            return ()
        return tuple(self._convert(error) for error in self._validator.iter_errors(payload))

    def _convert(self, error: Any) -> PayloadError:
        pointer = join_pointer("", *error.instance_path)
        schema_path = [*self._prefix, *error.schema_path]
        kind = error.kind
        message = str(error.message)
        if isinstance(kind, jsonschema_rs.ValidationErrorKind.Required):
            pointer = join_pointer(pointer, kind.property)
            message = f"{kind.property!r} is required"
        elif (
            isinstance(kind, jsonschema_rs.ValidationErrorKind.FalseSchema)
            and len(schema_path) >= 2
            and schema_path[-2] == "properties"
            and self._direction != "any"
        ):
            name = schema_path[-1]
            message = (
                f"{name!r} is read-only: it is not sent in requests"
                if self._direction == "request"
                else f"{name!r} is write-only: it is not returned in responses"
            )
        elif isinstance(kind, _ALTERNATIVES):
            if isinstance(kind, jsonschema_rs.ValidationErrorKind.OneOfMultipleValid):
                message = "matches more than one of the alternatives"
            else:
                message = "matches none of the alternatives" + _why(kind, pointer)
            title = self._view.nearest_title(schema_path)
            if title is not None:
                message = f"{title}: {message}"
        return PayloadError(pointer, self._view.origin(schema_path), message)


def _only_a_ref(schema: Any, v30: bool) -> bool:
    if not isinstance(schema, dict) or "$ref" not in schema:
        return False
    if v30:
        return schema.get("nullable") is not True  # 3.0 ignores the other siblings
    return len(schema) == 1


def _why(kind: Any, pointer: str) -> str:
    """Why each alternative failed, briefly: ``(1) ...; (2) ...``."""
    branches = getattr(kind, "context", None) or []
    reasons = []
    for number, errors in enumerate(branches, 1):
        shown = []
        for error in errors[:2]:
            where = join_pointer("", *error.instance_path)
            shown.append((f"at {where} " if where != pointer else "") + str(error.message))
        more = " ..." if len(errors) > 2 else ""
        reasons.append(f"({number}) {', '.join(shown)}{more}")
    return ": " + "; ".join(reasons) if reasons else ""


class PayloadValidator:
    """The compiled validators of one spec, made on first use and cached."""

    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver
        self.view = SchemaView(resolver)
        self._compiled: dict[str, CompiledSchema | UnusableSchema] = {}
        self._standalone: dict[bytes, Any] = {}

    @classmethod
    def from_path(cls, path: Path, allow_remote_refs: bool = False) -> PayloadValidator:
        """Load a spec (``LoadError`` if it cannot be read) and prepare its validators."""
        return cls(Resolver(load_document(path).document, allow_remote=allow_remote_refs))

    def for_schema(
        self, document: Document, pointer: str, schema: Any, direction: Direction
    ) -> CompiledSchema:
        """The validator of the schema found at ``pointer`` of ``document``
        (``UnusableSchema`` when it cannot be compiled)."""
        if _only_a_ref(schema, self.view.v30):
            # the many `schema: {$ref: ...}` of a spec share their target's validator
            target = self.resolver.follow(schema, document, pointer)
            if target is not None:
                document, pointer, schema = target.document, target.pointer, target.value
        name = self.view.define(document, pointer, schema, direction)
        compiled = self._compiled.get(name)
        if compiled is None:
            try:
                compiled = self._compile(name, direction)
            except ValueError as error:  # jsonschema_rs checks the schema itself first
                compiled = UnusableSchema(str(error).split("\n", 1)[0])
            except RecursionError:
                compiled = UnusableSchema("the schema is nested too deeply to compile")
            self._compiled[name] = compiled
        if isinstance(compiled, UnusableSchema):
            raise compiled
        return compiled

    def _compile(self, name: str, direction: Direction) -> CompiledSchema:
        standalone = self.view.standalone(name)
        if standalone is None:
            bundled = jsonschema_rs.validator_for(self.view.bundle(name), validate_formats=True)
            return CompiledSchema(self.view, direction, bundled)
        # A schema without references is compiled once per distinct content: GitHub's
        # spec has thousands of `{"type": "string", "example": ...}`.
        key = orjson.dumps(standalone, option=orjson.OPT_SORT_KEYS)
        validator: Any = self._standalone.get(key)
        if validator is None:
            schema = (
                {"$schema": DRAFT_2020_12, **standalone}
                if isinstance(standalone, dict)
                else standalone
            )
            validator = self._standalone[key] = jsonschema_rs.validator_for(
                schema, validate_formats=True
            )
        return CompiledSchema(self.view, direction, validator, ("$defs", name))

    def for_request(self, operation_id: str, media_type: str | None = None) -> CompiledSchema:
        operation = find_operation(self.resolver, operation_id)
        if operation is None:
            raise UnknownTarget(f"no operation {operation_id!r}")
        body = self.resolver.follow(
            operation.value.get("requestBody"),
            operation.document,
            operation.pointer + "/requestBody",
        )
        if body is None or not isinstance(body.value, dict):
            raise UnknownTarget(f"operation {operation_id!r} has no request body")
        return self._media(body.document, body.pointer, body.value, media_type, "request")

    def for_response(
        self, operation_id: str, status: str | int, media_type: str | None = None
    ) -> CompiledSchema:
        operation = find_operation(self.resolver, operation_id)
        if operation is None:
            raise UnknownTarget(f"no operation {operation_id!r}")
        responses = operation.value.get("responses")
        key = pick_status(responses, str(status)) if isinstance(responses, dict) else None
        if key is None:
            raise UnknownTarget(f"operation {operation_id!r} documents no {status} response")
        assert isinstance(responses, dict)
        response = self.resolver.follow(
            responses[key], operation.document, join_pointer(operation.pointer, "responses", key)
        )
        if response is None or not isinstance(response.value, dict):
            raise UnknownTarget(f"the {key} response of {operation_id!r} cannot be resolved")
        return self._media(
            response.document, response.pointer, response.value, media_type, "response"
        )

    def for_component(self, name: str, direction: Direction = "any") -> CompiledSchema:
        root = self.resolver.root
        schemas = root.data.get("components", {}).get("schemas", {})
        if not isinstance(schemas, dict) or name not in schemas:
            raise UnknownTarget(f"no component schema {name!r}")
        return self.for_schema(
            root, join_pointer("/components/schemas", name), schemas[name], direction
        )

    def _media(
        self,
        document: Document,
        pointer: str,
        holder: dict[str, Any],
        media_type: str | None,
        direction: Direction,
    ) -> CompiledSchema:
        content = holder.get("content")
        chosen = pick_media_type(content, media_type) if isinstance(content, dict) else None
        if chosen is None:
            raise UnknownTarget(f"no {media_type or 'content'} documented at {pointer or '/'}")
        assert isinstance(content, dict)
        media = content[chosen]
        schema = media.get("schema", True) if isinstance(media, dict) else True
        schema_pointer = join_pointer(pointer, "content", chosen, "schema")
        return self.for_schema(document, schema_pointer, schema, direction)
