"""Cookie parameters: the generated client sends and checks them, the mock checks them."""

from __future__ import annotations

import asyncio
import importlib
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import httpx
import pytest
from loopback import Canned, serve

from apismith.generate import generate
from apismith.mock.app import build_app

SPEC = Path(__file__).parent / "specs" / "mock" / "cookies.yaml"


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    out = tmp_path_factory.mktemp("cookies") / "pkg"
    assert not generate(SPEC, out).failed
    sys.path.insert(0, str(out / "src"))
    try:
        yield importlib.import_module("cookie_session")
    finally:
        sys.path.remove(str(out / "src"))
        for name in [m for m in sys.modules if m.split(".")[0] == "cookie_session"]:
            del sys.modules[name]


def test_the_client_sends_cookies_encoded(package: ModuleType) -> None:
    with serve() as server:
        server.answer(Canned.of({"name": "ada"}))
        client = package.CookieSessionClient(base_url=server.url)
        assert client.me.Me.who_am_i(session="ab; cd", tries=2).to_json_data() == {"name": "ada"}
    assert server.requests[0].headers["cookie"] == "session=ab%3B%20cd; tries=2"


def test_the_client_checks_cookies_before_sending(package: ModuleType) -> None:
    with serve() as server:
        client = package.CookieSessionClient(base_url=server.url)
        with pytest.raises(package.RequestValidationError) as raised:
            client.me.Me.who_am_i(session="ab")
    assert [p for p, _ in raised.value.problems] == ["/cookies/session"]
    assert server.requests == []


@pytest.mark.parametrize(
    ("cookie", "status", "pointers"),
    [
        ("session=abcd; tries=2", 200, []),
        ("tries=2", 422, ["/cookies/session"]),
        ("session=ab; tries=two", 422, ["/cookies/session", "/cookies/tries"]),
    ],
)
def test_the_mock_checks_cookies(cookie: str, status: int, pointers: list[str]) -> None:
    async def call() -> httpx.Response:
        transport = httpx.ASGITransport(app=build_app(SPEC, log=lambda line: None))
        async with httpx.AsyncClient(transport=transport, base_url="http://mock") as client:
            return await client.get("/me", headers={"Cookie": cookie})

    response = asyncio.run(call())
    assert response.status_code == status, response.text
    if pointers:
        assert sorted(p["pointer"] for p in response.json()["errors"]) == pointers
