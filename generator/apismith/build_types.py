"""OpenAPI schemas -> IR types.

Named types are registered as stubs before their bodies are built, so recursive and
mutually recursive schemas need no second pass. Component schemas take their own
names first; an inline schema that needs a name (an object, an enum) gets one derived
from where it stands (``Parent`` + ``Property``, ``Parent`` + ``Item``, ...). When that
name is taken, the name spelled from its whole JSON pointer is used instead, so names
never depend on the order in which schemas were reached.

3.0 and 3.1 are read in one vocabulary: ``nullable: true``, ``type: [x, "null"]``, a
``null`` enum member and a ``{type: null}`` variant all make a type nullable.
"""

from __future__ import annotations

import collections
from collections.abc import Mapping
from typing import Any, TypeVar

from apismith import ir
from apismith.diagnostics import Diagnostic, Severity, join_pointer
from apismith.load import Document
from apismith.naming import pascal_case
from apismith.refs import Resolver

_PRIMITIVES: dict[str, ir.PrimitiveKind] = {
    "string": "string",
    "integer": "integer",
    "number": "number",
    "boolean": "boolean",
    "null": "null",
}
_ANY = ir.Primitive("any")
_Wrapper = TypeVar("_Wrapper", ir.NullableType, ir.ArrayType)
_NOT_PLAIN = frozenset(
    {"enum", "const", "oneOf", "anyOf", "allOf", "nullable", "items", "properties",
     "additionalProperties", "contentEncoding", "contentMediaType"}
)  # fmt: skip
"""Keywords that make a schema with a primitive ``type`` more than that primitive."""


class TypeBuilder:
    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver
        self.types: dict[str, ir.NamedTypeDef] = {}
        self.diagnostics: list[Diagnostic] = []
        self._names: dict[tuple[str, str], str] = {}
        self._taken: set[str] = set()
        self._primitives: dict[tuple[ir.PrimitiveKind, str | None], ir.Primitive] = {}
        self._named_types: dict[str, ir.NamedType] = {}
        self._wrappers: dict[tuple[type, int], Any] = {}

    # --- naming ----------------------------------------------------------------------

    def register_components(self, document: Document) -> None:
        """Reserve every component schema's own name before anything inline is named."""
        schemas = (document.data.get("components") or {}).get("schemas") or {}
        if isinstance(schemas, dict):
            for name in schemas:
                self._claim(name, (document.path_key, join_pointer("/components/schemas", name)))

    def _claim(self, name: str, key: tuple[str, str]) -> str:
        self._names[key] = name
        self._taken.add(name)
        return name

    def _inline_name(self, hint: str, key: tuple[str, str]) -> str:
        known = self._names.get(key)
        if known is not None:
            return known
        name = hint
        if name in self._taken:
            name = pascal_case(key[1].replace("/", " ")) or "Schema"
        while name in self._taken:
            name += "_"
        return self._claim(name, key)

    # --- types -----------------------------------------------------------------------

    def component(self, document: Document, name: str) -> ir.TypeRef:
        pointer = join_pointer("/components/schemas", name)
        schema = document.data["components"]["schemas"][name]
        return self._named(document, pointer, schema, name, is_component=True)

    def type_of(self, schema: Any, document: Document, pointer: str, hint: str) -> ir.TypeRef:
        """The type of ``schema`` found at ``pointer``; ``hint`` names it if it needs a name."""
        plain = self._plain_type_of(schema, document, pointer)
        return plain if plain is not None else self._type_of(schema, document, pointer, hint)

    def _plain_type_of(self, schema: Any, document: Document, pointer: str) -> ir.TypeRef | None:
        """The type of ``schema`` when no name is needed to say it (a primitive, a type
        named already, no schema at all), else None: a caller spares itself the hint."""
        if isinstance(schema, bool):
            return _ANY
        if not isinstance(schema, dict):
            self._problem(
                "schema/not-an-object", "a schema must be an object or a boolean", document, pointer
            )
            return _ANY
        if "$ref" in schema:
            return None
        key = (document.path_key, pointer)
        if key in self._names:
            return self._named_type(self._names[key])
        kind = schema.get("type")
        if type(kind) is str and kind in _PRIMITIVES and _NOT_PLAIN.isdisjoint(schema):
            # most schemas of a big spec: a plain string, number or boolean
            fmt = schema.get("format")
            return self._primitive(_PRIMITIVES[kind], fmt if isinstance(fmt, str) else None)
        return None

    def _type_of(
        self, schema: dict[str, Any], document: Document, pointer: str, hint: str
    ) -> ir.TypeRef:
        if "$ref" in schema:
            return self._reference(schema, document, pointer, hint)
        nullable, schema = _split_nullable(schema)
        inner = self._unnamed_or_named(schema, document, pointer, hint)
        return (
            self._wrapped(ir.NullableType, inner)
            if nullable and inner != ir.Primitive("null")
            else inner
        )

    def _primitive(self, kind: ir.PrimitiveKind, fmt: str | None) -> ir.Primitive:
        """One object per kind and format, and below one per name: the thousands of fields
        of a big spec that share a type share the object, so the render, which remembers
        each type object's spelling, spells it once."""
        known = self._primitives.get((kind, fmt))
        if known is None:
            known = self._primitives[(kind, fmt)] = ir.Primitive(kind, fmt)
        return known

    def _named_type(self, name: str) -> ir.NamedType:
        known = self._named_types.get(name)
        if known is None:
            known = self._named_types[name] = ir.NamedType(name)
        return known

    def _wrapped(self, kind: type[_Wrapper], inner: ir.TypeRef) -> _Wrapper:
        """``kind(inner)``, one object per inner type object (see ``_primitive``); the
        object made holds ``inner``, so no other object takes its id."""
        key = (kind, id(inner))
        known: _Wrapper | None = self._wrappers.get(key)
        if known is None:
            known = self._wrappers[key] = kind(inner)
        return known

    def _reference(
        self, schema: dict[str, Any], document: Document, pointer: str, hint: str
    ) -> ir.TypeRef:
        target = self.resolver.resolve(schema["$ref"], document, pointer + "/$ref")
        if target is None:
            return _ANY
        name = self._names.get(target.key)
        if name is not None:
            inner: ir.TypeRef = self._named_type(name)
        else:
            tokens = [t for t in target.pointer.split("/") if t]
            own_name = tokens[-1] if tokens else target.document.path.stem
            if target.pointer.startswith("/components/schemas/") and len(tokens) == 3:
                name = self._claim_component(own_name, target.key)
            else:
                name = self._inline_name(pascal_case(own_name) or hint, target.key)
            inner = self._named(
                target.document, target.pointer, target.value, name, is_component=True
            )
        nullable = (
            schema.get("nullable") is True
        )  # 3.0 siblings of $ref are ignored but nullable is meant
        return self._wrapped(ir.NullableType, inner) if nullable else inner

    def _claim_component(self, name: str, key: tuple[str, str]) -> str:
        """A component schema of another file: its own name if free."""
        while name in self._taken:
            name += "_"
        return self._claim(name, key)

    def _named(
        self, document: Document, pointer: str, schema: Any, name: str, *, is_component: bool
    ) -> ir.TypeRef:
        key = (document.path_key, pointer)
        self._names.setdefault(key, name)
        self._taken.add(name)
        if name in self.types:
            return self._named_type(name)
        source = ir.Source(document.file, pointer)
        if not isinstance(schema, dict) or "$ref" in schema:
            self.types[name] = ir.Alias(name, _ANY, source)  # stub
            target = (
                self._reference(schema, document, pointer, name)
                if isinstance(schema, dict)
                else _ANY
            )
            self.types[name] = ir.Alias(name, target, source)
            return self._named_type(name)
        nullable, plain = _split_nullable(schema)
        if (
            _is_object(plain)
            and not _is_map(plain)
            and not self._wraps_value(plain, document, pointer)
        ):
            self.types[name] = ir.Alias(name, _ANY, source)  # stub
            self.types[name] = self._model(plain, document, pointer, name)
            return (
                self._wrapped(ir.NullableType, self._named_type(name))
                if nullable
                else self._named_type(name)
            )
        if "enum" in plain and not ("allOf" in plain or "oneOf" in plain or "anyOf" in plain):
            self.types[name] = self._enum(plain, document, pointer, name, nullable)
            return self._named_type(name)
        self.types[name] = ir.Alias(name, _ANY, source)  # stub
        target = self._structural(plain, document, pointer, name)
        if nullable:
            target = self._wrapped(ir.NullableType, target)
        self.types[name] = ir.Alias(
            name,
            target,
            source,
            text_of(schema.get("description")),
            extensions_of(schema),
        )
        return self._named_type(name)

    def _unnamed_or_named(
        self, schema: dict[str, Any], document: Document, pointer: str, hint: str
    ) -> ir.TypeRef:
        part = _wrapped_part(schema)
        if part is not None:  # `allOf: [$ref, {description}]` beside annotations: the part
            return self.type_of(schema["allOf"][part], document, f"{pointer}/allOf/{part}", hint)
        if (_is_object(schema) and not _is_map(schema)) or (
            "enum" in schema and not ("allOf" in schema or "oneOf" in schema or "anyOf" in schema)
        ):
            if "enum" in schema and len(schema["enum"]) == 1 and not _is_object(schema):
                return ir.ConstType(schema["enum"][0])
            name = self._inline_name(hint, (document.path_key, pointer))
            return self._named(document, pointer, schema, name, is_component=False)
        return self._structural(schema, document, pointer, hint)

    def _structural(
        self, schema: dict[str, Any], document: Document, pointer: str, hint: str
    ) -> ir.TypeRef:
        if "const" in schema:
            return ir.ConstType(schema["const"])
        for keyword in ("oneOf", "anyOf"):
            if isinstance(schema.get(keyword), list):
                return self._union(schema, keyword, document, pointer, hint)
        if isinstance(schema.get("allOf"), list):
            parts = schema["allOf"]
            object_parts = [
                p
                for p, _, _ in self._all_of_parts(schema, document, pointer)
                if p.get("properties")
            ]
            if not object_parts and parts:
                part = _wrapped_part(schema) or 0
                return self.type_of(parts[part], document, f"{pointer}/allOf/{part}", hint)
            name = self._inline_name(hint, (document.path_key, pointer))
            return self._named(
                document, pointer, {**schema, "type": "object"}, name, is_component=False
            )
        kinds = _types(schema)
        if len(kinds) > 1:
            return ir.UnionType(
                tuple(self._single(schema, k, document, pointer, hint) for k in kinds)
            )
        return self._single(schema, kinds[0] if kinds else None, document, pointer, hint)

    def _single(
        self, schema: dict[str, Any], kind: str | None, document: Document, pointer: str, hint: str
    ) -> ir.TypeRef:
        if kind == "array" or (kind is None and "items" in schema):
            items = schema.get("items", True)
            items_type = self.type_of(items, document, f"{pointer}/items", hint + "Item")
            return self._wrapped(ir.ArrayType, items_type)
        if kind == "object" or (kind is None and _is_object(schema)):
            return self._map(schema, document, pointer, hint)
        if kind in _PRIMITIVES:
            fmt = schema.get("format")
            if kind == "string" and schema.get("contentEncoding") == "base64":
                fmt = "byte"
            if kind == "string" and "contentMediaType" in schema and fmt is None:
                fmt = "binary"
            return self._primitive(_PRIMITIVES[kind], fmt if isinstance(fmt, str) else None)
        return _ANY

    def _map(
        self, schema: dict[str, Any], document: Document, pointer: str, hint: str
    ) -> ir.TypeRef:
        additional = schema.get("additionalProperties", True)
        if additional is True or additional == {}:
            return ir.MapType(_ANY)
        if additional is False:
            return ir.MapType(_ANY)
        return ir.MapType(
            self.type_of(additional, document, f"{pointer}/additionalProperties", hint + "Value")
        )

    def _union(
        self, schema: dict[str, Any], keyword: str, document: Document, pointer: str, hint: str
    ) -> ir.TypeRef:
        variants: list[ir.TypeRef] = []
        suffixes = variant_suffixes(schema[keyword])
        for index, variant in enumerate(schema[keyword]):
            built = self.type_of(
                variant, document, f"{pointer}/{keyword}/{index}", hint + suffixes[index]
            )
            if built not in variants:
                variants.append(built)
        if len(variants) == 1:
            return variants[0]
        return ir.UnionType(
            tuple(variants), self._discriminator(schema, document, pointer, variants)
        )

    def _discriminator(
        self, schema: dict[str, Any], document: Document, pointer: str, variants: list[ir.TypeRef]
    ) -> ir.Discriminator | None:
        spec = schema.get("discriminator")
        if not isinstance(spec, dict) or not isinstance(spec.get("propertyName"), str):
            return None
        mapping: dict[str, str] = {}
        for tag, ref in (spec.get("mapping") or {}).items():
            target = self.resolver.resolve(
                ref if "#" in ref or "/" in ref else f"#/components/schemas/{ref}",
                document,
                join_pointer(pointer, "discriminator", "mapping", tag),
            )
            if target is not None and target.key in self._names:
                mapping[str(tag)] = self._names[target.key]
        for variant in variants:
            if isinstance(variant, ir.NamedType) and variant.name not in mapping.values():
                mapping[variant.name] = variant.name  # implicit mapping: the schema name is the tag
        return ir.Discriminator(spec["propertyName"], tuple(sorted(mapping.items())))

    def _enum(
        self, schema: dict[str, Any], document: Document, pointer: str, name: str, nullable: bool
    ) -> ir.Enum:
        raw: list[Any] = []
        for value in schema.get("enum", []):
            if value is not None and value not in raw:  # a repeated value is one member
                raw.append(value)
        descriptions = schema.get("x-enum-descriptions") or schema.get("x-enumDescriptions") or {}
        values = []
        for index, value in enumerate(raw):
            described = descriptions.get(str(value)) if isinstance(descriptions, dict) else None
            if isinstance(descriptions, list) and index < len(descriptions):
                described = descriptions[index]
            values.append(ir.EnumValue(value, text_of(described)))
        kinds = {type(v) for v in raw}
        base: Any = (
            "string"
            if kinds <= {str}
            else "integer"
            if kinds <= {int}
            else "number"
            if kinds <= {int, float}
            else "mixed"
        )
        return ir.Enum(
            name,
            tuple(values),
            base,
            ir.Source(document.file, pointer),
            text_of(schema.get("description")),
            nullable or None in schema.get("enum", []),
            extensions_of(schema),
        )

    def _model(
        self, schema: dict[str, Any], document: Document, pointer: str, name: str
    ) -> ir.Model:
        properties: dict[str, tuple[Any, Document, str]] = {}
        required: set[str] = set()
        additional: Any = schema.get("additionalProperties", True)
        for part, part_document, part_pointer in self._all_of_parts(schema, document, pointer):
            listed = f"{part_pointer}/properties"
            for prop, prop_schema in (part.get("properties") or {}).items():
                properties[prop] = (prop_schema, part_document, join_pointer(listed, prop))
            required.update(r for r in part.get("required") or [] if isinstance(r, str))
            if part.get("additionalProperties") is False:
                additional = False
        fields = []
        for prop, (prop_schema, prop_document, prop_pointer) in properties.items():
            resolved = self._peek(prop_schema, prop_document, prop_pointer)
            read_only = bool(resolved.get("readOnly"))
            write_only = bool(resolved.get("writeOnly"))
            field_type = self._plain_type_of(prop_schema, prop_document, prop_pointer)
            if field_type is None:
                hint = name + pascal_case(prop)
                field_type = self._type_of(prop_schema, prop_document, prop_pointer, hint)
            fields.append(
                ir.Field(
                    prop,
                    field_type,
                    prop in required and not read_only and not write_only,
                    text_of(resolved.get("description")) or text_of(resolved.get("title")),
                    resolved.get("default", ir.MISSING),
                    read_only,
                    write_only,
                    bool(resolved.get("deprecated")),
                )
            )
        extra: ir.TypeRef | None = None
        if isinstance(additional, dict) and additional:
            extra = self.type_of(
                additional, document, f"{pointer}/additionalProperties", name + "Value"
            )
        return ir.Model(
            name,
            tuple(fields),
            ir.Source(document.file, pointer),
            text_of(schema.get("description")) or text_of(schema.get("title")),
            extra,
            additional is False,
            extensions_of(schema),
        )

    def _wraps_value(self, schema: dict[str, Any], document: Document, pointer: str) -> bool:
        """An ``allOf`` wrapper (see ``_wrapped_part``) of a schema without properties: a
        string, a number, an array or a map, never an empty model."""
        return _wrapped_part(schema) is not None and not any(
            part.get("properties") for part, _, _ in self._all_of_parts(schema, document, pointer)
        )

    def _all_of_parts(
        self, schema: dict[str, Any], document: Document, pointer: str
    ) -> list[tuple[dict[str, Any], Document, str]]:
        """The schema and, recursively, every ``allOf`` part, resolved: their properties merge."""
        parts: list[tuple[dict[str, Any], Document, str]] = []
        seen: set[tuple[str, str]] = set()

        def visit(part: Any, part_document: Document, part_pointer: str) -> None:
            target = self.resolver.follow(part, part_document, part_pointer)
            if target is None or not isinstance(target.value, dict) or target.key in seen:
                return
            seen.add(target.key)
            for index, sub in enumerate(target.value.get("allOf") or []):
                visit(sub, target.document, f"{target.pointer}/allOf/{index}")
            parts.append((target.value, target.document, target.pointer))

        visit(schema, document, pointer)
        return parts

    def _peek(self, schema: Any, document: Document, pointer: str) -> Mapping[str, Any]:
        """The schema's own keywords, or its reference target's, for annotations."""
        if isinstance(schema, dict) and "$ref" in schema:
            target = self.resolver.follow(schema, document, pointer)
            found = target.value if target is not None and isinstance(target.value, dict) else {}
            if len(schema) == 1:  # a bare $ref, as most are
                return found
            return {**found, **{k: v for k, v in schema.items() if k != "$ref"}}
        return schema if isinstance(schema, dict) else {}

    def _problem(self, rule: str, message: str, document: Document, pointer: str) -> None:
        self.diagnostics.append(Diagnostic(rule, message, document.file, pointer, Severity.ERROR))


def variant_suffixes(variants: list[Any]) -> list[str]:
    """How an inline ``oneOf``/``anyOf`` member is named after its union: by its
    ``title``, else by a member it pins to a value no other form pins it to (a tag),
    else by a required member no other form requires (``With<Member>``), else by an
    ``allOf`` part no other form includes (the part's component name), else by a member
    no other form has (``With<Member>``), else by a member no other form types the same
    way (``<Member><Type>``: ``LabelsStringList``), else by its type; a name two forms
    would share falls back to their position (``Variant<N>``). The only form of a union
    takes the union's name."""
    if len(variants) == 1:
        return [""]  # a one-form union is that form: it takes the union's own name
    required = [_names(v, "required") for v in variants]
    members = [_names(v, "properties") for v in variants]
    parts = [_all_of_refs(v) for v in variants]
    tags = [_tags(v) for v in variants]
    typed = [_typed_members(v) for v in variants]
    suffixes = [
        _describe_variant(variant, *own)
        for variant, *own in zip(
            variants,
            _only_in_each(tags),
            _only_in_each(required),
            _only_in_each(parts),
            _only_in_each(members),
            _only_in_each(typed),
            strict=True,
        )
    ]
    shared = {suffix for suffix in suffixes if suffixes.count(suffix) > 1}
    return [
        suffix if suffix and suffix not in shared else f"Variant{index + 1}"
        for index, suffix in enumerate(suffixes)
    ]


def _only_in_each(sets: list[set[str]]) -> list[set[str]]:
    """For each of ``sets``, what it holds and no other does (in one count of them all: a
    union of a hundred forms would otherwise compare every form with every other)."""
    holders = collections.Counter(item for each in sets for item in each)
    return [{item for item in each if holders[item] == 1} for each in sets]


def _names(variant: Any, keyword: str) -> set[str]:
    """The member names a form lists under ``required`` or ``properties``."""
    if not isinstance(variant, dict):
        return set()
    listed = variant.get(keyword) or ()
    return {name for name in listed if isinstance(name, str)}


def _all_of_refs(variant: Any) -> set[str]:
    """The component names of the ``$ref`` parts of a form's ``allOf``."""
    if not isinstance(variant, dict) or not isinstance(variant.get("allOf"), list):
        return set()
    return {
        part["$ref"].rsplit("/", 1)[-1]
        for part in variant["allOf"]
        if isinstance(part, dict) and isinstance(part.get("$ref"), str)
    }


def _typed_members(variant: Any) -> set[str]:
    """``member=Type`` for each member of a form whose type has a name (``StringList``)."""
    if not isinstance(variant, dict) or not isinstance(variant.get("properties"), dict):
        return set()
    shapes = {name: _shape(member) for name, member in variant["properties"].items()}
    return {f"{name}={shape}" for name, shape in shapes.items() if shape}


def _shape(schema: Any, depth: int = 0) -> str:
    """A schema's type as a name part: ``String``, ``ObjectList``, a component's name."""
    if not isinstance(schema, dict) or depth > 4:
        return ""
    if isinstance(schema.get("$ref"), str):
        return pascal_case(schema["$ref"].rsplit("/", 1)[-1])
    kind = schema.get("type")
    if kind == "array":
        items = _shape(schema.get("items"), depth + 1)
        return f"{items}List" if items else "List"
    return pascal_case(kind) if isinstance(kind, str) else ""


def _tags(variant: Any) -> set[str]:
    """``member=value`` for each member a form pins to one value."""
    if not isinstance(variant, dict) or not isinstance(variant.get("properties"), dict):
        return set()
    pinned = {name: _pinned_value(member) for name, member in variant["properties"].items()}
    return {f"{name}={value!r}" for name, value in pinned.items() if value is not None}


def _describe_variant(
    variant: Any,
    own_tags: set[str],
    own_required: set[str],
    own_parts: set[str],
    own_members: set[str],
    own_typed_members: set[str],
) -> str:
    if not isinstance(variant, dict) or "$ref" in variant:
        return ""
    title = variant.get("title")
    if isinstance(title, str) and pascal_case(title):
        return pascal_case(title)
    for name, member in (variant.get("properties") or {}).items():
        tag = _pinned_value(member)
        if f"{name}={tag!r}" in own_tags and pascal_case(str(tag)):
            return pascal_case(str(tag))
    for name in sorted(own_required):
        if pascal_case(name):
            return "With" + pascal_case(name)
    for part in sorted(own_parts):
        if pascal_case(part):
            return pascal_case(part)
    for name in sorted(own_members):
        if pascal_case(name):
            return "With" + pascal_case(name)
    for typed in sorted(own_typed_members):
        name, shape = typed.rsplit("=", 1)
        if pascal_case(name):
            return pascal_case(name) + shape
    kinds = variant.get("type")
    if isinstance(kinds, str):
        return pascal_case(kinds)
    return "Object" if "properties" in variant else ""


def _pinned_value(member: Any) -> Any:
    """The one value a member's schema allows (``const``, or a one-value ``enum``)."""
    if not isinstance(member, dict):
        return None
    if "const" in member:
        return member["const"]
    values = member.get("enum")
    return values[0] if isinstance(values, list) and len(values) == 1 else None


def _split_nullable(schema: dict[str, Any]) -> tuple[bool, dict[str, Any]]:
    nullable = schema.get("nullable") is True
    kinds = schema.get("type")
    if isinstance(kinds, list) and "null" in kinds:
        rest = [k for k in kinds if k != "null"]
        if rest:
            nullable = True
            schema = {**schema, "type": rest[0] if len(rest) == 1 else rest}
    if isinstance(schema.get("enum"), list) and None in schema["enum"] and len(schema["enum"]) > 1:
        nullable = True
    for keyword in ("oneOf", "anyOf"):
        variants = schema.get(keyword)
        if isinstance(variants, list):
            rest = [
                v
                for v in variants
                if not (isinstance(v, dict) and v.get("type") == "null" and len(v) == 1)
            ]
            if len(rest) < len(variants) and rest:
                nullable = True
                schema = {**schema, keyword: rest}
    if nullable:
        schema = {k: v for k, v in schema.items() if k != "nullable"}
    return nullable, schema


def _types(schema: dict[str, Any]) -> list[str]:
    kinds = schema.get("type")
    if isinstance(kinds, str):
        return [kinds]
    if isinstance(kinds, list):
        return [k for k in kinds if isinstance(k, str)]
    return []


def _is_object(schema: dict[str, Any]) -> bool:
    kinds = _types(schema)
    if kinds:
        return kinds == ["object"]
    return "properties" in schema or (
        "allOf" in schema and not ("oneOf" in schema or "anyOf" in schema)
    )


_ANNOTATIONS = frozenset(
    {"title", "description", "default", "example", "examples", "deprecated", "readOnly",
     "writeOnly", "externalDocs", "xml", "$comment", "nullable"}
)  # fmt: skip


def _wrapped_part(schema: dict[str, Any]) -> int | None:
    """The index of the wrapped part of an ``allOf`` that has nothing else but annotations
    beside it and whose other parts hold only annotations: the 3.0 way to put a description
    or ``nullable`` beside a ``$ref`` (``allOf: [$ref, {description: ...}]``). It is that
    part, not a new model. None when ``schema`` is no such wrapper."""
    parts = schema.get("allOf")
    if not isinstance(parts, list) or not all(k == "allOf" or _is_annotation(k) for k in schema):
        return None
    if len(parts) == 1:
        return 0
    wrapped = [
        index
        for index, part in enumerate(parts)
        if not (isinstance(part, dict) and all(_is_annotation(k) for k in part))
    ]
    return wrapped[0] if len(wrapped) == 1 else None


def _is_annotation(key: str) -> bool:
    return key in _ANNOTATIONS or key.startswith("x-")


def _is_map(schema: dict[str, Any]) -> bool:
    """An object with no declared properties: a map, or a free-form object."""
    return not schema.get("properties") and not schema.get("allOf")


def text_of(value: Any) -> str | None:
    """``value`` when it is text that is not blank."""
    return value if isinstance(value, str) and value and not value.isspace() else None


def extensions_of(node: dict[str, Any]) -> dict[str, Any]:
    keys = [k for k in node if isinstance(k, str) and k.startswith("x-")]
    return {k: node[k] for k in sorted(keys)} if keys else {}


def alias_cycles(types: dict[str, ir.NamedTypeDef]) -> list[ir.Alias]:
    """Aliases whose chain of aliases comes back to them: a ``$ref`` loop with no content."""
    looping = []
    for alias in types.values():
        if not isinstance(alias, ir.Alias):
            continue
        seen = {alias.name}
        current: ir.TypeRef = alias.target
        while isinstance(current, ir.NullableType):
            current = current.inner
        while isinstance(current, ir.NamedType):
            if current.name in seen:
                looping.append(alias)
                break
            seen.add(current.name)
            following = types.get(current.name)
            if not isinstance(following, ir.Alias):
                break
            current = following.target
            while isinstance(current, ir.NullableType):
                current = current.inner
    return looping
