"""Coverage: enums are strict in requests; in responses an unknown value is kept."""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest
from coverage_support import RecordingServer, generated_package, problem_pointers


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    with generated_package("enums.yaml", tmp_path_factory.mktemp("enums")) as module:
        yield module


@pytest.fixture
def client(pkg: ModuleType, coverage_server: RecordingServer) -> Iterator[Any]:
    with pkg.EnumsClient(base_url=coverage_server.base_url) as opened:
        yield opened


def test_enum_classes(pkg: ModuleType) -> None:
    status = pkg.models.Status
    assert [m.value for m in status] == ["placed", "shipped", "delivered"]
    assert status("shipped") is status.SHIPPED
    assert [m.value for m in pkg.models.Priority] == [1, 2, 3]
    assert [m.value for m in pkg.models.OrderChannel] == ["web", "phone", "in-store"]


def test_known_values_become_members(pkg: ModuleType) -> None:
    order = pkg.models.Order.model_validate(
        {"status": "placed", "priority": 2, "channel": "in-store", "history": ["placed"]}
    )
    assert order.status is pkg.models.Status.PLACED
    assert order.priority is pkg.models.Priority(2)
    assert order.channel is pkg.models.OrderChannel("in-store")
    assert order.history == [pkg.models.Status.PLACED]


def test_unknown_values_in_a_response_are_kept(
    pkg: ModuleType, client: Any, coverage_server: RecordingServer
) -> None:
    reply = {"status": "lost", "priority": 9, "channel": "fax", "history": ["placed", "teleported"]}
    coverage_server.answer(200, reply)
    order = client.orders.Orders.place_order(status="placed")
    assert order.status == "lost" and not isinstance(order.status, pkg.models.Status)
    assert order.priority == 9
    assert order.history == [pkg.models.Status.PLACED, "teleported"]
    assert order.to_json_data() == reply


def test_unknown_values_in_a_top_level_array_are_kept(
    pkg: ModuleType, client: Any, coverage_server: RecordingServer
) -> None:
    coverage_server.answer(200, ["placed", "returned"])
    statuses = client.orders.Orders.list_statuses()
    assert statuses == [pkg.models.Status.PLACED, "returned"]


def test_known_values_are_sent(
    pkg: ModuleType, client: Any, coverage_server: RecordingServer
) -> None:
    coverage_server.answer(200, {"status": "placed"})
    client.orders.Orders.place_order(
        status=pkg.models.Status.SHIPPED,
        priority=pkg.models.Priority(3),
        channel="phone",
        history=["placed", pkg.models.Status.SHIPPED],
        priority_=1,
    )
    sent = coverage_server.last
    assert sent.json() == {
        "status": "shipped",
        "priority": 3,
        "channel": "phone",
        "history": ["placed", "shipped"],
    }
    assert sent.path == "/orders?priority=1"


def test_unknown_values_in_a_request_are_refused(
    pkg: ModuleType, client: Any, coverage_server: RecordingServer
) -> None:
    with pytest.raises(pkg.RequestValidationError) as caught:
        client.orders.Orders.place_order(
            status="lost", priority=9, channel="fax", history=["placed", "teleported"]
        )
    assert {"/status", "/priority", "/channel", "/history/1"} <= problem_pointers(caught.value)
    assert "placed" in str(caught.value)
    assert coverage_server.requests == []


def test_unknown_enum_value_in_a_query_parameter_is_refused(
    pkg: ModuleType, client: Any, coverage_server: RecordingServer
) -> None:
    with pytest.raises(pkg.RequestValidationError) as caught:
        client.orders.Orders.place_order(status="placed", priority_=9)
    assert "/query/priority" in problem_pointers(caught.value)
    assert coverage_server.requests == []
