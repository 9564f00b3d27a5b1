"""Checks of one request against its route: security, parameters and body.

Each problem is ``(pointer, message)``, the pointer rooted at the part of the request
it is in: ``/path/id``, ``/query/preview``, ``/headers/x-trace``, ``/cookies/session``,
``/body/messages/0``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from apismith.mock.routes import ParamCheck, Route

Problem = tuple[str, str]

_BOOLEANS = {"true": True, "false": False}


def authorized(route: Route, headers: dict[str, str], query: dict[str, list[str]]) -> bool:
    """Whether the request carries one of the credentials the operation accepts."""
    if not route.security:
        return True
    for scheme in route.security:
        if scheme.kind in ("bearer", "basic"):
            value = headers.get("authorization", "")
            prefix = "bearer " if scheme.kind == "bearer" else "basic "
            if value[: len(prefix)].lower() == prefix and value[len(prefix) :].strip():
                return True
        elif scheme.location == "query":
            if query.get(scheme.name):
                return True
        elif scheme.location == "cookie":
            if cookies(headers).get(scheme.name):
                return True
        elif headers.get(scheme.name):
            return True
    return False


def cookies(headers: dict[str, str]) -> dict[str, str]:
    """The request's cookies by name, percent-decoded."""
    jar: dict[str, str] = {}
    for pair in headers.get("cookie", "").split(";"):
        name, sign, value = pair.strip().partition("=")
        if sign and name:
            jar[name] = unquote(value)
    return jar


def parameter_problems(
    route: Route,
    path_values: dict[str, str],
    query: dict[str, list[str]],
    headers: dict[str, str],
) -> list[Problem]:
    problems: list[Problem] = []
    for check in route.params:
        if check.location == "path":
            raw = [path_values[check.key]] if check.key in path_values else []
        elif check.location == "query":
            raw = query.get(check.key, [])
        elif check.location == "header":
            raw = [headers[check.key]] if check.key in headers else []
        else:
            jar = cookies(headers)
            raw = [jar[check.key]] if check.key in jar else []
        group = {"header": "headers", "cookie": "cookies"}.get(check.location, check.location)
        where = f"/{group}/{_escape(check.name)}"
        if not raw:
            if check.required:
                problems.append((where, f"the {check.location} parameter is required"))
            continue
        value = read(check, raw)
        if check.validator is not None and not check.validator.is_valid(value):
            problems.extend((where + e.pointer, e.message) for e in check.validator.errors(value))
    return problems


def read(check: ParamCheck, raw: list[str]) -> Any:
    """The parameter's text as the JSON value its schema describes."""
    if check.array:
        items = raw if check.explode and check.location == "query" else raw[0].split(",")
        if check.explode and check.location == "query" and len(raw) == 1 and "," in raw[0]:
            items = raw[0].split(",")
        return [_scalar(check.kind, item) for item in items]
    return _scalar(check.kind, raw[-1])


def _scalar(kind: str, text: str) -> Any:
    if kind == "boolean":
        return _BOOLEANS.get(text, text)
    if kind == "integer":
        try:
            return int(text) if len(text) < 40 else text
        except ValueError:
            return text
    if kind == "number":
        try:
            number = float(text) if len(text) < 400 else None
        except ValueError:
            return text
        if number is None or number != number or number in (float("inf"), float("-inf")):
            return text
        return int(number) if number.is_integer() and "." not in text else number
    return text


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")
