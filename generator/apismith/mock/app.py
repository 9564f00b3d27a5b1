"""The mock's ASGI application: find the route, check the request, answer.

Order of checks: unknown path (404) or method (405); credentials (401); size (413);
media type (415); JSON syntax (400); parameters and body against the spec (the paired
documented error, else a 422 problem listing every failing pointer). A valid request
gets the response ``Prefer`` asks for, else the example paired with it, else the
operation's first success example.
"""

from __future__ import annotations

import re
import time
import traceback
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote

import orjson

from apismith.generate import build
from apismith.load import LoadError
from apismith.mock import checks, replies
from apismith.mock.log import BatchedLog
from apismith.mock.routes import Reply, Route, build_routes

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

DEFAULT_MAX_BODY = 1 << 20
_MISSING: Any = object()


class SpecUnusable(Exception):
    """The spec cannot be loaded or has errors; ``diagnostics`` says why."""

    def __init__(self, diagnostics: list[Any]) -> None:
        super().__init__("the spec cannot be mocked")
        self.diagnostics = diagnostics


def build_app(
    spec: Path,
    *,
    max_body: int = DEFAULT_MAX_BODY,
    log: Callable[[str], None] | None = None,
) -> MockApp:
    """The mock of ``spec``; ``SpecUnusable`` when the spec has errors."""
    try:
        api, resolver, diagnostics, _ = build(spec)
    except LoadError as error:
        raise SpecUnusable(list(error.diagnostics)) from None
    if api is None or resolver is None:
        raise SpecUnusable(diagnostics)
    return MockApp(build_routes(api, resolver), max_body=max_body, log=log)


class MockApp:
    def __init__(
        self,
        routes: list[Route],
        *,
        max_body: int = DEFAULT_MAX_BODY,
        log: Callable[[str], None] | None = None,
    ) -> None:
        self.max_body = max_body
        self.log = log or BatchedLog()
        self.static: dict[tuple[str, str], Route] = {}
        self.dynamic: dict[str, list[tuple[re.Pattern[str], Route]]] = {}
        self.methods: list[tuple[re.Pattern[str], str]] = []
        for route in routes:
            operation = route.operation
            method = operation.method.upper()
            pattern = _pattern(operation.path)
            if route.path_names:
                self.dynamic.setdefault(method, []).append((pattern, route))
            else:
                self.static[(method, operation.path)] = route
            self.methods.append((pattern, method))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send, getattr(self.log, "flush", lambda: None))
            return
        if scope["type"] != "http":
            return
        started = time.perf_counter()
        try:
            reply = await self.handle(scope, receive)
        except Exception:  # a bug in the mock: say so, and keep serving
            self.log(traceback.format_exc().rstrip())
            reply = replies.problem(500, "the mock failed; see its log")
        headers = [(b"content-length", str(len(reply.body)).encode())]
        if reply.content_type:
            headers.append((b"content-type", reply.content_type.encode()))
        headers.extend(reply.headers)
        await send({"type": "http.response.start", "status": reply.status, "headers": headers})
        await send({"type": "http.response.body", "body": reply.body})
        elapsed = (time.perf_counter() - started) * 1000
        self.log(f"{scope['method']} {scope['path']} {reply.status} {elapsed:.1f}ms")

    def match(self, method: str, path: str) -> tuple[Route | None, dict[str, str]]:
        route = self.static.get((method, path))
        if route is not None:
            return route, {}
        for pattern, candidate in self.dynamic.get(method, ()):
            found = pattern.fullmatch(path)
            if found is not None:
                values = {
                    name: unquote(value)
                    for name, value in zip(candidate.path_names, found.groups(), strict=True)
                }
                return candidate, values
        return None, {}

    async def handle(self, scope: Scope, receive: Receive) -> Reply:
        method, path = scope["method"], scope["path"]
        route, path_values = self.match(method, path)
        if route is None:
            return self._unmatched(method, path)
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        query: dict[str, list[str]] = {}
        if scope["query_string"]:
            text = scope["query_string"].decode("latin-1")
            for name, value in parse_qsl(text, keep_blank_values=True):
                query.setdefault(name, []).append(value)
        if not checks.authorized(route, headers, query):
            return route.unauthorized
        raw = await self._read(headers, receive)
        if raw is None:
            return replies.problem(413, f"the body is larger than {self.max_body} bytes")
        problems = checks.parameter_problems(route, path_values, query, headers)
        body: Any = _MISSING
        if route.body is not None:
            if raw:
                media = headers.get("content-type", "").split(";")[0].strip().lower()
                if media != route.body.media:
                    return replies.problem(415, f"the body must be {route.body.media}")
                if route.body.json:
                    try:
                        body = orjson.loads(raw)
                    except orjson.JSONDecodeError as error:
                        return replies.problem(400, f"the body is not valid JSON: {error}")
                else:
                    body = raw
            elif route.body.required:
                problems.append(("/body", "the request body is required"))
        if body is not _MISSING and route.body is not None and route.body.validator is not None:
            validator = route.body.validator
            if not validator.is_valid(body):
                errors = validator.errors(body)
                found = [("/body" + e.pointer, e.message) for e in errors]
                if problems:
                    return replies.problem(
                        422, "the request does not match the spec", problems + found
                    )
                return replies.for_invalid_body(
                    route, body, found, {e.schema_location for e in errors}
                )
        if problems:
            return replies.problem(422, "the request does not match the spec", problems)
        if route.invalid and body is not _MISSING:
            paired = replies.for_marked_invalid(route, body)
            if paired is not None:
                return paired
        prefer = headers.get("prefer")
        if prefer:
            chosen = replies.preferred(route, prefer)
            if chosen is not None:
                return chosen
        return replies.for_valid_request(route, body)

    def _unmatched(self, method: str, path: str) -> Reply:
        allowed = sorted({m for pattern, m in self.methods if pattern.fullmatch(path)})
        if not allowed:
            return replies.problem(404, "no operation has this path")
        reply = replies.problem(405, f"{method} is not documented for this path")
        allow = (b"allow", ", ".join(allowed).encode())
        return Reply(reply.status, reply.body, reply.content_type, (allow,))

    async def _read(self, headers: dict[str, str], receive: Receive) -> bytes | None:
        """The whole body, or ``None`` when it is larger than allowed."""
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_body:
            return None
        chunks = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)


def _pattern(path: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}]+\})", path)
    regex = "".join(
        "([^/]+)" if p.startswith("{") and p.endswith("}") else re.escape(p) for p in parts
    )
    return re.compile(regex)


async def _lifespan(receive: Receive, send: Send, flush: Callable[[], None]) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            flush()
            await send({"type": "lifespan.shutdown.complete"})
            return
