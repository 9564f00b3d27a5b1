"""The operations of a spec, found once: path, method, pointer and the object itself.

Path items may be ``$ref``s (to the same or another file); they are followed through the
resolver, so problems with them become its diagnostics.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from apismith.diagnostics import join_pointer
from apismith.load import Document
from apismith.records import record
from apismith.refs import Resolver

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
JSON_MEDIA_SUFFIXES = ("/json", "+json")


@record
class Operation:
    path: str
    method: str
    document: Document
    pointer: str
    value: dict[str, Any]
    path_item: dict[str, Any]
    path_item_document: Document
    path_item_pointer: str
    webhook: bool = False
    """True for ``webhooks`` (3.1) and ``x-webhooks`` (the 3.0 extension GitHub uses):
    ``path`` is then the webhook's name, not a template."""

    @property
    def label(self) -> str:
        """How messages name it: ``POST /messages`` or ``webhook ping (POST)``."""
        if self.webhook:
            return f"webhook {self.path} ({self.method.upper()})"
        return f"{self.method.upper()} {self.path}"

    @property
    def operation_id(self) -> str | None:
        found = self.value.get("operationId")
        return found if isinstance(found, str) else None


def iter_operations(resolver: Resolver) -> Iterator[Operation]:
    """Operations under ``paths``, then under ``webhooks`` and ``x-webhooks``."""
    root = resolver.root
    if not isinstance(root.data, dict):
        return
    for section in ("paths", "webhooks", "x-webhooks"):
        items = root.data.get(section)
        if not isinstance(items, dict):
            continue
        for path, item in items.items():
            target = resolver.follow(item, root, join_pointer("", section, path))
            if target is None or not isinstance(target.value, dict):
                continue
            for method in METHODS:
                operation = target.value.get(method)
                if isinstance(operation, dict):
                    yield Operation(
                        path,
                        method,
                        target.document,
                        join_pointer(target.pointer, method),
                        operation,
                        target.value,
                        target.document,
                        target.pointer,
                        section != "paths",
                    )


def find_operation(resolver: Resolver, operation_id: str) -> Operation | None:
    for operation in iter_operations(resolver):
        if operation.operation_id == operation_id:
            return operation
    return None


def pick_media_type(content: dict[str, Any], wanted: str | None = None) -> str | None:
    """The media type to use from a ``content`` map: ``wanted``, else the first JSON one,
    else the first one."""
    if wanted is not None:
        return wanted if wanted in content else None
    for name in content:
        if name.split(";")[0].strip().endswith(JSON_MEDIA_SUFFIXES):
            return name
    return next(iter(content), None)


def pick_status(responses: dict[str, Any], status: str) -> str | None:
    """The response key that covers ``status``: exact, then ``2XX``, then ``default``."""
    if status in responses:
        return status
    family = f"{status[:1]}XX"
    for key in (family, family.lower(), "default"):
        if key in responses:
            return key
    return None
