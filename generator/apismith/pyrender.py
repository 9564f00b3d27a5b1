"""How the IR is spelled in Python: identifiers, type annotations, literals, docstrings.

One ``PythonApi`` is computed per generation and handed to every template as ``py``.
All spec text reaches generated code through ``literal``, ``docstring`` or ``comment``,
which make it inert: it can never close a string, start code, or be read by Jinja.
"""

from __future__ import annotations

import functools
import html
import json
import keyword
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from apismith import ir
from apismith.layout import annotated_assignment, split_top_level
from apismith.naming import (
    RESERVED,
    is_word_character,
    module_name,
    python_attribute,
    python_class,
    safe_identifier,
    snake_case,
    unique_names,
)

# Names the generated model modules bind for themselves; spec classes never take them.
_MODULE_NAMES = frozenset({"annotations"})
# pydantic.BaseModel attributes a field may not shadow.
_MODEL_ATTRIBUTES = frozenset(
    {
        "copy", "dict", "json", "schema", "schema_json", "construct", "validate", "parse_obj",
        "parse_raw", "parse_file", "from_orm", "update_forward_refs", "fields", "to_json_data",
        "model_config", "model_fields", "model_computed_fields", "model_extra", "model_fields_set",
        "model_construct", "model_copy", "model_dump", "model_dump_json", "model_json_schema",
        "model_parametrized_name", "model_post_init", "model_rebuild", "model_validate",
        "model_validate_json", "model_validate_strings", "model_fields_schema",
    }
)  # fmt: skip
FIELD_RESERVED = RESERVED | _MODEL_ATTRIBUTES
_CLIENT_KEYWORDS = frozenset(
    {"auth", "base_url", "timeout", "headers", "http_client", "max_response_bytes"}
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_PEP440 = re.compile(r"\d+(\.\d+)*((a|b|rc)\d+)?(\.post\d+)?(\.dev\d+)?")
_ERROR_NAMES = (
    "APIConnectionError",
    "APIStatusError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "InternalServerError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RequestValidationError",
    "ResponseDecodeError",
    "UnprocessableEntityError",
)


@dataclass(frozen=True)
class Kwarg:
    """One keyword argument of a generated method."""

    name: str
    """The Python name."""
    wire: str
    location: str
    """``path``, ``query``, ``header``, ``cookie`` or ``body`` (a member of the body)."""
    type: ir.TypeRef
    required: bool
    nullable: bool
    description: str | None
    raw: bool = False
    """A whole non-JSON body, sent as bytes."""


_Spellings = dict[int, tuple[ir.TypeRef | None, str]]
"""Annotations already spelled, by the identity of their IR type."""


class PythonApi:
    def __init__(self, api: ir.Api) -> None:
        self.api = api
        self._annotations: _Spellings = {}
        self._input_annotations: _Spellings = {}
        self._dict_annotations: _Spellings = {}
        self._references: dict[int, tuple[ir.TypeRef | None, frozenset[str]]] = {}
        self._dependencies: dict[str, frozenset[str]] = {}
        self._expansions: dict[str, frozenset[str]] = {}
        self.classes = unique_names(api.types, python_class, taken=_MODULE_NAMES)
        taken_dicts = set(self.classes.values())
        self.dicts = unique_names(api.types, lambda n: self.classes[n] + "Dict", taken=taken_dicts)
        self.modules = self._modules()
        self._model_classes = frozenset(self.classes.values()) | frozenset(self.dicts.values())
        self._fields: dict[str, dict[str, str]] = {}
        self._namespaces: (
            list[tuple[str, str, list[tuple[str, str, list[ir.Operation]]]]] | None
        ) = None
        self._method_names: dict[tuple[str, ...], dict[str, str]] = {}
        self._kwargs: dict[str, list[Kwarg]] = {}
        self._locations: dict[str, str] | None = None
        self._auth_classes: dict[str, str] | None = None
        self.request_models = self._request_models()

    def _modules(self) -> dict[str, str]:
        """Type name -> module name. A type lives in the module of the component or the
        operation it is written in, so a schema's inline types share its file. Groups that
        refer to each other in a cycle share one module (named after the first of them),
        so no two model modules import each other."""
        own = unique_names(self.api.types, module_name)
        home = {name: _written_in(named.source) for name, named in self.api.types.items()}
        members: dict[str, list[str]] = {}
        for name in self.api.types:
            members.setdefault(home[name], []).append(name)
        graph = {
            group: sorted(
                {home[d] for n in names for d in self._dependencies_of(self.api.types[n])}
            )
            for group, names in members.items()
        }
        modules = {}
        for cycle in strongly_connected(graph):
            names = [name for group in cycle for name in members[group]]
            leaders = [n for n in names if home[n] == _group_key(self.api.types[n].source)]
            module = own[min(leaders or names)]
            for name in names:
                modules[name] = module
        return modules

    def module_types(self) -> dict[str, list[ir.NamedTypeDef]]:
        """Module name -> the types it defines, by class name, each alias after the types
        of its module it names (an alias is evaluated when its module runs)."""
        grouped: dict[str, list[ir.NamedTypeDef]] = {}
        for name, named in self.api.types.items():
            grouped.setdefault(self.modules[name], []).append(named)
        return {module: self._defined_before_use(ts) for module, ts in sorted(grouped.items())}

    def _defined_before_use(self, types: list[ir.NamedTypeDef]) -> list[ir.NamedTypeDef]:
        by_name = {t.name: t for t in types}
        ordered: list[ir.NamedTypeDef] = []
        placed: set[str] = set()

        def place(named: ir.NamedTypeDef) -> None:
            if named.name in placed:
                return
            placed.add(named.name)
            if isinstance(named, ir.Alias):
                for used in sorted(by_name.keys() & self.referenced(named.target), key=self.cls):
                    place(by_name[used])
            ordered.append(named)

        for named in sorted(types, key=lambda t: self.cls(t.name)):
            place(named)
        return ordered

    def module_imports(self, types: list[ir.NamedTypeDef]) -> list[tuple[str, list[str]]]:
        """(module, [names]) a model module imports from its siblings: each dependency's
        class, and its TypedDict where a request model of this module refers to it; only
        names its annotations really spell (a union can collapse to ``Any``)."""
        here = {t.name for t in types}
        spelled = " ".join(self._spelled(t) for t in types)
        wanted: dict[str, set[str]] = {}
        for named in types:
            for dep in self._dependencies_of(named):
                if dep in here:
                    continue
                for exported in (self.cls(dep), self.dicts[dep]):
                    if _spells_name(spelled, exported):
                        wanted.setdefault(self.modules[dep], set()).add(exported)
        return import_order(wanted)

    def _spelled(self, named: ir.NamedTypeDef) -> str:
        """Every annotation a type's definition writes."""
        if isinstance(named, ir.Model):
            spelled = [self.annotation(f.type) for f in named.fields]
            if named.name in self.request_models:
                spelled.extend(
                    self.dict_annotation(f.type) for f in named.fields if not f.read_only
                )
            return " ".join(spelled)
        if isinstance(named, ir.Alias):
            return self.annotation(named.target)
        return ""

    # --- names ---------------------------------------------------------------------

    def cls(self, name: str) -> str:
        return self.classes[name]

    def dict_name(self, name: str) -> str:
        return self.dicts[name]

    def module(self, name: str) -> str:
        return self.modules[name]

    def attr(self, model: ir.Model, field: ir.Field) -> str:
        names = self._fields.get(model.name)
        if names is None:
            # A wire name that is already a usable attribute keeps it, so no attribute is
            # spelled like another member's wire name (both are accepted on input).
            def convert(name: str) -> str:
                return python_attribute(name, FIELD_RESERVED)

            exact = {f.name for f in model.fields if convert(f.name) == f.name}
            names = {n: n for n in exact}
            names.update(
                unique_names((f.name for f in model.fields if f.name not in exact), convert, exact)
            )
            self._fields[model.name] = names
        return names[field.name]

    def read_only_names(self, model: ir.Model) -> list[str]:
        """The wire names of the model's read-only fields, sorted."""
        return sorted(f.name for f in model.fields if f.read_only)

    def field_declaration(self, model: ir.Model, field: ir.Field) -> str:
        """A field as its model class declares it: ``attr: annotation``, then its default
        (``None`` when optional) and, when the attribute is not the wire name, both names
        as aliases. Mutable defaults go through ``_pd.Field``, which copies them."""
        attr = self.attr(model, field)
        annotation = self.annotation(field.type)
        aliased = attr != field.name
        if field.required and not aliased:
            return _field(attr, annotation)
        if not field.required and not annotation.endswith("| None") and annotation != "_t.Any":
            annotation += " | None"
        default = literal(field.default) if field.has_default else "None"
        if not aliased and not isinstance(field.default, (dict, list)):
            return _field(attr, annotation, default)
        arguments = [] if field.required else [f"default={default}"]
        if aliased:
            wire = literal(field.name)
            arguments.append(f"validation_alias=_pd.AliasChoices({wire}, {literal(attr)})")
            arguments.append(f"serialization_alias={wire}")
        # one argument a line, each with its comma: ruff keeps the call exploded
        return _field(attr, annotation, "".join(f"{a},\n" for a in arguments), "_pd.Field(")

    def auth_class(self, scheme: ir.SecurityScheme) -> str:
        """``<Scheme>Auth``, unique among the schemes and never a runtime class's name."""
        if self._auth_classes is None:
            self._auth_classes = unique_names(
                (s.name for s in self.api.security_schemes), _auth_class_name, taken=_AUTH_BASES
            )
        return self._auth_classes[scheme.name]

    def auth_classes(self) -> list[str]:
        return [self.auth_class(s) for s in self.api.security_schemes]

    def env_var(self, scheme: ir.SecurityScheme) -> str:
        return f"{self.api.settings.package.upper()}_{snake_case(scheme.name).upper()}"

    # --- resources ----------------------------------------------------------------------

    def namespaces(self) -> list[tuple[str, str, list[tuple[str, str, list[ir.Operation]]]]]:
        """(attribute, module, [(resource attribute, resource module, operations)])."""
        if self._namespaces is None:
            self._namespaces = self._group_namespaces()
        return self._namespaces

    def _group_namespaces(self) -> list[tuple[str, str, list[tuple[str, str, list[ir.Operation]]]]]:
        grouped: dict[str, dict[str, list[ir.Operation]]] = {}
        for operation in self.api.operations:
            grouped.setdefault(operation.namespace, {}).setdefault(operation.resource, []).append(
                operation
            )
        attributes = unique_names(
            grouped, lambda n: safe_identifier(snake_case(n), RESERVED, "default")
        )
        result = []
        for namespace in sorted(grouped, key=lambda n: attributes[n]):
            resources = grouped[namespace]
            resource_attrs = unique_names(resources, _resource_attribute)
            resource_modules = unique_names(resources, module_name)
            result.append(
                (
                    attributes[namespace],
                    module_name(attributes[namespace]),
                    [
                        (resource_attrs[r], resource_modules[r], resources[r])
                        for r in sorted(resources, key=lambda n: resource_attrs[n])
                    ],
                )
            )
        return result

    def method_names(self, operations: list[ir.Operation]) -> dict[str, str]:
        """Operation id -> method name, unique within one resource."""
        key = tuple(o.id for o in operations)
        known = self._method_names.get(key)
        if known is None:
            known = self._method_names[key] = self._name_methods(operations)
        return known

    def _name_methods(self, operations: list[ir.Operation]) -> dict[str, str]:
        by_name = unique_names(
            (f"{o.name}\0{o.id}" for o in operations),
            lambda n: safe_identifier(snake_case(n.split("\0")[0]), RESERVED, "call"),
        )
        return {key.split("\0")[1]: value for key, value in by_name.items()}

    def kwargs(self, operation: ir.Operation) -> list[Kwarg]:
        """Parameters, then the body's members (or ``body``), required ones first."""
        known = self._kwargs.get(operation.id)
        if known is None:
            known = self._kwargs[operation.id] = self._make_kwargs(operation)
        return known

    def kwarg_groups(self, kwargs: Sequence[Kwarg]) -> list[tuple[str, list[Kwarg]]]:
        """``(argument of _tr.prepare, its keywords)`` for the path, query, header and
        cookie keywords among ``kwargs``, the groups that have any, in that order."""
        groups: dict[str, list[Kwarg]] = {}
        for kwarg in kwargs:
            argument = _PREPARE_ARGUMENTS.get(kwarg.location)
            if argument is not None:
                groups.setdefault(argument, []).append(kwarg)
        return [(a, groups[a]) for a in _PREPARE_ARGUMENTS.values() if a in groups]

    def _make_kwargs(self, operation: ir.Operation) -> list[Kwarg]:
        raw: list[tuple[str, str, str, ir.TypeRef, bool, str | None]] = [
            (p.name, p.name, p.location, p.type, p.required, p.description)
            for p in operation.parameters
        ]
        flattened = self.flattened_body(operation)
        if flattened is not None:
            raw.extend(
                (f.name, f.name, "body", f.type, f.required, f.description)
                for f in flattened.fields
                if not f.read_only
            )
        elif operation.body is not None:
            body = operation.body
            raw.append(("body", "", "body", body.type, body.required, body.description))
        names = unique_names(
            (f"{location}\0{name}" for name, _, location, _, _, _ in raw),
            lambda n: python_attribute(n.split("\0")[1], RESERVED),
        )
        kwargs = [
            Kwarg(
                names[f"{location}\0{name}"],
                wire,
                location,
                type_ref,
                required,
                isinstance(type_ref, ir.NullableType),
                description,
            )
            for name, wire, location, type_ref, required, description in raw
        ]
        if operation.body is not None and not self.is_json(operation.body.content_type):
            kwargs = [
                Kwarg(k.name, k.wire, k.location, k.type, k.required, False, k.description, True)
                if k.location == "body"
                else k
                for k in kwargs
            ]
        return sorted(kwargs, key=lambda k: not k.required)

    def flattened_body(self, operation: ir.Operation) -> ir.Model | None:
        """The body model whose members become keyword arguments, when there is one."""
        body = operation.body
        if (
            body is None
            or not isinstance(body.type, ir.NamedType)
            or not self.is_json(body.content_type)
        ):
            return None
        model = self.api.types.get(body.type.name)
        if not isinstance(model, ir.Model) or model.additional is not None or not model.fields:
            return None
        return model

    def namespace_class(self, namespace: str) -> str:
        return python_class(namespace) + "Namespace"

    def resource_class(self, resource: str) -> str:
        """The resource's class; ``<Name>Resource`` where a model already has the name,
        since resource modules import models by their class names."""
        name = python_class(resource)
        return name + "Resource" if name in self._model_classes else name

    def server_variables(self) -> list[tuple[str, ir.ServerVariable]]:
        """(keyword name, variable) of the first server, never clashing with the
        constructor's own keywords."""
        if not self.api.servers:
            return []
        variables = {v.name: v for v in self.api.servers[0].variables}
        names = unique_names(
            variables, lambda n: python_attribute(n, RESERVED), taken=_CLIENT_KEYWORDS
        )
        return [(names[n], variables[n]) for n in sorted(variables, key=lambda n: names[n])]

    def server_variable_type(self, variable: ir.ServerVariable) -> str:
        if variable.enum:
            return "_t.Literal[" + ", ".join(literal(v) for v in variable.enum) + "]"
        return "str"

    def kwarg_annotation(self, kwarg: Kwarg) -> str:
        spelled = "bytes" if kwarg.raw else self.input_annotation(kwarg.type)
        if kwarg.required:
            return spelled
        if kwarg.nullable:
            return f"{spelled} | _tr.NotGiven"
        return spelled if spelled == "_t.Any" or spelled.endswith("| None") else f"{spelled} | None"

    def kwarg_default(self, kwarg: Kwarg) -> str:
        if kwarg.required:
            return ""
        return " = _tr.NOT_GIVEN" if kwarg.nullable else " = None"

    def body_kwarg(self, operation: ir.Operation) -> str:
        return next(k.name for k in self.kwargs(operation) if k.location == "body")

    @staticmethod
    def is_json(content_type: str) -> bool:
        media = content_type.split(";")[0].strip().lower()
        return media == "application/json" or media.endswith("+json")

    def return_annotation(self, operation: ir.Operation) -> str:
        spelled = [self.annotation(r.type) for r in operation.responses if r.is_success] or ["None"]
        unique = list(dict.fromkeys(spelled))
        if "_t.Any" in unique:
            return "_t.Any"
        return " | ".join(unique)

    def resource_imports(self, operations: list[ir.Operation]) -> list[tuple[str, list[str]]]:
        """(module, [names]) a resource module's annotations mention: the types its keyword
        arguments accept (with their TypedDicts) and its methods return."""
        spelled: list[str] = []
        candidates: set[str] = set()
        for operation in operations:
            spelled.append(self.return_annotation(operation))
            for response in operation.responses:
                if response.is_success:
                    candidates |= self.referenced(response.type)
            for kwarg in self.kwargs(operation):
                spelled.append(self.kwarg_annotation(kwarg))
                if not kwarg.raw:
                    candidates |= self.referenced(kwarg.type)
        text = " ".join(spelled)
        wanted: dict[str, set[str]] = {}
        for name in candidates:
            exports = [self.cls(name)]
            if name in self.request_models:
                exports.append(self.dicts[name])
            for exported in exports:
                if _spells_name(text, exported):
                    wanted.setdefault(self.modules[name], set()).add(exported)
        return import_order(wanted)

    def operation_imports(self, operation: ir.Operation) -> list[tuple[str, list[str]]]:
        """(module, [classes]) one operation needs at run time: its body and response types."""
        wanted: dict[str, set[str]] = {}
        types = [r.type for r in operation.responses]
        if operation.body is not None and self.is_json(operation.body.content_type):
            types.append(operation.body.type)
        for type_ref in types:
            for name in self.referenced(type_ref):
                wanted.setdefault(self.modules[name], set()).add(self.cls(name))
        return import_order(wanted)

    def method_doc(self, operation: ir.Operation, kwargs: list[Kwarg]) -> str:
        parts = [operation.summary or "", operation.description or ""]
        if operation.deprecated:
            parts.append("Deprecated.")
        described = [k for k in kwargs if k.description]
        if described:
            parts.append(
                "Args:\n"
                + "\n".join(f"    {k.name}: {first_line(k.description)}" for k in described)
            )
        parts.append(
            f"``{operation.method.upper()} {operation.path}`` (operation ``{operation.id}``)."
        )
        return "\n\n".join(p.strip() for p in parts if p.strip())

    def model_exports(self) -> list[tuple[str, str]]:
        """(name, module) of every model class and request TypedDict, sorted by name."""
        return self._model_exports

    @functools.cached_property
    def _model_exports(self) -> list[tuple[str, str]]:
        exports = [(self.cls(n), self.modules[n]) for n in self.api.types]
        exports.extend((self.dict_name(n), self.modules[n]) for n in self.request_models)
        return sorted(exports)

    def package_exports(self) -> list[tuple[str, str]]:
        """(name, module) of everything the package root exports, sorted by name."""
        client = self.api.settings.client
        exports = {client: "_client", f"Async{client}": "_client", "Auth": "_auth"}
        exports.update({self.auth_class(s): "_auth" for s in self.api.security_schemes})
        for name in _ERROR_NAMES:
            exports[name] = "_errors"
        exports[self.api.settings.error] = "_errors"
        return sorted(exports.items())

    def package_version(self) -> str:
        """``info.version`` when it is a PEP 440 version, else 0.0.0 with it as a local label."""
        version = self.api.version.strip()
        if _PEP440.fullmatch(version):
            return version
        label = ".".join(re.findall(r"[A-Za-z0-9]+", version)) or "unknown"
        return f"0.0.0+{label}"

    @staticmethod
    def toml_string(text: str) -> str:
        escaped = text.replace("\\", "\\\\").replace('"', '\\"')
        return '"' + _CONTROL.sub(" ", escaped.replace("\n", " ").replace("\r", " ")) + '"'

    @staticmethod
    def json_text(value: Any) -> str:
        """A Python string literal holding ``value`` as compact JSON text."""
        return literal(json.dumps(value, ensure_ascii=False, separators=(",", ":")))

    @staticmethod
    def markdown_block(text: str) -> str:
        """Spec prose as Markdown: kept as written, but never raw HTML or a template."""
        return html.escape(_CONTROL.sub(" ", text.strip()), quote=False)

    @staticmethod
    def code_block(code: str) -> str:
        longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
        fence = "`" * max(3, longest + 1)
        return f"{fence}python\n{code}\n{fence}"

    def first_operation(self) -> ir.Operation | None:
        with_examples = [o for o in self.api.operations if o.body and o.body.examples]
        candidates = with_examples or list(self.api.operations)
        return candidates[0] if candidates else None

    def client_construction(self) -> str:
        package = self.api.settings.package
        arguments = []
        if self.api.security_schemes:
            arguments.append(f"auth={package}.{self.auth_class(self.api.security_schemes[0])}(...)")
        arguments.extend(f"{n}={literal(v.default)}" for n, v in self.server_variables())
        return f"{package}.{self.api.settings.client}({', '.join(arguments)})"

    def example_call(self, operation: ir.Operation | None) -> str | None:
        """``client.ns.Resource.method(...)`` filled from the first valid documented
        example of the request body and parameters."""
        if operation is None:
            return None
        location = self._method_location(operation)
        kwargs = self.kwargs(operation)
        values: dict[str, Any] = {}
        body = operation.body
        example = next((e for e in body.examples if not e.invalid), None) if body else None
        for kwarg in kwargs:
            if kwarg.location == "body" and example is not None:
                if self.flattened_body(operation) is not None and isinstance(example.value, dict):
                    if kwarg.wire in example.value:
                        values[kwarg.name] = example.value[kwarg.wire]
                elif not kwarg.raw:
                    values[kwarg.name] = example.value
            elif kwarg.location != "body":
                parameter = next(
                    p
                    for p in operation.parameters
                    if p.name == kwarg.wire and p.location == kwarg.location
                )
                valid = [e for e in parameter.examples if not e.invalid]
                if valid:
                    values[kwarg.name] = valid[0].value
        if any(k.required and k.name not in values for k in kwargs):
            return None
        arguments = ", ".join(f"{name}={literal(value)}" for name, value in values.items())
        return f"response = client.{location}({arguments})"

    def _method_location(self, operation: ir.Operation) -> str:
        if self._locations is None:
            self._locations = {
                o.id: f"{namespace}.{resource}.{self.method_names(operations)[o.id]}"
                for namespace, _, resources in self.namespaces()
                for resource, _, operations in resources
                for o in operations
            }
        return self._locations[operation.id]

    # --- types ---------------------------------------------------------------------------

    def annotation(self, type_ref: ir.TypeRef | None) -> str:
        """The Python annotation of a type in a model or a response."""
        return self._spelled_as(self._annotations, type_ref, False, False)

    def input_annotation(self, type_ref: ir.TypeRef) -> str:
        """What a caller may pass: models or plain dicts, enums or their values."""
        return self._spelled_as(self._input_annotations, type_ref, True, False)

    def dict_annotation(self, type_ref: ir.TypeRef) -> str:
        """The type of a member of a request TypedDict (plain data only)."""
        return self._spelled_as(self._dict_annotations, type_ref, True, True)

    def _spelled_as(
        self, spellings: _Spellings, type_ref: ir.TypeRef | None, for_input: bool, plain: bool
    ) -> str:
        """Each IR type is spelled once per form: a model module, its imports and the
        resources that use it all ask for the same annotations."""
        known = spellings.get(id(type_ref))
        if known is not None and known[0] is type_ref:
            return known[1]
        text = _Annotator(self, for_input=for_input, plain=plain).spell(type_ref)
        spellings[id(type_ref)] = (type_ref, text)
        return text

    def referenced(self, type_ref: ir.TypeRef | None) -> frozenset[str]:
        """Named types an annotation mentions once aliases are expanded, worked out once per
        type object (the fields of one type share it)."""
        known = self._references.get(id(type_ref))
        if known is not None and known[0] is type_ref:
            return known[1]
        found = frozenset().union(*map(self._expanded, _names_in(type_ref)))
        self._references[id(type_ref)] = (type_ref, found)
        return found

    def _expanded(self, name: str) -> frozenset[str]:
        """The named types ``name`` stands for (itself, or what its aliases lead to), worked
        out once: every field that mentions a type asks."""
        known = self._expansions.get(name)
        if known is None:
            known = self._expansions[name] = frozenset(self._expanded_names(name, set()))
        return known

    def _expanded_names(self, name: str, seen: set[str]) -> set[str]:
        target = self.api.types.get(name)
        if isinstance(target, ir.Alias):
            if name in seen:
                return set()
            seen = seen | {name}
            found: set[str] = set()
            for inner in _names_in(target.target):
                found |= self._expanded_names(inner, seen)
            return found
        return {name} if target is not None else set()

    def model_dependencies(self, model: ir.NamedTypeDef) -> tuple[str, ...]:
        """Other named types a type's module must import, sorted."""
        return tuple(sorted(self._dependencies_of(model), key=self.cls))

    def _dependencies_of(self, model: ir.NamedTypeDef) -> frozenset[str]:
        """``model_dependencies`` in no order, worked out once: the module layout and each
        module's imports both ask."""
        known = self._dependencies.get(model.name)
        if known is None:
            known = self._dependencies[model.name] = self._find_dependencies(model)
        return known

    def _find_dependencies(self, model: ir.NamedTypeDef) -> frozenset[str]:
        found: set[str] = set()
        if isinstance(model, ir.Model):
            for field in model.fields:
                found |= self.referenced(field.type)
            if model.additional is not None:
                found |= self.referenced(model.additional)
        elif isinstance(model, ir.Alias):
            found |= self.referenced(model.target)
        found.discard(model.name)
        return frozenset(found)

    def enum_members(self, enum: ir.Enum) -> list[tuple[str, ir.EnumValue]]:
        names = unique_names(
            (repr(v.value) for v in enum.values),
            lambda r: _enum_member_name(r),
        )
        return [(names[repr(v.value)], v) for v in enum.values]

    def _request_models(self) -> frozenset[str]:
        """Models that callers may pass as plain dicts: reachable from request bodies."""
        pending = [
            name
            for operation in self.api.operations
            if operation.body is not None
            for name in self.referenced(operation.body.type)
        ]
        reached: set[str] = set()
        while pending:
            name = pending.pop()
            if name in reached:
                continue
            reached.add(name)
            model = self.api.types.get(name)
            if isinstance(model, ir.Model):
                pending.extend(self._dependencies_of(model))
        return frozenset(n for n in reached if isinstance(self.api.types.get(n), ir.Model))


class _Annotator:
    def __init__(self, py: PythonApi, *, for_input: bool, plain: bool = False) -> None:
        self.py = py
        self.for_input = for_input
        self.plain = plain
        self.expanding: set[str] = set()

    def spell(self, type_ref: ir.TypeRef | None) -> str:
        if type_ref is None:
            return "None"
        if isinstance(type_ref, ir.Primitive):
            return self._primitive(type_ref)
        if isinstance(type_ref, ir.ArrayType):
            container = "_abc.Sequence" if self.for_input else "list"
            return f"{container}[{self.spell(type_ref.items)}]"
        if isinstance(type_ref, ir.MapType):
            container = "_abc.Mapping" if self.for_input else "dict"
            return f"{container}[str, {self.spell(type_ref.values)}]"
        if isinstance(type_ref, ir.ConstType):
            return _literal_type(type_ref.value)
        if isinstance(type_ref, ir.NullableType):
            inner = self.spell(type_ref.inner)
            if inner == "_t.Any" or inner.endswith("| None"):
                return inner  # already takes None (a nullable enum spells it itself)
            return f"{inner} | None"
        if isinstance(type_ref, ir.UnionType):
            return self._union(type_ref)
        return self._named(type_ref.name)

    def _primitive(self, primitive: ir.Primitive) -> str:
        if primitive.kind == "string":
            spelled = {"date-time": "_dt.datetime", "date": "_dt.date", "uuid": "_uuid.UUID"}.get(
                primitive.format or ""
            )
            if spelled is None:
                return "str"
            return f"{spelled} | str" if self.for_input else spelled
        return {
            "integer": "int",
            "number": "_mb.Number",
            "boolean": "bool",
            "null": "None",
            "any": "_t.Any",
        }[primitive.kind]

    def _union(self, union: ir.UnionType) -> str:
        plain = join_union([self.spell(v) for v in union.variants])
        if plain == "_t.Any" or union.discriminator is None or self.for_input:
            return plain
        tags = dict(union.discriminator.mapping)
        members = []
        for variant in union.variants:
            if not isinstance(variant, ir.NamedType):
                return plain
            members.append(f"_t.Annotated[{self.spell(variant)}, _pd.Tag({literal(variant.name)})]")
        selector = f"_mb.discriminator({literal(union.discriminator.property)}, {literal(tags)})"
        return f"_t.Annotated[{' | '.join(members)}, _pd.Discriminator({selector})]"

    def _named(self, name: str) -> str:
        target = self.py.api.types.get(name)
        if isinstance(target, ir.Alias):
            if name in self.expanding:
                return "_t.Any"  # a recursive alias: pydantic cannot name it, so it takes any value
            self.expanding.add(name)
            try:
                return self.spell(target.target)
            finally:
                self.expanding.discard(name)
        if isinstance(target, ir.Enum):
            return self._enum(target)
        if isinstance(target, ir.Model):
            if self.plain:
                return (
                    self.py.dict_name(name)
                    if name in self.py.request_models
                    else "_abc.Mapping[str, _t.Any]"
                )
            if self.for_input and name in self.py.request_models:
                return f"{self.py.cls(name)} | {self.py.dict_name(name)}"
            return self.py.cls(name)
        return "_t.Any"

    def _enum(self, enum: ir.Enum) -> str:
        cls = self.py.cls(enum.name)
        if enum.base not in ("string", "integer"):
            return "_t.Any"
        values = ", ".join(literal(v.value) for v in enum.values)
        value_type = (
            f"_t.Literal[{values}]" if values else ("str" if enum.base == "string" else "int")
        )
        if self.for_input:
            spelled = f"{cls} | {value_type}"
        else:
            spelled = f"_mb.{'OpenStr' if enum.base == 'string' else 'OpenInt'}[{cls}]"
        return f"{spelled} | None" if enum.nullable else spelled


def join_union(parts: list[str]) -> str:
    """One flat union: members once each, literals merged, ``None`` last, ``Any`` absorbing."""
    members = list(dict.fromkeys(m for part in parts for m in split_top_level(part, "|")))
    if "_t.Any" in members:
        return "_t.Any"
    literals = [m for m in members if m.startswith("_t.Literal[")]
    if len(literals) > 1:
        values = [v for m in literals for v in split_top_level(m[len("_t.Literal[") : -1], ",")]
        merged = "_t.Literal[" + ", ".join(dict.fromkeys(values)) + "]"
        members = [merged if m == literals[0] else m for m in members if m not in literals[1:]]
    if "_mb.Number" in members and "int" in members:
        members.remove("int")  # a Number already takes every int
    has_none = "None" in members
    members = [m for m in members if m != "None"] + (["None"] if has_none else [])
    return " | ".join(members)


_GROUPED_SECTIONS = frozenset({"components", "paths", "webhooks"})


def _written_in(source: ir.Source) -> str:
    """The component (``/components/schemas/Pet``) or operation (``/paths/~1pets/get``)
    whose text holds ``source``; a pointer anywhere else stands for itself."""
    parts = source.pointer.split("/", 4)
    if len(parts) > 4 and parts[1] in _GROUPED_SECTIONS:
        return f"{source.file}#{'/'.join(parts[:4])}"
    return _group_key(source)


def _group_key(source: ir.Source) -> str:
    return f"{source.file}#{source.pointer}"


def _names_in(type_ref: ir.TypeRef | None) -> Iterator[str]:
    if isinstance(type_ref, ir.NamedType):
        yield type_ref.name
    elif isinstance(type_ref, ir.ArrayType):
        yield from _names_in(type_ref.items)
    elif isinstance(type_ref, ir.MapType):
        yield from _names_in(type_ref.values)
    elif isinstance(type_ref, ir.NullableType):
        yield from _names_in(type_ref.inner)
    elif isinstance(type_ref, ir.UnionType):
        for variant in type_ref.variants:
            yield from _names_in(variant)


_AUTH_BASES = frozenset({"Auth", "ApiKeyAuth", "BasicAuth", "BearerTokenAuth"})


def _auth_class_name(scheme: str) -> str:
    name = python_class(scheme)
    return name if name.endswith("Auth") else name + "Auth"


def _resource_attribute(name: str) -> str:
    if name.isidentifier() and name.isascii() and not keyword.iskeyword(name):
        return name
    return python_class(name)


def _enum_member_name(value_repr: str) -> str:
    words = snake_case(value_repr).upper()
    if not words:
        return "EMPTY" if value_repr in ("''", '""') else "VALUE"
    return safe_identifier(words, _ENUM_RESERVED, "V")


_ENUM_RESERVED = RESERVED | {"NAME", "VALUE", "mro"}
"""Names an enum member may not take: Python's, and the Enum class's own."""


def _literal_type(value: Any) -> str:
    if value is None or isinstance(value, (str, int, bool)):
        return f"_t.Literal[{literal(value)}]"
    return "_t.Any"


# --- inert text ---------------------------------------------------------------------------


def _field(attr: str, annotation: str, value: str | None = None, call: str = "") -> str:
    """A field of a model class, less the indent of its first line (the template's)."""
    return annotated_assignment(_CLASS_INDENT, attr, annotation, value, call)[len(_CLASS_INDENT) :]


_CLASS_INDENT = "    "


_REPEATED_TEXTS = 8192
"""How many descriptions the text helpers remember: a big spec repeats its descriptions
(a shared schema's members, a common parameter) thousands of times."""


def literal(value: Any) -> str:
    """A Python expression for a JSON value: always valid, never more than data."""
    if isinstance(value, float):
        if math.isnan(value):
            return 'float("nan")'
        if math.isinf(value):
            return 'float("inf")' if value > 0 else '-float("inf")'
        return repr(value).replace("e+", "e")  # ruff's formatter spells 1e+308 as 1e308
    if isinstance(value, dict):
        return "{" + ", ".join(f"{literal(str(k))}: {literal(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, str):
        return _string(value)
    if value is None or isinstance(value, (bool, int)):
        return repr(value)
    return _string(str(value))


def _string(text: str) -> str:
    """``repr``, in the quotes ruff's formatter settles on: double quotes unless the text
    holds more double quotes than single ones (then ``repr``'s single quotes)."""
    spelled = repr(text)
    if spelled[0] == '"':  # a text with single quotes only
        return spelled
    if '"' not in text:  # a text without quotes
        return f'"{spelled[1:-1]}"'
    if text.count('"') > text.count("'"):
        return spelled
    return '"' + _ESCAPE_OR_QUOTE.sub(_to_double_quoted, spelled[1:-1]) + '"'


_ESCAPE_OR_QUOTE = re.compile(r'\\.|"')


def _to_double_quoted(match: re.Match[str]) -> str:
    """An escape or a quote of a single-quoted ``repr``, as a double-quoted string has it."""
    return {"\\'": "'", '"': '\\"'}.get(match.group(), match.group())


def json_lines(values: Iterable[Any]) -> str:
    """A JSON array with one item per line, so that a change shows as the lines of the
    items it touches. ASCII only: no text can break the file's encoding."""
    items = [json.dumps(value, ensure_ascii=True) for value in values]
    return "[\n" + ",\n".join(items) + "\n]" if items else "[]"


@functools.lru_cache(maxsize=_REPEATED_TEXTS)
def docstring(text: str | None, indent: str = "") -> str:
    """A triple-quoted docstring holding ``text``, whatever it contains: verbatim, but for
    the indent its lines after the first share, which ruff's formatter would take away."""
    body = (text or "").strip()
    body = body.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    body = _NOT_IN_DOCSTRINGS.sub(_escape, body)
    trailing_backslashes = len(body[:-1]) - len(body[:-1].rstrip("\\"))
    if body.endswith('"') and trailing_backslashes % 2 == 0:
        body = body[:-1] + '\\"'  # a last quote would merge with the closing ones
    if body.startswith('"'):
        body = "\\" + body  # ruff's formatter would part it from the opening ones
    first, *rest = [line.rstrip() for line in body.split("\n")]
    if not rest:
        return f'"""{body}"""'
    margin = min(len(line) - len(line.lstrip(" ")) for line in rest if line)
    joined = "\n".join(indent + line[margin:] if line else "" for line in rest)
    return f'"""{first}\n{joined}\n{indent}"""'


_NOT_IN_DOCSTRINGS = re.compile(
    "[\x00-\x08\t\x0b-\x1f\x7f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
)
"""Control characters and whitespace other than spaces and newlines: a docstring spells
them as escapes (the same text at run time), so its lines are indented with spaces
alone, as ruff's formatter counts them."""


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    spelled = f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    return {"\t": "\\t", "\r": "\\r"}.get(char, spelled)


_DIGIT_RUN = re.compile(r"[0-9]+")


def _digit_run_key(match: re.Match[str]) -> str:
    """A digit run spelled so that plain string order compares it as ruff's natural
    order (the ``natord`` rules) does: a run with a leading zero digit by digit, as a
    fraction would, and before any other run; any other run as a number. The first
    character is a digit, so a run still sorts against a letter as a digit does."""
    run = match.group()
    if run[0] == "0":
        return "0" + run + "\x00"  # "\x00" ends the run below any digit that lengthens it
    return "1" + chr(len(run)) + run  # longer numbers are bigger; equal lengths by digits


@functools.cache  # the same names are sorted in many files
def natural_key(text: str, fold_case: bool = True) -> tuple[str, ...]:
    """A sort key for ruff's natural order; letters case-insensitively, as isort sorts
    imports, then by case (``aA`` before ``aa``) so that no two names tie; ``__all__``
    is sorted case-sensitively."""
    if _DIGIT_RUN.search(text) is None:  # most names: no run to respell
        return (text.lower(), text) if fold_case else (text,)
    exact = _DIGIT_RUN.sub(_digit_run_key, text)
    return (_DIGIT_RUN.sub(_digit_run_key, text.lower()), exact) if fold_case else (exact,)


@functools.cache
def member_key(name: str, fold_case: bool = True) -> tuple[int, tuple[str, ...]]:
    """isort's order of imported names and of ``__all__``: CONSTANTS, then Classes, then
    everything else, each group in natural order."""
    group = 0 if name.isupper() and len(name) > 1 else 1 if name[:1].isupper() else 2
    return group, natural_key(name, fold_case)


def _spells_name(text: str, name: str) -> bool:
    """Whether ``name`` stands in ``text`` as a whole word (as ``\\w+`` would find it):
    a few searches for the names a module may import, instead of every word of its
    annotations."""
    at = text.find(name)
    while at != -1:
        end = at + len(name)
        if (at == 0 or not is_word_character(text[at - 1])) and (
            end == len(text) or not is_word_character(text[end])
        ):
            return True
        at = text.find(name, at + 1)
    return False


def import_order(wanted: dict[str, set[str]]) -> list[tuple[str, list[str]]]:
    """``from <module> import <names>`` lines in the order ruff's isort keeps them."""
    return [(m, sorted(wanted[m], key=member_key)) for m in sorted(wanted, key=natural_key)]


def export_order(exports: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """(name, module) pairs ordered as ``from .<module> import <name> as <name>`` lines."""
    return sorted(exports, key=lambda e: (natural_key(e[1]), member_key(e[0])))


_PREPARE_ARGUMENTS = {
    "path": "path_params",
    "query": "query",
    "header": "headers",
    "cookie": "cookies",
}


def import_names(names: Iterable[str]) -> list[str]:
    """Names of one ``from ... import`` in isort's order."""
    return sorted(dict.fromkeys(names), key=member_key)


def all_order(names: Iterable[str]) -> list[str]:
    """Names in isort's member order, once each."""
    return sorted(dict.fromkeys(names), key=lambda name: member_key(name, fold_case=False))


def comment(text: str | None) -> str:
    """One comment line: no newline survives."""
    return " ".join((text or "").split())


def first_line(text: str | None) -> str:
    for line in (text or "").strip().splitlines():
        if line.strip():
            return line.strip()
    return ""


@functools.lru_cache(maxsize=_REPEATED_TEXTS)
def markdown_cell(text: str | None) -> str:
    """Text safe inside one Markdown table cell: one line, no raw HTML, no control
    characters, pipes escaped."""
    flat = " ".join(_CONTROL.sub(" ", text or "").split())
    return html.escape(flat, quote=False).replace("|", "\\|")


def strongly_connected(graph: dict[str, list[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components, iteratively, in a stable order."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    groups: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.get(root, ()))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in graph:
                    continue
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    groups.append(sorted(group))
    return groups
