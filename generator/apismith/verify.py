"""``apismith verify``: replay every documented request example against a running server
and check each answer against the spec.

A valid example must get a documented success status, an example marked
``x-apismith-invalid`` a documented 4xx (the status of its paired response example when
there is one); every JSON body must be valid against the schema of its status.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import orjson

from apismith import ir
from apismith.contract_requests import ExampleRequest, example_requests, paired_response
from apismith.generate import build
from apismith.load import LoadError
from apismith.spec_walk import pick_status
from apismith.validate import PayloadValidator, UnknownTarget, UnusableSchema


@dataclass
class Check:
    request: ExampleRequest
    status: int | None = None
    problems: list[str] = field(default_factory=list)

    def line(self) -> str:
        request = self.request
        label = f"{request.method} {request.path} {request.name or '(no example name)'}"
        if request.invalid:
            label += " (invalid)"
        answer = f" -> {self.status}" if self.status is not None else ""
        if not self.problems:
            return f"ok    {label}{answer}"
        return "\n".join(f"FAIL  {label}{answer}: {problem}" for problem in self.problems)


@dataclass
class Report:
    checks: list[Check] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)
    """Why the spec could not be read (then nothing was sent)."""

    @property
    def failed(self) -> int:
        return sum(1 for c in self.checks if c.problems)

    def lines(self) -> list[str]:
        summary = f"{len(self.checks)} requests, {self.failed} with problems"
        return [c.line() for c in self.checks] + [summary]


def verify(
    spec: Path, base_url: str, *, token: str = "verify-token", client: httpx.Client | None = None
) -> Report:
    report = Report()
    try:
        api, resolver, diagnostics, _ = build(spec)
    except LoadError as error:
        report.unreadable = [str(d) for d in error.diagnostics]
        return report
    if api is None or resolver is None:
        report.unreadable = [str(d) for d in diagnostics] or ["the spec cannot be read"]
        return report
    validators = PayloadValidator(resolver)
    http = client or httpx.Client(timeout=30.0, trust_env=False)
    try:
        for operation in api.operations:
            for request in example_requests(api, operation):
                report.checks.append(_check(api, validators, http, base_url, request, token))
    finally:
        if client is None:
            http.close()
    return report


def _check(
    api: ir.Api,
    validators: PayloadValidator,
    http: httpx.Client,
    base_url: str,
    request: ExampleRequest,
    token: str,
) -> Check:
    check = Check(request)
    try:
        response = http.send(_http_request(api, base_url, request, token))
    except httpx.HTTPError as error:
        check.problems.append(f"no answer: {error}")
        return check
    check.status = response.status_code
    operation = request.operation
    documented = {r.status: r for r in operation.responses}
    key = pick_status(documented, str(response.status_code))
    if key is None:
        check.problems.append(f"status {response.status_code} is not documented")
        return check
    is_success = 200 <= response.status_code < 300
    if request.invalid:
        paired = paired_response(operation, request.name)
        if is_success:
            check.problems.append("an example marked invalid was accepted")
        elif (
            paired is not None
            and pick_status({paired[0].status: 1}, str(response.status_code)) is None
        ):
            check.problems.append(f"expected the documented {paired[0].status} response")
    elif not is_success:
        check.problems.append("a valid example was refused")
    check.problems.extend(_body_problems(validators, operation.id, key, documented[key], response))
    return check


def _body_problems(
    validators: PayloadValidator,
    operation_id: str,
    key: str,
    documented: ir.Response,
    response: httpx.Response,
) -> list[str]:
    if documented.content_type is None:
        return []
    media = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if not (media == "application/json" or media.endswith("+json")):
        return [f"the body is {media or 'untyped'}, not {documented.content_type}"]
    try:
        body = orjson.loads(response.content)
    except orjson.JSONDecodeError as error:
        return [f"the body is not valid JSON: {error}"]
    try:
        compiled = validators.for_response(operation_id, key, documented.content_type)
    except (UnknownTarget, UnusableSchema) as error:
        return [f"the {key} schema cannot be used: {error}"]
    return [f"{e.pointer or '/'}: {e.message} [{e.schema_location}]" for e in compiled.errors(body)]


def _http_request(api: ir.Api, base_url: str, request: ExampleRequest, token: str) -> httpx.Request:
    headers = request.header_pairs()
    query = request.query_pairs()
    content = None
    if request.has_body:
        body = request.body
        content = body.encode() if isinstance(body, str) and not _json(request) else None
        if content is None:
            content = orjson.dumps(body)
        headers.append(("Content-Type", request.content_type or "application/json"))
    names = api.security if request.operation.security is None else request.operation.security
    for scheme in api.security_schemes:
        if scheme.name in names:
            _authenticate(scheme, token, headers, query)
            break
    return httpx.Request(
        request.method,
        base_url.rstrip("/") + request.path,
        params=tuple(query),
        headers=headers,
        content=content,
    )


def _json(request: ExampleRequest) -> bool:
    media = (request.content_type or "application/json").split(";")[0].strip().lower()
    return media == "application/json" or media.endswith("+json")


def _authenticate(
    scheme: ir.SecurityScheme,
    token: str,
    headers: list[tuple[str, str]],
    query: list[tuple[str, str]],
) -> None:
    if scheme.kind == "bearer":
        headers.append(("Authorization", f"Bearer {token}"))
    elif scheme.kind == "basic":
        headers.append(("Authorization", "Basic " + base64.b64encode(token.encode()).decode()))
    elif scheme.location == "query":
        query.append((scheme.parameter or scheme.name, token))
    elif scheme.location == "cookie":
        headers.append(("Cookie", f"{scheme.parameter or scheme.name}={token}"))
    else:
        headers.append((scheme.parameter or scheme.name, token))
