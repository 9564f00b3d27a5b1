"""Hostile and broken specs (``tests/specs/hostile/``, one per attack): every failure is a
located diagnostic with the documented exit code, never a traceback, and nothing is ever
written outside the output folder.

Each ``<attack>.yaml`` (or ``.json``) has an ``<attack>.expected.json`` beside it: per
command (``lint``, ``generate``), the exit code and the exact set of error diagnostics
(rule, pointer, line). Set ``APISMITH_UPDATE_GOLDEN=1`` to rewrite them after a deliberate
change, then review the diff.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from apismith.cli import main
from apismith.diagnostics import Diagnostic, Severity
from apismith.generate import generate
from apismith.lint.linter import lint_spec
from apismith.load import LoadError, depth_problem, load_document

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = ROOT / "tests" / "specs" / "hostile"
SPECS = sorted(
    p
    for p in HOSTILE.iterdir()
    if p.suffix in (".yaml", ".json") and not p.name.endswith(".expected.json")
)
UNLOCATED_RULES = {"load/encoding", "load/unreadable", "load/too-large"}
"""Rules about the file as a whole, which have no line to point at."""


def expected_path(spec: Path) -> Path:
    return spec.with_suffix(".expected.json")


def errors_of(diagnostics: Any) -> list[dict[str, Any]]:
    found = {(d.rule, d.pointer, d.line) for d in diagnostics if d.severity >= Severity.ERROR}
    return [{"rule": r, "pointer": p, "line": n} for r, p, n in sorted(found, key=str)]


def cli(*args: str) -> Any:
    """The command in process; an exception that is not an exit would be a traceback."""
    result = CliRunner().invoke(main, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"apismith {' '.join(args)} raised {result.exception!r}")
    return result


def observed(spec: Path, output: Path) -> dict[str, Any]:
    linted = lint_spec(spec)
    generated = generate(spec, output)
    return {
        "lint": {"exit": cli("lint", str(spec)).exit_code, "errors": errors_of(linted.diagnostics)},
        "generate": {
            "exit": cli("generate", str(spec), "-o", str(output)).exit_code,
            "errors": errors_of(generated.diagnostics),
        },
    }


def test_every_spec_has_its_expectation() -> None:
    assert len(SPECS) >= 20
    for spec in SPECS:
        assert expected_path(spec).is_file(), f"{spec.name} has no .expected.json"
    stems = {s.name.removesuffix(s.suffix) for s in SPECS}
    orphans = {p.name for p in HOSTILE.glob("*.expected.json")} - {
        f"{s}.expected.json" for s in stems
    }
    assert not orphans


@pytest.mark.parametrize("spec", SPECS, ids=[s.name for s in SPECS])
def test_hostile_spec_gives_its_expected_diagnostics(spec: Path, tmp_path: Path) -> None:
    found = observed(spec, tmp_path / "out")
    golden = expected_path(spec)
    if os.environ.get("APISMITH_UPDATE_GOLDEN"):
        golden.write_text(json.dumps(found, indent=2, ensure_ascii=False) + "\n", "utf-8")
    assert found == json.loads(golden.read_text("utf-8"))


@pytest.mark.parametrize("spec", SPECS, ids=[s.name for s in SPECS])
def test_every_error_is_located(spec: Path, tmp_path: Path) -> None:
    diagnostics: list[Diagnostic] = [*lint_spec(spec).diagnostics]
    diagnostics.extend(generate(spec, tmp_path / "out").diagnostics)
    for diagnostic in diagnostics:
        assert diagnostic.file, diagnostic
        if diagnostic.rule not in UNLOCATED_RULES:
            assert diagnostic.line is not None, str(diagnostic)
        assert len(diagnostic.message) < 1000, "a message should not echo a whole document"


def test_exit_codes_follow_the_convention() -> None:
    """2 for input that cannot be read, 1 for problems found, 0 for clean."""
    for spec in SPECS:
        expected = json.loads(expected_path(spec).read_text("utf-8"))
        for command in ("lint", "generate"):
            outcome = expected[command]
            rules = {e["rule"] for e in outcome["errors"]}
            if rules and all(r.startswith("load/") and r != "load/tag" for r in rules):
                readable = rules <= {"load/duplicate-key", "load/merge-key"}
                assert outcome["exit"] == (1 if readable else 2), (spec.name, command)
            else:
                assert outcome["exit"] == (1 if rules else 0), (spec.name, command)


def test_nothing_is_written_outside_the_output_folder(tmp_path: Path) -> None:
    """Every hostile spec generated into its own ``<name>/out``: the only files anywhere
    under the temporary folder are inside those output folders, none differ only by
    case, and the spec folder gained nothing."""
    before = sorted(p.name for p in HOSTILE.iterdir())
    outputs = []
    for spec in SPECS:
        output = tmp_path / spec.stem / "out"
        generate(spec, output)
        outputs.append(output)
    files = [p for p in tmp_path.rglob("*") if p.is_file() or p.is_symlink()]
    assert files, "no spec generated anything"
    for path in files:
        assert any(path.is_relative_to(o) for o in outputs), path
    relative = [p.relative_to(tmp_path).as_posix() for p in files]
    assert len({r.casefold() for r in relative}) == len(relative)
    assert not [p for p in tmp_path.rglob("*") if p.is_dir() and p.name.startswith(".apismith")]
    assert sorted(p.name for p in HOSTILE.iterdir()) == before


def test_cli_never_prints_a_traceback(tmp_path: Path) -> None:
    """The real command line, in subprocesses run side by side: every hostile spec through
    ``lint`` and ``generate``."""
    commands = [[sys.executable, "-m", "apismith", "lint", *map(str, SPECS)]]
    commands.extend(
        [sys.executable, "-m", "apismith", "generate", str(spec), "-o", str(tmp_path / spec.stem)]
        for spec in SPECS
    )
    running = [
        subprocess.Popen(c, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for c in commands
    ]
    for command, process in zip(commands, running, strict=True):
        stdout, stderr = process.communicate(timeout=120)
        text = (stdout + stderr).decode("utf-8", "replace")
        assert "Traceback" not in text, (command, text)
        assert process.returncode in (0, 1, 2), (command, text)
    assert not list(tmp_path.glob("apismith-hostile-marker"))


# --- loading, beyond the spec files -------------------------------------------------


def test_billion_laughs_is_refused_quickly_in_bounded_memory() -> None:
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(LoadError) as raised:
            load_document(HOSTILE / "yaml-billion-laughs.yaml")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - started < 2
    assert peak < 20 * 1024 * 1024
    [problem] = raised.value.diagnostics
    assert problem.rule == "load/alias-expansion" and problem.line is not None


def test_python_tags_run_nothing(tmp_path: Path) -> None:
    spec = tmp_path / "api.yaml"
    spec.write_text((HOSTILE / "yaml-python-tag.yaml").read_text("utf-8"), "utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "apismith", "lint", str(spec)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "load/tag" in result.stdout
    assert not (tmp_path / "apismith-hostile-marker").exists()


def test_document_size_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import apismith.load

    monkeypatch.setattr(apismith.load, "MAX_DOCUMENT_BYTES", 1000)
    spec = tmp_path / "big.yaml"
    spec.write_text("openapi: 3.1.0\nx-padding: '" + "x" * 2000 + "'\n", "utf-8")
    with pytest.raises(LoadError) as raised:
        load_document(spec)
    [problem] = raised.value.diagnostics
    assert problem.rule == "load/too-large" and "1000" in problem.message


def test_json_is_bounded_as_deep_as_yaml(tmp_path: Path) -> None:
    """orjson reads up to 1024 levels; the loader refuses what YAML would refuse, at the
    place where the nesting gets too deep."""
    spec = HOSTILE / "json-deep-nesting.json"
    with pytest.raises(LoadError) as raised:
        load_document(spec)
    [problem] = raised.value.diagnostics
    assert problem.rule == "load/too-deep"
    assert problem.line == 2 and problem.column is not None and problem.column > 256


def test_the_depth_check_can_be_left_to_the_caller() -> None:
    """``generate`` reads without the depth check and runs it beside the build: it finds
    the same problem at the same place."""
    spec = HOSTILE / "json-deep-nesting.json"
    with pytest.raises(LoadError) as raised:
        load_document(spec)
    document = load_document(spec, check_depth=False).document
    assert depth_problem(document) == raised.value.diagnostics[0]
    assert depth_problem(load_document(ROOT / "spec" / "gotham-inbox.yaml").document) is None


def test_symlink_out_of_the_spec_folder_is_refused_by_lint_and_generate(tmp_path: Path) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("Secret: {type: string, description: do not read}\n", "utf-8")
    folder = tmp_path / "spec"
    folder.mkdir()
    (folder / "common.yaml").symlink_to(secret)
    spec = folder / "api.yaml"
    spec.write_text(
        "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n"
        "      operationId: getA\n      responses:\n        '200':\n          description: ok\n"
        "          content:\n            application/json:\n"
        "              schema: {$ref: 'common.yaml#/Secret'}\n",
        "utf-8",
    )
    for diagnostics in (lint_spec(spec).diagnostics, generate(spec, tmp_path / "out").diagnostics):
        [problem] = [d for d in diagnostics if d.severity >= Severity.ERROR]
        assert (problem.rule, problem.line) == ("ref/outside", 12)
    assert not (tmp_path / "out").exists()


def test_remote_refs_are_never_fetched_even_when_allowed(tmp_path: Path) -> None:
    spec = HOSTILE / "ref-remote.yaml"
    allowed = lint_spec(spec, allow_remote_refs=True).diagnostics
    assert {d.rule for d in allowed if d.severity >= Severity.ERROR} == set()
    assert {d.rule for d in allowed if d.severity == Severity.INFO} >= {"ref/remote"}
    result = cli("generate", str(spec), "-o", str(tmp_path / "out"), "--allow-remote-refs")
    assert result.exit_code == 1
    assert "cannot be fetched" in result.output
    assert not (tmp_path / "out").exists()
