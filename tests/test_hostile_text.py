"""Hostile text (``tests/specs/hostile/text-hostile.yaml``) is inert data in the generated
package: every file compiles, ruff passes (lint and format), the package imports in a fresh interpreter
without running anything, and the strings come back exactly as the spec wrote them."""

from __future__ import annotations

import importlib
import inspect
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from coverage_support import assert_compiles_and_passes_ruff, generate_checked, imported

from apismith.load import load_document

SPEC = Path(__file__).parent / "specs" / "hostile" / "text-hostile.yaml"
MARKER = "apismith-hostile-marker"


@pytest.fixture(scope="module")
def spec_data() -> Any:
    return load_document(SPEC).document.data


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("text") / "out"
    generate_checked(SPEC, out)
    return out


@pytest.fixture
def package(output: Path) -> Iterator[ModuleType]:
    with imported(output, "hostile_text") as module:
        yield module


def test_every_file_compiles_and_passes_ruff(output: Path) -> None:
    assert_compiles_and_passes_ruff(output)


def test_importing_and_testing_the_package_runs_no_spec_code(output: Path) -> None:
    """A fresh interpreter imports every module and runs the package's own contract tests
    from a scratch folder: no marker file appears anywhere."""
    script = (
        "import importlib, pkgutil, hostile_text\n"
        "for m in pkgutil.walk_packages(hostile_text.__path__, 'hostile_text.'):\n"
        "    importlib.import_module(m.name)\n"
        "import hostile_text.models as ms\n"
        "[getattr(ms, n) for n in ms.__all__]\n"
    )
    scratch = output.parent / "scratch"
    scratch.mkdir(exist_ok=True)
    env = {"PYTHONPATH": str(output / "src"), "PATH": ""}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=scratch, capture_output=True, text=True, env=env
    )
    assert result.returncode == 0, result.stderr
    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist", "."],
        cwd=output / "tests",
        capture_output=True,
        text=True,
    )
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert not list(output.parent.rglob(MARKER))
    assert not Path(MARKER).exists()


def test_contract_cases_are_strict_ascii_json_holding_the_examples(output: Path) -> None:
    text = (output / "tests" / "hostile_text_contract_cases.json").read_text("utf-8")
    assert text.isascii()

    def refuse(constant: str) -> None:
        raise AssertionError(f"{constant} is not JSON")

    cases = json.loads(text, parse_constant=refuse)
    examples = [case["example"] for case in cases["responses"]]
    assert {"kind": '"""\'\\\n\0', "text": "{{ 7*7 }}"} in examples


def test_jinja_syntax_is_never_evaluated(output: Path) -> None:
    for path in output.rglob("*"):
        if path.is_file() and path.suffix in (".py", ".md", ".toml", ".json"):
            text = path.read_text("utf-8")
            assert "49" not in text.replace("1.0", ""), path  # {{ 7*7 }} never became 49
    assert "{{ 7*7 }}" in (output / "src" / "hostile_text" / "models" / "kind.py").read_text()


def test_enum_values_round_trip(package: ModuleType, spec_data: Any) -> None:
    kind = package.models.Kind
    assert [m.value for m in kind] == spec_data["components"]["schemas"]["Kind"]["enum"]
    for value in spec_data["components"]["schemas"]["Kind"]["enum"]:
        assert kind(value).value == value


def test_defaults_round_trip(package: ModuleType, spec_data: Any) -> None:
    properties = spec_data["components"]["schemas"]["Thing"]["properties"]
    fields = package.models.Thing.model_fields
    for name in ("text", "code", "number", "items"):
        assert fields[name].default == properties[name]["default"], name
    thing = package.models.Thing()
    assert thing.text == properties["text"]["default"]


def test_docstrings_keep_the_text(package: ModuleType, spec_data: Any) -> None:
    """Docstrings hold the spec text (stripped, as docstrings are) character for character."""
    schemas = spec_data["components"]["schemas"]
    assert package.models.Thing.__doc__ == schemas["Thing"]["description"].strip()
    assert package.models.Kind.__doc__ == schemas["Kind"]["description"].strip()
    assert package.__doc__ is not None
    info = spec_data["info"]
    assert inspect.cleandoc(package.__doc__).startswith(info["title"])
    assert info["description"].strip().split("\n")[-1].rstrip() in package.__doc__
    client = package.models.__doc__
    assert client is not None and client.startswith("Models of Hostile")


def test_server_and_version_round_trip(package: ModuleType, spec_data: Any) -> None:
    assert package.__version__ == spec_data["info"]["version"]
    client_module = importlib.import_module("hostile_text._client")
    server = spec_data["servers"][0]
    url = client_module.SERVER_URL
    assert url == server["url"]
    assert client_module.server_url() == server["url"].replace(
        "{v}", server["variables"]["v"]["default"]
    )


def test_pattern_is_enforced_as_written(package: ModuleType, spec_data: Any) -> None:
    """The query parameter's pattern reaches the runtime check unchanged: a value that
    matches it is accepted, another is refused with the hostile parameter name."""
    [parameter] = [
        p for p in spec_data["paths"]["/things/{id}"]["get"]["parameters"] if p["in"] == "query"
    ]
    pattern = parameter["schema"]["pattern"]
    good = parameter["schema"]["default"]
    assert re.search(pattern, good)
    request = importlib.import_module("hostile_text.resources.t.t")._get_thing_request
    kwargs = {k for k in inspect.signature(request).parameters if k != "id_"}
    [query] = kwargs
    prepared = request(id_="x", **{query: good})
    assert prepared.query == ((parameter["name"], good),)
    with pytest.raises(package.RequestValidationError) as raised:
        request(id_="x", **{query: "no"})
    assert raised.value.problems[0][0] == f"/query/{parameter['name']}"


def test_pyproject_is_valid_toml_with_the_text_inert(output: Path) -> None:
    import tomllib

    project = tomllib.loads((output / "pyproject.toml").read_text("utf-8"))["project"]
    assert project["name"] == "hostile-text"
    assert "evil" not in project and set(project) >= {"name", "version", "description"}


def test_docs_carry_no_control_characters_or_raw_html(output: Path) -> None:
    for path in [output / "README.md", *output.rglob("docs/**/*.md")]:
        text = path.read_text("utf-8")
        assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", text), path
        assert "<script" not in text and "<b>" not in text, path
