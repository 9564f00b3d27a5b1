"""Real-world shapes that ``make corpus`` found failing, each reduced to a small spec.

Every spec under ``tests/specs/corpus/`` either generates code that compiles and imports
(every module, every model built) or stops with located diagnostics; never a traceback.
"""

from __future__ import annotations

import importlib
import os
import subprocess
from pathlib import Path

import pydantic
import pytest
from coverage_support import imported, package_name

from apismith.diagnostics import Diagnostic, Severity
from apismith.generate import generate
from apismith.lint.linter import lint_spec
from apismith.write import ruff_binary

CORPUS = Path(__file__).parent / "specs" / "corpus"


def import_everything(output: Path, package: str) -> list[str]:
    """Import every module of the generated package and build every model in it."""
    names: list[str] = []
    with imported(output, package):
        for path in sorted((output / "src" / package).rglob("*.py")):
            parts = path.relative_to(output / "src").with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            module = importlib.import_module(name)
            for value in list(vars(module).values()):
                if (
                    isinstance(value, type)
                    and issubclass(value, pydantic.BaseModel)
                    and value.__module__ == name
                ):
                    value.model_rebuild(force=True)
            names.append(name)
    return names


def generates_importable_code(spec: Path, tmp_path: Path, package: str) -> list[str]:
    return generates_with_warnings(spec, tmp_path, package)[0]


def generates_with_warnings(
    spec: Path, tmp_path: Path, package: str
) -> tuple[list[str], list[Diagnostic]]:
    """Generation succeeds and every module imports; returns the modules and the warnings."""
    output = tmp_path / "out"
    outcome = generate(spec, output)
    errors = [d for d in outcome.diagnostics if d.severity >= Severity.ERROR]
    assert not outcome.failed, f"{spec.name} did not generate: {errors}"
    warnings = [d for d in outcome.diagnostics if d.severity is Severity.WARNING]
    return import_everything(output, package), warnings


def stops_with_located_errors(spec: Path, tmp_path: Path, rule: str) -> list[str]:
    """Generation fails with ``rule`` errors, each with a line; nothing is written.
    Returns the errors' pointers."""
    output = tmp_path / "out"
    outcome = generate(spec, output)
    assert outcome.failed
    errors = [d for d in outcome.diagnostics if d.severity >= Severity.ERROR]
    assert errors and {d.rule for d in errors} == {rule}, errors
    assert all(d.line is not None and d.file.endswith(spec.name) for d in errors)
    assert not output.exists()
    return [d.pointer for d in errors]


# Output that imports but that ruff faults: one spec per kind of finding.
RUFF_SHAPES = {
    "ruff-read-only-member": "",
    "ruff-empty-title": "",
    "ruff-no-paths": "",
    "ruff-digit-names": "",
}


def test_every_corpus_spec_has_a_test() -> None:
    tested = {
        "missing-operation-id",
        "pattern-unicode-property",
        "default-mismatch",
        "pattern-not-string",
        "duplicate-enum",
        "query-in-path",
        "all-of-description",
        *RUFF_SHAPES,
    }
    tested.add("escaped-surrogate")
    assert {spec.stem for spec in CORPUS.iterdir() if spec.suffix in (".yaml", ".json")} == tested


def test_operations_without_an_id_are_named_after_method_and_path(tmp_path: Path) -> None:
    spec = CORPUS / "missing-operation-id.yaml"
    outcome = generate(spec, tmp_path / "out")
    warned = [d for d in outcome.diagnostics if d.rule == "operation/missing-id"]
    assert [(d.severity, d.pointer) for d in warned] == [
        (Severity.WARNING, "/paths/~1items/get"),
        (Severity.WARNING, "/paths/~1items~1{id}.json/delete"),
    ]
    assert "corpus_missing_operation_id.resources.default.default" in import_everything(
        tmp_path / "out", "corpus_missing_operation_id"
    )
    with imported(tmp_path / "out", "corpus_missing_operation_id") as package:
        module = importlib.import_module(f"{package.__name__}.resources.default.default")
        methods = {name for name in vars(module.Default) if not name.startswith("_")}
    # GET /items would be get_items, which POST's explicit operationId already is
    assert methods == {"get_items", "get_items_", "delete_items_id_json"}


def test_a_described_ref_in_all_of_is_the_referenced_type(tmp_path: Path) -> None:
    spec = CORPUS / "all-of-description.yaml"
    generates_importable_code(spec, tmp_path, "corpus_all_of_description")
    with imported(tmp_path / "out", "corpus_all_of_description") as package:
        models = package.models
        assert sorted(models.__all__) == ["DataPoint", "Double", "Latest", "Owner", "Timestamp"]
        point = models.DataPoint.model_validate(
            {"Timestamp": "2024-05-01T12:00:00Z", "Value": 1.5, "Owner": {"name": "ada"}}
        )
        assert point.timestamp.year == 2024
        assert point.value == 1.5
        assert isinstance(point.owner, models.Owner)
        assert models.Latest is models.Timestamp


def test_a_unicode_property_escape_in_a_pattern_generates(tmp_path: Path) -> None:
    # lint keeps the error (Python's re cannot read \p{L}); generation only warns, and
    # the generated request check leaves such a pattern to the server
    spec = CORPUS / "pattern-unicode-property.yaml"
    assert any(d.rule == "structure/schema" for d in lint_spec(spec).diagnostics)
    _, warned = generates_with_warnings(spec, tmp_path, package_name(spec))
    assert any("is not a 'regex'" in d.message for d in warned)


def test_an_escaped_surrogate_pair_in_json_generates(tmp_path: Path) -> None:
    spec = CORPUS / "escaped-surrogate.json"
    generates_importable_code(spec, tmp_path, "corpus_escaped_surrogate")


def test_a_default_its_schema_rejects_warns_and_generates(tmp_path: Path) -> None:
    spec = CORPUS / "default-mismatch.yaml"
    assert any(d.severity is Severity.ERROR for d in lint_spec(spec).diagnostics)
    _, warned = generates_with_warnings(spec, tmp_path, package_name(spec))
    assert [d.rule for d in warned if "is not a 'date'" in d.message] == ["structure/default"]


def test_a_default_its_schema_rejects_is_located_at_the_default(tmp_path: Path) -> None:
    spec = CORPUS / "default-mismatch.yaml"
    found = [
        (d.rule, d.pointer, d.line)
        for d in lint_spec(spec).diagnostics
        if d.rule.startswith("structure/")
    ]
    assert found == [
        ("structure/default", "/paths/~1documents/get/parameters/0/schema/default", 13)
    ]


def test_a_pattern_that_is_not_a_string_stops_generation(tmp_path: Path) -> None:
    pointers = stops_with_located_errors(
        CORPUS / "pattern-not-string.yaml", tmp_path, "structure/schema"
    )
    assert "/components/schemas/Pick/properties/timecode/pattern" in pointers


def test_an_enum_with_a_repeated_value_warns_and_has_each_value_once(tmp_path: Path) -> None:
    spec = CORPUS / "duplicate-enum.yaml"
    _, warned = generates_with_warnings(spec, tmp_path, package_name(spec))
    assert [d.pointer for d in warned if d.rule == "structure/schema"] == [
        "/components/schemas/Job/properties/stateCode/enum"
    ]
    with imported(tmp_path / "out", package_name(spec)) as package:
        members = [m.value for m in package.models.JobStateCode]
    assert members == ["AB", "AC"]


def test_a_query_string_in_a_path_key_stops_generation(tmp_path: Path) -> None:
    pointers = stops_with_located_errors(
        CORPUS / "query-in-path.yaml", tmp_path, "operation/undeclared-path-parameter"
    )
    assert pointers == ["/paths/~1api~1search?term={term}/get"]


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=reason) if reason else ())
        for name, reason in RUFF_SHAPES.items()
    ],
)
def test_output_passes_ruff(name: str, tmp_path: Path) -> None:
    output = tmp_path / "out"
    outcome = generate(CORPUS / f"{name}.yaml", output)
    assert not outcome.failed, outcome.diagnostics
    (package,) = [p.parent.name for p in (output / "src").glob("*/__init__.py")]
    import_everything(output, package)
    env = {**os.environ, "RUFF_NO_CACHE": "true"}
    for command in (["check"], ["format", "--check"]):
        done = subprocess.run(
            [ruff_binary(), *command, "--no-cache", "."],
            cwd=output,
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr
