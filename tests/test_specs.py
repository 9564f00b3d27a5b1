"""The shipped specs: valid OpenAPI, their examples valid (or, when marked, invalid),
holding every seed document's examples, and stating the seed 004 rules as JSON Schema.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as validate_openapi
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from apismith.load import load_document

ROOT = Path(__file__).resolve().parent.parent
SPECS = {
    "gotham": ROOT / "spec" / "gotham-inbox.yaml",
    "private-messages": ROOT / "spec" / "private-messages.yaml",
    "shift-messages": ROOT / "spec" / "shift-messages.yaml",
}
SPEC_URI = "urn:apismith:spec"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
INVALID_MARK = "x-apismith-invalid"

# Keywords whose value is one subschema, a list of them, or a name -> subschema map.
SUBSCHEMA = ("items", "not", "if", "then", "else", "contains", "propertyNames")
SUBSCHEMA += ("additionalProperties", "unevaluatedItems", "unevaluatedProperties")
SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
SUBSCHEMA_MAPS = ("properties", "patternProperties", "$defs", "dependentSchemas")


def escape(token: str | int) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def pointer(*tokens: str | int) -> str:
    return "".join("/" + escape(token) for token in tokens)


@functools.cache
def spec(name: str) -> dict[str, Any]:
    loaded = load_document(SPECS[name])
    assert loaded.diagnostics == (), [d.message for d in loaded.diagnostics]
    data = loaded.document.data
    assert isinstance(data, dict)
    return data


@functools.cache
def registry(name: str) -> Registry:
    resource = Resource.from_contents(spec(name), default_specification=DRAFT202012)
    return Registry().with_resource(SPEC_URI, resource)


def validator(name: str, schema_pointer: str) -> Draft202012Validator:
    """A validator for the schema at `schema_pointer`, with the whole spec in reach."""
    return Draft202012Validator(
        {"$ref": f"{SPEC_URI}#{quote(schema_pointer, safe='/~')}"},
        registry=registry(name),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


def errors(name: str, schema_pointer: str, instance: Any) -> list[str]:
    found = validator(name, schema_pointer).iter_errors(instance)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in found]


def resolve(name: str, node: Any) -> Any:
    """Follow a local `$ref` (Example Objects may be references to components)."""
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        ref = node["$ref"]
        assert ref.startswith("#/"), ref
        node = spec(name)
        for token in ref[2:].split("/"):
            key = token.replace("~1", "/").replace("~0", "~")
            node = node[int(key)] if isinstance(node, list) else node[key]
    return node


# --- the seed documents' bodies, copied from their text ------------------------------
#
# JSON bodies are kept as the raw text the documents print and parsed with `json.loads`,
# so what is compared is the document's JSON, not a retyping of it. The SDK examples of
# seeds 000 and 001 are Python already and are copied as Python literals.

# Seed 000: the SDK page's usage example.
SEED_000_MESSAGES: list[dict[str, Any]] = [
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
SEED_000_PREVIEW = True

# Seed 001: the same SDK page flattened to text (its indentation is lost, not its values).
# fmt: off
SEED_001_MESSAGES: list[dict[str, Any]] = [
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
# fmt: on
SEED_001_PREVIEW = True

# Seed 002: the REST page's curl request (`-d '...'` and `?preview=true`) and its response.
SEED_002_REQUEST_TEXT = '{"messages":[{"sender":{"displayName":"My External Message Sender"},"title":{"value":"Hello from the sendMessages API!"},"security":{"portionMarkings":["SENSITIVE"]},"groupRecipients":[{"name":"my-example-group"}],"body":{"value":"Some **styled** extra content for my message","formatStyle":"MARKDOWN"}}]}'
SEED_002_PREVIEW_QUERY = "preview=true"
SEED_002_RESPONSE_TEXT = """{
  "responses": [
    {
      "sourceId": "f81d4fae-7dec-11d0-a765-00a0c91e6bf6"
    }
  ]
}"""

# Seed 003: "Example Body Parameters" and "Example responses" (tab "200", status 201).
SEED_003_REQUEST_TEXT = """{
  "recipients": [115],
	"message": "string"
}"""
SEED_003_RESPONSE_TEXT_AS_PRINTED = """{
    "id": 1,
    "sender_id": 170,
    "message": "string",
    "created_at": "2021-12-27T11:10:27.729971+01:00",
    "status": "string",
    "file": blob
}"""
# The printed response is not JSON: `blob` is a bare word. The spec stores it with
# `"file": null`; this is the one change.
SEED_003_CORRECTION = ('"file": blob', '"file": null')
SEED_003_RESPONSE_TEXT = SEED_003_RESPONSE_TEXT_AS_PRINTED.replace(*SEED_003_CORRECTION)

# Seed 004: two exchanges of `POST /v1/messages`.
SEED_004_REQUEST_TEXT = """{
"text": "Hello, this is a message",
"addressed_teams": [
"8a7644a3-7393-417c-8180-0328749562a0"
],
"addressed_users": {
"ids": [],
"emails": []
}
}"""
SEED_004_RESPONSE_TEXT = """{
"meta": {},
"data": [
{
"addressed_users": [],
"attachments": [],
"resurface_html": false,
"text": "Hello, this is a message",
"unread_sidebar": false,
"updated_at": 1355247468.133,
"addressed_teams": [
"8a7644a3-7393-417c-8180-0328749562a0"
],
"id": "cecf22e6-4617-42a9-a68d-d10ff0284311",
"subject": null,
"author": {
"first_name": "Testy",
"last_name": "Testerson",
"relationship": 0,
"title": "",
"id": "a7ce7e43-0161-4757-ba18-d1800d233e3e",
"active": true,
"online": false,
"images": [],
"email": "test@grapheffect.com"
},
"muted": false,
"user_high_fived": false,
"sidebars": [],
"read": true,
"unread_reply": false,
"via_app": null,
"events": [],
"author_type": "user",
"tags": [
"_inbox",
"_sent"
],
"is_muted": false,
"subscribed_to": true,
"num_high_fives": 0,
"user_replied_to_sidebar": false,
"num_replies": 0,
"created_at": 1355247468.133,
"user_replied": false,
"mentions": [],
"unread_since": null
}
],
"time": 0.2297968864440918
}"""
SEED_004_REJECTED_REQUEST_TEXT = """{
"addressed_users": [
"09dadecb-edbc-44c0-a187-1150e98e6df8"
]
}"""
SEED_004_ERROR_TEXT = """{
"errors": [
{
"message": "text or attachments cannot be empty",
"code": 4004
}
]
}"""
# The mentions fragment from the rules paragraph.
SEED_004_MENTIONS_TEXT = """{"mentions": [{
"type": "appobject",
"id": "object-id-here",
"name": "App Object Name"
}]}"""


# --- finding every example in a spec ----------------------------------------------------


@dataclass(frozen=True)
class Example:
    spec: str
    where: str  # JSON pointer of the example value in the spec
    schema: str  # JSON pointer of the schema it must (or must not) satisfy
    value: Any
    invalid: bool

    @property
    def id(self) -> str:
        return f"{self.spec}:{self.where}{':invalid' if self.invalid else ''}"


def schema_examples(at: str, schema: Any) -> Iterator[tuple[str, str, Any]]:
    """(value pointer, schema pointer, value) for `examples`/`example` in a schema tree."""
    if not isinstance(schema, dict):
        return
    for index, value in enumerate(schema.get("examples", [])):
        yield f"{at}/examples/{index}", at, value
    if "example" in schema:
        yield f"{at}/example", at, schema["example"]
    for key in SUBSCHEMA:
        if isinstance(schema.get(key), dict):
            yield from schema_examples(f"{at}/{key}", schema[key])
    for key in SUBSCHEMA_LISTS:
        for index, sub in enumerate(schema.get(key, [])):
            yield from schema_examples(f"{at}/{key}/{index}", sub)
    for key in SUBSCHEMA_MAPS:
        for sub_name, sub in schema.get(key, {}).items():
            yield from schema_examples(f"{at}/{key}/{escape(sub_name)}", sub)


def holder_examples(name: str, at: str, holder: Any) -> Iterator[Example]:
    """Examples of a parameter, header or media type, and those in its schema."""
    if not isinstance(holder, dict) or "schema" not in holder:
        return
    schema_at = f"{at}/schema"
    for where, schema_pointer, value in schema_examples(schema_at, holder["schema"]):
        yield Example(name, where, schema_pointer, value, False)
    if "example" in holder:
        yield Example(name, f"{at}/example", schema_at, holder["example"], False)
    for example_name, example in holder.get("examples", {}).items():
        example = resolve(name, example)
        assert "value" in example, f"{at}/examples/{example_name} has no value"
        yield Example(
            name,
            f"{at}/examples/{escape(example_name)}/value",
            schema_at,
            example["value"],
            example.get(INVALID_MARK) is True,
        )


def content_examples(name: str, at: str, owner: Any) -> Iterator[Example]:
    """Examples under the `content` and `headers` of a request body or response."""
    owner = resolve(name, owner)
    for media_type, media in owner.get("content", {}).items():
        yield from holder_examples(name, f"{at}/content/{escape(media_type)}", media)
    for header_name, header in owner.get("headers", {}).items():
        yield from holder_examples(name, f"{at}/headers/{escape(header_name)}", header)


def all_examples(name: str) -> list[Example]:
    data = spec(name)
    found: list[Example] = []
    for path, item in data.get("paths", {}).items():
        item_at = pointer("paths", path)
        for index, parameter in enumerate(item.get("parameters", [])):
            found += holder_examples(
                name, f"{item_at}/parameters/{index}", resolve(name, parameter)
            )
        for method in HTTP_METHODS:
            if method not in item:
                continue
            at, operation = f"{item_at}/{method}", item[method]
            for index, parameter in enumerate(operation.get("parameters", [])):
                found += holder_examples(name, f"{at}/parameters/{index}", resolve(name, parameter))
            if "requestBody" in operation:
                found += content_examples(name, f"{at}/requestBody", operation["requestBody"])
            for status, response in operation.get("responses", {}).items():
                found += content_examples(name, f"{at}/responses/{status}", response)
    components = data.get("components", {})
    for schema_name, schema in components.get("schemas", {}).items():
        for where, schema_pointer, value in schema_examples(
            pointer("components", "schemas", schema_name), schema
        ):
            found.append(Example(name, where, schema_pointer, value, False))
    for kind in ("parameters", "headers"):
        for item_name, item in components.get(kind, {}).items():
            found += holder_examples(name, pointer("components", kind, item_name), item)
    for kind in ("requestBodies", "responses"):
        for item_name, item in components.get(kind, {}).items():
            found += content_examples(name, pointer("components", kind, item_name), item)
    return found


EXAMPLES = [example for name in SPECS for example in all_examples(name)]


def operation(name: str, operation_id: str) -> tuple[str, dict[str, Any]]:
    """(pointer, operation object) of the operation with this operationId."""
    for path, item in spec(name)["paths"].items():
        for method in HTTP_METHODS:
            if item.get(method, {}).get("operationId") == operation_id:
                return pointer("paths", path, method), item[method]
    raise AssertionError(f"{name} has no operation {operation_id!r}")


def operations(name: str) -> Iterator[tuple[str, dict[str, Any]]]:
    for path, item in spec(name)["paths"].items():
        for method in HTTP_METHODS:
            if method in item:
                yield pointer("paths", path, method), item[method]


# --- the documents are valid OpenAPI 3.1 ------------------------------------------------


@pytest.mark.parametrize("name", SPECS)
def test_spec_loads_cleanly_and_is_valid_openapi_3_1(name: str) -> None:
    loaded = load_document(SPECS[name])
    assert loaded.diagnostics == ()
    assert loaded.document.data["openapi"] == "3.1.0"
    validate_openapi(loaded.document.data)  # raises on any meta-schema violation


# --- every example holds (or, when marked, fails) against its schema -------------------


def test_the_example_walk_finds_the_documented_examples() -> None:
    """A guard on the walk itself: these are the examples the specs are known to hold."""
    found = {(e.spec, e.where.split("/examples/")[-1], e.invalid) for e in EXAMPLES}
    assert found == {
        ("gotham", "sendToGroup/value", False),  # preview parameter, request, response
        ("private-messages", "sendToRecipients/value", False),
        ("shift-messages", "messageToTeam/value", False),
        ("shift-messages", "usersWithoutText/value", True),
        ("shift-messages", "usersWithoutText/value", False),  # the 400 error body
        ("shift-messages", "0", False),  # the mentions fragment on the Mentions schema
    }
    counts = {name: sum(e.spec == name for e in EXAMPLES) for name in SPECS}
    assert counts == {"gotham": 3, "private-messages": 2, "shift-messages": 5}


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.id)
def test_example_matches_its_schema_unless_marked_invalid(example: Example) -> None:
    problems = errors(example.spec, example.schema, example.value)
    if example.invalid:
        assert problems, f"{example.where} is marked {INVALID_MARK} but validates"
    else:
        assert problems == []


def test_validation_checks_formats_and_follows_refs() -> None:
    """The checks above are not vacuous: a bad format or a wrong nested type is caught."""
    response = "/components/schemas/PrivateMessage"
    assert errors("private-messages", response, {"created_at": "yesterday"})
    assert not errors("private-messages", response, {"created_at": "2021-12-27T11:10:27Z"})
    shift = "/components/schemas/CreateMessageRequest"
    assert errors("shift-messages", shift, {"text": "hi", "addressed_users": ["not-a-uuid"]})
    gotham = "/components/schemas/SendMessagesRequest"
    message = dict(SEED_000_MESSAGES[0], body={"value": "x", "formatStyle": "HTML"})
    assert errors("gotham", gotham, {"messages": [message]})


def test_every_example_object_names_its_seed() -> None:
    for name in SPECS:
        for at, op in operations(name):
            holders = [("parameter", p) for p in op.get("parameters", [])]
            holders += [("request", op.get("requestBody", {}))]
            holders += [(s, r) for s, r in op["responses"].items()]
            for label, holder in holders:
                holder = resolve(name, holder)
                medias = list(holder.get("content", {}).values()) or [holder]
                for media in medias:
                    for example_name, example in media.get("examples", {}).items():
                        text = example.get("summary", "") + example.get("description", "")
                        assert "seed 00" in text, f"{name} {at} {label} {example_name}"


def test_request_and_response_examples_pair_up_by_name() -> None:
    for name in SPECS:
        for at, op in operations(name):
            request = op["requestBody"]["content"]["application/json"]["examples"]
            responses = {
                example_name: status
                for status, response in op["responses"].items()
                for media in response.get("content", {}).values()
                for example_name in media.get("examples", {})
            }
            assert set(request) == set(responses), at
            for example_name, example in request.items():
                status = responses[example_name]
                if example.get(INVALID_MARK):
                    assert status.startswith("4"), (name, example_name, status)
                else:
                    assert status.startswith("2"), (name, example_name, status)


# --- each seed's bodies are in its spec, equal as JSON ----------------------------------


def request_example(name: str, operation_id: str, example_name: str) -> Any:
    _, op = operation(name, operation_id)
    media = op["requestBody"]["content"]["application/json"]
    return resolve(name, media["examples"][example_name])["value"]


def response_example(name: str, operation_id: str, status: str, example_name: str) -> Any:
    _, op = operation(name, operation_id)
    media = op["responses"][status]["content"]["application/json"]
    return resolve(name, media["examples"][example_name])["value"]


def parameter_example(name: str, operation_id: str, parameter: str, example_name: str) -> Any:
    _, op = operation(name, operation_id)
    [found] = [p for p in op["parameters"] if p["name"] == parameter]
    return resolve(name, found["examples"][example_name])["value"]


SEED_BODIES = [
    pytest.param(
        lambda: request_example("gotham", "sendMessages", "sendToGroup"),
        {"messages": SEED_000_MESSAGES},
        id="000-sdk-messages",
    ),
    pytest.param(
        lambda: parameter_example("gotham", "sendMessages", "preview", "sendToGroup"),
        SEED_000_PREVIEW,
        id="000-sdk-preview",
    ),
    pytest.param(
        lambda: request_example("gotham", "sendMessages", "sendToGroup"),
        {"messages": SEED_001_MESSAGES},
        id="001-sdk-messages",
    ),
    pytest.param(
        lambda: parameter_example("gotham", "sendMessages", "preview", "sendToGroup"),
        SEED_001_PREVIEW,
        id="001-sdk-preview",
    ),
    pytest.param(
        lambda: request_example("gotham", "sendMessages", "sendToGroup"),
        json.loads(SEED_002_REQUEST_TEXT),
        id="002-curl-request",
    ),
    pytest.param(
        lambda: parameter_example("gotham", "sendMessages", "preview", "sendToGroup"),
        SEED_002_PREVIEW_QUERY == "preview=true",
        id="002-curl-preview",
    ),
    pytest.param(
        lambda: response_example("gotham", "sendMessages", "200", "sendToGroup"),
        json.loads(SEED_002_RESPONSE_TEXT),
        id="002-response",
    ),
    pytest.param(
        lambda: request_example("private-messages", "sendMessage", "sendToRecipients"),
        json.loads(SEED_003_REQUEST_TEXT),
        id="003-request",
    ),
    pytest.param(
        lambda: response_example("private-messages", "sendMessage", "201", "sendToRecipients"),
        json.loads(SEED_003_RESPONSE_TEXT),
        id="003-response-corrected",
    ),
    pytest.param(
        lambda: request_example("shift-messages", "createMessage", "messageToTeam"),
        json.loads(SEED_004_REQUEST_TEXT),
        id="004-request",
    ),
    pytest.param(
        lambda: response_example("shift-messages", "createMessage", "200", "messageToTeam"),
        json.loads(SEED_004_RESPONSE_TEXT),
        id="004-response",
    ),
    pytest.param(
        lambda: request_example("shift-messages", "createMessage", "usersWithoutText"),
        json.loads(SEED_004_REJECTED_REQUEST_TEXT),
        id="004-rejected-request",
    ),
    pytest.param(
        lambda: response_example("shift-messages", "createMessage", "400", "usersWithoutText"),
        json.loads(SEED_004_ERROR_TEXT),
        id="004-error-4004",
    ),
    pytest.param(
        lambda: spec("shift-messages")["components"]["schemas"]["Mentions"]["examples"][0],
        json.loads(SEED_004_MENTIONS_TEXT)["mentions"],
        id="004-mentions-fragment",
    ),
]


def as_json(value: Any) -> Any:
    """A comparable form that keeps JSON types apart (Python has True == 1 and 1.0 == 1)."""
    if isinstance(value, dict):
        return ("object", sorted((key, as_json(item)) for key, item in value.items()))
    if isinstance(value, list):
        return ("array", [as_json(item) for item in value])
    return (type(value).__name__, value)


@pytest.mark.parametrize(("stored", "documented"), SEED_BODIES)
def test_spec_holds_the_seed_example(stored: Any, documented: Any) -> None:
    assert as_json(stored()) == as_json(documented)


def test_seed_003_response_differs_from_the_document_only_by_the_file_correction() -> None:
    printed = SEED_003_RESPONSE_TEXT_AS_PRINTED
    assert SEED_003_CORRECTION[0] in printed
    with pytest.raises(ValueError):
        json.loads(printed)
    stored = response_example("private-messages", "sendMessage", "201", "sendToRecipients")
    assert stored["file"] is None
    _, op = operation("private-messages", "sendMessage")
    described = op["responses"]["201"]["content"]["application/json"]["examples"]
    assert '"file": blob' in described["sendToRecipients"]["description"]


# --- seed 004's rules, and the documents' contradictions ------------------------------

TEAM = "8a7644a3-7393-417c-8180-0328749562a0"
OTHER_TEAM = "0b1f2e3d-4c5b-4a69-8877-665544332211"
USER = "09dadecb-edbc-44c0-a187-1150e98e6df8"
SHIFT_REQUEST = "/components/schemas/CreateMessageRequest"
PM_REQUEST = "/components/schemas/SendPrivateMessageRequest"


def shift_rule(title: str) -> str:
    """Pointer of the `allOf` entry of CreateMessageRequest with this title."""
    rules = spec("shift-messages")["components"]["schemas"]["CreateMessageRequest"]["allOf"]
    [index] = [i for i, rule in enumerate(rules) if rule.get("title") == title]
    return f"{SHIFT_REQUEST}/allOf/{index}"


NO_ADDRESSEE = "at least one addressee"
TEAM_EXCLUDES_USERS = "a team excludes users"
TEXT_OR_ATTACHMENTS = "text or attachments"
ONE_TEAM = f"{SHIFT_REQUEST}/properties/addressed_teams"


@pytest.mark.parametrize(
    ("payload", "rule"),
    [
        pytest.param({"text": "hi"}, NO_ADDRESSEE, id="no-addressee-fields"),
        pytest.param(
            {"text": "hi", "addressed_users": [], "addressed_teams": []},
            NO_ADDRESSEE,
            id="no-addressee-empty-lists",
        ),
        pytest.param(
            {"text": "hi", "addressed_users": {"ids": [], "emails": []}},
            NO_ADDRESSEE,
            id="no-addressee-empty-object",
        ),
        pytest.param(
            {"text": "hi", "addressed_teams": [TEAM, OTHER_TEAM]}, ONE_TEAM, id="two-teams"
        ),
        pytest.param(
            {"text": "hi", "addressed_teams": [TEAM], "addressed_users": [USER]},
            TEAM_EXCLUDES_USERS,
            id="team-and-users-list",
        ),
        pytest.param(
            {"text": "hi", "addressed_teams": [TEAM], "addressed_users": {"ids": [USER]}},
            TEAM_EXCLUDES_USERS,
            id="team-and-users-object-ids",
        ),
        pytest.param(
            {
                "text": "hi",
                "addressed_teams": [TEAM],
                "addressed_users": {"ids": [], "emails": ["someone@example.com"]},
            },
            TEAM_EXCLUDES_USERS,
            id="team-and-users-object-emails",
        ),
        pytest.param({"addressed_users": [USER]}, TEXT_OR_ATTACHMENTS, id="no-text"),
        pytest.param({"text": "", "addressed_users": [USER]}, TEXT_OR_ATTACHMENTS, id="empty-text"),
        pytest.param(
            {"text": [], "addressed_users": [USER], "attachments": []},
            TEXT_OR_ATTACHMENTS,
            id="empty-text-list-and-attachments",
        ),
        pytest.param(
            json.loads(SEED_004_REJECTED_REQUEST_TEXT),
            TEXT_OR_ATTACHMENTS,
            id="documented-4004-request",
        ),
    ],
)
def test_shift_rule_rejects_the_payload_that_breaks_it(payload: dict[str, Any], rule: str) -> None:
    rule_pointer = rule if rule.startswith("/") else shift_rule(rule)
    assert errors("shift-messages", rule_pointer, payload), f"{rule} accepts {payload}"
    assert errors("shift-messages", SHIFT_REQUEST, payload), f"the request accepts {payload}"


@pytest.mark.parametrize(
    ("name", "schema", "payload"),
    [
        pytest.param(
            "private-messages",
            PM_REQUEST,
            {"recipients": 115, "message": "hi"},
            id="recipients-int",
        ),
        pytest.param(
            "private-messages",
            PM_REQUEST,
            {"recipients": [115, 116], "message": "hi"},
            id="recipients-list",
        ),
        pytest.param(
            "shift-messages",
            SHIFT_REQUEST,
            {"text": "hi", "addressed_users": [USER]},
            id="users-list",
        ),
        pytest.param(
            "shift-messages",
            SHIFT_REQUEST,
            {"text": "hi", "addressed_users": {"ids": [USER], "emails": []}},
            id="users-object-ids",
        ),
        pytest.param(
            "shift-messages",
            SHIFT_REQUEST,
            {"text": "hi", "addressed_users": {"emails": ["someone@example.com"]}},
            id="users-object-emails",
        ),
        pytest.param(
            "shift-messages",
            SHIFT_REQUEST,
            {"text": "hi", "addressed_teams": [TEAM]},
            id="text-string",
        ),
        pytest.param(
            "shift-messages",
            SHIFT_REQUEST,
            {"text": ["hi", "there"], "addressed_teams": [TEAM]},
            id="text-list",
        ),
        pytest.param(
            "shift-messages",
            SHIFT_REQUEST,
            {"addressed_teams": [TEAM], "attachments": [{"name": "report.pdf"}]},
            id="attachments-without-text",
        ),
        pytest.param(
            "shift-messages",
            SHIFT_REQUEST,
            {
                "text": "see {0}",
                "addressed_teams": [TEAM],
                **json.loads(SEED_004_MENTIONS_TEXT),
            },
            id="mentions-list",
        ),
        pytest.param(
            "shift-messages",
            SHIFT_REQUEST,
            {
                "text": "see {0}",
                "addressed_teams": [TEAM],
                "mentions": {"type": "appobject", "id": "x"},
            },
            id="mentions-object",
        ),
    ],
)
def test_contradictory_documented_forms_are_all_accepted(
    name: str, schema: str, payload: dict[str, Any]
) -> None:
    assert errors(name, schema, payload) == []


@pytest.mark.parametrize(
    ("name", "schema", "payload"),
    [
        pytest.param(
            "private-messages",
            PM_REQUEST,
            {"recipients": "115", "message": "hi"},
            id="recipients-string",
        ),
        pytest.param(
            "private-messages",
            PM_REQUEST,
            {"recipients": ["115"], "message": "hi"},
            id="recipients-string-list",
        ),
        pytest.param("private-messages", PM_REQUEST, {"recipients": [115]}, id="no-message"),
        pytest.param("private-messages", PM_REQUEST, {"message": "hi"}, id="no-recipients"),
        pytest.param(
            "shift-messages",
            SHIFT_REQUEST,
            {"text": 5, "addressed_teams": [TEAM]},
            id="text-number",
        ),
        pytest.param(
            "shift-messages",
            SHIFT_REQUEST,
            {"text": "hi", "addressed_users": "x"},
            id="users-string",
        ),
        pytest.param(
            "shift-messages",
            SHIFT_REQUEST,
            {"text": "hi", "addressed_users": {"emails": ["not an email"]}},
            id="users-bad-email",
        ),
    ],
)
def test_other_shapes_are_rejected(name: str, schema: str, payload: dict[str, Any]) -> None:
    assert errors(name, schema, payload)


# --- settings and naming the generator reads -------------------------------------------

PACKAGE_SETTINGS = {
    "gotham": {
        "package": "gotham",
        "distribution": "gotham",
        "client": "GothamClient",
        "error": "PalantirRPCException",
    },
    "private-messages": {
        "package": "private_messages",
        "distribution": "private-messages",
        "client": "PrivateMessagesClient",
        "error": "PrivateMessagesError",
    },
    "shift-messages": {
        "package": "shift_messages",
        "distribution": "shift-messages",
        "client": "ShiftClient",
        "error": "ShiftError",
    },
}
OPERATIONS = {
    "gotham": ("/gotham/v1/inbox/messages", "post", "sendMessages", "inbox", "Messages", "send"),
    "private-messages": ("/api/v2/pm/", "post", "sendMessage", "pm", "Messages", "send"),
    "shift-messages": ("/v1/messages", "post", "createMessage", "messages", "Messages", "create"),
}
SECURITY_SCHEMES = {
    "gotham": "UserToken",
    "private-messages": "BearerAuth",
    "shift-messages": "BearerAuth",
}


@pytest.mark.parametrize("name", SPECS)
def test_package_settings(name: str) -> None:
    assert spec(name)["x-apismith"] == PACKAGE_SETTINGS[name]


@pytest.mark.parametrize("name", SPECS)
def test_operations_carry_namespace_resource_method_and_a_tag(name: str) -> None:
    path, method, operation_id, namespace, resource, verb = OPERATIONS[name]
    found = list(operations(name))
    assert [at for at, _ in found] == [pointer("paths", path, method)]
    [(_, op)] = found
    assert op["operationId"] == operation_id
    assert op["x-apismith"] == {"namespace": namespace, "resource": resource, "method": verb}
    declared = {tag["name"] for tag in spec(name)["tags"]}
    assert op["tags"] and set(op["tags"]) <= declared


@pytest.mark.parametrize("name", SPECS)
def test_bearer_security_applied_at_the_root(name: str) -> None:
    scheme = SECURITY_SCHEMES[name]
    schemes = spec(name)["components"]["securitySchemes"]
    assert schemes == {scheme: schemes[scheme]}
    assert (schemes[scheme]["type"], schemes[scheme]["scheme"]) == ("http", "bearer")
    assert spec(name)["security"] == [{scheme: []}]


@pytest.mark.parametrize("name", SPECS)
def test_server_has_a_hostname_variable(name: str) -> None:
    [server] = spec(name)["servers"]
    assert "{hostname}" in server["url"]
    assert server["variables"]["hostname"]["default"]


def test_gotham_server_and_preview_flag_follow_the_sdk() -> None:
    [server] = spec("gotham")["servers"]
    assert server["url"] == "https://{hostname}/api"
    assert server["variables"]["hostname"]["default"] == "example.palantirfoundry.com"
    _, op = operation("gotham", "sendMessages")
    [preview] = op["parameters"]
    assert (preview["name"], preview["in"], preview.get("required", False)) == (
        "preview",
        "query",
        False,
    )
    assert preview["schema"] == {"$ref": "#/components/schemas/PreviewMode"}
    assert spec("gotham")["components"]["schemas"]["PreviewMode"]["type"] == "boolean"


def test_gotham_messages_is_optional_as_the_rest_reference_says() -> None:
    schemas = spec("gotham")["components"]["schemas"]
    assert "required" not in schemas["SendMessagesRequest"]
    assert "REST reference" in schemas["SendMessagesRequest"]["description"]
    assert errors("gotham", "/components/schemas/SendMessagesRequest", {}) == []
    assert schemas["SendMessageRequest"]["required"] == ["sender", "title", "security"]


@pytest.mark.parametrize(
    ("name", "schema_names"),
    [
        (
            "gotham",
            {
                "PreviewMode",
                "SendMessagesRequest",
                "SendMessageRequest",
                "GroupRecipient",
                "MessageSender",
                "MessageTitle",
                "MessageBody",
                "FormatStyle",
                "MessageSecurity",
                "PortionMarking",
                "SendMessagesResponse",
                "SendMessageResponse",
                "SendMessageFailure",
                "MessageSourceId",
                "SendMessageFailureReason",
                "PalantirRPCError",
            },
        ),
        (
            "private-messages",
            {"SendPrivateMessageRequest", "RecipientIds", "PrivateMessage", "ErrorBody"},
        ),
        (
            "shift-messages",
            {
                "CreateMessageRequest",
                "MessageText",
                "AddressedUsers",
                "AddressedUsersObject",
                "Mentions",
                "Mention",
                "Attachments",
                "Attachment",
                "MessageEnvelope",
                "EnvelopeMeta",
                "Message",
                "MessageAuthor",
                "ErrorEnvelope",
                "ApiError",
            },
        ),
    ],
)
def test_component_schema_names(name: str, schema_names: set[str]) -> None:
    assert set(spec(name)["components"]["schemas"]) == schema_names


def test_enums_keep_their_documented_values() -> None:
    schemas = spec("gotham")["components"]["schemas"]
    assert schemas["FormatStyle"]["enum"] == ["UNFORMATTED", "PREFORMATTED", "MARKDOWN"]
    assert schemas["SendMessageFailureReason"]["enum"] == ["CONFLICTING_SOURCE_ID", "UNKNOWN"]
    for enum_name in ("FormatStyle", "SendMessageFailureReason"):
        for value in schemas[enum_name]["enum"]:
            assert f"- `{value}`: " in schemas[enum_name]["description"]


def test_private_message_response_fields_are_all_read_only() -> None:
    message = spec("private-messages")["components"]["schemas"]["PrivateMessage"]
    assert set(message["properties"]) == {
        "id",
        "sender_id",
        "message",
        "created_at",
        "status",
        "file",
    }
    assert all(field.get("readOnly") is True for field in message["properties"].values())
    assert "required" not in message
    assert message["properties"]["created_at"]["format"] == "date-time"
    assert message["properties"]["file"]["contentMediaType"] == "application/octet-stream"
