"""Where a spec keeps examples and schemas: found in one pass, each place once.

Objects reached through ``$ref`` are visited where they are defined (in whichever file),
never once per use, so a shared response or header is checked once.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from apismith.diagnostics import join_pointer
from apismith.load import Document
from apismith.records import record
from apismith.refs import Resolver
from apismith.schema_view import Direction, schema_keywords
from apismith.spec_walk import Operation, iter_operations


@record
class Holder:
    """A media type, parameter or header: something with a schema and examples."""

    kind: str  # "media", "parameter" or "header"
    document: Document
    pointer: str
    value: dict[str, Any]
    direction: Direction


@record
class SchemaSite:
    document: Document
    pointer: str
    value: dict[str, Any]


@dataclass
class Sites:
    operations: list[Operation] = field(default_factory=list)
    holders: list[Holder] = field(default_factory=list)
    schemas: list[SchemaSite] = field(default_factory=list)


_COMPONENT_KINDS: dict[str, tuple[str, Direction]] = {
    "parameters": ("parameter", "request"),
    "requestBodies": ("body", "request"),
    "responses": ("response", "response"),
    "headers": ("header", "response"),
}


class _Collector:
    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver
        self.sites = Sites()
        self.seen: set[tuple[str, str]] = set()

    def visit(
        self, kind: str, value: Any, document: Document, pointer: str, direction: Direction
    ) -> None:
        target = self.resolver.follow(value, document, pointer)
        if target is None or not isinstance(target.value, dict):
            return
        key = (target.document.path_key, target.pointer)
        if key in self.seen:
            return
        self.seen.add(key)
        document, pointer, value = target.document, target.pointer, target.value
        if kind == "body":
            self.content(value, document, pointer, direction)
        elif kind == "response":
            self.content(value, document, pointer, direction)
            headers = value.get("headers")
            if isinstance(headers, dict):
                for name, header in headers.items():
                    self.visit(
                        "header",
                        header,
                        document,
                        join_pointer(pointer, "headers", name),
                        direction,
                    )
        else:  # parameter or header
            self.sites.holders.append(Holder(kind, document, pointer, value, direction))
            self.schema(value.get("schema"), document, join_pointer(pointer, "schema"))
            self.content(value, document, pointer, direction)

    def content(
        self, holder: dict[str, Any], document: Document, pointer: str, direction: Direction
    ) -> None:
        content = holder.get("content")
        if not isinstance(content, dict):
            return
        for media_type, media in content.items():
            if isinstance(media, dict):
                media_pointer = join_pointer(pointer, "content", media_type)
                self.sites.holders.append(
                    Holder("media", document, media_pointer, media, direction)
                )
                self.schema(media.get("schema"), document, join_pointer(media_pointer, "schema"))

    def schema(self, value: Any, document: Document, pointer: str) -> None:
        """Record every Schema Object defined at or under ``pointer`` (refs not followed
        here: their targets are recorded where they are defined)."""
        stack = [(pointer, value)]
        while stack:
            current_pointer, current = stack.pop()
            if not isinstance(current, dict):
                continue
            ref = current.get("$ref")
            if isinstance(ref, str):
                target = self.resolver.follow({"$ref": ref}, document, current_pointer)
                if target is not None and target.document is not document:
                    self.schema_in(target.document, target.pointer, target.value)
            self.sites.schemas.append(SchemaSite(document, current_pointer, current))
            stack.extend(schema_keywords(current, current_pointer))

    def schema_in(self, document: Document, pointer: str, value: Any) -> None:
        key = (document.path_key, pointer)
        if key not in self.seen:
            self.seen.add(key)
            self.schema(value, document, pointer)


def collect_sites(resolver: Resolver) -> Sites:
    collector = _Collector(resolver)
    root = resolver.root
    for operation in iter_operations(resolver):
        collector.sites.operations.append(operation)
        for owner, owner_pointer in (
            (operation.path_item, operation.path_item_pointer),
            (operation.value, operation.pointer),
        ):
            parameters = owner.get("parameters")
            if isinstance(parameters, list):
                for index, parameter in enumerate(parameters):
                    collector.visit(
                        "parameter",
                        parameter,
                        operation.document,
                        join_pointer(owner_pointer, "parameters", index),
                        "request",
                    )
        body = operation.value.get("requestBody")
        if body is not None:
            collector.visit(
                "body", body, operation.document, operation.pointer + "/requestBody", "request"
            )
        responses = operation.value.get("responses")
        if isinstance(responses, dict):
            for status, response in responses.items():
                collector.visit(
                    "response",
                    response,
                    operation.document,
                    join_pointer(operation.pointer, "responses", status),
                    "response",
                )
    components = root.data.get("components") if isinstance(root.data, dict) else None
    if isinstance(components, dict):
        for section, (kind, direction) in _COMPONENT_KINDS.items():
            entries = components.get(section)
            if isinstance(entries, dict):
                for name, value in entries.items():
                    collector.visit(
                        kind, value, root, join_pointer("/components", section, name), direction
                    )
        schemas = components.get("schemas")
        if isinstance(schemas, dict):
            for name, value in schemas.items():
                collector.schema_in(root, join_pointer("/components/schemas", name), value)
    return collector.sites


def iter_examples(
    resolver: Resolver, holder: Holder
) -> Iterator[tuple[Document, str, Any, dict[str, Any] | None]]:
    """The examples of a media type, parameter or header: (document and pointer of the
    value, the value, the Example Object or None for a bare ``example``)."""
    value = holder.value
    if "example" in value:
        yield holder.document, join_pointer(holder.pointer, "example"), value["example"], None
    examples = value.get("examples")
    if isinstance(examples, dict):
        for name, example in examples.items():
            target = resolver.follow(
                example, holder.document, join_pointer(holder.pointer, "examples", name)
            )
            if target is None or not isinstance(target.value, dict) or "value" not in target.value:
                continue
            yield (
                target.document,
                join_pointer(target.pointer, "value"),
                target.value["value"],
                target.value,
            )
