"""Examples: every documented example is valid against its schema, with the document's
own semantics (see :mod:`apismith.schema_view`).

Each error of each example is reported at its place inside the example. An Example
Object marked ``x-apismith-invalid: true`` documents a payload the API rejects: it must
fail validation, and passing is the finding.
"""

from __future__ import annotations

from typing import Any

from apismith.diagnostics import Diagnostic, Severity, join_pointer
from apismith.lint.sites import Holder, Sites, iter_examples
from apismith.load import Document
from apismith.schema_view import Direction
from apismith.validate import CompiledSchema, PayloadValidator, UnusableSchema

INVALID_MARK = "x-apismith-invalid"


def check_examples(validators: PayloadValidator, sites: Sites) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    done: set[tuple[str, str, int]] = set()
    for holder in sites.holders:
        schema_holder = _schema_holder(holder)
        if schema_holder is None:
            continue
        schema_pointer, schema = schema_holder
        compiled: CompiledSchema | None = None
        for document, pointer, value, example_object in iter_examples(validators.resolver, holder):
            if compiled is None:
                compiled = _compile(
                    validators, found, holder.document, schema_pointer, schema, holder.direction
                )
                if compiled is None:
                    break
            key = (document.file, pointer, id(compiled))
            if key in done:
                continue
            done.add(key)
            expect_invalid = bool(example_object and example_object.get(INVALID_MARK) is True)
            found.extend(_judge(compiled, value, key[0], pointer, expect_invalid, holder.direction))
    for site in sites.schemas:
        schema = site.value
        values: list[tuple[str, Any]] = []
        if "example" in schema:
            values.append((join_pointer(site.pointer, "example"), schema["example"]))
        examples = schema.get("examples")
        if isinstance(examples, list) and not validators.view.v30:
            values.extend(
                (join_pointer(site.pointer, "examples", i), v) for i, v in enumerate(examples)
            )
        if not values:
            continue
        compiled = _compile(validators, found, site.document, site.pointer, schema, "any")
        if compiled is None:
            continue
        for pointer, value in values:
            found.extend(_judge(compiled, value, site.document.file, pointer, False, "any"))
    return found


def _compile(
    validators: PayloadValidator,
    found: list[Diagnostic],
    document: Document,
    pointer: str,
    schema: Any,
    direction: Direction,
) -> CompiledSchema | None:
    try:
        return validators.for_schema(document, pointer, schema, direction)
    except UnusableSchema as error:
        diagnostic = Diagnostic(
            "example/unusable-schema",
            f"the examples here are not checked: the schema cannot be used ({error})",
            document.file,
            pointer,
            Severity.WARNING,
        )
        if diagnostic not in found:
            found.append(diagnostic)
        return None


def _schema_holder(holder: Holder) -> tuple[str, Any] | None:
    if "schema" in holder.value:
        return join_pointer(holder.pointer, "schema"), holder.value["schema"]
    return None


def _judge(
    compiled: CompiledSchema,
    value: Any,
    file: str,
    pointer: str,
    expect_invalid: bool,
    direction: str,
) -> list[Diagnostic]:
    errors = compiled.errors(value)
    if expect_invalid:
        if errors:
            return []
        return [
            Diagnostic(
                "example/unexpectedly-valid",
                f"this example is marked {INVALID_MARK}: true but its value is valid",
                file,
                pointer,
            )
        ]
    where = "" if direction == "any" else f" (as a {direction})"
    return [
        Diagnostic(
            "example/invalid",
            f"example does not match its schema{where}: {error.message} [{error.schema_location}]",
            file,
            pointer + error.pointer,
        )
        for error in errors
    ]
