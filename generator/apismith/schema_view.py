"""OpenAPI Schema Objects seen as standalone JSON Schema 2020-12 documents.

Each schema is translated once per direction and stored as a numbered ``$defs`` entry;
``$ref`` becomes a reference to the entry of its target, so cycles cost nothing and a
bundle (a schema plus every entry it reaches) is self-contained.

The translation gives the document's own semantics to a plain JSON Schema validator:

- OpenAPI 3.0 terms are folded into 3.1 ones: ``nullable: true`` adds ``null`` to
  ``type`` (and to ``enum``); ``exclusiveMinimum: true`` with ``minimum`` becomes the
  numeric ``exclusiveMinimum`` (likewise for the maximum); siblings of ``$ref`` are
  ignored, as 3.0 says.
- ``nullable: true`` beside a schema without ``type`` (GitHub's REST spec puts it beside
  ``anyOf``, ``allOf`` and ``$ref``) accepts ``null`` as well: it is the reading users
  mean, and most validators take it. Strict readers (openapi-core) reject ``null``
  there because ``nullable`` only qualifies ``type``; we do not.
- Direction: in a request, ``readOnly`` properties are not required and must not be
  sent; in a response, ``writeOnly`` properties are not required and must not be
  returned. In the ``any`` direction (a component on its own, a schema's own
  ``example``) neither kind is required and both are allowed.
- Annotations (``description``, ``example``, ``discriminator``, ``x-*`` ...) are dropped:
  only assertion keywords reach the validator.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from apismith.diagnostics import escape_pointer_token, join_pointer
from apismith.load import Document
from apismith.refs import Resolver

Direction = Literal["request", "response", "any"]
DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"

# keyword -> how its value holds subschemas
_ONE = frozenset(
    {
        "items",
        "additionalProperties",
        "not",
        "contains",
        "if",
        "then",
        "else",
        "propertyNames",
        "unevaluatedProperties",
        "unevaluatedItems",
        "additionalItems",
        "contentSchema",
    }
)
_LIST = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})
_MAP = frozenset({"properties", "patternProperties", "dependentSchemas", "$defs", "definitions"})
_PLAIN = frozenset(
    {
        "type",
        "enum",
        "const",
        "format",
        "multipleOf",
        "maximum",
        "minimum",
        "exclusiveMaximum",
        "exclusiveMinimum",
        "maxLength",
        "minLength",
        "pattern",
        "maxItems",
        "minItems",
        "uniqueItems",
        "maxContains",
        "minContains",
        "maxProperties",
        "minProperties",
        "required",
        "dependentRequired",
    }
)


def schema_keywords(schema: dict[str, Any], pointer: str) -> Iterator[tuple[str, Any]]:
    """The direct subschemas of ``schema`` with their pointers (no ``$ref`` following)."""
    for keyword, value in schema.items():
        if keyword in _ONE:
            if isinstance(value, (dict, bool)):
                yield f"{pointer}/{keyword}", value
            elif keyword == "items" and isinstance(value, list):
                for index, item in enumerate(value):
                    yield f"{pointer}/{keyword}/{index}", item
        elif keyword in _LIST:
            if isinstance(value, list):
                for index, item in enumerate(value):
                    yield f"{pointer}/{keyword}/{index}", item
        elif keyword in _MAP and isinstance(value, dict):
            for name, item in value.items():
                yield f"{pointer}/{keyword}/{_token(name)}", item


def _token(name: str) -> str:
    return escape_pointer_token(name) if "/" in name or "~" in name else name


@dataclass
class _Entry:
    name: str
    origin: str
    direction: Direction
    document: Document
    pointer: str
    source: Any = None
    schema: Any = None
    refs: set[str] = field(default_factory=set)


class SchemaView:
    """Translates the schemas of one spec (and the files it references) on demand."""

    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver
        version = resolver.root.data.get("openapi") if isinstance(resolver.root.data, dict) else ""
        self.v30 = isinstance(version, str) and version.startswith("3.0")
        self._entries: dict[tuple[str, str, Direction], _Entry] = {}
        self._by_name: dict[str, _Entry] = {}
        self._current: _Entry | None = None
        self._pending: list[_Entry] = []

    def define(self, document: Document, pointer: str, value: Any, direction: Direction) -> str:
        """The ``$defs`` name of the schema at ``pointer`` of ``document``, translated
        together with every schema it references (a work list, not recursion, so long
        chains of references cannot exhaust the stack)."""
        name = self._register(document, pointer, value, direction)
        if self._current is None:
            try:
                while self._pending:
                    entry = self._current = self._pending.pop()
                    entry.schema = self._schema(
                        entry.source, entry.document, entry.pointer, entry.direction
                    )
            finally:
                for entry in self._pending:  # only left behind when translation failed
                    entry.schema = True
                if self._current is not None and self._current.schema is None:
                    self._current.schema = True
                self._current = None
                self._pending.clear()
        return name

    def _register(self, document: Document, pointer: str, value: Any, direction: Direction) -> str:
        key = (document.path_key, pointer, direction)
        entry = self._entries.get(key)
        if entry is not None:
            return entry.name
        name = f"s{len(self._entries)}"
        origin = pointer if document is self.resolver.root else f"{document.file}#{pointer}"
        entry = _Entry(name, origin, direction, document, pointer, value)
        self._entries[key] = entry
        self._by_name[name] = entry
        self._pending.append(entry)
        return name

    def bundle(self, name: str) -> dict[str, Any]:
        """A self-contained JSON Schema for the entry ``name`` and everything it reaches."""
        defs: dict[str, Any] = {}
        pending = [name]
        while pending:
            current = self._by_name[pending.pop()]
            if current.name in defs:
                continue
            defs[current.name] = current.schema
            pending.extend(r for r in current.refs if r not in defs)
        return {"$schema": DRAFT_2020_12, "$ref": f"#/$defs/{name}", "$defs": defs}

    def standalone(self, name: str) -> Any:
        """The translated schema of ``name`` when it references nothing, else None."""
        entry = self._by_name[name]
        return None if entry.refs else entry.schema

    def origin(self, schema_path: list[str | int] | tuple[str | int, ...]) -> str:
        """Where a keyword of a bundle came from in the spec (``#/components/...``)."""
        if len(schema_path) >= 2 and schema_path[0] == "$defs":
            entry = self._by_name.get(str(schema_path[1]))
            if entry is not None:
                rest = join_pointer("", *schema_path[2:])
                base = entry.origin if "#" in entry.origin else "#" + entry.origin
                return base + rest
        return "#" + join_pointer("", *schema_path)

    def nearest_title(self, schema_path: list[str | int] | tuple[str | int, ...]) -> str | None:
        """The ``title`` of the innermost spec schema around the keyword at ``schema_path``
        of a bundle (titles name the rule an ``anyOf`` or ``if`` expresses)."""
        if len(schema_path) < 3 or schema_path[0] != "$defs":
            return None
        entry = self._by_name.get(str(schema_path[1]))
        node = entry.source if entry is not None else None
        title = None
        for token in schema_path[2:-1]:
            if isinstance(node, dict) and isinstance(node.get("title"), str):
                title = node["title"]
            if isinstance(node, dict) and str(token) in node:
                node = node[str(token)]
            elif isinstance(node, list) and isinstance(token, int) and token < len(node):
                node = node[token]
            else:
                return title
        if isinstance(node, dict) and isinstance(node.get("title"), str):
            title = node["title"]
        return title

    # translation

    def _schema(self, node: Any, document: Document, pointer: str, direction: Direction) -> Any:
        if isinstance(node, bool):
            return node
        if not isinstance(node, dict):
            return True  # not a schema; the structure check reports it
        if "$ref" in node:
            ref = self._ref(node["$ref"], document, pointer)
            if self.v30 or len(node) == 1:
                if self.v30 and node.get("nullable") is True:
                    return {"anyOf": [ref, {"type": "null"}]}
                return ref
        out: dict[str, Any] = {}
        for keyword, value in node.items():
            if keyword in _PLAIN:
                out[keyword] = value
            elif keyword == "$ref":
                out.update(self._ref(value, document, pointer))
            elif keyword in _ONE:
                if isinstance(value, (dict, bool)):
                    child = f"{pointer}/{keyword}"
                    out[keyword] = self._schema(value, document, child, direction)
            elif keyword in _LIST:
                if isinstance(value, list):
                    out[keyword] = [
                        self._schema(item, document, f"{pointer}/{keyword}/{index}", direction)
                        for index, item in enumerate(value)
                    ]
            elif keyword == "discriminator":
                found = self._discriminator(node, value, document, pointer)
                if found is not None:
                    out[keyword] = found
            elif keyword in _MAP and isinstance(value, dict):
                out[keyword] = {
                    name: self._schema(
                        item,
                        document,
                        f"{pointer}/{keyword}/{_token(name)}",
                        direction,
                    )
                    for name, item in value.items()
                }
        if self.v30:
            self._fold_30(node, out)
        if out.get("properties"):
            self._direct(node, out, document, pointer, direction)
        if (
            self.v30
            and node.get("nullable") is True
            and "type" not in node
            and ("allOf" in out or "anyOf" in out or "oneOf" in out or "not" in out)
        ):
            return {"anyOf": [out, {"type": "null"}]}
        return out

    def _discriminator(
        self, node: dict[str, Any], value: Any, document: Document, pointer: str
    ) -> dict[str, Any] | None:
        """``{propertyName, mapping: {tag: {$ref: #/$defs/..}}}``, with the implicit tags
        (a variant's component name) added. JSON Schema validators ignore it; the request
        check of generated clients uses it to pick the tagged form."""
        if not isinstance(value, dict) or not isinstance(value.get("propertyName"), str):
            return None
        mapping: dict[str, Any] = {}
        for keyword in ("oneOf", "anyOf"):
            for variant in node.get(keyword) or []:
                ref = variant.get("$ref") if isinstance(variant, dict) else None
                if isinstance(ref, str) and "/components/schemas/" in ref:
                    mapping[ref.rsplit("/", 1)[-1]] = self._ref(ref, document, pointer)
        for tag, ref in (value.get("mapping") or {}).items():
            if isinstance(ref, str):
                target = ref if "/" in ref or "#" in ref else f"#/components/schemas/{ref}"
                mapping[str(tag)] = self._ref(target, document, f"{pointer}/discriminator")
        return {"propertyName": value["propertyName"], "mapping": mapping}

    def _ref(self, ref: Any, document: Document, pointer: str) -> dict[str, Any]:
        target = self.resolver.follow({"$ref": ref}, document, pointer)
        if target is None:
            return {}  # broken: the references check reports it; accept anything here
        assert self._current is not None
        current = self._current
        name = self._register(target.document, target.pointer, target.value, current.direction)
        current.refs.add(name)
        return {"$ref": f"#/$defs/{name}"}

    @staticmethod
    def _fold_30(node: dict[str, Any], out: dict[str, Any]) -> None:
        if "exclusiveMinimum" in node or "exclusiveMaximum" in node:
            for bound, exclusive in (
                ("minimum", "exclusiveMinimum"),
                ("maximum", "exclusiveMaximum"),
            ):
                flag = node.get(exclusive)
                if isinstance(flag, bool):
                    del out[exclusive]
                    if flag and bound in out:
                        out[exclusive] = out.pop(bound)
        if node.get("nullable") is True:
            kind = out.get("type")
            if isinstance(kind, str):
                out["type"] = [kind, "null"]
            enum = out.get("enum")
            if isinstance(enum, list) and None not in enum:
                out["enum"] = [*enum, None]

    def _direct(
        self,
        node: dict[str, Any],
        out: dict[str, Any],
        document: Document,
        pointer: str,
        direction: Direction,
    ) -> None:
        """Apply readOnly/writeOnly to the properties of one object schema."""
        hidden: list[str] = []
        for name, schema in node.get("properties", {}).items():
            flags = self._flags(schema, document, f"{pointer}/properties/{_token(name)}")
            if ("readOnly" in flags and direction != "response") or (
                "writeOnly" in flags and direction != "request"
            ):
                hidden.append(name)
                if direction != "any":
                    out["properties"][name] = False
        required = out.get("required")
        if hidden and isinstance(required, list):
            out["required"] = [name for name in required if name not in hidden]

    def _flags(self, schema: Any, document: Document, pointer: str) -> set[str]:
        if not isinstance(schema, dict):
            return set()
        flags = {flag for flag in ("readOnly", "writeOnly") if schema.get(flag) is True}
        if not flags and "$ref" in schema:
            target = self.resolver.follow(schema, document, pointer)
            if target is not None and isinstance(target.value, dict):
                flags = {f for f in ("readOnly", "writeOnly") if target.value.get(f) is True}
        return flags
