"""The pipeline end to end: determinism, check, atomic writes, template overrides."""

from __future__ import annotations

import ast
import gc
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jinja2
import pytest

from apismith.generate import build, check, generate
from apismith.pyrender import PythonApi
from apismith.render import Renderer
from apismith.write import MANIFEST

ROOT = Path(__file__).resolve().parents[1]
MINIMAL = ROOT / "tests" / "specs" / "generate" / "minimal.yaml"


def override(tmp_path: Path, relative: str, text: str) -> Path:
    """A user template folder under ``tmp_path`` holding one template at ``relative``."""
    templates = tmp_path / "templates"
    (templates / relative).parent.mkdir(parents=True, exist_ok=True)
    (templates / relative).write_text(text, "utf-8")
    return templates


def apismith(*args: str, cwd: Path = ROOT, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "apismith", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_shipped_packages_are_up_to_date() -> None:
    result = apismith("check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


def test_a_changed_spec_makes_check_fail_with_a_diff(tmp_path: Path) -> None:
    spec = tmp_path / "gotham-inbox.yaml"
    text = (ROOT / "spec" / "gotham-inbox.yaml").read_text("utf-8")
    spec.write_text(
        text.replace("Send messages in Global Inbox.", "Send messages, changed."), "utf-8"
    )
    outcome = check(spec, ROOT / "generated" / "gotham")
    assert "+        Send messages, changed." in outcome.diff
    assert "-        Send messages in Global Inbox." in outcome.diff


def test_output_is_identical_under_different_hash_seeds(tmp_path: Path) -> None:
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / seed / "pkg"
        result = apismith(
            "generate", "spec/shift-messages.yaml", "-o", str(out), PYTHONHASHSEED=seed
        )
        assert result.returncode == 0, result.stderr
        outputs.append(snapshot(out))
    assert outputs[0] == outputs[1]
    shipped = ROOT / "generated" / "shift_messages"
    assert outputs[0] == {name: (shipped / name).read_bytes() for name in outputs[0]}


def test_failed_generation_leaves_the_output_untouched(tmp_path: Path) -> None:
    out = tmp_path / "pkg"
    assert not generate(MINIMAL, out).failed
    (out / "NOTES.md").write_text("mine", "utf-8")
    before = snapshot(out)
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        MINIMAL.read_text("utf-8").replace(
            '$ref: "#/components/schemas/Pet"', '$ref: "#/components/schemas/Nope"'
        ),
        "utf-8",
    )
    outcome = generate(broken, out)
    assert outcome.failed
    [problem] = [d for d in outcome.diagnostics if d.rule == "ref/unresolved"]
    assert problem.line == 17 and problem.pointer.endswith("/schema/$ref")
    assert snapshot(out) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_cli_exit_codes_and_located_errors(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        MINIMAL.read_text("utf-8").replace("type: object\n", "type: objekt\n"), "utf-8"
    )
    result = apismith("generate", str(broken), "-o", str(tmp_path / "out"))
    assert result.returncode == 1
    assert "broken.yaml:" in result.stderr and "error" in result.stderr
    assert not (tmp_path / "out").exists()
    missing = apismith("generate", str(tmp_path / "missing.yaml"), "-o", str(tmp_path / "out"))
    assert missing.returncode == 2
    assert "load/unreadable" in missing.stderr


def test_regeneration_prunes_stale_files_and_keeps_hand_written_ones(tmp_path: Path) -> None:
    out = tmp_path / "pkg"
    generate(MINIMAL, out)
    owned = (out / MANIFEST).read_text("utf-8").splitlines()
    assert "src/minimal_pets/models/pet.py" in owned
    mine = {
        "tests/test_mine.py": "# hand-written\n",
        "NOTES.txt": "top level\n",
        "extra/deeper/data.json": "{}\n",
        "src/minimal_pets/models/animal.py": "# clashes with a file the next run writes\n",
    }
    for relative, text in mine.items():
        (out / relative).parent.mkdir(parents=True, exist_ok=True)
        (out / relative).write_text(text, "utf-8")
    for cache in ("src/minimal_pets/__pycache__/x.pyc", ".ruff_cache/0.1/y", "tests/.pytest_cache"):
        (out / cache).parent.mkdir(parents=True, exist_ok=True)
        (out / cache).write_text("cache\n", "utf-8")
    renamed = tmp_path / "renamed.yaml"
    renamed.write_text(MINIMAL.read_text("utf-8").replace("Pet", "Animal"), "utf-8")
    generate(renamed, out)
    assert not (out / "src/minimal_pets/models/pet.py").exists()
    assert "class Animal(" in (out / "src/minimal_pets/models/animal.py").read_text("utf-8")
    for relative in ("tests/test_mine.py", "NOTES.txt", "extra/deeper/data.json"):
        assert (out / relative).read_text("utf-8") == mine[relative]
    assert not (out / "src/minimal_pets/__pycache__").exists()
    assert not (out / ".ruff_cache").exists()
    assert not (out / "tests/.pytest_cache").exists()


def test_whole_file_override(tmp_path: Path) -> None:
    templates = override(tmp_path, "package/README.md.jinja", "# {{ settings.client }} by us\n")
    outcome = generate(MINIMAL, tmp_path / "out", templates)
    assert not outcome.failed
    assert (tmp_path / "out" / "README.md").read_text("utf-8") == "# PetsClient by us\n"


def test_block_override_extends_the_builtin_template(tmp_path: Path) -> None:
    templates = override(
        tmp_path,
        "package/_errors.py.jinja",
        '{% extends "builtin:package/_errors.py.jinja" %}\n'
        "{% block base %}\n"
        "class {{ settings.error }}(Exception):\n"
        '    """Our own base error."""\n\n'
        "    retryable = False\n"
        "{% endblock %}\n",
    )
    outcome = generate(MINIMAL, tmp_path / "out", templates)
    assert not outcome.failed, outcome.diagnostics
    errors = (tmp_path / "out" / "src/minimal_pets/_errors.py").read_text("utf-8")
    assert "retryable = False" in errors
    assert "class RequestValidationError(PetsError, ValueError):" in errors


def test_overrides_keep_every_form_of_call(tmp_path: Path) -> None:
    """Helpers, macros, ``caller``, blocks through ``self`` and methods of values: each
    kind of callable a template may call renders as Jinja defines it."""
    templates = override(
        tmp_path,
        "package/README.md.jinja",
        "{% macro shout(text) %}{{ text.upper() }}!{% endmacro %}\n"
        "{% macro framed() %}[{{ caller() }}]{% endmacro %}\n"
        "{% block title %}{{ shout(settings.client) }}{% endblock %} {{ self.title() }}\n"
        '{% call framed() %}{{ "+".join(["a", "b"]) }}{% endcall %}\n'
        '{% for n in range(3) %}{{ loop.cycle("odd", "even") }} {% endfor %}\n'
        '{{ first_line("one\\ntwo") }} {{ literal("x") }}\n'
        '{{ docstring("doc", indent="  ") }} {{ py.is_json(content_type="application/json") }}\n'
        "{% macro comment(text) %}<{{ text }}>{% endmacro %}{{ comment('shadowed') }}\n",
    )
    outcome = generate(MINIMAL, tmp_path / "out", templates)
    assert not outcome.failed, outcome.diagnostics
    assert (tmp_path / "out" / "README.md").read_text("utf-8") == (
        'PETSCLIENT! PETSCLIENT!\n[a+b]odd even odd one "x"\n"""doc""" True\n<shadowed>\n'
    )


def test_misspelled_override_is_warned_and_unused(tmp_path: Path) -> None:
    templates = override(tmp_path, "package/READNE.md.jinja", "nope\n")
    outcome = generate(MINIMAL, tmp_path / "out", templates)
    assert not outcome.failed
    [warning] = [d for d in outcome.diagnostics if d.rule == "templates/unknown-override"]
    assert "package/README.md.jinja" in warning.message
    assert "nope" not in (tmp_path / "out" / "README.md").read_text("utf-8")


def test_undefined_template_variable_is_located_and_writes_nothing(tmp_path: Path) -> None:
    templates = override(tmp_path, "package/README.md.jinja", "line one\n{{ no_such_thing }}\n")
    outcome = generate(MINIMAL, tmp_path / "out", templates)
    assert outcome.failed
    [problem] = [d for d in outcome.diagnostics if d.rule == "templates/error"]
    assert problem.file.endswith("README.md.jinja") and problem.line == 2
    assert "no_such_thing" in problem.message
    assert not (tmp_path / "out").exists()


def test_generated_package_builds_as_a_standalone_project(tmp_path: Path) -> None:
    out = tmp_path / "pkg"
    shutil.copytree(ROOT / "generated" / "private_messages", out)
    metadata = (out / "pyproject.toml").read_text("utf-8")
    assert 'name = "private-messages"' in metadata
    assert "apismith" not in metadata.split("[project]")[1].split("[")[0].replace(
        "apismith from", ""
    )
    assert (out / "src" / "private_messages" / "py.typed").exists()


@pytest.mark.parametrize("package", ["gotham", "private_messages", "shift_messages"])
def test_runtime_dependencies_are_httpx_and_pydantic_only(package: str) -> None:
    source = ROOT / "generated" / package / "src" / package
    imported = set()
    for path in source.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                imported.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    third_party = imported - set(sys.stdlib_module_names) - {"__future__"}
    assert third_party == {"httpx", "pydantic", "pydantic_core", "typing_extensions"}


class _CollectorWatch:
    """A progress sink that notes whether the garbage collector runs in each phase."""

    def __init__(self) -> None:
        self.enabled: list[bool] = []

    def phase(self, name: str) -> None:
        self.enabled.append(gc.isenabled())


def test_the_collector_is_paused_while_generating_and_restored(tmp_path: Path) -> None:
    watch = _CollectorWatch()
    assert gc.isenabled()
    generate(MINIMAL, tmp_path / "out", progress=watch)
    assert watch.enabled and not any(watch.enabled)
    assert gc.isenabled()
    broken = tmp_path / "broken.yaml"
    broken.write_text("openapi: 3.1.0\npaths: {}\n", "utf-8")
    assert generate(broken, tmp_path / "never").failed
    assert gc.isenabled()


def test_helper_calls_compile_to_plain_calls() -> None:
    """A call of a ``py`` method or a global helper skips Jinja's ``context.call``; a
    macro's call keeps it."""
    compile_source = Renderer().environment.compile
    helpers = compile_source(
        "{% for t in types %}{{ py.cls(t) }}{{ literal(t) }}{% endfor %}", raw=True
    )
    assert "context.call(" not in helpers
    macro = compile_source("{% macro m() %}x{% endmacro %}{{ m() }}", raw=True)
    assert "context.call(" in macro


def test_every_template_global_is_documented() -> None:
    """What a template can call or read beside its context is listed in
    templates/README.md, where template authors look."""
    documented = (ROOT / "templates" / "README.md").read_text("utf-8")
    jinja_own = set(jinja2.Environment().globals)
    ours = set(Renderer().environment.globals) - jinja_own
    assert ours and not [name for name in ours if f"`{name}" not in documented]


def test_every_py_member_is_documented() -> None:
    """Templates reach the instance: its attributes count as much as its methods (a
    compiled ``PythonApi`` lists both on the class)."""
    documented = (ROOT / "templates" / "README.md").read_text("utf-8")
    api, _, _, _ = build(MINIMAL)
    assert api is not None
    members = [name for name in dir(PythonApi(api)) if not name.startswith("_")]
    assert members and not [name for name in members if f"py.{name}" not in documented]


def test_generation_loads_neither_the_example_checks_nor_their_validator() -> None:
    """Imports are a serial part of every run: generation runs the reference and operation
    checks only, and the contract cases load ``jsonschema_rs`` when they are worked out."""
    probe = (
        "import sys, apismith.generate, apismith.cli.generate_command\n"
        "print(sorted(m for m in ('jsonschema_rs', 'apismith.lint.examples', "
        "'apismith.validate', 'apismith.lint.linter') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_a_template_that_writes_invalid_python_is_located_and_writes_nothing(
    tmp_path: Path,
) -> None:
    templates = override(tmp_path, "package/_errors.py.jinja", "def broken(:\n    pass\n")
    outcome = generate(MINIMAL, tmp_path / "out", templates)
    assert outcome.failed
    [problem] = [d for d in outcome.diagnostics if d.rule == "templates/invalid-python"]
    assert problem.file.endswith("/_errors.py") and problem.line == 1
    assert not (tmp_path / "out").exists()
    assert not list(tmp_path.glob(".apismith-staging-*"))
