"""The cases of a generated package's contract tests, computed from the IR.

Each case is plain JSON data (rendered with ``json_lines``): what to call, with which
keyword arguments, and what must happen. Something the generated client cannot express (an
example member without a keyword argument, a body that is not JSON) becomes a case with
a ``problem``, so the rendered test fails with that message instead of being skipped.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from apismith import ir
from apismith.contract_requests import (
    ExampleRequest,
    call_request,
    example_requests,
    paired_response,
    status_code,
)
from apismith.diagnostics import join_pointer
from apismith.pyrender import PythonApi

TOKEN = "contract-token"
USER, SECRET = "contract-user", "contract-secret"
KEY = "contract-key"

# status -> the error class the generated client raises (see templates/package/_errors.py.jinja)
_ERRORS = {
    400: "BadRequestError",
    401: "AuthenticationError",
    403: "PermissionDeniedError",
    404: "NotFoundError",
    409: "ConflictError",
    422: "UnprocessableEntityError",
    429: "RateLimitError",
}

Case = dict[str, Any]


@dataclass
class ContractCases:
    requests: list[Case] = field(default_factory=list)
    invalid: list[Case] = field(default_factory=list)
    responses: list[Case] = field(default_factory=list)


def contract_cases(api: ir.Api, py: PythonApi, body_schemas: Mapping[str, Any]) -> ContractCases:
    cases = ContractCases()
    for namespace, namespace_module, resources in py.namespaces():
        for resource, resource_module, operations in resources:
            methods = py.method_names(operations)
            for operation in operations:
                target = {
                    "operation": operation.id,
                    "location": [namespace, resource, methods[operation.id]],
                    "module": f"{api.settings.package}.resources.{namespace_module}.{resource_module}",
                    "loader": f"_{methods[operation.id]}_operation",
                    "auth": auth_for(api, py, operation),
                }
                _add_operation(cases, api, py, operation, target, body_schemas.get(operation.id))
    return cases


def _add_operation(
    cases: ContractCases,
    api: ir.Api,
    py: PythonApi,
    operation: ir.Operation,
    target: Case,
    body_schema: Any,
) -> None:
    for request in example_requests(api, operation):
        kwargs, problem = call_kwargs(py, request)
        case = {**target, "id": f"{operation.id}:{request.name}", "kwargs": kwargs}
        if problem is not None:
            case["problem"] = problem
        if request.invalid:
            case["pointers"] = expected_pointers(body_schema, request)
            cases.invalid.append(case)
        else:
            cases.requests.append({**case, **expected_request(request, target["auth"])})
            cases.requests[-1].update(_reply(operation, request.name))
    call = call_request(api, operation)
    call_with, problem = call_kwargs(py, call) if call is not None else (None, None)
    if problem is not None:  # the request case reports it; here a bare request will do
        call, call_with = None, None
    for response in operation.responses:
        for example in response.examples:
            status = status_code(response.status, operation)
            case = {
                **target,
                "id": f"{operation.id}:{response.status}:{example.name}",
                "kwargs": call_with,
                "method": operation.method.upper(),
                "path": call.path if call is not None else operation.path,
                "status": status,
                "example_name": example.name,
                "example": example.value,
                "model": _model_class(py, response.type),
                "error": None if response.is_success else _error_class(status),
            }
            if response.content_type is not None and not py.is_json(response.content_type):
                case["problem"] = f"the {response.status} example is not JSON; it cannot round-trip"
            cases.responses.append(case)


def call_kwargs(py: PythonApi, request: ExampleRequest) -> tuple[dict[str, Any], str | None]:
    """The keyword arguments that stand for a request, and why they cannot when not."""
    operation = request.operation
    kwargs: dict[str, Any] = {}
    given = {
        "path": dict(request.path_values),
        "query": dict(request.query),
        "header": dict(request.headers),
    }
    flattened = py.flattened_body(operation)
    problem = None
    for kwarg in py.kwargs(operation):
        if kwarg.location in given and kwarg.wire in given[kwarg.location]:
            kwargs[kwarg.name] = given[kwarg.location][kwarg.wire]
        elif kwarg.location == "body" and request.has_body:
            if kwarg.raw:
                problem = "the example body is not JSON; the contract tests only send JSON"
            elif flattened is None:
                kwargs[kwarg.name] = request.body
            elif isinstance(request.body, dict) and kwarg.wire in request.body:
                kwargs[kwarg.name] = request.body[kwarg.wire]
    if flattened is not None and request.has_body:
        members = {k.wire for k in py.kwargs(operation) if k.location == "body"}
        if not isinstance(request.body, dict):
            problem = "the example body is not an object, but the method takes its members"
        else:
            extra = sorted(set(request.body) - members)
            if extra:
                problem = f"no keyword argument sends the example's member(s) {extra}"
    return kwargs, problem


def expected_request(request: ExampleRequest, auth: Case | None) -> Case:
    query = request.query_pairs()
    headers = request.header_pairs()
    if request.content_type is not None:
        headers.append(("Content-Type", request.content_type))
    if auth is not None:
        if auth["where"] == "query":
            query.append((auth["name"], auth["value"]))
        else:
            headers.append((auth["name"], auth["value"]))
    return {
        "method": request.method,
        "path": request.path,
        "query": [list(pair) for pair in query],
        "headers": [list(pair) for pair in headers],
        "content_type": request.content_type,
        "body": request.body if request.has_body else None,
    }


def _reply(operation: ir.Operation, name: str) -> Case:
    """What the test server answers to a request example: the success example of the
    same name, else an empty body with the first documented success status."""
    paired = paired_response(operation, name)
    if paired is not None and paired[0].is_success:
        return {"reply_status": status_code(paired[0].status, operation), "reply": paired[1].value}
    success = [r for r in operation.responses if r.is_success]
    status = status_code(success[0].status, operation) if success else 200
    return {"reply_status": status, "reply": None}


def auth_for(api: ir.Api, py: PythonApi, operation: ir.Operation) -> Case | None:
    """How the test client authenticates, and what that puts on the wire."""
    names = api.security if operation.security is None else operation.security
    for scheme in api.security_schemes:
        if scheme.name not in names:
            continue
        cls = py.auth_class(scheme)
        if scheme.kind == "bearer":
            return _auth(cls, [TOKEN], "header", "Authorization", f"Bearer {TOKEN}")
        if scheme.kind == "basic":
            pair = base64.b64encode(f"{USER}:{SECRET}".encode()).decode("ascii")
            return _auth(cls, [USER, SECRET], "header", "Authorization", f"Basic {pair}")
        if scheme.kind == "api_key" and scheme.parameter:
            if scheme.location == "cookie":
                return _auth(cls, [KEY], "header", "Cookie", f"{scheme.parameter}={KEY}")
            return _auth(cls, [KEY], scheme.location or "header", scheme.parameter, KEY)
    return None


def _auth(cls: str, arguments: list[str], where: str, name: str, value: str) -> Case:
    return {"class": cls, "arguments": arguments, "where": where, "name": name, "value": value}


def expected_pointers(body_schema: Any, request: ExampleRequest) -> list[str]:
    """The JSON pointers a validator of the request schema rejects in the example body."""
    if body_schema is None or not request.has_body:
        return []
    import jsonschema_rs  # here, not at the top: a render that needs no cases never loads it

    validator = jsonschema_rs.validator_for(body_schema)
    pointers = []
    for error in validator.iter_errors(request.body):
        pointer = join_pointer("", *error.instance_path)
        if isinstance(error.kind, jsonschema_rs.ValidationErrorKind.Required):
            pointer = join_pointer(pointer, error.kind.property)
        pointers.append(pointer)
    return sorted(set(pointers))


def _model_class(py: PythonApi, type_ref: ir.TypeRef | None) -> str | None:
    if isinstance(type_ref, ir.NamedType) and isinstance(py.api.types.get(type_ref.name), ir.Model):
        return py.cls(type_ref.name)
    return None


def _error_class(status: int) -> str:
    if status >= 500:
        return "InternalServerError"
    return _ERRORS.get(status, "APIStatusError")
