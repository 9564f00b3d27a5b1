"""References: every ``$ref`` in the spec and the files it reaches must resolve, stay in
the spec's folder, be local unless remote references are allowed, and lead to content:
a chain of ``$ref``-only objects that loops back is a ``ref/cycle`` where it closes.

Values that are data, not spec (``example``, ``default``, ``enum``, ``const``, an Example
Object's ``value``, ``x-`` extensions), are not searched: a ``$ref`` key there is data.
"""

from __future__ import annotations

from typing import Any

from apismith.diagnostics import join_pointer
from apismith.load import Document
from apismith.refs import Resolver

_DATA_KEYS = frozenset({"example", "default", "enum", "const"})


def check_references(resolver: Resolver) -> None:
    """Resolve every ``$ref`` and follow each one that leads to another ``$ref``-only
    object; problems are recorded in ``resolver.diagnostics``."""
    walked: set[str] = set()
    while True:
        pending = [d for d in resolver.documents.values() if d.path_key not in walked]
        if not pending:
            return
        for document in pending:
            walked.add(document.path_key)
            _walk(resolver, document)


_Where = tuple[Any, str | int] | None
"""Where a value stands: where its parent stands (a ``_Where``: mypyc cannot compile a
recursive alias) and its key there (None for the root). Most values hold no ``$ref``
that fails, so their pointers are never spelled."""


def _walk(resolver: Resolver, document: Document) -> None:
    if type(document.data) is not dict and type(document.data) is not list:
        return
    resolve, resolved = resolver.resolve, resolver.resolved
    chained: list[tuple[dict[str, Any], _Where]] = []
    # state: 0 anything, 1 an ``examples`` map, 2 an Example Object
    stack: list[tuple[Any, int, _Where]] = [(document.data, 0, None)]
    pop, push = stack.pop, stack.append
    while stack:
        node, state, where = pop()
        if type(node) is dict:
            if "$ref" in node:
                ref = node["$ref"]
                target = resolved(ref, document) or resolve(
                    ref, document, _pointer(where) + "/$ref"
                )
                if target is not None and type(target.value) is dict and "$ref" in target.value:
                    chained.append((node, where))
            for key, value in node.items():
                kind = type(value)
                if kind is not dict and kind is not list:
                    continue
                if key in _DATA_KEYS or key.startswith("x-") or (state == 2 and key == "value"):
                    continue
                if key == "examples" and kind is list:
                    continue  # a schema's examples: data
                push((value, 2 if state == 1 else int(key == "examples"), (where, key)))
        else:
            for index, value in enumerate(node):
                if type(value) is dict or type(value) is list:
                    push((value, 0, (where, index)))
    for node, where in chained:  # few: most references lead straight to content
        resolver.follow(node, document, _pointer(where))


def _pointer(where: _Where) -> str:
    keys: list[str | int] = []
    while where is not None:
        where, key = where
        keys.append(key)
    return join_pointer("", *reversed(keys))
