"""The generated contract tests: one case per documented example, and an example the
client cannot honour fails its test instead of being skipped."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

from apismith.contract_cases import contract_cases
from apismith.contract_requests import example_requests
from apismith.generate import build, generate
from apismith.pyrender import PythonApi
from apismith.request_schemas import request_body_schemas

ROOT = Path(__file__).resolve().parents[1]
GOTHAM = ROOT / "spec" / "gotham-inbox.yaml"
SHIFT = ROOT / "spec" / "shift-messages.yaml"


def run_pytest(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rA", str(folder)],
        capture_output=True,
        text=True,
        timeout=120,
        env={k: v for k, v in os.environ.items() if not k.endswith("_CONTRACT_BASE_URL")},
    )


def test_cases_cover_every_documented_example() -> None:
    api, resolver, _, _ = build(SHIFT)
    assert api is not None and resolver is not None
    cases = contract_cases(api, PythonApi(api), request_body_schemas(api, resolver))
    assert [c["id"] for c in cases.requests] == ["createMessage:messageToTeam"]
    assert [c["id"] for c in cases.invalid] == ["createMessage:usersWithoutText"]
    assert [c["id"] for c in cases.responses] == [
        "createMessage:200:messageToTeam",
        "createMessage:400:usersWithoutText",
    ]
    assert cases.invalid[0]["pointers"] == [""]
    error = cases.responses[1]
    assert (error["status"], error["error"], error["model"]) == (
        400,
        "BadRequestError",
        "ErrorEnvelope",
    )
    assert error["kwargs"] == cases.requests[0]["kwargs"]  # a valid call, answered with 400


def test_gotham_request_carries_the_query_flag_and_token() -> None:
    api, _, _, _ = build(GOTHAM)
    assert api is not None
    (request,) = example_requests(api, api.operations[0])
    assert (request.method, request.path, request.query_pairs()) == (
        "POST",
        "/gotham/v1/inbox/messages",
        [("preview", "true")],
    )
    cases = contract_cases(api, PythonApi(api), {})
    assert ["Authorization", "Bearer contract-token"] in cases.requests[0]["headers"]
    assert cases.requests[0]["kwargs"]["preview"] is True


def test_rendered_tests_are_valid_python_with_unique_basenames() -> None:
    files = sorted((ROOT / "generated").glob("*/tests/test_*.py"))
    assert len(files) == 3
    assert len({f.name for f in files}) == 3
    for file in files:
        ast.parse(file.read_text("utf-8"))


def test_an_example_the_client_cannot_send_fails_and_never_skips(tmp_path: Path) -> None:
    spec = tmp_path / "gotham.yaml"
    text = GOTHAM.read_text("utf-8")
    # a member the request model does not declare: allowed by the schema, but no
    # keyword argument of the flattened method can send it
    broken = text.replace(
        "                value:\n                  messages:\n",
        "                value:\n                  undeclared: 1\n                  messages:\n",
        1,
    )
    assert broken != text
    spec.write_text(broken, "utf-8")
    outcome = generate(spec, tmp_path / "pkg")
    assert not outcome.failed, outcome.diagnostics
    result = run_pytest(tmp_path / "pkg" / "tests")
    assert result.returncode == 1, result.stdout
    assert "1 failed, 1 passed" in result.stdout
    assert "no keyword argument sends the example's member(s) ['undeclared']" in result.stdout
    assert "skipped" not in result.stdout


def test_a_response_the_client_cannot_read_fails(tmp_path: Path) -> None:
    spec = tmp_path / "gotham.yaml"
    text = GOTHAM.read_text("utf-8")
    # the spec's own rule is broken by the server-side example: sourceId must be a string
    broken = text.replace(
        "                      - sourceId: f81d4fae-7dec-11d0-a765-00a0c91e6bf6\n",
        "                      - sourceId: 12\n",
    )
    assert broken != text
    spec.write_text(broken, "utf-8")
    outcome = generate(spec, tmp_path / "pkg")
    if outcome.failed:  # lint refuses an invalid example before generation: also a failure
        return
    result = run_pytest(tmp_path / "pkg" / "tests")
    assert result.returncode == 1, result.stdout
    assert "test_response_example_round_trips" in result.stdout
