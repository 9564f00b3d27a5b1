"""The pure parts of the lint-diff, jsonl and mock suites: no network, no peers.

Fixtures are small hand-written reports in each tool's JSON shape and a captured
``wrk --latency`` output.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `bench` is a folder at the repository root, not installed
    sys.path.insert(0, str(ROOT))

from bench import jsonl, lintdiff, mockbench  # noqa: E402
from bench.gotham import request_example, send_operation  # noqa: E402

DOCUMENT: dict[str, Any] = {
    "paths": {
        "/a": {
            "get": {
                "responses": {
                    "200": {
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/A"},
                                "examples": {
                                    "default": {"$ref": "#/components/examples/a"},
                                    "inline": {"value": {"id": "x"}},
                                    "byref": {"value": {"$ref": "#/components/examples/a"}},
                                },
                            }
                        }
                    },
                    "201": {
                        "content": {
                            "application/json": {
                                "schema": {"nullable": True, "anyOf": [{"type": "object"}]},
                                "example": {"id": 1, "x": None},
                            }
                        }
                    },
                },
                "parameters": [{"name": "q", "in": "query", "example": 5}],
            }
        }
    },
    "components": {
        "schemas": {
            "A": {
                "type": "object",
                "properties": {"id": {"type": "integer"}, "example": {"type": "string"}},
                "example": {"id": "not an int"},
            }
        },
        "examples": {"a": {"value": {"id": 1, "state": None}}},
    },
}

GET = "/paths/~1a/get"
MEDIA = GET + "/responses/200/content/application~1json"
MEDIA_201 = GET + "/responses/201/content/application~1json"


def ours(pointer: str, message: str, line: int | None = 10) -> dict[str, Any]:
    return {
        "file": "api.json",
        "line": line,
        "column": 3,
        "pointer": pointer,
        "rule": "example/invalid",
        "severity": "error",
        "message": message,
    }


def theirs(
    pointer: str, message: str, site: str, rule: str = "no-invalid-media-type-examples"
) -> dict[str, Any]:
    return {
        "ruleId": rule,
        "severity": "error",
        "message": message,
        "location": [{"pointer": "#" + pointer, "start": {"line": 7, "col": 1}}],
        "from": {"pointer": "#" + site},
    }


def test_example_root_stops_at_the_example_value() -> None:
    assert lintdiff.example_root(MEDIA + "/examples/default/value/0/id") == (
        MEDIA + "/examples/default/value"
    )
    assert lintdiff.example_root(GET + "/parameters/0/example") == GET + "/parameters/0/example"
    assert lintdiff.example_root("/components/schemas/A/example/id") == (
        "/components/schemas/A/example"
    )
    # a property named "example", and an example named "example"
    assert lintdiff.example_root("/components/schemas/A/properties/example/example") == (
        "/components/schemas/A/properties/example/example"
    )
    assert lintdiff.example_root(MEDIA + "/examples/example/value/x") == (
        MEDIA + "/examples/example/value"
    )
    assert lintdiff.example_root(MEDIA + "/schema") is None


def test_resolve_follows_refs_on_the_way() -> None:
    assert lintdiff.resolve(DOCUMENT, MEDIA + "/examples/default/value") == (
        "/components/examples/a/value"
    )
    assert lintdiff.resolve(DOCUMENT, MEDIA + "/examples/byref/value") == "/components/examples/a"
    assert lintdiff.resolve(DOCUMENT, MEDIA + "/examples/inline/value") == (
        MEDIA + "/examples/inline/value"
    )
    assert lintdiff.resolve(DOCUMENT, "/no/such/x") == "/no/such/x"
    assert lintdiff.split("#/a~1b/c~0d") == ["a/b", "c~d"]


def test_use_site_and_definition_site_meet_on_one_key() -> None:
    report = {"diagnostics": [ours(MEDIA + "/examples/default/value/state", "'x' is required")]}
    redocly = {
        "problems": [
            theirs(
                "/components/examples/a/value/state",
                "Example value must conform to the schema: `state` property type must be string.",
                MEDIA,
            )
        ]
    }
    summary, examples = lintdiff.differential(report, redocly, DOCUMENT)
    assert [(e.key, e.category) for e in examples] == [("/components/examples/a/value", "agree")]
    assert summary["categories"]["agree"]["examples"] == 1
    assert summary["apismith_findings_without_line"] == 0


def test_one_sided_findings_are_classified() -> None:
    report = {
        "diagnostics": [
            ours(
                MEDIA_201 + "/example/x",
                "example does not match its schema (as a response): 'x' is required [#/r]",
            ),
            ours("/components/schemas/A/example/id", '"not an int" is not of type "integer"'),
            ours(
                MEDIA + "/examples/inline/value/id",
                'example does not match its schema (as a response): "x" is not one of "a" or "b"',
                line=None,
            ),
        ]
    }
    m = "Example value must conform to the schema: "
    redocly = {
        "problems": [
            theirs(
                MEDIA_201 + "/schema",
                'Example validation errored: "nullable" cannot be used without "type".',
                MEDIA_201,
            ),
            theirs(
                "/components/examples/a/value",
                m + "must NOT have unevaluated properties `state`.",
                MEDIA,
            ),
            theirs(
                "/components/examples/a/value/state",
                m + '`state` property must be equal to one of the allowed values "open".',
                MEDIA + "x",
            ),
            theirs(
                GET + "/parameters/0/example",
                m + 'tag "kind" must be string.',
                GET + "/parameters/0",
                "no-invalid-parameter-examples",
            ),
            theirs("/components/schemas/A/example", m + "type", "/x", "no-unused-components"),
        ]
    }
    summary, examples = lintdiff.differential(report, redocly, DOCUMENT)
    found = {e.key: e.category for e in examples}
    assert found == {
        MEDIA_201: "redocly-cannot-check-nullable",
        MEDIA_201 + "/example": "apismith-redocly-unchecked",
        "/components/schemas/A/example": "apismith-schema-example",
        MEDIA + "/examples/inline/value": "apismith-enum-value",
        "/components/examples/a/value": "redocly-closed-schemas",
        GET + "/parameters/0/example": "redocly-discriminator",
    }
    assert summary["apismith_findings_without_line"] == 1
    assert "1 without a line number" in lintdiff.markdown(summary)


def test_null_beside_an_enum_and_unexplained_findings() -> None:
    document = {"components": {"examples": {"b": {"value": {"state": None, "n": 1}}}}}
    m = "Example value must conform to the schema: "
    redocly = {
        "problems": [
            theirs(
                "/components/examples/b/value/state",
                m + '`state` property must be equal to one of the allowed values "open".',
                "/m",
            )
        ]
    }
    report = {"diagnostics": [ours("/components/examples/c/value/n", "something new")]}
    document["components"]["examples"]["c"] = {"value": {"n": 1}}
    summary, examples = lintdiff.differential(report, redocly, document)
    assert {e.key: e.category for e in examples} == {
        "/components/examples/b/value": "redocly-null-in-nullable-enum",
        "/components/examples/c/value": "unexplained",
    }
    text = lintdiff.markdown(summary)
    assert "Unexplained (1):" in text and "`/components/examples/c/value`: something new" in text
    assert json.loads(json.dumps(lintdiff.details(examples)))[0]["category"]


def test_a_report_after_a_banner_still_reads() -> None:
    assert lintdiff.load_json('warning: old node\n{"problems": []}') == {"problems": []}


WRK_OUTPUT = """\
Running 10s test @ http://127.0.0.1:4010/gotham/v1/inbox/messages?preview=true
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     3.41ms    1.02ms  31.20ms   90.12%
    Req/Sec     2.36k   151.22     2.61k    79.50%
  Latency Distribution
     50%    3.21ms
     75%    3.70ms
     90%    4.31ms
     99%  850.00us
  47012 requests in 10.01s, 9.28MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 12
Requests/sec:   4696.71
Transfer/sec:      0.93MB
"""


def test_wrk_output_is_parsed() -> None:
    figures = mockbench.parse_wrk(WRK_OUTPUT)
    assert figures.requests_per_s == 4696.71
    assert figures.p50_ms == 3.21
    assert figures.p99_ms == 0.85
    assert figures.requests == 47012
    assert figures.non_2xx == 12
    assert figures.socket_errors == 3
    empty = mockbench.parse_wrk("unable to connect to 127.0.0.1:1 Connection refused\n")
    assert empty.requests_per_s is None and empty.p99_ms is None and empty.non_2xx == 0


def test_durations_in_every_unit() -> None:
    assert mockbench.duration_ms("120.5us") == 0.1205
    assert mockbench.duration_ms("1.50s") == 1500.0
    assert mockbench.duration_ms("1.00m") == 60_000.0
    assert mockbench.duration_ms("fast") is None


def test_the_lua_script_posts_the_body_verbatim() -> None:
    body = '{"a": "]]", "b": "]=]"}'
    script = mockbench.wrk_script(body)
    assert 'wrk.method = "POST"' in script
    assert "wrk.body = [==[" + body + "]==]" in script
    assert 'wrk.headers["Authorization"] = "Bearer x"' in script
    assert 'wrk.headers["Content-Type"] = "application/json"' in script


def test_hostile_requests_are_well_formed_bytes() -> None:
    requests = mockbench.hostile_requests("/p", "{}", 1234)
    assert len(requests) >= 20
    assert requests["no credentials"].startswith(b"POST /p?preview=true HTTP/1.1\r\n")
    assert b"Authorization" not in requests["no credentials"]
    assert b"Content-Length: 2\r\n" in mockbench.valid_request("/p", "{}", 1234)


SPEC = ROOT / "spec" / "gotham-inbox.yaml"


def test_payload_file_has_the_planted_invalid_lines(tmp_path: Path) -> None:
    example = request_example(SPEC)
    lines = 3 * jsonl.INVALID_EVERY + 5
    invalid = jsonl.write_payloads(tmp_path / "p.jsonl", example, lines)
    assert invalid == 3 == jsonl.expected_invalid(lines)
    text = (tmp_path / "p.jsonl").read_text().splitlines()
    assert len(text) == lines
    assert json.loads(text[0]) == example
    bad = [text[i * jsonl.INVALID_EVERY - 1] for i in (1, 2, 3)]
    assert "title" not in json.loads(bad[0])["messages"][0]
    assert json.loads(bad[1])["messages"][0]["body"]["formatStyle"] == "HTML"
    assert not bad[2].endswith("}")
    assert send_operation(SPEC)[:2] == ("/gotham/v1/inbox/messages", "POST")


def test_throughput_is_lines_over_median_time() -> None:
    from bench.measure import Measurement, Run
    from bench.report import Result
    from bench.suites import Row

    row = Row("jsonl", "apismith", "f.jsonl", ("apismith",), frozenset({0, 1}))
    result = Result(
        row, Measurement((Run(2.0, 1024, 1), Run(4.0, 2048, 1))), "1,990 valid, 10 invalid"
    )
    [figures] = jsonl.throughput([result], {"f.jsonl": 2000})
    assert figures["payloads_per_s"] == 2000 / 3.0
    assert (figures["valid"], figures["invalid"]) == (1990, 10)
    assert "667" in jsonl.markdown([figures])
