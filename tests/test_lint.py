"""``lint``: one broken spec per rule under tests/specs/lint, each with its golden
diagnostics (rule, severity, file, pointer, line, column) beside it.

Regenerate the golden files after a deliberate change with
``APISMITH_UPDATE_GOLDEN=1 pytest tests/test_lint.py`` and review the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import orjson
import pytest
from click.testing import CliRunner

from apismith.cli import main
from apismith.diagnostics import Severity
from apismith.lint.linter import lint_spec
from apismith.load import load_document
from apismith.structure import check_structure

ROOT = Path(__file__).resolve().parents[1]
BROKEN = ROOT / "tests" / "specs" / "lint"
SPECS = sorted(BROKEN.glob("*.yaml"))
SHIPPED = sorted((ROOT / "spec").glob("*.yaml"))

RULES = {
    "load/duplicate-key",
    "structure/schema",
    "structure/version",
    "ref/unresolved",
    "ref/outside",
    "ref/remote",
    "ref/missing-file",
    "operation/missing-id",
    "operation/duplicate-id",
    "operation/undeclared-path-parameter",
    "operation/unknown-path-parameter",
    "operation/duplicate-parameter",
    "example/invalid",
    "example/unexpectedly-valid",
    "example/unusable-schema",
    "hygiene/no-success-response",
    "hygiene/no-request-example",
    "hygiene/no-response-example",
    "hygiene/enum-undocumented",
}


def observed(spec: Path) -> list[dict[str, Any]]:
    result = lint_spec(spec)
    return [
        {
            "rule": d.rule,
            "severity": str(d.severity),
            "file": Path(d.file).resolve().relative_to(BROKEN).as_posix(),
            "pointer": d.pointer,
            "line": d.line,
            "column": d.column,
        }
        for d in result.diagnostics
    ]


@pytest.fixture(autouse=True)
def _at_repository_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


@pytest.mark.parametrize("spec", SPECS, ids=[s.stem for s in SPECS])
def test_broken_spec_gives_its_golden_diagnostics(spec: Path) -> None:
    golden = spec.with_suffix(".expected.json")
    found = observed(spec)
    if os.environ.get("APISMITH_UPDATE_GOLDEN"):
        golden.write_text(json.dumps(found, indent=2) + "\n", encoding="utf-8")
    assert found == json.loads(golden.read_text(encoding="utf-8"))


def test_every_rule_has_a_broken_spec_named_after_it() -> None:
    covered: set[str] = set()
    for spec in SPECS:
        rules = {entry["rule"] for entry in observed(spec)}
        named = spec.stem.removesuffix("-30").replace("-", "/", 1)
        assert named in rules, f"{spec.name} does not trigger {named}"
        covered |= rules
    assert covered >= RULES


def test_every_finding_has_a_line_number() -> None:
    for spec in SPECS:
        assert all(entry["line"] is not None for entry in observed(spec)), spec.name


@pytest.mark.skipif(not SHIPPED, reason="the shipped specs are not written yet")
@pytest.mark.parametrize("spec", SHIPPED, ids=[s.stem for s in SHIPPED])
def test_shipped_specs_lint_clean(spec: Path) -> None:
    assert [str(d) for d in lint_spec(spec).diagnostics] == []


@pytest.mark.parametrize("spec", SPECS, ids=[s.stem for s in SPECS])
def test_fast_structure_check_agrees_with_the_reference_validator(spec: Path) -> None:
    document = load_document(spec).document
    fast = check_structure(document, engine="rs")
    reference = check_structure(document, engine="python")
    assert [(d.rule, d.pointer) for d in fast] == [(d.rule, d.pointer) for d in reference]


def test_a_structure_error_behind_a_broken_ref_is_still_found(tmp_path: Path) -> None:
    spec = tmp_path / "api.yaml"
    spec.write_text(
        "openapi: 3.1.0\ninfo: {title: t}\npaths:\n  /a:\n    get:\n"
        "      operationId: a\n      responses:\n        '200': {$ref: '#/nope'}\n",
        encoding="utf-8",
    )
    rules = [(d.rule, d.pointer) for d in lint_spec(spec).diagnostics]
    assert ("structure/schema", "/info") in rules
    assert ("ref/unresolved", "/paths/~1a/get/responses/200/$ref") in rules


def test_remote_refs_are_only_noted_when_allowed() -> None:
    spec = BROKEN / "ref-remote.yaml"
    [refused] = lint_spec(spec).diagnostics
    [allowed] = lint_spec(spec, allow_remote_refs=True).diagnostics
    assert (refused.rule, refused.severity) == ("ref/remote", Severity.ERROR)
    assert (allowed.rule, allowed.severity) == ("ref/remote", Severity.INFO)


def test_unreadable_spec_is_not_readable(tmp_path: Path) -> None:
    result = lint_spec(tmp_path / "missing.yaml")
    assert not result.readable
    assert [d.rule for d in result.diagnostics] == ["load/unreadable"]


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["tests/specs/lint/hygiene-enum-undocumented.yaml"], 0),
        (["tests/specs/lint/hygiene-enum-undocumented.yaml", "--fail-on", "warning"], 1),
        (["tests/specs/lint/operation-duplicate-id.yaml"], 1),
        (["tests/specs/lint/operation-duplicate-id.yaml", "missing.yaml"], 2),
        (["tests/specs/lint/operation-duplicate-id.yaml", "--format", "yaml"], 2),
    ],
)
def test_exit_codes(args: list[str], code: int) -> None:
    result = CliRunner().invoke(main, ["lint", *args])
    assert result.exit_code == code, result.output


def test_text_output_lists_every_problem_then_counts() -> None:
    result = CliRunner().invoke(main, ["lint", "tests/specs/lint/example-invalid.yaml"])
    lines = result.output.splitlines()
    assert lines[-1] == "7 errors, 0 warnings, 0 info"
    assert lines[0].startswith(
        "tests/specs/lint/example-invalid.yaml:13:11: error [example/invalid]"
    )
    assert "\x1b[" not in result.output  # no colour when not on a terminal


def test_document_file_is_computed_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # lint asks every diagnostic's document for its file; resolving the path each time
    # cost a third of a second on GitHub's spec
    spec = BROKEN / "operation-missing-id.yaml"
    document = load_document(spec).document
    first = document.file
    monkeypatch.chdir(tmp_path)
    assert document.file is first
    assert first == "tests/specs/lint/operation-missing-id.yaml"


@pytest.mark.parametrize("name", ["structure-schema", "structure-schema-30", "example-invalid"])
def test_json_and_yaml_copies_give_the_same_findings(tmp_path: Path, name: str) -> None:
    # JSON specs go to the structure check as bytes, YAML ones as data
    source = BROKEN / f"{name}.yaml"
    copy = tmp_path / f"{name}.json"
    copy.write_bytes(orjson.dumps(load_document(source).document.data, option=orjson.OPT_INDENT_2))
    from_yaml = [(d.rule, d.pointer) for d in lint_spec(source).diagnostics]
    from_json = [(d.rule, d.pointer) for d in lint_spec(copy).diagnostics]
    assert sorted(from_json) == sorted(from_yaml)
    assert all(d.line is not None for d in lint_spec(copy).diagnostics)


def test_resolver_caches_targets_but_reports_each_broken_ref(tmp_path: Path) -> None:
    from apismith.refs import Resolver

    spec = tmp_path / "api.yaml"
    spec.write_text("a: {x: 1}\n", encoding="utf-8")
    resolver = Resolver(load_document(spec).document)
    first = resolver.resolve("#/a", resolver.root, "/p/$ref")
    assert first is not None and resolver.resolve("#/a", resolver.root, "/q/$ref") == first
    assert resolver.resolve("#/b", resolver.root, "/p/$ref") is None
    assert resolver.resolve("#/b", resolver.root, "/q/$ref") is None
    assert [d.pointer for d in resolver.diagnostics] == ["/p/$ref", "/q/$ref"]


def test_when_the_full_structure_check_stops_the_meta_schema_still_reports(
    tmp_path: Path,
) -> None:
    spec = tmp_path / "api.yaml"
    spec.write_text("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: [1, 2]\n", "utf-8")
    found = {(d.rule, d.pointer, d.severity) for d in lint_spec(spec).diagnostics}
    assert ("structure/schema", "/paths", Severity.ERROR) in found
    assert ("structure/aborted", "", Severity.INFO) in found


def test_looping_refs_do_not_stop_the_structure_check(tmp_path: Path) -> None:
    spec = tmp_path / "api.yaml"
    spec.write_text(
        "openapi: 3.1.0\ninfo: {title: t}\npaths: {}\ncomponents:\n  schemas:\n"
        "    A: {$ref: '#/components/schemas/B'}\n    B: {$ref: '#/components/schemas/A'}\n",
        "utf-8",
    )
    rules = sorted((d.rule, d.pointer) for d in lint_spec(spec).diagnostics)
    assert rules == [
        ("ref/cycle", "/components/schemas/A/$ref"),
        ("ref/cycle", "/components/schemas/B/$ref"),
        ("structure/schema", "/info"),
    ]


def test_json_with_surrogate_pair_escapes_is_checked_in_full(tmp_path: Path) -> None:
    spec = tmp_path / "smile.json"
    spec.write_text(
        '{"openapi": "3.1.0", "info": {"title": "smile \\ud83d\\ude00", "version": "1"}, "paths": {}}',
        "utf-8",
    )
    result = lint_spec(spec)
    assert [d.rule for d in result.diagnostics if d.severity >= Severity.ERROR] == []


@pytest.mark.parametrize("engine", ["rs", "python"])
def test_the_structure_check_judges_the_document_as_it_was_read(
    tmp_path: Path, engine: str
) -> None:
    """A JSON spec is checked from the bytes it was parsed from: a file rewritten after
    it was read (fixed here) changes nothing."""
    spec = tmp_path / "api.json"
    spec.write_text('{"openapi": "3.1.0", "info": {"title": "t"}, "paths": {}}', "utf-8")
    document = load_document(spec).document
    spec.write_text(
        '{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}}', "utf-8"
    )
    found = check_structure(document, engine=engine)
    assert [(d.rule, d.pointer) for d in found] == [("structure/schema", "/info")]
