"""Report formats: json and sarif validate against their schemas; github annotations
escape what the workflow-command syntax reserves; text is coloured only when asked."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from apismith.cli import main
from apismith.diagnostics import Diagnostic, Severity
from apismith.report import SCHEMA_PATH, github_line, render, to_json, to_sarif

ROOT = Path(__file__).resolve().parents[1]
SARIF_SCHEMA = ROOT / "tests" / "schemas" / "sarif-2.1.0-rtm.5.json"

DIAGNOSTICS = [
    Diagnostic(
        "example/invalid", '3 is not of type "string"', "spec/a.yaml", "/x/0", Severity.ERROR, 4, 7
    ),
    Diagnostic(
        "hygiene/enum-undocumented",
        "enum values: a, b\nline two",
        "spec/a b.yaml",
        "/e",
        Severity.WARNING,
        9,
        1,
    ),
    Diagnostic("ref/remote", "noted: 100%", "spec/a.yaml", "", Severity.INFO),
    Diagnostic("config/missing", "no pyproject.toml", "", ""),
]


def load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def test_json_report_matches_its_schema() -> None:
    report = json.loads(render(DIAGNOSTICS, "json"))
    jsonschema.Draft202012Validator(load(SCHEMA_PATH)).validate(report)
    assert report["summary"] == {"error": 2, "warning": 1, "info": 1}
    assert report == to_json(sorted(DIAGNOSTICS, key=Diagnostic.sort_key))


def test_json_schema_rejects_a_report_without_lines_typed() -> None:
    report = to_json(DIAGNOSTICS)
    report["diagnostics"][0]["line"] = "4"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(load(SCHEMA_PATH)).validate(report)


def test_sarif_report_matches_the_sarif_2_1_0_schema() -> None:
    report = json.loads(render(DIAGNOSTICS, "sarif"))
    jsonschema.Draft4Validator(load(SARIF_SCHEMA)).validate(report)
    [run] = report["runs"]
    assert {r["ruleId"] for r in run["results"]} == {d.rule for d in DIAGNOSTICS}
    first = next(r for r in run["results"] if r["ruleId"] == "example/invalid")
    assert first["level"] == "error"
    location = first["locations"][0]
    assert location["physicalLocation"]["region"] == {"startLine": 4, "startColumn": 7}
    assert location["logicalLocations"][0]["fullyQualifiedName"] == "/x/0"
    spaced = next(r for r in run["results"] if r["ruleId"].startswith("hygiene"))
    assert (
        spaced["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "spec/a%20b.yaml"
    )
    rules = run["tool"]["driver"]["rules"]
    assert all(rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in run["results"])


def test_sarif_of_a_real_lint_run_is_valid(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(
        main, ["lint", "tests/specs/lint/example-invalid.yaml", "--format", "sarif"]
    )
    assert result.exit_code == 1
    report = json.loads(result.output)
    jsonschema.Draft4Validator(load(SARIF_SCHEMA)).validate(report)
    assert len(report["runs"][0]["results"]) == 7
    sarif = to_sarif([])
    jsonschema.Draft4Validator(load(SARIF_SCHEMA)).validate(sarif)


def test_github_annotations_escape_reserved_characters() -> None:
    line = github_line(DIAGNOSTICS[1])
    assert line == (
        "::warning file=spec/a b.yaml,line=9,col=1,title=hygiene/enum-undocumented"
        "::enum values: a, b%0Aline two (at /e)"
    )
    assert (
        github_line(DIAGNOSTICS[2]) == "::notice file=spec/a.yaml,title=ref/remote::noted: 100%25"
    )
    tricky = Diagnostic("r/x", "m", "a,b:c.yaml", "", Severity.ERROR, 1, 1)
    assert github_line(tricky).startswith("::error file=a%2Cb%3Ac.yaml,line=1,col=1,")


def test_text_is_coloured_only_when_asked() -> None:
    plain = render(DIAGNOSTICS, "text")
    coloured = render(DIAGNOSTICS, "text", colour=True)
    assert "\x1b[" not in plain
    assert "\x1b[31m" in coloured or "\x1b[1m\x1b[31m" in coloured
    assert plain.splitlines()[-1] == "2 errors, 1 warning, 1 info"
    assert "spec/a.yaml:4:7: error [example/invalid] at /x/0: 3 is not" in plain


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown format"):
        render(DIAGNOSTICS, "xml")
