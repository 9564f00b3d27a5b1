"""A resolved OpenAPI document -> the IR ``Api``.

Operations are grouped as ``client.<namespace>.<Resource>.<method>``: from the
operation's ``x-apismith`` object when it has one, else from its first tag and its
operationId. Everything is sorted, so the IR never depends on dict order.
"""

from __future__ import annotations

import keyword
import re
from typing import Any, Literal

from apismith import ir
from apismith.build_types import TypeBuilder, alias_cycles, extensions_of, text_of
from apismith.diagnostics import Diagnostic, Severity, join_pointer
from apismith.load import Document
from apismith.naming import is_device_name, pascal_case, safe_identifier, snake_case
from apismith.refs import Resolver, Target

_DISTRIBUTION = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?")
"""A project name as PyPA's core metadata allows it."""
_KEYWORDS = frozenset(keyword.kwlist)
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_JSON_TYPES = ("application/json",)
_API_KEY_LOCATIONS: dict[Any, Literal["header", "query", "cookie"]] = {
    "header": "header",
    "query": "query",
    "cookie": "cookie",
}


def build_api(document: Document, resolver: Resolver) -> tuple[ir.Api, list[Diagnostic]]:
    """Build the IR; diagnostics say what could not be represented."""
    return _ApiBuilder(document, resolver).build()


class _ApiBuilder:
    def __init__(self, document: Document, resolver: Resolver) -> None:
        self.document = document
        self.data: dict[str, Any] = document.data
        self.resolver = resolver
        self.types = TypeBuilder(resolver)
        self.diagnostics: list[Diagnostic] = []
        # a shared parameter or response (a component most operations refer to) is built
        # once: its type, named on the first visit, is the same on every later one
        self._parameter_at: dict[tuple[str, str], ir.Parameter | None] = {}
        self._response_at: dict[tuple[tuple[str, str], str], ir.Response | None] = {}

    def build(self) -> tuple[ir.Api, list[Diagnostic]]:
        info = self.data.get("info") or {}
        self.types.register_components(self.document)
        for name in sorted((self.data.get("components") or {}).get("schemas") or {}):
            self.types.component(self.document, name)
        operations = sorted(
            self._operations(), key=lambda o: (o.namespace, o.resource, o.name, o.id)
        )
        for alias in alias_cycles(self.types.types):
            self.diagnostics.append(
                Diagnostic(
                    "schema/ref-cycle",
                    f"schema {alias.name!r} is only a $ref loop and describes no value",
                    alias.source.file,
                    alias.source.pointer,
                )
            )
        api = ir.Api(
            title=str(info.get("title") or "API"),
            version=str(info.get("version") or "0.0.0"),
            settings=self._settings(info),
            source_file=self.document.file,
            description=text_of(info.get("description")),
            servers=self._servers(),
            security_schemes=self._security_schemes(),
            security=_security_names(self.data.get("security")) or (),
            operations=tuple(operations),
            types={name: self.types.types[name] for name in sorted(self.types.types)},
            extensions=extensions_of(self.data),
        )
        return api, [*self.diagnostics, *self.types.diagnostics, *self.resolver.diagnostics]

    # --- settings, servers, security ---------------------------------------------------

    def _settings(self, info: dict[str, Any]) -> ir.Settings:
        own = self._own_settings(self.data, "/x-apismith")
        title = str(info.get("title") or "api")
        derived = safe_identifier(snake_case(title), _KEYWORDS, "api")
        package = own.get("package") or (derived + "_" if is_device_name(derived) else derived)
        if not (
            isinstance(package, str)
            and package.isidentifier()
            and package.isascii()
            and not keyword.iskeyword(package)
            and not is_device_name(package)
        ):
            self._problem(
                "settings/package",
                f"x-apismith package {package!r} is not a Python identifier that can name a folder",
                "/x-apismith/package",
            )
            package = snake_case(str(package)) or "api_client"
        stem = pascal_case(title)
        stem = "Api" + stem if stem[:1].isdigit() else stem
        client = own.get("client") or stem + "Client"
        error = own.get("error") or stem + "Error"
        for key, value in (("client", client), ("error", error)):
            if not (
                isinstance(value, str)
                and value.isidentifier()
                and value.isascii()
                and not keyword.iskeyword(value)
            ):
                self._problem(
                    "settings/name",
                    f"x-apismith {key} {value!r} is not a Python class name",
                    f"/x-apismith/{key}",
                )
        distribution = own.get("distribution") or package.replace("_", "-").strip("-") or "api"
        if not (isinstance(distribution, str) and _DISTRIBUTION.fullmatch(distribution)):
            self._problem(
                "settings/distribution",
                f"x-apismith distribution {distribution!r} is not a valid project name",
                "/x-apismith/distribution",
            )
        return ir.Settings(package, str(distribution), str(client), str(error))

    def _servers(self) -> tuple[ir.Server, ...]:
        servers = []
        for server in self.data.get("servers") or []:
            if not isinstance(server, dict) or not isinstance(server.get("url"), str):
                continue
            variables = tuple(
                ir.ServerVariable(
                    name,
                    str(variable.get("default", "")),
                    tuple(str(v) for v in variable.get("enum") or []),
                    text_of(variable.get("description")),
                )
                for name, variable in sorted((server.get("variables") or {}).items())
                if isinstance(variable, dict)
            )
            servers.append(ir.Server(server["url"], variables, text_of(server.get("description"))))
        return tuple(servers)

    def _security_schemes(self) -> tuple[ir.SecurityScheme, ...]:
        schemes = []
        raw = (self.data.get("components") or {}).get("securitySchemes") or {}
        for name in sorted(raw):
            pointer = join_pointer("/components/securitySchemes", name)
            target = self.resolver.follow(raw[name], self.document, pointer)
            if target is None or not isinstance(target.value, dict):
                continue
            scheme = target.value
            kind = str(scheme.get("type", ""))
            source = ir.Source(self.document.file, pointer)
            description = text_of(scheme.get("description"))
            if kind == "http" and str(scheme.get("scheme", "")).lower() == "basic":
                schemes.append(ir.SecurityScheme(name, "basic", source, description))
            elif kind == "apiKey":
                location = _API_KEY_LOCATIONS.get(scheme.get("in"), "header")
                schemes.append(
                    ir.SecurityScheme(
                        name,
                        "api_key",
                        source,
                        description,
                        str(scheme.get("name", name)),
                        location,
                    )
                )
            elif kind in ("http", "oauth2", "openIdConnect"):
                schemes.append(ir.SecurityScheme(name, "bearer", source, description))
            else:
                self._problem(
                    "security/unsupported",
                    f"security scheme type {kind!r} is not supported",
                    pointer,
                    Severity.WARNING,
                )
        return tuple(schemes)

    # --- operations --------------------------------------------------------------------

    def _operations(self) -> list[ir.Operation]:
        found: list[tuple[str, str, dict[str, Any], list[Any], Document, str]] = []
        for path, item in (self.data.get("paths") or {}).items():
            pointer = join_pointer("/paths", path)
            target = self.resolver.follow(item, self.document, pointer)
            if target is None or not isinstance(target.value, dict):
                continue
            shared = target.value.get("parameters") or []
            for method in HTTP_METHODS:
                operation = target.value.get(method)
                if isinstance(operation, dict):
                    found.append(
                        (
                            path,
                            method,
                            operation,
                            shared,
                            target.document,
                            join_pointer(target.pointer, method),
                        )
                    )
        # An operation without an operationId is named after its method and path; that
        # name never takes an explicit id or another derived one (trailing underscores).
        taken = {
            raw["operationId"]
            for _, _, raw, *_ in found
            if isinstance(raw.get("operationId"), str) and raw["operationId"]
        }
        operations = []
        for path, method, raw, shared, document, pointer in found:
            operation_id = raw.get("operationId")
            if not isinstance(operation_id, str) or not operation_id:
                operation_id = snake_case(f"{method} {path}") or method
                while operation_id in taken:
                    operation_id += "_"
                taken.add(operation_id)
            operations.append(
                self._operation(path, method, operation_id, raw, shared, document, pointer)
            )
        return operations

    def _operation(
        self,
        path: str,
        method: str,
        operation_id: str,
        raw: dict[str, Any],
        shared: list[Any],
        document: Document,
        pointer: str,
    ) -> ir.Operation:
        tags = tuple(t for t in raw.get("tags") or [] if isinstance(t, str))
        own = self._own_settings(raw, join_pointer(pointer, "x-apismith"))
        first_tag = tags[0] if tags else "default"
        namespace = own.get("namespace") or snake_case(first_tag) or "default"
        resource = own.get("resource") or pascal_case(first_tag) or "Default"
        name = own.get("method") or snake_case(_strip_tag(operation_id, first_tag)) or method
        type_hint = pascal_case(operation_id) or pascal_case(f"{method} {path}")
        return ir.Operation(
            id=operation_id,
            method=method,
            path=path,
            namespace=str(namespace),
            resource=str(resource),
            name=str(name),
            source=ir.Source(document.file, pointer),
            summary=text_of(raw.get("summary")),
            description=text_of(raw.get("description")),
            parameters=self._parameters(
                shared, raw.get("parameters") or [], document, pointer, type_hint
            ),
            body=self._body(raw.get("requestBody"), document, pointer, type_hint),
            responses=self._responses(raw.get("responses") or {}, document, pointer, type_hint),
            security=_security_names(raw.get("security")),
            deprecated=bool(raw.get("deprecated")),
            tags=tags,
            extensions=extensions_of(raw),
        )

    def _parameters(
        self, shared: list[Any], own: list[Any], document: Document, pointer: str, hint: str
    ) -> tuple[ir.Parameter, ...]:
        by_key: dict[tuple[str, str], ir.Parameter] = {}
        path_pointer = pointer.rsplit("/", 1)[0]
        for base, raw_list in (
            (f"{path_pointer}/parameters", shared),
            (f"{pointer}/parameters", own),
        ):
            for index, raw in enumerate(raw_list):
                target = self.resolver.follow(raw, document, f"{base}/{index}")
                if target is None:
                    continue
                if target.key not in self._parameter_at:
                    self._parameter_at[target.key] = self._parameter(target, hint)
                parameter = self._parameter_at[target.key]
                if parameter is not None:
                    by_key[(parameter.location, parameter.name)] = parameter
        order = {"path": 0, "query": 1, "header": 2, "cookie": 3}
        return tuple(sorted(by_key.values(), key=lambda p: (order[p.location], p.name)))

    def _parameter(self, target: Target, hint: str) -> ir.Parameter | None:
        value = target.value
        if not isinstance(value, dict):
            return None
        name, location = value.get("name"), value.get("in")
        if not isinstance(name, str) or location not in ("path", "query", "header", "cookie"):
            return None
        schema = value.get("schema")
        if schema is None:
            content = value.get("content") or {}
            schema = next((m.get("schema") for m in content.values() if isinstance(m, dict)), {})
            schema_pointer = target.pointer
        else:
            schema_pointer = f"{target.pointer}/schema"
        param_type = self.types.type_of(
            schema, target.document, schema_pointer, hint + pascal_case(name)
        )
        return ir.Parameter(
            name,
            location,
            param_type,
            location == "path" or bool(value.get("required")),
            ir.Source(target.document.file, target.pointer),
            text_of(value.get("description")),
            value.get("explode", value.get("style", "form") == "form") is not False,
            bool(value.get("deprecated")),
            self._examples(value, target.document, target.pointer),
        )

    def _body(self, raw: Any, document: Document, pointer: str, hint: str) -> ir.Body | None:
        if raw is None:
            return None
        target = self.resolver.follow(raw, document, f"{pointer}/requestBody")
        if target is None or not isinstance(target.value, dict):
            return None
        chosen = _choose_media(target.value.get("content") or {})
        if chosen is None:
            return None
        content_type, media = chosen
        media_pointer = join_pointer(target.pointer, "content", content_type)
        body_type = self.types.type_of(
            media.get("schema", {}), target.document, f"{media_pointer}/schema", hint + "Request"
        )
        return ir.Body(
            content_type,
            body_type,
            bool(target.value.get("required")),
            ir.Source(target.document.file, media_pointer),
            text_of(target.value.get("description")),
            self._examples(media, target.document, media_pointer),
        )

    def _responses(
        self, raw: dict[str, Any], document: Document, pointer: str, hint: str
    ) -> tuple[ir.Response, ...]:
        responses = []
        statuses = [str(s) for s in raw]
        success = [s for s in statuses if s.startswith("2")]
        for status, value in raw.items():
            status = str(status)
            response_pointer = join_pointer(pointer, "responses", status)
            target = self.resolver.follow(value, document, response_pointer)
            if target is None:
                continue
            key = (target.key, status)
            if key not in self._response_at:
                suffix = (
                    "Response"
                    if status in success[:1]
                    else f"Response{pascal_case(status) or status}"
                )
                self._response_at[key] = self._response(target, status, hint + suffix)
            response = self._response_at[key]
            if response is not None:
                responses.append(response)
        return tuple(sorted(responses, key=lambda r: _status_order(r.status)))

    def _response(self, target: Target, status: str, hint: str) -> ir.Response | None:
        if not isinstance(target.value, dict):
            return None
        chosen = _choose_media(target.value.get("content") or {})
        content_type = response_type = None
        examples: tuple[ir.Example, ...] = ()
        if chosen is not None:
            content_type, media = chosen
            media_pointer = join_pointer(target.pointer, "content", content_type)
            if "schema" in media:
                response_type = self.types.type_of(
                    media["schema"], target.document, f"{media_pointer}/schema", hint
                )
            examples = self._examples(media, target.document, media_pointer)
        return ir.Response(
            status,
            text_of(target.value.get("description")),
            ir.Source(target.document.file, target.pointer),
            content_type,
            response_type,
            examples,
        )

    def _examples(
        self, holder: dict[str, Any], document: Document, pointer: str
    ) -> tuple[ir.Example, ...]:
        found = []
        if "example" in holder:
            found.append(
                ir.Example(
                    "example",
                    holder["example"],
                    source=ir.Source(document.file, f"{pointer}/example"),
                )
            )
        for name, raw in sorted((holder.get("examples") or {}).items()):
            example_pointer = join_pointer(pointer, "examples", name)
            target = self.resolver.follow(raw, document, example_pointer)
            if target is None or not isinstance(target.value, dict) or "value" not in target.value:
                continue
            value = target.value
            found.append(
                ir.Example(
                    str(name),
                    value["value"],
                    text_of(value.get("summary")),
                    text_of(value.get("description")),
                    value.get("x-apismith-invalid") is True,
                    ir.Source(document.file, example_pointer),
                )
            )
        return tuple(found)

    def _own_settings(self, holder: dict[str, Any], pointer: str) -> dict[str, Any]:
        """The ``x-apismith`` object of the root or an operation; anything else is reported."""
        own = holder.get("x-apismith")
        if own is None:
            return {}
        if not isinstance(own, dict):
            self._problem("settings/not-an-object", "x-apismith must be an object", pointer)
            return {}
        return own

    def _problem(
        self, rule: str, message: str, pointer: str, severity: Severity = Severity.ERROR
    ) -> None:
        self.diagnostics.append(Diagnostic(rule, message, self.document.file, pointer, severity))


def _choose_media(content: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """JSON first, then any +json type, then the first declared."""
    media = [(str(k), v) for k, v in content.items() if isinstance(v, dict)]
    for content_type, value in media:
        if content_type.split(";")[0].strip().lower() in _JSON_TYPES:
            return content_type, value
    for content_type, value in media:
        if content_type.split(";")[0].strip().lower().endswith("+json"):
            return content_type, value
    return media[0] if media else None


def _status_order(status: str) -> tuple[int, str]:
    if status.isdigit():
        return (int(status), status)
    if status[:1].isdigit():
        return (int(status[0]) * 100 + 99, status)
    return (1000, status)


def _strip_tag(operation_id: str, tag: str) -> str:
    """GitHub-style ``repos/get`` under tag ``repos`` becomes ``get``."""
    for separator in ("/", "-", "_", "."):
        prefix = tag + separator
        if operation_id.lower().startswith(prefix.lower()) and len(operation_id) > len(prefix):
            return operation_id[len(prefix) :]
    return operation_id


def _security_names(raw: Any) -> tuple[str, ...] | None:
    if not isinstance(raw, list):
        return None
    names = sorted(
        {name for requirement in raw if isinstance(requirement, dict) for name in requirement}
    )
    return tuple(names)
