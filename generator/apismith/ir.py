"""The intermediate representation: what templates see, and nothing else.

Immutable, slotted records (see :mod:`apismith.records`) holding tuples and read-only
mappings; no raw spec dicts. Every named node keeps its source (file and JSON pointer)
and its ``x-*`` extensions. Names here are the spec's own; Python spellings are computed
at render time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from types import MappingProxyType
from typing import Any, Literal

from apismith.records import record

JsonValue = Any
"""A value as parsed from JSON: dict, list, str, int, float, bool or None."""

EMPTY: Mapping[str, Any] = MappingProxyType({})


def _empty() -> Mapping[str, Any]:
    return EMPTY


@record
class Source:
    file: str
    pointer: str


# --- types -----------------------------------------------------------------------

PrimitiveKind = Literal["string", "integer", "number", "boolean", "null", "any"]


@record
class Primitive:
    kind: PrimitiveKind
    format: str | None = None


@record
class ArrayType:
    items: TypeRef


@record
class MapType:
    values: TypeRef


@record
class NamedType:
    """A reference to an entry of ``Api.types`` by its name."""

    name: str


@record
class ConstType:
    value: JsonValue


@record
class Discriminator:
    property: str
    mapping: tuple[tuple[str, str], ...]
    """(tag value, type name) pairs, sorted by tag."""


@record
class UnionType:
    variants: tuple[TypeRef, ...]
    discriminator: Discriminator | None = None


@record
class NullableType:
    inner: TypeRef


TypeRef = Primitive | ArrayType | MapType | NamedType | ConstType | UnionType | NullableType


# --- named types -------------------------------------------------------------------


class _Missing:
    """The absence of a default (``None`` is a valid default)."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


@record
class Field:
    name: str
    type: TypeRef
    required: bool
    description: str | None = None
    default: JsonValue = MISSING
    read_only: bool = False
    write_only: bool = False
    deprecated: bool = False

    @property
    def has_default(self) -> bool:
        return self.default is not MISSING


@record
class Model:
    """An object schema with named properties."""

    name: str
    fields: tuple[Field, ...]
    source: Source
    description: str | None = None
    additional: TypeRef | None = None
    """Type of undeclared properties when the schema types them; unknown fields are
    always kept whether or not it does."""
    closed: bool = False
    """``additionalProperties: false`` in the spec."""
    extensions: Mapping[str, JsonValue] = field(default_factory=_empty)
    kind: Literal["model"] = "model"


@record
class EnumValue:
    value: str | int | float | bool | None
    description: str | None = None


@record
class Enum:
    name: str
    values: tuple[EnumValue, ...]
    base: Literal["string", "integer", "number", "mixed"]
    source: Source
    description: str | None = None
    nullable: bool = False
    extensions: Mapping[str, JsonValue] = field(default_factory=_empty)
    kind: Literal["enum"] = "enum"


@record
class Alias:
    """A named schema that is not an object model: an array, union, primitive, ..."""

    name: str
    target: TypeRef
    source: Source
    description: str | None = None
    extensions: Mapping[str, JsonValue] = field(default_factory=_empty)
    kind: Literal["alias"] = "alias"


NamedTypeDef = Model | Enum | Alias


# --- operations --------------------------------------------------------------------


@record
class Example:
    name: str
    value: JsonValue
    summary: str | None = None
    description: str | None = None
    invalid: bool = False
    """Marked ``x-apismith-invalid``: the API rejects it, and checks expect it to fail."""
    source: Source | None = None


ParameterLocation = Literal["path", "query", "header", "cookie"]


@record
class Parameter:
    name: str
    location: ParameterLocation
    type: TypeRef
    required: bool
    source: Source
    description: str | None = None
    explode: bool = True
    deprecated: bool = False
    examples: tuple[Example, ...] = ()


@record
class Body:
    content_type: str
    type: TypeRef
    required: bool
    source: Source
    description: str | None = None
    examples: tuple[Example, ...] = ()


@record
class Response:
    status: str
    """``"200"``, ``"4XX"`` or ``"default"``."""
    description: str | None
    source: Source
    content_type: str | None = None
    type: TypeRef | None = None
    examples: tuple[Example, ...] = ()

    @property
    def is_success(self) -> bool:
        return self.status.startswith("2")


@record
class Operation:
    id: str
    method: str
    """Lower-case HTTP method."""
    path: str
    namespace: str
    resource: str
    name: str
    """Method name within its resource."""
    source: Source
    summary: str | None = None
    description: str | None = None
    parameters: tuple[Parameter, ...] = ()
    body: Body | None = None
    responses: tuple[Response, ...] = ()
    security: tuple[str, ...] | None = None
    """Scheme names that apply; ``None`` means the API's default."""
    deprecated: bool = False
    tags: tuple[str, ...] = ()
    extensions: Mapping[str, JsonValue] = field(default_factory=_empty)


# --- the API -----------------------------------------------------------------------


@record
class ServerVariable:
    name: str
    default: str
    enum: tuple[str, ...] = ()
    description: str | None = None


@record
class Server:
    url: str
    variables: tuple[ServerVariable, ...] = ()
    description: str | None = None


@record
class SecurityScheme:
    name: str
    kind: Literal["bearer", "basic", "api_key", "oauth2", "openid"]
    source: Source
    description: str | None = None
    parameter: str | None = None
    """Header, query or cookie name for an API key."""
    location: Literal["header", "query", "cookie"] | None = None


@record
class Settings:
    """The ``x-apismith`` root object, with defaults filled in."""

    package: str
    distribution: str
    client: str
    error: str


@record
class Api:
    title: str
    version: str
    settings: Settings
    source_file: str
    description: str | None = None
    servers: tuple[Server, ...] = ()
    security_schemes: tuple[SecurityScheme, ...] = ()
    security: tuple[str, ...] = ()
    """Scheme names the API applies by default (any one of them suffices)."""
    operations: tuple[Operation, ...] = ()
    types: Mapping[str, NamedTypeDef] = field(default_factory=_empty)
    """Named types by name, in sorted order."""
    extensions: Mapping[str, JsonValue] = field(default_factory=_empty)
