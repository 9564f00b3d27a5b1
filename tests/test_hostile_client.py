"""A generated client given hostile values, against a real server on 127.0.0.1: a path
parameter never changes the path, query values are encoded, header values with CR/LF are
refused before anything is sent. (Huge, deeply nested and non-JSON responses are covered
in ``test_generated_client.py``.)"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from urllib.parse import unquote

import pytest
from coverage_support import generate_checked, imported
from loopback import Loopback, serve

SPEC = Path(__file__).parent / "specs" / "hostile" / "client-params.yaml"
TRAVERSALS = [
    "../..",
    "../admin",
    "/admin",
    "a/../../b",
    "%2e%2e",
    "%2F",
    "?x=1",
    "#fragment",
    "a b",
    "..;",
    "\\..\\",
    ".%2e",
    "{version}",
    "..\u2028",
]
DOT_SEGMENTS = [".", ".."]


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("client") / "out"
    generate_checked(SPEC, out)
    return out


@pytest.fixture
def package(output: Path) -> Iterator[ModuleType]:
    with imported(output, "hostile_params") as module:
        yield module


@pytest.fixture(scope="module")
def _server() -> Iterator[Loopback]:
    with serve() as loopback:
        yield loopback


@pytest.fixture
def server(_server: Loopback) -> Loopback:
    _server.requests.clear()
    _server.responses.clear()
    return _server


def call(package: ModuleType, server: Loopback, name: str, **kwargs: str) -> str:
    client = package.ParamsClient(base_url=server.url + "/api")
    client.files.Files.get_version(name=name, version="1", **kwargs)
    return server.requests[-1].path


def assert_one_segment(path: str, name: str) -> None:
    segments = path.split("/")
    assert segments[:3] == ["", "api", "files"], path
    assert segments[4:] == ["versions", "1"], path
    assert unquote(segments[3]) == name


@pytest.mark.parametrize("name", TRAVERSALS)
def test_path_parameter_stays_one_segment(package: ModuleType, server: Loopback, name: str) -> None:
    assert_one_segment(call(package, server, name), name)


@pytest.mark.parametrize("name", DOT_SEGMENTS)
def test_dot_segment_path_parameter_stays_one_segment(
    package: ModuleType, server: Loopback, name: str
) -> None:
    assert_one_segment(call(package, server, name), name)


def test_query_values_are_encoded(package: ModuleType, server: Loopback) -> None:
    value = "a&b=c#d/../e?f g\u00e9%20"
    call(package, server, "x", filter_=value)
    assert server.requests[-1].query == [("filter", value)]


@pytest.mark.parametrize("value", ["a\r\nX-Evil: 1", "a\nb", "a\rb", "a\0b"])
def test_header_values_with_line_breaks_are_refused(
    package: ModuleType, server: Loopback, value: str
) -> None:
    client = package.ParamsClient(base_url=server.url)
    with pytest.raises(package.RequestValidationError) as raised:
        client.files.Files.get_version(name="x", version="1", x_trace=value)
    assert [p for p, _ in raised.value.problems] == ["/headers/X-Trace"]
    assert server.requests == []
