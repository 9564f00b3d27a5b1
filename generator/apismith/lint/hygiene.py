"""Hygiene warnings: what a client's users miss when it is absent.

- an operation without a documented success (2xx/3xx) response;
- a request body or success response with content but no example;
- an enum whose values are not described: neither ``x-enum-descriptions`` (or
  ``x-enumDescriptions``) nor a ``description`` that names every value.
"""

from __future__ import annotations

from typing import Any

from apismith.diagnostics import Diagnostic, Severity, join_pointer
from apismith.lint.sites import Sites
from apismith.refs import Resolver

_ENUM_DESCRIPTIONS = ("x-enum-descriptions", "x-enumDescriptions", "x-enum-varnames")


def check_hygiene(resolver: Resolver, sites: Sites) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for operation in sites.operations:
        file, pointer = operation.document.file, operation.pointer
        name = operation.label
        responses = operation.value.get("responses")
        responses = responses if isinstance(responses, dict) else {}
        success = [key for key in responses if str(key)[:1] in ("2", "3")]
        if not success:
            found.append(
                Diagnostic(
                    "hygiene/no-success-response",
                    f"{name} documents no success (2xx or 3xx) response",
                    file,
                    join_pointer(pointer, "responses"),
                    Severity.WARNING,
                )
            )
        body = resolver.follow(
            operation.value.get("requestBody"), operation.document, pointer + "/requestBody"
        )
        if body is not None and _lacks_example(resolver, body.value):
            found.append(
                Diagnostic(
                    "hygiene/no-request-example",
                    f"the request body of {name} has no example",
                    body.document.file,
                    body.pointer,
                    Severity.WARNING,
                )
            )
        for key in success:
            response = resolver.follow(
                responses[key], operation.document, join_pointer(pointer, "responses", key)
            )
            if response is not None and _lacks_example(resolver, response.value):
                found.append(
                    Diagnostic(
                        "hygiene/no-response-example",
                        f"the {key} response of {name} has no example",
                        response.document.file,
                        response.pointer,
                        Severity.WARNING,
                    )
                )
    for site in sites.schemas:
        enum = site.value.get("enum")
        if isinstance(enum, list) and not _enum_described(site.value, enum):
            found.append(
                Diagnostic(
                    "hygiene/enum-undocumented",
                    "enum values are not described (add x-enum-descriptions or name each "
                    "value in the description)",
                    site.document.file,
                    join_pointer(site.pointer, "enum"),
                    Severity.WARNING,
                )
            )
    return found


def _lacks_example(resolver: Resolver, holder: Any) -> bool:
    """True when ``holder`` has content and none of its media types has an example."""
    if not isinstance(holder, dict):
        return False
    content = holder.get("content")
    if not isinstance(content, dict) or not content:
        return False
    for media in content.values():
        if not isinstance(media, dict):
            continue
        if "example" in media or media.get("examples"):
            return False
        schema = media.get("schema")
        if isinstance(schema, dict) and ("example" in schema or schema.get("examples")):
            return False
    return True


def _enum_described(schema: dict[str, Any], enum: list[Any]) -> bool:
    if any(isinstance(schema.get(key), (dict, list)) for key in _ENUM_DESCRIPTIONS):
        return True
    values = [value for value in enum if value is not None]
    if len(values) <= 1:
        return True  # a constant needs no legend
    description = schema.get("description")
    if not isinstance(description, str):
        return False
    return all(str(value) in description for value in values)
