"""The mock application: documented examples, Prefer, validation with the API's own error
envelope, security, and no 500 for malformed or hostile requests."""

from __future__ import annotations

import asyncio
import functools
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from apismith.mock.app import MockApp, SpecUnusable, build_app
from apismith.validate import CompiledSchema

ROOT = Path(__file__).resolve().parents[1]
GOTHAM = ROOT / "spec" / "gotham-inbox.yaml"
SHIFT = ROOT / "spec" / "shift-messages.yaml"
PRIVATE = ROOT / "spec" / "private-messages.yaml"
GOTHAM_PATH = "/gotham/v1/inbox/messages"
TOKEN = {"Authorization": "Bearer t"}
TEAM = "8a7644a3-7393-417c-8180-0328749562a0"
USER = "09dadecb-edbc-44c0-a187-1150e98e6df8"
GOTHAM_BODY: dict[str, Any] = {
    "messages": [
        {
            "sender": {"displayName": "My External Message Sender"},
            "title": {"value": "Hello from the sendMessages API!"},
            "security": {"portionMarkings": ["SENSITIVE"]},
            "groupRecipients": [{"name": "my-example-group"}],
            "body": {"value": "Some **styled** extra content", "formatStyle": "MARKDOWN"},
        }
    ]
}
ERROR_4004 = {"errors": [{"message": "text or attachments cannot be empty", "code": 4004}]}


@functools.cache
def app(spec: Path) -> tuple[MockApp, list[str]]:
    lines: list[str] = []
    return build_app(spec, log=lines.append), lines


class Client:
    """Requests straight into the ASGI application, no sockets."""

    def __init__(self, spec: Path) -> None:
        self.app = app(spec)[0]

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        async def call() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://mock") as client:
                return await client.request(method, path, **kwargs)

        return asyncio.run(call())

    def post(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", path, **kwargs)

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", path, **kwargs)


def client(spec: Path) -> Client:
    return Client(spec)


def test_documented_example_answers_the_documented_request() -> None:
    response = client(GOTHAM).post(
        GOTHAM_PATH, params={"preview": "true"}, json=GOTHAM_BODY, headers=TOKEN
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"responses": [{"sourceId": "f81d4fae-7dec-11d0-a765-00a0c91e6bf6"}]}


def test_private_messages_answers_201_with_its_example() -> None:
    response = client(PRIVATE).post(
        "/api/v2/pm/", json={"recipients": [115], "message": "hi"}, headers=TOKEN
    )
    assert response.status_code == 201
    assert response.json()["created_at"] == "2021-12-27T11:10:27.729971+01:00"


def test_missing_bearer_token_is_401() -> None:
    response = client(GOTHAM).post(GOTHAM_PATH, json=GOTHAM_BODY)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    wrong = client(GOTHAM).post(GOTHAM_PATH, json=GOTHAM_BODY, headers={"Authorization": "Basic x"})
    assert wrong.status_code == 401


def test_marked_invalid_example_gets_its_paired_error_envelope() -> None:
    response = client(SHIFT).post("/v1/messages", json={"addressed_users": [USER]}, headers=TOKEN)
    assert response.status_code == 400
    assert response.json() == ERROR_4004


def test_a_request_breaking_the_same_rule_gets_the_same_envelope() -> None:
    body = {"text": "", "addressed_teams": [TEAM]}
    response = client(SHIFT).post("/v1/messages", json=body, headers=TOKEN)
    assert response.status_code == 400
    assert response.json() == ERROR_4004


def test_other_bad_requests_get_a_problem_listing_every_pointer() -> None:
    body = {"text": 5, "addressed_teams": [TEAM, TEAM], "addressed_users": [USER]}
    response = client(SHIFT).post("/v1/messages", json=body, headers=TOKEN)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    pointers = {e["pointer"] for e in response.json()["errors"]}
    assert {"/body/text", "/body/addressed_teams"} <= pointers


def test_query_parameters_are_read_by_their_schema_and_checked() -> None:
    bad = client(GOTHAM).post(
        GOTHAM_PATH, params={"preview": "maybe"}, json=GOTHAM_BODY, headers=TOKEN
    )
    assert bad.status_code == 422
    assert [e["pointer"] for e in bad.json()["errors"]] == ["/query/preview"]
    fine = client(GOTHAM).post(
        GOTHAM_PATH, params={"preview": "false"}, json=GOTHAM_BODY, headers=TOKEN
    )
    assert fine.status_code == 200


def test_prefer_picks_the_status_and_the_example() -> None:
    shift = client(SHIFT)
    body = {"text": "hi", "addressed_teams": [TEAM]}
    error = shift.post(
        "/v1/messages",
        json=body,
        headers={**TOKEN, "Prefer": "code=400, example=usersWithoutText"},
    )
    assert (error.status_code, error.json()) == (400, ERROR_4004)
    by_name = shift.post(
        "/v1/messages", json=body, headers={**TOKEN, "Prefer": "example=usersWithoutText"}
    )
    assert (by_name.status_code, by_name.json()) == (400, ERROR_4004)
    by_code = shift.post("/v1/messages", json=body, headers={**TOKEN, "Prefer": "code=200"})
    assert by_code.status_code == 200 and "data" in by_code.json()
    unknown = shift.post("/v1/messages", json=body, headers={**TOKEN, "Prefer": "example=nope"})
    assert unknown.status_code == 400
    # default (SHIFT documents one) answers any other code, without a body example
    teapot = shift.post("/v1/messages", json=body, headers={**TOKEN, "Prefer": "code=418"})
    assert teapot.status_code == 418


def test_validators_are_the_toolkits_compiled_ones() -> None:
    mock, _ = app(SHIFT)
    (route,) = mock.static.values()
    assert route.body is not None
    assert isinstance(route.body.validator, CompiledSchema)


@pytest.mark.parametrize(
    ("method", "path", "headers", "content", "status"),
    [
        ("POST", GOTHAM_PATH, {"Content-Type": "application/json"}, b"{not json", 400),
        ("POST", GOTHAM_PATH, {"Content-Type": "application/json"}, b"\xff\xfe\x00", 400),
        ("POST", GOTHAM_PATH, {"Content-Type": "application/json"}, b"[" * 5000 + b"]" * 5000, 400),
        ("POST", GOTHAM_PATH, {"Content-Type": "application/json"}, b"1" * 400, 400),
        ("POST", GOTHAM_PATH, {"Content-Type": "application/json"}, b"null", 422),
        ("POST", GOTHAM_PATH, {"Content-Type": "text/plain"}, b"{}", 415),
        ("POST", GOTHAM_PATH, {"Content-Type": "application/json"}, b" " * (2 << 20), 413),
        ("POST", GOTHAM_PATH, {"Content-Length": "99999999999"}, b"", 413),
        ("POST", GOTHAM_PATH, {}, b"", 422),
        ("DELETE", GOTHAM_PATH, {}, b"", 405),
        ("GET", "/../../etc/passwd", {}, b"", 404),
        ("GET", "/%00%ff", {}, b"", 404),
        (
            "POST",
            GOTHAM_PATH + "?preview=%ff%fe&preview=",
            {"Content-Type": "application/json"},
            b"{}",
            422,
        ),
    ],
)
def test_hostile_requests_never_get_a_500(
    method: str, path: str, headers: dict[str, str], content: bytes, status: int
) -> None:
    if "Content-Length" in headers:
        response = _raw(GOTHAM, method, path, headers)
    else:
        response = client(GOTHAM).request(
            method, path, content=content, headers={**TOKEN, **headers}
        )
        response = (response.status_code, response.content)
    assert response[0] == status
    assert isinstance(orjson.loads(response[1]), dict)


def _raw(spec: Path, method: str, path: str, headers: dict[str, str]) -> tuple[int, bytes]:
    """Call the ASGI app directly, with headers a client library would correct."""
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": method,
        "path": path,
        "query_string": b"",
        "headers": [(k.lower().encode(), v.encode()) for k, v in {**TOKEN, **headers}.items()],
    }
    asyncio.run(app(spec)[0](scope, receive, send))
    return sent[0]["status"], sent[1]["body"]


def test_one_log_line_per_request() -> None:
    _, lines = app(PRIVATE)
    before = len(lines)
    test = client(PRIVATE)
    test.post("/api/v2/pm/", json={"recipients": 1, "message": "m"}, headers=TOKEN)
    test.get("/missing")
    assert len(lines) == before + 2
    assert lines[-2].startswith("POST /api/v2/pm/ 201 ")
    assert lines[-1].startswith("GET /missing 404 ")


def test_a_spec_with_errors_is_refused(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("openapi: 3.1.0\ninfo: {}\npaths: 5\n", "utf-8")
    with pytest.raises(SpecUnusable):
        build_app(broken)
    with pytest.raises(SpecUnusable):
        build_app(tmp_path / "missing.yaml")
