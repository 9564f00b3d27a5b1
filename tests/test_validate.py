"""Payload validation: the seeds' documented payloads pass, each broken rule fails at the
right pointer, and the document's own semantics hold (3.0 nullable, readOnly, writeOnly)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import orjson
import pytest
from click.testing import CliRunner

from apismith.cli import main
from apismith.lint.examples import INVALID_MARK
from apismith.lint.sites import collect_sites, iter_examples
from apismith.load import load_document
from apismith.refs import Resolver
from apismith.validate import PayloadValidator, UnknownTarget

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "spec"
GOTHAM = SPEC / "gotham-inbox.yaml"
SHIFT = SPEC / "shift-messages.yaml"
PRIVATE = SPEC / "private-messages.yaml"
SHIPPED = sorted(SPEC.glob("*.yaml"))
needs_specs = pytest.mark.skipif(
    not (GOTHAM.exists() and SHIFT.exists() and PRIVATE.exists()),
    reason="the shipped specs are not written yet",
)

# seed 000: the SDK example's messages, as documented
GOTHAM_MESSAGE: dict[str, Any] = {
    "sender": {"displayName": "My External Message Sender"},
    "title": {"value": "Hello from the sendMessages API!"},
    "security": {"portionMarkings": ["SENSITIVE"]},
    "groupRecipients": [{"name": "my-example-group"}],
    "body": {"value": "Some **styled** extra content for my message", "formatStyle": "MARKDOWN"},
}
TEAM = "8a7644a3-7393-417c-8180-0328749562a0"
USER = "09dadecb-edbc-44c0-a187-1150e98e6df8"
SHIFT_REQUEST: dict[str, Any] = {  # seed 004's first request
    "text": "Hello, this is a message",
    "addressed_teams": [TEAM],
    "addressed_users": {"ids": [], "emails": []},
}


def pointers(errors: tuple[Any, ...]) -> list[str]:
    return [e.pointer for e in errors]


@needs_specs
@pytest.mark.parametrize("spec", SHIPPED, ids=[s.stem for s in SHIPPED])
def test_every_documented_example_passes_unless_marked_invalid(spec: Path) -> None:
    resolver = Resolver(load_document(spec).document)
    validators = PayloadValidator(resolver)
    checked = 0
    for holder in collect_sites(resolver).holders:
        if "schema" not in holder.value:
            continue
        compiled = validators.for_schema(
            holder.document, holder.pointer + "/schema", holder.value["schema"], holder.direction
        )
        for _document, pointer, value, example in iter_examples(resolver, holder):
            checked += 1
            if example is not None and example.get(INVALID_MARK) is True:
                assert compiled.errors(value), pointer
            else:
                assert compiled.errors(value) == (), pointer
    assert checked > 0


@needs_specs
def test_the_sdk_example_is_a_valid_request() -> None:
    check = PayloadValidator.from_path(GOTHAM).for_request("sendMessages")
    assert check.errors({"messages": [GOTHAM_MESSAGE]}) == ()


@needs_specs
def test_a_gotham_message_without_title_fails_at_its_title() -> None:
    check = PayloadValidator.from_path(GOTHAM).for_request("sendMessages")
    message = copy.deepcopy(GOTHAM_MESSAGE)
    del message["title"]
    [error] = check.errors({"messages": [message]})
    assert error.pointer == "/messages/0/title"
    assert "title" in error.message
    assert error.schema_location.endswith("/required")


@needs_specs
def test_a_wrong_format_style_lists_the_allowed_values() -> None:
    check = PayloadValidator.from_path(GOTHAM).for_request("sendMessages")
    message = copy.deepcopy(GOTHAM_MESSAGE)
    message["body"]["formatStyle"] = "HTML"
    [error] = check.errors({"messages": [message]})
    assert error.pointer == "/messages/0/body/formatStyle"
    for allowed in ("UNFORMATTED", "PREFORMATTED", "MARKDOWN"):
        assert allowed in error.message


@needs_specs
@pytest.mark.parametrize(
    ("change", "pointer", "words"),
    [
        ({"addressed_teams": None, "addressed_users": None}, "", "addressee"),
        ({"addressed_teams": [TEAM, TEAM]}, "/addressed_teams", "more than 1 item"),
        ({"addressed_users": [USER]}, "/addressed_users", "team excludes users"),
        ({"addressed_users": {"ids": [USER]}}, "/addressed_users", "team excludes users"),
        ({"text": None}, "", "text or attachments"),
        ({"text": ""}, "", "text or attachments"),
    ],
    ids=[
        "no-addressee",
        "two-teams",
        "team-and-users",
        "team-and-user-ids",
        "no-text",
        "empty-text",
    ],
)
def test_each_shift_rule_broken_fails_at_its_pointer(
    change: dict[str, Any], pointer: str, words: str
) -> None:
    check = PayloadValidator.from_path(SHIFT).for_request("createMessage")
    payload = copy.deepcopy(SHIFT_REQUEST)
    for key, value in change.items():
        if value is None:
            payload.pop(key)
        else:
            payload[key] = value
    errors = check.errors(payload)
    assert pointers(errors) == [pointer]
    assert words in errors[0].message


@needs_specs
def test_shift_documented_request_and_list_form_pass() -> None:
    check = PayloadValidator.from_path(SHIFT).for_request("createMessage")
    assert check.errors(SHIFT_REQUEST) == ()
    assert check.errors({"text": "hi", "addressed_users": [USER]}) == ()


@needs_specs
def test_read_only_fields_of_a_private_message_are_response_only() -> None:
    validators = PayloadValidator.from_path(PRIVATE)
    response = validators.for_response("sendMessage", 201)
    assert response.errors({"id": 1, "created_at": "2021-12-27T11:10:27.729971+01:00"}) == ()
    [error] = response.errors({"created_at": "yesterday"})
    assert error.pointer == "/created_at"
    request = validators.for_request("sendMessage")
    assert request.errors({"recipients": [115], "message": "string"}) == ()
    assert request.errors({"recipients": 115, "message": "string"}) == ()


# OpenAPI 3.0 semantics, on a small spec of our own

SPEC_30 = """\
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /things:
    post:
      operationId: makeThing
      requestBody:
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Thing"}
      responses:
        "201":
          description: made
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Thing"}
        "4XX":
          description: failed
          content:
            application/json:
              schema: {type: object, required: [error]}
components:
  schemas:
    Thing:
      type: object
      required: [id, secret, label]
      properties:
        id: {type: integer, readOnly: true}
        secret: {type: string, writeOnly: true}
        label: {type: string, nullable: true, enum: [a, b]}
        owner:
          description: GitHub's spelling, nullable beside anyOf without a type
          nullable: true
          anyOf:
            - {$ref: "#/components/schemas/User"}
            - {type: integer}
        size: {type: number, minimum: 0, exclusiveMinimum: true}
    User: {type: object, required: [login], properties: {login: {type: string}}}
"""


@pytest.fixture
def thing(tmp_path: Path) -> PayloadValidator:
    path = tmp_path / "api.yaml"
    path.write_text(SPEC_30, encoding="utf-8")
    return PayloadValidator.from_path(path)


def test_nullable_beside_any_of_accepts_null(thing: PayloadValidator) -> None:
    check = thing.for_component("Thing")
    assert check.errors({"id": 1, "secret": "s", "label": None, "owner": None}) == ()
    assert check.errors({"id": 1, "secret": "s", "label": "a", "owner": {"login": "x"}}) == ()
    [error] = check.errors({"id": 1, "secret": "s", "label": "a", "owner": "x"})
    assert error.pointer == "/owner"


def test_nullable_enum_and_exclusive_minimum(thing: PayloadValidator) -> None:
    check = thing.for_component("Thing")
    base = {"id": 1, "secret": "s", "label": "c"}
    assert pointers(check.errors(base)) == ["/label"]
    assert pointers(check.errors({**base, "label": None, "size": 0})) == ["/size"]
    assert check.errors({**base, "label": None, "size": 0.5}) == ()


def test_read_only_is_neither_required_nor_allowed_in_requests(thing: PayloadValidator) -> None:
    request = thing.for_request("makeThing")
    assert request.errors({"secret": "s", "label": "a"}) == ()
    [error] = request.errors({"id": 1, "secret": "s", "label": "a"})
    assert (error.pointer, error.message) == (
        "/id",
        "'id' is read-only: it is not sent in requests",
    )


def test_write_only_is_neither_required_nor_allowed_in_responses(thing: PayloadValidator) -> None:
    response = thing.for_response("makeThing", "201")
    assert response.errors({"id": 1, "label": "a"}) == ()
    [error] = response.errors({"id": 1, "secret": "s", "label": "a"})
    assert error.pointer == "/secret"
    assert "write-only" in error.message
    assert error.schema_location == "#/components/schemas/Thing/properties/secret"


def test_status_ranges_and_unknown_targets(thing: PayloadValidator) -> None:
    assert pointers(thing.for_response("makeThing", 404).errors({})) == ["/error"]
    with pytest.raises(UnknownTarget):
        thing.for_response("makeThing", 500)
    with pytest.raises(UnknownTarget):
        thing.for_request("nope")
    with pytest.raises(UnknownTarget):
        thing.for_component("Nope")


def test_validators_are_compiled_once(thing: PayloadValidator) -> None:
    assert thing.for_request("makeThing") is thing.for_request("makeThing")
    assert thing.for_component("Thing") is not thing.for_request("makeThing")


# the command line


@pytest.fixture
def spec_30(tmp_path: Path) -> Path:
    path = tmp_path / "api.yaml"
    path.write_text(SPEC_30, encoding="utf-8")
    return path


def test_cli_jsonl_reports_every_error_with_its_line(spec_30: Path, tmp_path: Path) -> None:
    payloads = tmp_path / "things.jsonl"
    lines = [
        {"secret": "s", "label": "a"},
        {"id": 1, "label": "z"},
        "not json",
        {"secret": "s", "label": None},
    ]
    payloads.write_bytes(
        b"\n".join(x.encode() if isinstance(x, str) else orjson.dumps(x) for x in lines) + b"\n\n"
    )
    result = CliRunner().invoke(
        main,
        [
            "validate",
            str(spec_30),
            "--operation",
            "makeThing",
            "--request",
            "--jsonl",
            str(payloads),
        ],
    )
    out = result.output.splitlines()
    assert result.exit_code == 1
    assert out[-1] == "2 valid, 2 invalid"
    assert sorted(line.split(": ")[0:2] for line in out[:-1]) == [
        [f"{payloads}:2", "/id"],
        [f"{payloads}:2", "/label"],
        [f"{payloads}:2", "/secret"],
        [f"{payloads}:3", "/"],
    ]


def test_cli_files_and_stdin(spec_30: Path, tmp_path: Path) -> None:
    good = tmp_path / "good.json"
    good.write_text('{"id": 1, "label": "a"}', encoding="utf-8")
    args = ["validate", str(spec_30), "--operation", "makeThing", "--response", "201"]
    result = CliRunner().invoke(main, [*args, str(good)])
    assert (result.exit_code, result.output) == (0, "1 valid, 0 invalid\n")
    result = CliRunner().invoke(main, [*args, "-"], input='{"id": 1, "label": 3}')
    assert result.exit_code == 1
    assert result.output.splitlines()[0].startswith("<stdin>: /label: ")


@pytest.mark.parametrize(
    "args",
    [
        ["--operation", "makeThing"],
        ["--schema", "Thing", "--request"],
        ["--operation", "nope", "--request"],
        ["--schema", "Nope"],
    ],
)
def test_cli_usage_and_unknown_targets_exit_2(spec_30: Path, args: list[str]) -> None:
    result = CliRunner().invoke(main, ["validate", str(spec_30), *args], input="{}")
    assert result.exit_code == 2


def test_cli_missing_payload_file_exits_2(spec_30: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["validate", str(spec_30), "--schema", "User", str(tmp_path / "none.json")]
    )
    assert result.exit_code == 2


def test_a_long_chain_of_references_compiles(tmp_path: Path) -> None:
    links = 1500  # deeper than Python's recursion limit if translated recursively
    schemas = "\n".join(
        f"    S{i}: {{type: object, properties: {{next: {{$ref: '#/components/schemas/S{i + 1}'}}}}}}"
        for i in range(links)
    )
    path = tmp_path / "chain.yaml"
    path.write_text(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n"
        f"{schemas}\n    S{links}: {{type: string}}\n",
        encoding="utf-8",
    )
    check = PayloadValidator.from_path(path).for_component("S0")
    assert check.errors({"next": {"next": {}}}) == ()
    [error] = check.errors({"next": {"next": 3}})
    assert error.pointer == "/next/next"
    assert error.schema_location == "#/components/schemas/S2/type"
