"""Hostile names: whatever a schema, property, operation, tag, parameter, server variable
or security scheme is called, the generator writes only inside the output folder, never
a reserved file name nor two paths that differ only by case, and every name becomes a
valid, unique Python identifier. The writer refuses unsafe paths on its own as well."""

from __future__ import annotations

import ast
import importlib
import inspect
import keyword
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pydantic
import pytest
from coverage_support import assert_compiles_and_passes_ruff, generate_checked, imported

from apismith.naming import is_device_name
from apismith.write import UnsafePathError, refuse_unsafe, unsafe_paths

HOSTILE = Path(__file__).parent / "specs" / "hostile"


@pytest.fixture(scope="module")
def names_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("names") / "out"
    generate_checked(HOSTILE / "names-paths.yaml", output)
    return output


@pytest.fixture
def names_package(names_output: Path) -> Iterator[ModuleType]:
    with imported(names_output, "hostile_names") as module:
        yield module


def test_every_path_is_inside_and_safe(names_output: Path) -> None:
    files = [p.relative_to(names_output).as_posix() for p in names_output.rglob("*")]
    assert unsafe_paths(files) == []
    assert len({f.casefold() for f in files}) == len(files)
    for relative in files:
        for part in relative.split("/"):
            assert not is_device_name(part), relative
    modules = [f for f in files if f.endswith(".py")]
    for module in modules:
        stem = module.rsplit("/", 1)[-1].removesuffix(".py")
        assert stem.isidentifier() and stem.isascii() and not keyword.iskeyword(stem), module
    assert {p.name for p in names_output.parent.iterdir()} == {"out"}


def test_generated_code_compiles_and_passes_ruff(names_output: Path) -> None:
    assert_compiles_and_passes_ruff(names_output)


def test_every_name_is_a_valid_unique_identifier(names_package: ModuleType) -> None:
    models = names_package.models
    for name in models.__all__:
        assert name.isidentifier() and not keyword.iskeyword(name)
        getattr(models, name)
    assert len(set(models.__all__)) == len(models.__all__)
    # Pet, pet and PET are three models; none lost to another
    assert {"Pet", "Pet_", "PET"} <= set(models.__all__)
    model = models.Model___ if hasattr(models, "Model___") else None
    assert model is not None
    client_class = next(
        getattr(names_package, n)
        for n in names_package.__all__
        if n.endswith("Client") and not n.startswith("Async")
    )
    parameters = list(inspect.signature(client_class.__init__).parameters)
    assert len(parameters) == len(set(parameters))
    assert all(p.isidentifier() and not keyword.iskeyword(p) for p in parameters)


def test_properties_keep_their_wire_names(names_package: ModuleType) -> None:
    models = names_package.models
    classes = [getattr(models, n) for n in models.__all__]
    [model] = {
        c
        for c in classes
        if isinstance(c, type)
        and issubclass(c, pydantic.BaseModel)
        and "../x" in {f.serialization_alias for f in c.model_fields.values()}
    }
    wire = {"../x": "a", "/etc/passwd": 1, "class": "b", "Class": "c", "": "d", "__init__": "e"}
    wire.update({"model_dump": "f", "self": "g"})
    parsed = model.model_validate(wire)
    assert parsed.model_dump(mode="json", by_alias=True, exclude_none=True) == wire
    for attribute in model.model_fields:
        assert attribute.isidentifier() and not keyword.iskeyword(attribute)


def test_resource_methods_and_parameters_are_identifiers(names_output: Path) -> None:
    resources = names_output / "src" / "hostile_names" / "resources"
    for path in resources.rglob("*.py"):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                names = [a.arg for a in node.args.args + node.args.kwonlyargs]
                assert len(names) == len(set(names)), (path, node.name)


def test_security_scheme_classes_are_unique(tmp_path: Path) -> None:
    output = tmp_path / "out"
    generate_checked(HOSTILE / "names-security-schemes.yaml", output)
    with imported(output, "hostile_schemes") as package:
        auth = importlib.import_module(f"{package.__name__}._auth")
        base = importlib.import_module(f"{package.__name__}._auth_base")
        assert len(set(auth.__all__)) == len(auth.__all__)
        schemes = [getattr(auth, n) for n in auth.__all__ if n != "Auth"]
        assert len(schemes) == 3
        assert all(s.__mro__[1].__name__ != s.__name__ for s in schemes)
        assert auth.Auth is base.Auth


# --- the writer's own check -------------------------------------------------------------


@pytest.mark.parametrize(
    ("relative", "reason"),
    [
        ("/etc/passwd", "is absolute"),
        ("//server/share/x.py", "is absolute"),
        ("../outside.py", "'..' part"),
        ("src/../../outside.py", "'..' part"),
        ("src/./x.py", "'.' or '..' part"),
        ("src//x.py", "has an empty"),
        ("C:/Windows/x.py", "is absolute"),
        ("C:x.py", "names a drive or stream"),
        ("\\\\server\\share\\x.py", "is absolute"),
        ("src\\..\\x.py", "contains a backslash"),
        ("src/con.py", "reserved device name"),
        ("src/NUL/x.py", "reserved device name"),
        ("src/aux", "reserved device name"),
        ("src/x.py:stream", "names a drive or stream"),
        ("src/x\0.py", "contains a backslash or NUL"),
        ("", "has an empty"),
    ],
)
def test_writer_refuses_unsafe_paths(relative: str, reason: str) -> None:
    [problem] = unsafe_paths([relative])
    assert problem.rule == "write/unsafe-path"
    assert reason in problem.message
    with pytest.raises(UnsafePathError) as refused:
        refuse_unsafe(["README.md", relative])
    assert refused.value.diagnostics == (problem,)


def test_writer_refuses_paths_that_differ_only_by_case() -> None:
    files = {"src/pkg/models/pet.py": "", "src/pkg/models/Pet.py": "", "README.md": ""}
    [problem] = unsafe_paths(files)
    assert "src/pkg/models/pet.py" in problem.message and problem.file == "src/pkg/models/Pet.py"
    with pytest.raises(UnsafePathError) as refused:
        refuse_unsafe(files)
    assert refused.value.diagnostics == (problem,)


def test_writer_accepts_ordinary_paths() -> None:
    assert (
        unsafe_paths(["README.md", "src/pkg/__init__.py", "docs/a/b.md", "src/pkg/con_.py"]) == []
    )


def test_an_unsafe_planned_path_stops_generation_before_any_folder_is_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from apismith import generate as generate_module
    from apismith import package
    from apismith.plan import PlannedFile

    real_plan = package.plan_package

    def plan_with_an_escape(*args: Any, **kwargs: Any) -> list[PlannedFile]:
        return [*real_plan(*args, **kwargs), PlannedFile("../escape.py", copy="runtime/_http.py")]

    monkeypatch.setattr(package, "plan_package", plan_with_an_escape)
    spec = Path(__file__).parent / "specs" / "generate" / "minimal.yaml"
    with pytest.raises(UnsafePathError):
        generate_module.generate(spec, tmp_path / "parent" / "out")
    assert not (tmp_path / "parent").exists()
