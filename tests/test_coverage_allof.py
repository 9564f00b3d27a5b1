"""Coverage: allOf composition."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest
from coverage_support import RecordingServer, generated_package, problem_pointers

EMPLOYEE = {
    "name": "Ann",
    "born": "1980-05-01",
    "badge": 7,
    "team": "core",
    "manager": {"name": "Bob"},
}


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    with generated_package("allof.yaml", tmp_path_factory.mktemp("allof")) as module:
        yield module


@pytest.fixture
def client(pkg: ModuleType, coverage_server: RecordingServer) -> Iterator[Any]:
    with pkg.AllOfClient(base_url=coverage_server.base_url) as opened:
        yield opened


def test_members_of_every_part_are_merged(pkg: ModuleType) -> None:
    fields = pkg.models.Employee.model_fields
    assert set(fields) == {"name", "born", "badge", "team", "manager"}
    assert {n for n, f in fields.items() if f.is_required()} == {"name", "badge", "team"}
    assert set(pkg.models.Staff.model_fields) == {"name", "born", "badge"}


def test_composed_model_round_trip(pkg: ModuleType) -> None:
    employee = pkg.models.Employee.model_validate({**EMPLOYEE, "unknown": True})
    assert employee.born == datetime.date(1980, 5, 1)
    assert type(employee.manager) is pkg.models.Person
    assert employee.to_json_data() == {**EMPLOYEE, "unknown": True}


def test_single_part_all_of_is_the_referenced_model(pkg: ModuleType) -> None:
    assert "EmployeeManager" not in pkg.models.__all__


def test_composed_request(pkg: ModuleType, client: Any, coverage_server: RecordingServer) -> None:
    coverage_server.answer(200, EMPLOYEE)
    result = client.staff.Staff.hire(
        name="Ann", born="1980-05-01", badge=7, team="core", manager={"name": "Bob"}
    )
    assert coverage_server.last.json() == EMPLOYEE
    assert type(result) is pkg.models.Employee
    with pytest.raises(pkg.RequestValidationError) as caught:
        client.staff.Staff.hire(name="Ann", badge="seven", team="core", manager={})
    assert {"/badge", "/manager/name"} <= problem_pointers(caught.value)
