"""Which answer a request gets: ``Prefer`` first, then the example paired with the
request, then the operation's default; and the problem documents for bad requests."""

from __future__ import annotations

from typing import Any

import orjson

from apismith.mock.checks import Problem
from apismith.mock.routes import PROBLEM, Reply, ResponseSpec, Route

_TITLES = {
    400: "Bad Request",
    404: "Not Found",
    405: "Method Not Allowed",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    422: "Unprocessable Content",
}


def problem(status: int, detail: str, problems: list[Problem] | None = None) -> Reply:
    """An RFC 9457 problem document; ``errors`` lists every failing pointer."""
    document: dict[str, Any] = {
        "type": "about:blank",
        "title": _TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
    }
    if problems:
        document["errors"] = [{"pointer": p, "message": m} for p, m in problems]
    return Reply(status, orjson.dumps(document), PROBLEM)


def parse_prefer(value: str) -> dict[str, str]:
    """``code=400, example=foo`` (or ``;``-separated) as a dict."""
    preferences = {}
    for part in value.replace(";", ",").split(","):
        name, _, setting = part.partition("=")
        if setting:
            preferences[name.strip().lower()] = setting.strip().strip('"')
    return preferences


def preferred(route: Route, prefer: str) -> Reply | None:
    """The reply ``Prefer`` asks for; ``None`` when it asks for nothing we know of."""
    wanted = parse_prefer(prefer)
    code, name = wanted.get("code"), wanted.get("example")
    if code is None and name is None:
        return None
    candidates: list[ResponseSpec]
    if code is not None:
        spec = _covering(route, code)
        if spec is None:
            return problem(400, f"Prefer: code={code}: the operation documents no such response")
        candidates = [spec]
        status = int(code) if code.isdigit() else spec.status
    else:
        candidates = sorted(route.responses.values(), key=lambda r: not 200 <= r.status < 300)
        status = 0
    if name is None:
        reply = candidates[0].first
    else:
        found = next((c.examples[name] for c in candidates if name in c.examples), None)
        if found is None:
            return problem(400, f"Prefer: example={name}: no such example for this response")
        reply = found
    if status and status != reply.status:
        reply = Reply(status, reply.body, reply.content_type, reply.headers)
    return reply


def _covering(route: Route, code: str) -> ResponseSpec | None:
    responses = route.responses
    if code in responses:
        return responses[code]
    family = f"{code[:1]}XX"
    for key in (family, family.lower(), "default"):
        if key in responses:
            return responses[key]
    return None


def for_valid_request(route: Route, body: Any) -> Reply:
    for value, reply in route.by_request:
        if value == body:
            return reply
    return route.default


def for_invalid_body(route: Route, body: Any, problems: list[Problem], rules: set[str]) -> Reply:
    """The documented error paired with a marked invalid example when the request is that
    example, or breaks only rules that example breaks; else a 422 problem document."""
    for value, example_rules, reply in route.invalid:
        if value == body or (rules and example_rules and rules <= example_rules):
            return reply
    return problem(422, "the request does not match the spec", problems)


def for_marked_invalid(route: Route, body: Any) -> Reply | None:
    """The documented error of a marked invalid example the body equals, if any."""
    for value, _, reply in route.invalid:
        if value == body:
            return reply
    return None
