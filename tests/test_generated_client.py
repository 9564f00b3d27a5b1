"""The generated clients over real HTTP(S) on 127.0.0.1."""

from __future__ import annotations

import asyncio
import contextlib
import io
import ssl
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import trustme
from loopback import Canned, Loopback, serve

ROOT = Path(__file__).resolve().parents[1]
for package in ("gotham", "private_messages", "shift_messages"):
    sys.path.insert(0, str(ROOT / "generated" / package / "src"))

import gotham  # noqa: E402
import private_messages  # noqa: E402
import shift_messages  # noqa: E402

MESSAGES = [
    {
        "sender": {"displayName": "My External Message Sender"},
        "title": {"value": "Hello from the sendMessages API!"},
        "security": {"portionMarkings": ["SENSITIVE"]},
        "groupRecipients": [{"name": "my-example-group"}],
        "body": {
            "value": "Some **styled** extra content for my message",
            "formatStyle": "MARKDOWN",
        },
    }
]
SEND_RESPONSE = {"responses": [{"sourceId": "f81d4fae-7dec-11d0-a765-00a0c91e6bf6"}]}

# Seed 000's example, character for character; the test changes only the hostname.
SEED_000_EXAMPLE = """
from gotham import GothamClient
import gotham
from pprint import pprint

client = GothamClient(auth=gotham.UserTokenAuth(...), hostname="example.palantirfoundry.com")

# List[SendMessageRequest]
messages = [
    {
        "sender": {"displayName": "My External Message Sender"},
        "title": {"value": "Hello from the sendMessages API!"},
        "security": {"portionMarkings": ["SENSITIVE"]},
        "groupRecipients": [{"name": "my-example-group"}],
        "body": {
            "value": "Some **styled** extra content for my message",
            "formatStyle": "MARKDOWN",
        },
    }
]
# Optional[PreviewMode] | Represents a boolean value that restricts an endpoint to preview mode when set to true.
preview = True


try:
    api_response = client.inbox.Messages.send(messages=messages, preview=preview)
    print("The send response:\\n")
    pprint(api_response)
except gotham.PalantirRPCException as e:
    print("HTTP error when calling Messages.send: %s\\n" % e)
"""


@pytest.fixture(scope="module")
def certificate_authority() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def https_server(
    certificate_authority: trustme.CA, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Loopback]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    certificate_authority.issue_cert("127.0.0.1").configure_cert(context)
    bundle = tmp_path / "ca.pem"
    certificate_authority.cert_pem.write_to_path(str(bundle))
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))
    with serve(context) as server:
        yield server


@pytest.fixture
def server() -> Iterator[Loopback]:
    with serve() as loopback:
        yield loopback


def test_seed_000_example_runs_as_written(
    https_server: Loopback, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOTHAM_USER_TOKEN", "secret-token")
    https_server.answer(Canned.of(SEND_RESPONSE))
    host = https_server.url.removeprefix("https://")
    source = SEED_000_EXAMPLE.replace(
        'hostname="example.palantirfoundry.com"', f'hostname="{host}"'
    )
    assert source.count(host) == 1
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(source, "seed_000_example.py", "exec"), {"__name__": "seed_000"})
    assert "The send response:" in printed.getvalue()
    assert "f81d4fae-7dec-11d0-a765-00a0c91e6bf6" in printed.getvalue()
    [request] = https_server.requests
    assert (request.method, request.path, request.query) == (
        "POST",
        "/api/gotham/v1/inbox/messages",
        [("preview", "true")],
    )
    assert request.headers["authorization"] == "Bearer secret-token"
    assert request.headers["content-type"] == "application/json"
    assert request.json() == {"messages": MESSAGES}


def test_seed_000_example_reports_errors_through_the_base_exception(
    https_server: Loopback, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOTHAM_USER_TOKEN", "secret-token")
    error = {
        "errorCode": "PERMISSION_DENIED",
        "errorName": "Inbox:NotAllowed",
        "errorInstanceId": "1",
    }
    https_server.answer(Canned.of(error, status=403))
    host = https_server.url.removeprefix("https://")
    source = SEED_000_EXAMPLE.replace(
        'hostname="example.palantirfoundry.com"', f'hostname="{host}"'
    )
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(source, "seed_000_example.py", "exec"), {"__name__": "seed_000"})
    assert "HTTP error when calling Messages.send" in printed.getvalue()


def gotham_client(server: Loopback) -> gotham.GothamClient:
    return gotham.GothamClient(auth=gotham.UserTokenAuth("t0k"), base_url=server.url + "/api")


def test_server_variable_builds_the_base_url() -> None:
    client = gotham.GothamClient(auth=gotham.UserTokenAuth("x"), hostname="h.example")
    assert client.base_url == "https://h.example/api"
    assert gotham.GothamClient(auth=None).base_url == "https://example.palantirfoundry.com/api"


def test_response_is_lenient_and_round_trips(server: Loopback) -> None:
    answer: dict[str, Any] = {
        "responses": [{"sourceId": "a", "addedLater": {"x": [1, 2]}}],
        "failures": [
            {"sourceId": "b", "reason": "A_REASON_ADDED_LATER"},
            {"sourceId": "c", "reason": "UNKNOWN"},
        ],
    }
    server.answer(Canned.of(answer))
    result = gotham_client(server).inbox.Messages.send(messages=MESSAGES)
    assert isinstance(result, gotham.models.SendMessagesResponse)
    assert result.failures is not None
    assert result.failures[0].reason == "A_REASON_ADDED_LATER"
    assert result.failures[1].reason is gotham.models.SendMessageFailureReason.UNKNOWN
    assert result.to_json_data() == answer
    assert server.requests[0].query == []


def test_models_and_dicts_are_both_accepted_and_sent_with_wire_names(server: Loopback) -> None:
    server.answer(Canned.of(SEND_RESPONSE), Canned.of(SEND_RESPONSE))
    models = gotham.models
    message = models.SendMessageRequest(
        sender=models.MessageSender(display_name="My External Message Sender"),
        title=models.MessageTitle(value="Hello from the sendMessages API!"),
        security=models.MessageSecurity(portion_markings=["SENSITIVE"]),
        group_recipients=[models.GroupRecipient(name="my-example-group")],
        body=models.MessageBody(
            value="Some **styled** extra content for my message",
            format_style=models.FormatStyle.MARKDOWN,
        ),
    )
    client = gotham_client(server)
    client.inbox.Messages.send(messages=[message], preview=True)
    client.inbox.Messages.send(messages=MESSAGES, preview=True)
    assert server.requests[0].json() == server.requests[1].json() == {"messages": MESSAGES}


def test_invalid_requests_are_refused_before_sending(server: Loopback) -> None:
    bad = [
        {
            "sender": {"displayName": "x"},
            "security": {},
            "body": {"value": "v", "formatStyle": "LOUD"},
        }
    ]
    with pytest.raises(gotham.RequestValidationError) as raised:
        gotham_client(server).inbox.Messages.send(messages=bad)  # type: ignore[list-item]
    pointers = dict(raised.value.problems)
    assert "/messages/0/title" in pointers
    assert "UNFORMATTED" in pointers["/messages/0/body/formatStyle"]
    assert isinstance(raised.value, gotham.PalantirRPCException)
    assert server.requests == []


def test_documented_error_raises_with_its_parsed_model(server: Loopback) -> None:
    error = {
        "errorCode": "CONFLICT",
        "errorName": "Inbox:Conflict",
        "errorInstanceId": "i",
        "parameters": {},
    }
    server.answer(Canned.of(error, status=409))
    with pytest.raises(gotham.ConflictError) as raised:
        gotham_client(server).inbox.Messages.send(messages=MESSAGES)
    assert raised.value.status_code == 409
    assert isinstance(raised.value.body, gotham.models.PalantirRPCError)
    assert raised.value.body.error_name == "Inbox:Conflict"


def test_response_that_is_not_json_or_too_large_is_a_clear_error(server: Loopback) -> None:
    server.answer(
        Canned(200, b"<html>oops</html>", "text/html"),
        Canned.of({"responses": [{"sourceId": "x" * 5000}]}),
    )
    client = gotham.GothamClient(auth=None, base_url=server.url, max_response_bytes=1000)
    with pytest.raises(gotham.ResponseDecodeError, match="not valid JSON"):
        client.inbox.Messages.send(messages=MESSAGES)
    with pytest.raises(gotham.ResponseDecodeError, match="larger than 1000 bytes"):
        client.inbox.Messages.send(messages=MESSAGES)


def test_deeply_nested_response_is_a_clear_error(server: Loopback) -> None:
    server.answer(Canned(200, b"[" * 100_000 + b"]" * 100_000))
    with pytest.raises(gotham.ResponseDecodeError):
        gotham_client(server).inbox.Messages.send(messages=MESSAGES)


def test_connection_failure_is_an_api_error() -> None:
    client = gotham.GothamClient(auth=None, base_url="http://127.0.0.1:9", timeout=2)
    with pytest.raises(gotham.APIConnectionError):
        client.inbox.Messages.send(messages=MESSAGES)


def test_async_client_shares_the_request_path(server: Loopback) -> None:
    server.answer(Canned.of(SEND_RESPONSE))

    async def send() -> Any:
        async with gotham.AsyncGothamClient(
            auth=gotham.UserTokenAuth("t0k"), base_url=server.url + "/api"
        ) as client:
            return await client.inbox.Messages.send(messages=MESSAGES, preview=True)

    result = asyncio.run(send())
    assert result.to_json_data() == SEND_RESPONSE
    [request] = server.requests
    assert (request.path, request.query) == ("/api/gotham/v1/inbox/messages", [("preview", "true")])
    assert request.headers["authorization"] == "Bearer t0k"


def test_shift_business_rule_is_checked_before_sending(server: Loopback) -> None:
    client = shift_messages.ShiftClient(auth=shift_messages.BearerAuth("t"), base_url=server.url)
    with pytest.raises(shift_messages.RequestValidationError) as raised:
        client.messages.Messages.create(addressed_users=["09dadecb-edbc-44c0-a187-1150e98e6df8"])
    assert raised.value.problems == (("", "does not match any of the 2 allowed forms"),)
    assert server.requests == []


def test_shift_documented_400_carries_the_error_envelope(server: Loopback) -> None:
    envelope = {"errors": [{"message": "text or attachments cannot be empty", "code": 4004}]}
    server.answer(Canned.of(envelope, status=400))
    client = shift_messages.ShiftClient(auth=shift_messages.BearerAuth("t"), base_url=server.url)
    with pytest.raises(shift_messages.BadRequestError) as raised:
        client.messages.Messages.create(
            text="hi", addressed_teams=["8a7644a3-7393-417c-8180-0328749562a0"]
        )
    body = raised.value.body
    assert isinstance(body, shift_messages.models.ErrorEnvelope)
    assert body.to_json_data() == envelope
    assert server.requests[0].json() == {
        "text": "hi",
        "addressed_teams": ["8a7644a3-7393-417c-8180-0328749562a0"],
    }


def test_private_message_read_only_response_parses_dates(server: Loopback) -> None:
    answer = {
        "id": 1,
        "sender_id": 170,
        "message": "string",
        "created_at": "2021-12-27T11:10:27.729971+01:00",
        "status": "string",
        "file": None,
    }
    server.answer(Canned.of(answer, status=201))
    client = private_messages.PrivateMessagesClient(
        auth=private_messages.BearerAuth("t"), base_url=server.url
    )
    result = client.pm.Messages.send(recipients=[115], message="string")
    assert result.created_at is not None and result.created_at.utcoffset() is not None
    assert result.to_json_data() == answer
    assert server.requests[0].json() == {"recipients": [115], "message": "string"}
    assert server.requests[0].path == "/api/v2/pm/"


def test_importing_a_package_loads_no_model_or_resource() -> None:
    code = (
        "import sys, gotham; "
        "loaded = [m for m in sys.modules if m.startswith(('gotham.models.', 'gotham.resources'))]; "
        "print(loaded)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={"PYTHONPATH": str(ROOT / "generated" / "gotham" / "src")},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize("package", [gotham, private_messages, shift_messages])
def test_every_public_name_resolves(package: Any) -> None:
    for name in package.__all__:
        assert getattr(package, name) is not None
    for name in package.models.__all__:
        assert getattr(package.models, name) is not None
