"""The OpenAPI meta-schema check (3.0 and 3.1), mapped back to JSON pointers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from apismith.diagnostics import Diagnostic, Severity, join_pointer
from apismith.load import Document


def check_structure(document: Document) -> list[Diagnostic]:
    """Every meta-schema violation of the document, one diagnostic each."""
    data = document.data
    if not isinstance(data, dict):
        return [
            Diagnostic("structure/not-an-object", "an OpenAPI document is a mapping", document.file)
        ]
    version = data.get("openapi")
    if not isinstance(version, str) or not version.startswith(("3.0", "3.1")):
        return [
            Diagnostic(
                "structure/version",
                f"'openapi' must be a 3.0.x or 3.1.x version string, not {version!r}",
                document.file,
                "/openapi" if "openapi" in data else "",
            )
        ]
    return [
        Diagnostic("structure/schema", message, document.file, pointer, Severity.ERROR)
        for pointer, message in _meta_schema_errors(data, version)
    ]


def _meta_schema_errors(data: dict[str, Any], version: str) -> Iterator[tuple[str, str]]:
    from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator

    validator_class = (
        OpenAPIV31SpecValidator if version.startswith("3.1") else OpenAPIV30SpecValidator
    )
    for error in validator_class(data).iter_errors():
        path = list(getattr(error, "absolute_path", None) or getattr(error, "path", None) or [])
        yield join_pointer("", *path), str(getattr(error, "message", error))
