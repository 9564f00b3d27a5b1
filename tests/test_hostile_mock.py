"""``apismith mock`` over real HTTP on 127.0.0.1, serving hostile specs and fed hostile
requests: every bad request is a 4xx JSON problem, never a 500 or a traceback, and the
server keeps serving. (Requests straight into the ASGI app are in ``test_mock.py``.)"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import orjson
import pytest

from apismith.mock.app import build_app
from apismith.mock.server import running

HOSTILE = Path(__file__).parent / "specs" / "hostile"
SERVED = ["text-hostile.yaml", "names-paths.yaml", "client-params.yaml"]


@pytest.fixture(scope="module")
def text_mock() -> Iterator[str]:
    with running(build_app(HOSTILE / "text-hostile.yaml", log=lambda line: None)) as url:
        yield url


def _raw(url: str, data: bytes) -> bytes:
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 80), 1) as sock:
        sock.sendall(data)
        chunks = []
        while True:
            try:
                chunk = sock.recv(65536)
            except TimeoutError:
                break
            if not chunk:
                break
            chunks.append(chunk)
    return b"".join(chunks)


@pytest.mark.parametrize("spec", SERVED)
def test_hostile_specs_are_served(spec: str) -> None:
    lines: list[str] = []
    with running(build_app(HOSTILE / spec, log=lines.append)) as url:
        response = httpx.get(url + "/no/such/path/../../etc/passwd")
        assert response.status_code == 404
        assert isinstance(response.json(), dict)


@pytest.mark.parametrize(
    ("method", "path", "headers", "content"),
    [
        ("GET", "/things/x?q%22%27%5C=no", {}, b""),
        ("GET", "/things/x?q%22%27%5C=%ff", {}, b""),
        ("GET", "/things/..%2F..%2Fetc%2Fpasswd/more", {}, b""),
        ("POST", "/things/x", {"Content-Type": "application/json"}, b"{not json"),
        ("POST", "/things/x", {"Content-Type": "text/html"}, b"<script>"),
        ("POST", "/things/x", {"Content-Type": "application/json"}, b"[" * 100_000),
        ("PUT", "/things/x", {"Content-Type": "application/json"}, b"x" * (2 << 20)),
        ("GET", "/missing", {}, b""),
        ("GET", "/%7B%7B7*7%7D%7D", {}, b""),
    ],
)
def test_hostile_requests_get_a_4xx_problem(
    text_mock: str, method: str, path: str, headers: dict[str, str], content: bytes
) -> None:
    response = httpx.request(method, text_mock + path, headers=headers, content=content)
    assert 400 <= response.status_code < 500, (response.status_code, response.text)
    assert isinstance(orjson.loads(response.content), dict)
    assert "Traceback" not in response.text


@pytest.mark.parametrize(
    "data",
    [
        b"GARBAGE\r\n\r\n",
        b"GET /things/x HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
        b"GET /things/x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        b"GET /" + b"a" * 100_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
        b"POST /things/x HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc",
    ],
)
def test_malformed_http_never_gets_a_500_and_the_server_keeps_serving(
    text_mock: str, data: bytes
) -> None:
    answer = _raw(text_mock, data)
    if answer:
        status = int(answer.split(b" ", 2)[1])
        assert status < 500, answer[:200]
    assert b"Traceback" not in answer
    response = httpx.get(text_mock + "/things/x", headers={"X-Key": "k"})
    assert response.status_code < 500
