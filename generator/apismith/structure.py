"""The OpenAPI meta-schema check (3.0 and 3.1), mapped back to JSON pointers.

The check is openapi-spec-validator's. Its Rust companion, openapi-spec-validator-rs,
gives the same findings some fifty times faster and is used when it is installed (a
test holds the two to the same verdicts on every broken spec under ``tests/specs``).
Remote references are never fetched here.

The reference validator also checks operation ids and path parameters; those findings
are left to :mod:`apismith.lint.operations`, which locates them precisely. Findings about
a Schema Object carry a path relative to that schema; they are located by finding the
schema they belong to.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from apismith.diagnostics import Diagnostic, Severity, join_pointer, split_pointer
from apismith.load import Document

RULE = "structure/schema"
DEFAULT_RULE = "structure/default"
"""A ``default`` its own schema rejects."""
_LEFT_TO_OPERATIONS = frozenset(
    {
        "DuplicateOperationIDError",
        "UnresolvableParameterError",
        "ParameterDuplicateError",
        "ExtraParametersError",
    }
)

Finding = tuple[str, list[str | int], str]
"""(kind of finding, path in the document or in a schema, message)"""


def check_structure(
    document: Document, broken_refs: Iterable[str] = (), engine: str = "auto"
) -> list[Diagnostic]:
    """Every meta-schema violation of the document, one diagnostic each.

    ``broken_refs`` are pointers of ``$ref`` keys known not to resolve: the validator
    would stop at the first of them, so their objects are blanked out first.
    ``engine`` is ``"rs"``, ``"python"`` or ``"auto"`` (rs when installed).
    """
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
    patched = _without(data, broken_refs)
    # a JSON file unchanged is handed over as the bytes it was parsed from: parsing them
    # natively is faster than converting the parsed document
    raw = document.raw if patched is data else None
    data = patched
    try:
        findings = list(_engine(engine)(data, version[:3], _base_uri(document), raw))
    except Exception as error:  # the validator gave up: fall back to the meta-schema alone
        findings = list(_meta_schema_only(data, version[:3]))
        reason = str(error) or type(error).__name__
        note = Diagnostic(
            "structure/aborted",
            f"the deeper structure checks stopped ({reason}); only the meta-schema was checked",
            document.file,
            "",
            Severity.INFO if findings else Severity.ERROR,
        )
        return [note, *_diagnostics(document, data, findings)]
    return _diagnostics(document, data, findings)


def _diagnostics(document: Document, data: Any, findings: list[Finding]) -> list[Diagnostic]:
    diagnostics: list[Diagnostic] = []
    schemas: list[tuple[str, Any]] | None = None
    defaults: _Defaults | None = None
    for kind, path, message in findings:
        if kind in _LEFT_TO_OPERATIONS:
            continue
        pointer, rule = join_pointer("", *path), RULE
        if path and not _exists(data, path):
            schemas = _schema_objects(data) if schemas is None else schemas
            pointer = _locate_in_schema(schemas, path)
        elif not path:
            defaults = _Defaults(data) if defaults is None else defaults
            found = defaults.take(message)
            if found is not None:
                pointer, rule = found, DEFAULT_RULE
        diagnostics.append(Diagnostic(rule, message, document.file, pointer, Severity.ERROR))
    return diagnostics


class _Defaults:
    """The validator checks each schema's ``default`` against the schema but reports a
    failure with no path; its message opens with the failing value. This finds the
    ``default`` whose value opens the message, in document order."""

    def __init__(self, data: Any) -> None:
        self.pending = [
            (f"{pointer}/default", repr(value["default"]))
            for pointer, value in _schema_objects(data)
            if "default" in value
        ]
        self.reported: list[tuple[str, str]] = []

    def take(self, message: str) -> str | None:
        """The first matching default not yet reported, else the last one reported (one
        default can fail more than one way)."""
        for index, (pointer, shown) in enumerate(self.pending):
            if message.startswith(shown + " "):
                self.reported.append(self.pending.pop(index))
                return pointer
        for pointer, shown in reversed(self.reported):
            if message.startswith(shown + " "):
                return pointer
        return None


def _base_uri(document: Document) -> str:
    return document.path.resolve().as_uri()


def _refuse(url: str) -> bytes:
    raise OSError(f"remote reference {url!r} is not fetched")


def _meta_schema_only(data: Any, version: str) -> Iterator[Finding]:
    """The OpenAPI meta-schema alone (openapi-spec-validator's copy), for when the full
    check cannot finish."""
    import json
    from importlib.resources import files

    import jsonschema_rs

    folder = "v3.1" if version == "3.1" else "v3.0"
    resource = files("openapi_spec_validator") / "resources" / "schemas" / folder / "schema.json"
    validator = jsonschema_rs.validator_for(json.loads(resource.read_text("utf-8")))
    for error in validator.iter_errors(data):
        yield "OpenAPIValidationError", list(error.instance_path), str(error.message)


Engine = Callable[[dict[str, Any], str, str, "bytes | None"], Iterator[Finding]]


def _engine(name: str) -> Engine:
    if name in ("auto", "rs"):
        try:
            from openapi_spec_validator_rs import _core
            from openapi_spec_validator_rs.exceptions import SpecReadError
        except ImportError:
            if name == "rs":
                raise
        else:

            def run_rs(
                data: dict[str, Any], version: str, base_uri: str, raw: bytes | None
            ) -> Iterator[Finding]:
                errors = None
                if raw is not None:
                    # its own reader refuses some valid JSON (surrogate-pair escapes):
                    # then the parsed document is handed over instead
                    with contextlib.suppress(SpecReadError):
                        errors = _core.validate_bytes(
                            raw, base_uri, base_uri, version, True, _refuse
                        )
                if errors is None:
                    errors = _core.validate(data, version, base_uri, True, _refuse)
                for error in errors:
                    yield str(error.kind), list(error.instance_path), str(error.message)

            return run_rs
    return _run_python


def _run_python(
    data: dict[str, Any], version: str, base_uri: str, raw: bytes | None = None
) -> Iterator[Finding]:
    from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator

    validator_class = OpenAPIV31SpecValidator if version == "3.1" else OpenAPIV30SpecValidator
    for error in validator_class(data, base_uri=base_uri).iter_errors():
        path = list(getattr(error, "absolute_path", None) or [])
        yield type(error).__name__, path, str(getattr(error, "message", error))


def _exists(data: Any, path: Sequence[str | int]) -> bool:
    for token in path:
        if isinstance(data, dict):
            key = token if token in data else str(token)  # the reference gives 200 for "200"
            if key not in data:
                return False
            data = data[key]
            continue
        if not (isinstance(data, list) and isinstance(token, int) and 0 <= token < len(data)):
            return False
        data = data[token]
    return True


def _schema_objects(data: Any) -> list[tuple[str, Any]]:
    """Every mapping in the document with its pointer (used only when something failed)."""
    found: list[tuple[str, Any]] = []
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        pointer, value = stack.pop()
        if isinstance(value, dict):
            found.append((pointer, value))
            stack.extend((join_pointer(pointer, k), v) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((join_pointer(pointer, i), v) for i, v in enumerate(value))
    found.reverse()
    return found


def _locate_in_schema(schemas: list[tuple[str, Any]], path: Sequence[str | int]) -> str:
    """The first schema-like mapping under ``/components`` or ``/paths`` in which the
    schema-relative ``path`` exists."""
    for pointer, value in schemas:
        if pointer.startswith(("/components", "/paths", "/webhooks")) and _exists(value, path):
            return join_pointer(pointer, *path)
    return ""


def _without(data: dict[str, Any], ref_pointers: Iterable[str]) -> dict[str, Any]:
    """A shallow-copied document where each object holding a broken ``$ref`` is ``{}``."""
    result = data
    for ref_pointer in ref_pointers:
        tokens = split_pointer(ref_pointer)
        if len(tokens) < 2 or tokens[-1] != "$ref":
            continue
        result = _replace(result, tokens[:-1])
    return result


def _replace(node: Any, tokens: list[str]) -> Any:
    if not tokens:
        return {}
    head, rest = tokens[0], tokens[1:]
    if isinstance(node, dict) and head in node:
        copy = dict(node)
        copy[head] = _replace(node[head], rest)
        return copy
    if isinstance(node, list) and head.isdigit() and int(head) < len(node):
        items = list(node)
        items[int(head)] = _replace(node[int(head)], rest)
        return items
    return node
