"""Diagnostics rendered for people and for machines.

- ``text``: one line per problem, ``file:line:col: severity [rule] at pointer: message``,
  then a count; severities in colour when asked (on a terminal);
- ``json``: the report described by ``schemas/lint-report.schema.json`` (version 1);
- ``github``: GitHub Actions workflow commands, shown as annotations on the diff;
- ``sarif``: SARIF 2.1.0, for code-scanning dashboards.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

import click
import orjson

from apismith import __version__
from apismith.diagnostics import Diagnostic, Severity

FORMATS = ("text", "json", "github", "sarif")
SCHEMA_PATH = Path(__file__).parent / "schemas" / "lint-report.schema.json"
SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
_COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}
_GITHUB_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
_SARIF_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def render(diagnostics: Iterable[Diagnostic], format: str, colour: bool = False) -> str:
    ordered = sorted(diagnostics, key=Diagnostic.sort_key)
    if format == "text":
        return render_text(ordered, colour)
    if format == "json":
        return orjson.dumps(to_json(ordered), option=orjson.OPT_INDENT_2).decode() + "\n"
    if format == "github":
        return "".join(github_line(d) + "\n" for d in ordered)
    if format == "sarif":
        return orjson.dumps(to_sarif(ordered), option=orjson.OPT_INDENT_2).decode() + "\n"
    raise ValueError(f"unknown format {format!r}; one of {', '.join(FORMATS)}")


def summary(diagnostics: Sequence[Diagnostic]) -> str:
    counts = Counter(d.severity for d in diagnostics)
    errors, warnings = counts[Severity.ERROR], counts[Severity.WARNING]
    return (
        f"{errors} error{'s' if errors != 1 else ''}, "
        f"{warnings} warning{'s' if warnings != 1 else ''}, {counts[Severity.INFO]} info"
    )


def render_text(diagnostics: Sequence[Diagnostic], colour: bool) -> str:
    lines = []
    for d in diagnostics:
        where = d.file + (f":{d.line}:{d.column or 1}" if d.line is not None else "")
        severity = str(d.severity)
        if colour:
            where = click.style(where, bold=True)
            severity = click.style(severity, fg=_COLOURS[d.severity], bold=True)
        pointer = f" at {d.pointer or '/'}" if d.file else ""
        lines.append(f"{where}: {severity} [{d.rule}]{pointer}: {d.message}")
    lines.append(summary(diagnostics))
    return "\n".join(lines) + "\n"


def to_json(diagnostics: Sequence[Diagnostic]) -> dict[str, Any]:
    counts = Counter(str(d.severity) for d in diagnostics)
    return {
        "version": 1,
        "tool": {"name": "apismith", "version": __version__},
        "diagnostics": [
            {
                "file": d.file,
                "line": d.line,
                "column": d.column,
                "pointer": d.pointer,
                "rule": d.rule,
                "severity": str(d.severity),
                "message": d.message,
            }
            for d in diagnostics
        ],
        "summary": {name: counts[name] for name in ("error", "warning", "info")},
    }


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_line(d: Diagnostic) -> str:
    properties = [f"file={_escape_property(d.file)}"]
    if d.line is not None:
        properties += [f"line={d.line}", f"col={d.column or 1}"]
    properties.append(f"title={_escape_property(d.rule)}")
    pointer = f" (at {d.pointer})" if d.pointer else ""
    return f"::{_GITHUB_LEVELS[d.severity]} {','.join(properties)}::{_escape_data(d.message + pointer)}"


def _artifact_uri(file: str) -> str:
    path = Path(file)
    if path.is_absolute():
        return path.as_uri()
    return quote(path.as_posix(), safe="/")


def to_sarif(diagnostics: Sequence[Diagnostic]) -> dict[str, Any]:
    rules = sorted({d.rule for d in diagnostics})
    index = {rule: position for position, rule in enumerate(rules)}
    results = []
    for d in diagnostics:
        location: dict[str, Any] = {
            "physicalLocation": {"artifactLocation": {"uri": _artifact_uri(d.file)}}
        }
        if d.line is not None:
            location["physicalLocation"]["region"] = {
                "startLine": d.line,
                "startColumn": d.column or 1,
            }
        if d.pointer:
            location["logicalLocations"] = [{"fullyQualifiedName": d.pointer, "kind": "member"}]
        results.append(
            {
                "ruleId": d.rule,
                "ruleIndex": index[d.rule],
                "level": _SARIF_LEVELS[d.severity],
                "message": {"text": d.message},
                "locations": [location] if d.file else [],
            }
        )
    return {
        "$schema": SARIF_SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "apismith",
                        "version": __version__,
                        "rules": [
                            {"id": rule, "shortDescription": {"text": rule}} for rule in rules
                        ],
                    }
                },
                "results": results,
            }
        ],
    }
