"""Coverage: a read-only member is never required or sent in a request; a write-only one is
never expected in a response."""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest
from coverage_support import RecordingServer, generated_package, problem_pointers

STORED = {"id": "a1", "login": "bob", "created": "2024-01-02T03:04:05Z"}


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    with generated_package("read-write.yaml", tmp_path_factory.mktemp("rw")) as module:
        yield module


@pytest.fixture
def client(pkg: ModuleType, coverage_server: RecordingServer) -> Iterator[Any]:
    with pkg.ReadWriteClient(base_url=coverage_server.base_url) as opened:
        yield opened


def test_response_without_write_only_member(pkg: ModuleType) -> None:
    account = pkg.models.Account.model_validate(STORED)
    assert account.password is None
    assert account.to_json_data() == STORED


def test_request_without_read_only_members(
    pkg: ModuleType, client: Any, coverage_server: RecordingServer
) -> None:
    coverage_server.answer(201, STORED)
    account = client.accounts.Accounts.create_account(login="bob", password="secret")
    assert coverage_server.last.json() == {"login": "bob", "password": "secret"}
    assert account.to_json_data() == STORED


def test_read_only_members_are_not_arguments(client: Any) -> None:
    with pytest.raises(TypeError):
        client.accounts.Accounts.create_account(id="x", login="bob", password="secret")


def test_write_only_member_is_still_required_in_a_request(
    pkg: ModuleType, client: Any, coverage_server: RecordingServer
) -> None:
    with pytest.raises(pkg.RequestValidationError) as caught:
        client.accounts.Accounts.create_account(login="bob")
    assert problem_pointers(caught.value) == {"/password"}
    assert coverage_server.requests == []


def test_read_only_members_of_models_are_not_sent(
    pkg: ModuleType, client: Any, coverage_server: RecordingServer
) -> None:
    from_response = pkg.models.Account.model_validate(STORED)
    from_response.password = "secret"
    coverage_server.answer(201, [STORED])
    client.accounts.Accounts.create_accounts(
        body=[from_response, {**STORED, "login": "amy", "password": "pw"}]
    )
    assert coverage_server.last.json() == [
        {"login": "bob", "password": "secret"},
        {"login": "amy", "password": "pw"},
    ]
    assert from_response.to_json_data()["id"] == "a1"
