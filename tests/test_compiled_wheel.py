"""The compiled wheel (``make wheel``) behaves as the pure-Python sources do.

mypyc compiles some modules to C (see the ``mypyc`` hook in pyproject.toml). Compiled
code checks declared types at run time and drops some dynamic behaviour, so a module
that type-checks can still act differently once compiled; the suite itself runs the
pure-Python sources. Here the wheel is built once, unpacked, and every test spec is
generated and linted by both, each in one process: outputs, outcomes and diagnostics
must be identical.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `bench` is a folder at the repository root, not installed
    sys.path.insert(0, str(ROOT))

from bench.compiled import build_wheel  # noqa: E402

SPECS = sorted(
    [
        *(ROOT / "spec").glob("*.yaml"),
        *(p for p in (ROOT / "tests" / "specs").rglob("*") if p.suffix in {".yaml", ".json"}),
    ]
)
SPECS = [p for p in SPECS if not p.name.endswith(".expected.json")]

GENERATE_EACH = """
import json, sys
from pathlib import Path
from apismith.generate import generate

out = Path(sys.argv[1])
for index, spec in enumerate(sys.argv[2:]):
    try:
        outcome = generate(Path(spec), out / str(index))
        found = [repr(d) for d in outcome.diagnostics]
    except Exception as error:
        found = [f"raised {type(error).__name__}: {error}"]
    print(json.dumps([spec, found]))
"""


def compiled_modules() -> list[str]:
    """The modules the mypyc hook compiles, as import names."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    include = config["tool"]["hatch"]["build"]["targets"]["wheel"]["hooks"]["mypyc"]["include"]
    return [
        path.removeprefix("generator/").removesuffix(".py").replace("/", ".") for path in include
    ]


def run(site: Path | None, *argv: str) -> subprocess.CompletedProcess[str]:
    """``python argv`` with the unpacked wheel first on the path (None: the sources)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    if site is not None:
        env["PYTHONPATH"] = str(site)
    return subprocess.run(
        [sys.executable, *argv], capture_output=True, text=True, timeout=300, env=env, cwd=ROOT
    )


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


@pytest.fixture(scope="module")
def compiled_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The compiled wheel, built from this checkout and unpacked."""
    scratch = tmp_path_factory.mktemp("wheel")
    wheel = build_wheel(scratch / "dist")
    site = scratch / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    return site


def test_no_compiled_module_shadows_the_sources() -> None:
    """An in-tree compiled build (``pip install .`` with the hook on, rather than ``make
    wheel``) leaves extension modules beside the sources, which Python imports before
    them: the suite would then test stale compiled code."""
    assert not sorted((ROOT / "generator").rglob("*.so"))


@pytest.mark.slow
def test_the_wheel_holds_every_listed_module_compiled(compiled_site: Path) -> None:
    modules = compiled_modules()
    done = run(
        compiled_site,
        "-c",
        "import importlib, sys\n"
        "for name in sys.argv[1:]: print(importlib.import_module(name).__file__)",
        *modules,
    )
    assert done.returncode == 0, done.stderr
    files = done.stdout.split()
    assert len(files) == len(modules) >= 10
    assert all(f.startswith(str(compiled_site)) and f.endswith(".so") for f in files), files
    # the templates ship inside the wheel
    assert (compiled_site / "apismith" / "templates" / "README.md").is_file()


@pytest.mark.slow
def test_the_wheel_generates_what_the_sources_generate(compiled_site: Path, tmp_path: Path) -> None:
    specs = [str(p) for p in SPECS]
    reports: dict[str, list[list[object]]] = {}
    for name, site in (("compiled", compiled_site), ("pure", None)):
        done = run(site, "-c", GENERATE_EACH, str(tmp_path / name), *specs)
        assert done.returncode == 0, done.stderr
        reports[name] = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(reports["pure"]) == len(specs) > 60
    assert reports["compiled"] == reports["pure"]
    generated = [i for i in range(len(specs)) if (tmp_path / "pure" / str(i)).is_dir()]
    assert len(generated) > 20  # most specs do generate: the trees below are compared
    for index in generated:
        assert tree(tmp_path / "compiled" / str(index)) == tree(tmp_path / "pure" / str(index)), (
            specs[index]
        )


@pytest.mark.slow
def test_the_wheel_lints_as_the_sources_lint(compiled_site: Path) -> None:
    argv = ["-m", "apismith", "lint", "--format", "json", *(str(p) for p in SPECS)]
    compiled, pure = run(compiled_site, *argv), run(None, *argv)
    assert pure.returncode == 2  # some lint specs are unreadable, many hold errors
    assert json.loads(pure.stdout)  # and they are reported
    assert (compiled.returncode, compiled.stdout, compiled.stderr) == (
        pure.returncode,
        pure.stdout,
        pure.stderr,
    )
