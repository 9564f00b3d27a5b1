"""Operations: each has a unique ``operationId``; path template parameters and declared
``in: path`` parameters match; no parameter is declared twice at the same level."""

from __future__ import annotations

import re
from typing import Any

from apismith.diagnostics import Diagnostic, Severity, join_pointer
from apismith.refs import Resolver
from apismith.spec_walk import Operation

_TEMPLATE = re.compile(r"\{([^{}]+)\}")


def check_operations(resolver: Resolver, operations: list[Operation]) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    first_by_id: dict[str, Operation] = {}
    checked_path_items: set[tuple[str, str]] = set()
    for operation in operations:
        file = operation.document.file
        operation_id = operation.value.get("operationId")
        if operation_id is None:
            found.append(
                Diagnostic(
                    "operation/missing-id",
                    f"{operation.label} has no operationId; the client names its method "
                    "after the method and path",
                    file,
                    operation.pointer,
                    Severity.WARNING,
                )
            )
        elif isinstance(operation_id, str):
            first = first_by_id.setdefault(operation_id, operation)
            if first is not operation:
                found.append(
                    Diagnostic(
                        "operation/duplicate-id",
                        f"operationId {operation_id!r} is already used by {first.label}",
                        file,
                        operation.pointer + "/operationId",
                    )
                )
        template = set() if operation.webhook else set(_TEMPLATE.findall(operation.path))
        item_key = (operation.path_item_document.path_key, operation.path_item_pointer)
        item_params = _parameters(
            resolver, operation.path_item, operation.path_item_document, operation.path_item_pointer
        )
        own_params = _parameters(resolver, operation.value, operation.document, operation.pointer)
        if item_key not in checked_path_items:
            checked_path_items.add(item_key)
            found.extend(_duplicates(item_params))
            found.extend(_not_in_template(item_params, template, operation.path))
        found.extend(_duplicates(own_params))
        found.extend(_not_in_template(own_params, template, operation.path))
        declared = {name for (name, where), _ in [*item_params, *own_params] if where == "path"}
        for name in sorted(template - declared):
            found.append(
                Diagnostic(
                    "operation/undeclared-path-parameter",
                    f"path parameter {name!r} of {operation.path} is not declared for "
                    f"{operation.method.upper()}",
                    file,
                    operation.pointer,
                )
            )
    return found


_Param = tuple[tuple[str, str], Diagnostic]
"""((name, in), a diagnostic template located at the parameter)"""


def _parameters(
    resolver: Resolver, owner: dict[str, Any], document: Any, pointer: str
) -> list[_Param]:
    parameters = owner.get("parameters")
    if not isinstance(parameters, list):
        return []
    found: list[_Param] = []
    for index, parameter in enumerate(parameters):
        parameter_pointer = join_pointer(pointer, "parameters", index)
        target = resolver.follow(parameter, document, parameter_pointer)
        if target is None or not isinstance(target.value, dict):
            continue
        name, where = target.value.get("name"), target.value.get("in")
        if isinstance(name, str) and isinstance(where, str):
            here = Diagnostic("", "", document.file, parameter_pointer, Severity.ERROR)
            found.append(((name, where), here))
    return found


def _duplicates(parameters: list[_Param]) -> list[Diagnostic]:
    seen: set[tuple[str, str]] = set()
    found: list[Diagnostic] = []
    for key, here in parameters:
        if key in seen:
            found.append(
                Diagnostic(
                    "operation/duplicate-parameter",
                    f"parameter {key[0]!r} in {key[1]} is declared more than once",
                    here.file,
                    here.pointer,
                )
            )
        seen.add(key)
    return found


def _not_in_template(parameters: list[_Param], template: set[str], path: str) -> list[Diagnostic]:
    return [
        Diagnostic(
            "operation/unknown-path-parameter",
            f"path parameter {name!r} is not in the path template {path}",
            here.file,
            here.pointer,
        )
        for (name, where), here in parameters
        if where == "path" and name not in template
    ]
