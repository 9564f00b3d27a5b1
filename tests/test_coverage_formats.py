"""Coverage: string formats (date-time, date, uuid, binary, byte), int32/int64, number."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterator
from types import ModuleType
from typing import Any
from urllib.parse import parse_qsl

import pytest
from coverage_support import RecordingServer, generated_package, problem_pointers

EVENT: dict[str, Any] = {
    "id": "0f8fad5b-d9cb-469f-a165-70867728950e",
    "at": "2024-02-29T23:59:30Z",
    "day": "2024-02-29",
    "count": 2147483647,
    "total": 9007199254740993,
    "ratio": 0.1,
    "price": 12.75,
    "payload": "aGVsbG8=",
    "attachment": "raw text",
}


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    with generated_package("formats.yaml", tmp_path_factory.mktemp("formats")) as module:
        yield module


@pytest.fixture
def client(pkg: ModuleType, coverage_server: RecordingServer) -> Iterator[Any]:
    with pkg.FormatsClient(base_url=coverage_server.base_url) as opened:
        yield opened


def test_formats_parse_to_python_types(pkg: ModuleType) -> None:
    event = pkg.models.Event.model_validate(EVENT)
    assert event.id_ == uuid.UUID(EVENT["id"])
    assert event.at == datetime.datetime(2024, 2, 29, 23, 59, 30, tzinfo=datetime.UTC)
    assert event.day == datetime.date(2024, 2, 29)
    assert event.total == 2**53 + 1 and isinstance(event.total, int)
    assert isinstance(event.ratio, float)
    assert event.payload == "aGVsbG8="


def test_formats_round_trip(pkg: ModuleType) -> None:
    assert pkg.models.Event.model_validate(EVENT).to_json_data() == EVENT
    offset = {**EVENT, "at": "2024-02-29T23:59:30+02:00"}
    assert pkg.models.Event.model_validate(offset).to_json_data() == offset


def test_badly_formatted_values_are_errors(pkg: ModuleType) -> None:
    for member, value in (("id", "nope"), ("at", "yesterday"), ("day", "2024-13-01")):
        with pytest.raises(ValueError):
            pkg.models.Event.model_validate({**EVENT, member: value})
    with pytest.raises(ValueError):
        pkg.models.Event.model_validate({**EVENT, "count": 1.5})


def test_python_values_are_sent_as_json_text(
    pkg: ModuleType, client: Any, coverage_server: RecordingServer
) -> None:
    coverage_server.answer(200, EVENT)
    result = client.events.Events.record_event(
        id_=uuid.UUID(EVENT["id"]),
        at=datetime.datetime(2024, 2, 29, 23, 59, 30, tzinfo=datetime.UTC),
        day=datetime.date(2024, 2, 29),
        count=2147483647,
        total=9007199254740993,
        ratio=0.1,
        price=12.75,
        payload="aGVsbG8=",
        attachment="raw text",
    )
    assert coverage_server.last.json() == EVENT
    assert isinstance(result, pkg.models.Event)
    assert result.at.tzinfo is not None


def test_strings_in_the_documented_format_are_accepted(
    pkg: ModuleType, client: Any, coverage_server: RecordingServer
) -> None:
    arguments = {k: v for k, v in EVENT.items() if k != "id"}
    client.events.Events.record_event(id_=EVENT["id"], **arguments)
    assert coverage_server.last.json() == EVENT


def test_badly_formatted_request_is_refused(
    pkg: ModuleType, client: Any, coverage_server: RecordingServer
) -> None:
    with pytest.raises(pkg.RequestValidationError) as caught:
        client.events.Events.record_event(
            **{k: v for k, v in EVENT.items() if k not in ("id", "at", "day", "total")},
            id_="nope",
            at="yesterday",
            day="2024-13-01",
            total="x",
        )
    assert {"/id", "/at", "/day", "/total"} <= problem_pointers(caught.value)
    assert coverage_server.requests == []


def test_formatted_parameters_are_encoded(
    pkg: ModuleType, client: Any, coverage_server: RecordingServer
) -> None:
    coverage_server.answer(200, EVENT)
    client.events.Events.get_event(
        event_id=uuid.UUID(EVENT["id"]),
        since=datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.UTC),
        day=datetime.date(2024, 1, 2),
        limit=10,
    )
    path, _, query = coverage_server.last.path.partition("?")
    assert path == f"/events/{EVENT['id']}"
    assert sorted(parse_qsl(query)) == [
        ("day", "2024-01-02"),
        ("limit", "10"),
        ("since", "2024-01-02T03:04:05+00:00"),
    ]


def test_binary_body_is_sent_as_bytes(
    pkg: ModuleType, client: Any, coverage_server: RecordingServer
) -> None:
    coverage_server.answer(200, {"size": 3, "digest": "AAEC"})
    result = client.events.Events.upload_blob(body=b"\x00\x01\xff")
    sent = coverage_server.last
    assert sent.body == b"\x00\x01\xff"
    assert sent.headers["Content-Type"] == "application/octet-stream"
    assert result.to_json_data() == {"size": 3, "digest": "AAEC"}
