"""The one request path every generated method goes through.

``prepare`` checks and encodes a call (path, query, headers, body) before anything is
sent; the transports of ``_http`` send it, and ``read_response`` turns the answer into
the documented model or raises the documented error. Nothing here imports httpx, so
loading an operation's types costs no HTTP stack.
"""

from __future__ import annotations

import datetime
import enum
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar
from urllib.parse import quote

import pydantic
import pydantic_core

from . import _schema_check
from ._errors import RequestValidationError, ResponseDecodeError, error_for_status
from ._model_base import REQUEST, RESPONSE

if TYPE_CHECKING:
    import httpx

T = TypeVar("T")


class NotGiven:
    """The default of a nullable keyword: omitted, where ``None`` would send null."""

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN = NotGiven()
_adapters: dict[int, pydantic.TypeAdapter[Any]] = {}


def schema(text: str) -> Any:
    """A JSON Schema embedded as JSON text: cheaper to load than a literal, parsed once
    by the operation that needs it."""
    return pydantic_core.from_json(text)


def adapter_for(annotation: Any) -> pydantic.TypeAdapter[Any]:
    """A TypeAdapter per type, built on first use (import stays cheap)."""
    adapter = _adapters.get(id(annotation))
    if adapter is None:
        adapter = _adapters[id(annotation)] = pydantic.TypeAdapter(annotation)
    return adapter


class Responses(Generic[T]):
    """The documented responses of one operation: status (``200``, ``4XX``, ``default``)
    to the type of its body, or ``None`` for no body."""

    def __init__(self, success: Mapping[str, Any], errors: Mapping[str, Any] | None = None) -> None:
        self.success = dict(success)
        self.errors = dict(errors or {})

    def lookup(self, status: int) -> tuple[bool, Any]:
        """(documented as success, body type) for a status code."""
        for table, is_success in ((self.success, True), (self.errors, False)):
            for key in (str(status), f"{str(status)[0]}XX"):
                if key in table:
                    return is_success, table[key]
        if 200 <= status < 300 and self.success:
            return True, next(iter(self.success.values()))
        return False, self.errors.get("default")


@dataclass(frozen=True)
class Operation(Generic[T]):
    """What one operation needs at run time, built on its first call."""

    responses: Responses[T]
    body_type: Any = None
    body_schema: Any = None
    parameters_schema: Any = None


@dataclass(frozen=True)
class PreparedRequest:
    method: str
    path: str
    query: tuple[tuple[str, str], ...] = ()
    headers: tuple[tuple[str, str], ...] = ()
    content: bytes | None = None
    content_type: str | None = None


def prepare(
    method: str,
    path: str,
    *,
    path_params: Mapping[str, Any] | None = None,
    query: Mapping[str, Any] | None = None,
    headers: Mapping[str, Any] | None = None,
    cookies: Mapping[str, Any] | None = None,
    body: Any = NOT_GIVEN,
    body_type: Any = None,
    body_schema: Any = None,
    parameters_schema: Any = None,
    content_type: str = "application/json",
) -> PreparedRequest:
    """Check and encode one call; raise ``RequestValidationError`` naming every problem.

    Parameters are checked against ``parameters_schema`` at ``/path/<name>``,
    ``/query/<name>``, ``/headers/<name>`` and ``/cookies/<name>``; the body against
    ``body_schema`` at its own JSON pointers."""
    problems: list[tuple[str, str]] = []
    if parameters_schema is not None:
        given = {
            location: {
                k: v
                for k, v in (values or {}).items()
                if v is not None and not isinstance(v, NotGiven)
            }
            for location, values in (
                ("path", path_params),
                ("query", query),
                ("headers", headers),
                ("cookies", cookies),
            )
        }
        problems.extend(_schema_check.check(parameters_schema, _jsonable(given)))
    for name, value in (path_params or {}).items():
        path = path.replace("{" + name + "}", _path_segment(value))
    query_items: list[tuple[str, str]] = []
    for name, value in (query or {}).items():
        if value is None or isinstance(value, NotGiven):
            continue
        values = value if isinstance(value, (list, tuple)) else [value]
        query_items.extend((name, _text(v)) for v in values)
    header_items: list[tuple[str, str]] = []
    for name, value in (headers or {}).items():
        if value is None or isinstance(value, NotGiven):
            continue
        text = _text(value)
        if "\r" in text or "\n" in text or "\0" in text:
            problems.append((f"/headers/{name}", "header values may not contain CR, LF or NUL"))
        header_items.append((name, text))
    cookie_pairs = [
        f"{name}={quote(_text(value), safe='')}"
        for name, value in (cookies or {}).items()
        if value is not None and not isinstance(value, NotGiven)
    ]
    if cookie_pairs:
        header_items.append(("Cookie", "; ".join(cookie_pairs)))
    content = None
    if isinstance(body, (bytes, bytearray, memoryview)):
        content = bytes(body)  # a non-JSON body (binary, form ...) is sent as it is
    elif not isinstance(body, NotGiven):
        content = pydantic_core.to_json(_body_data(body, body_type, body_schema, problems))
    if problems:
        raise RequestValidationError(problems)
    return PreparedRequest(
        method,
        path,
        tuple(query_items),
        tuple(header_items),
        content,
        content_type if content is not None else None,
    )


def _body_data(body: Any, body_type: Any, body_schema: Any, problems: list[tuple[str, str]]) -> Any:
    """The body as JSON data, checked by its type and then by the API's own schema.

    When the type refuses the body, the schema check runs on the body as given, since
    its pointers are the body's own JSON paths (a type error inside a union is located
    by variant names instead); the type's errors are reported only if the schema finds
    nothing."""
    if body_type is None:
        data = _jsonable(body)
        if body_schema is not None:
            problems.extend(_schema_check.check(body_schema, data))
        return data
    adapter = adapter_for(body_type)
    try:
        value = adapter.validate_python(body, context=REQUEST)
    except pydantic.ValidationError as error:
        found = _schema_check.check(body_schema, _jsonable(body)) if body_schema is not None else []
        problems.extend(found or _type_problems(error))
        return None
    data = adapter.dump_python(
        value, mode="json", by_alias=True, exclude_unset=True, context=REQUEST
    )
    if body_schema is not None:
        problems.extend(_schema_check.check(body_schema, data))
    return data


def _type_problems(error: pydantic.ValidationError) -> list[tuple[str, str]]:
    return [
        ("".join(f"/{_escape(str(part))}" for part in item["loc"]), item["msg"])
        for item in error.errors(include_url=False)
    ]


def _jsonable(value: Any) -> Any:
    """Plain JSON data from what a caller passed (models, enums, dates inside dicts)."""
    try:
        return pydantic_core.to_jsonable_python(value, by_alias=True)
    except pydantic_core.PydanticSerializationError:
        return value


def _path_segment(value: Any) -> str:
    """One percent-encoded path segment: ``/`` is encoded, and a value of only dots
    (which URL normalisation would treat as ``.`` or ``..``) is encoded too."""
    encoded = quote(_text(value), safe="")
    return encoded.replace(".", "%2E") if encoded and not encoded.strip(".") else encoded


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return _text(value.value)
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return str(value)


def read_response(response: httpx.Response, content: bytes, responses: Responses[T]) -> T:
    """The documented body of a success, or the documented error raised."""
    is_success, body_type = responses.lookup(response.status_code)
    data = _decode(response, content) if content.strip() else None
    if is_success:
        if body_type is None or data is None:
            return None  # type: ignore[return-value]
        try:
            result: T = adapter_for(body_type).validate_python(data, context=RESPONSE)
        except pydantic.ValidationError as error:
            raise ResponseDecodeError(
                f"the {response.status_code} response does not match its documented type: {error}",
                response=response,
            ) from None
        return result
    body: Any = data
    if body_type is not None and data is not None:
        try:
            body = adapter_for(body_type).validate_python(data, context=RESPONSE)
        except pydantic.ValidationError:
            body = data  # an undocumented error shape is still reported, unparsed
    error_class = error_for_status(response.status_code)
    raise error_class(
        f"{response.request.method} {response.request.url.path} answered {response.status_code}",
        response=response,
        body=body,
    )


def _decode(response: httpx.Response, content: bytes) -> Any:
    try:
        return pydantic_core.from_json(content)
    except ValueError as error:
        raise ResponseDecodeError(
            f"the response is not valid JSON: {error}", response=response
        ) from None


__all__ = [
    "NOT_GIVEN",
    "NotGiven",
    "Operation",
    "PreparedRequest",
    "Responses",
    "prepare",
    "read_response",
    "schema",
]
