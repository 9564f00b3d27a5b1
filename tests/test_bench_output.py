"""The pure parts of the ``output`` suite: counting a spec and a generated package,
numbered names, and reading mypy, ruff and ``-X importtime`` output.

The package is a tiny hand-written tree in the generated layout; no generation, no network.
"""

from __future__ import annotations

import json
import sys
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `bench` is a folder at the repository root, not installed
    sys.path.insert(0, str(ROOT))

from bench import output  # noqa: E402

SPEC: dict[str, Any] = {
    "paths": {
        "/items": {
            "summary": "not an operation",
            "parameters": [],
            "get": {"operationId": "items/list"},
            "post": {"operationId": "items/create"},
            "x-internal": {"operationId": "not/counted"},
        },
        "/items/{id}": {
            m: {"operationId": f"items/{m}"}
            for m in ("put", "delete", "options", "head", "patch", "trace")
        },
        "/shared": {"$ref": "#/components/pathItems/shared"},
        "/anonymous": {"get": {"responses": {}}},
    },
    "components": {
        "pathItems": {"shared": {"get": {"operationId": "shared/get"}}},
        "schemas": {"item": {}, "item-list": {}, "2fa": {}, "foo-bar": {}, "foo_bar": {}},
        "examples": {"item": {"value": {"id": 7}}},
    },
}

RESOURCE = '''\
class Items:
    def __init__(self, transport):
        self._transport = transport

    def list(self):
        """List items.

        ``GET /items`` (operation ``items/list``).
        """

    def create(self):
        """``POST /items`` (operation ``items/create``)."""

    def _helper(self):
        """Private: not an operation."""


class AsyncItems:
    async def list(self):
        """``GET /items`` (operation ``items/list``)."""

    async def create(self):
        """``POST /items`` (operation ``items/create``)."""


def _list_operation():
    """A module-level helper: not counted."""
'''

NAMESPACE = '''\
class ItemsNamespace:
    def Items(self):
        """Not a resource method: namespaces live in __init__.py."""
'''

INDEX = """\
from .item import Item as Item
from .item import ItemDict as ItemDict
from .item_list import ItemList as ItemList
from .m2fa import M2fa as M2fa
from .foo_bar import FooBar as FooBar
__all__ = ["Item", "ItemDict"]
"""


def package_tree(root: Path) -> Path:
    package = root / "src" / "tiny"
    (package / "resources" / "items").mkdir(parents=True)
    (package / "models").mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "resources" / "items" / "__init__.py").write_text(NAMESPACE, encoding="utf-8")
    (package / "resources" / "items" / "items.py").write_text(RESOURCE, encoding="utf-8")
    (package / "models" / "__init__.pyi").write_text(INDEX, encoding="utf-8")
    return package


def test_spec_operations_count_every_method_and_follow_path_item_refs() -> None:
    found = output.spec_operations(SPEC)
    assert len(found) == 2 + 6 + 1 + 1
    assert {op.method for op in found} == set(output.HTTP_METHODS)
    assert output.SpecOperation("get", "/shared", "shared/get") in found
    assert output.SpecOperation("get", "/anonymous", None) in found
    assert "not/counted" not in {op.operation_id for op in found}


def test_schema_names_and_response_example() -> None:
    assert output.schema_names(SPEC) == ["2fa", "foo-bar", "foo_bar", "item", "item-list"]
    assert output.schema_names({}) == []
    document: dict[str, Any] = {
        "paths": {
            "/a": {
                "get": {
                    "operationId": "a/get",
                    "responses": {
                        "200": {
                            "content": {
                                "application/json": {
                                    "examples": {"x": {"$ref": "#/components/examples/item"}}
                                }
                            }
                        }
                    },
                },
                "put": {
                    "operationId": "a/put",
                    "responses": {"200": {"content": {"application/json": {"example": [1]}}}},
                },
            }
        },
        "components": SPEC["components"],
    }
    assert output.response_example(document, "a/get") == {"id": 7}
    assert output.response_example(document, "a/put") == [1]
    assert output.response_example(document, "no/such") == {}


def test_generated_operations_reads_resource_classes(tmp_path: Path) -> None:
    generated = output.generated_operations(package_tree(tmp_path))
    assert generated.sync == 2
    assert generated.asynchronous == 2
    assert generated.operation_ids == {"items/list", "items/create"}
    assert output.package_of(tmp_path) == "tiny"


def test_exported_names_and_missing_schemas(tmp_path: Path) -> None:
    exported = output.exported_names(package_tree(tmp_path) / "models" / "__init__.pyi")
    assert exported == ["FooBar", "Item", "ItemDict", "ItemList", "M2fa"]
    # foo-bar and foo_bar both want FooBar: only one has it
    assert output.missing_schemas(output.schema_names(SPEC), exported) == ["foo_bar"]
    assert output.missing_schemas(["item"], ["Other"]) == ["item"]


def test_completeness_counts_spec_against_package(tmp_path: Path) -> None:
    figures = output.completeness(SPEC, package_tree(tmp_path))
    ops = figures["operations"]
    assert (ops["spec"], ops["generated"], ops["generated_async"]) == (10, 2, 2)
    assert ops["spec_without_id"] == 1
    assert "items/put" in ops["ids_not_found"] and "items/list" not in ops["ids_not_found"]
    assert figures["schemas"]["present"] == 4 and figures["schemas"]["spec"] == 5


def test_numbered_names_by_kind() -> None:
    exported = [
        "Action",
        "Action1",
        "Action2",
        "PetVariant1",
        "PetVariant12",
        "GetResponse",
        "GetResponse404",
        "GetResponse999",
        "Release",
        "Release1",
        "Sha256",
        "Item",
    ]
    kinds = output.numbered_names(exported, ["release-1", "release", "sha256"])
    assert kinds == {
        "spec": ["Release1"],
        "variant": ["PetVariant1", "PetVariant12"],
        "status": ["GetResponse404"],
        "other": ["Action1", "Action2", "GetResponse999"],
    }


def test_parse_mypy() -> None:
    text = (
        "src/p/a.py:3: error: Missing return statement  [return]\n"
        "src/p/a.py:4:7: error: Name 'x' is not defined  [name-defined]\n"
        "src/p/a.py:4: note: see here\n"
        "src/p/b.py:9: error: Missing return statement  [return]\n"
        "Found 3 errors in 2 files (checked 40 source files)\n"
    )
    figures = output.parse_mypy(text)
    assert (figures["errors"], figures["files_with_errors"], figures["checked"]) == (3, 2, 40)
    assert figures["by_code"] == {"return": 2, "name-defined": 1}
    assert len(figures["first_errors"]) == 3
    clean = output.parse_mypy("Success: no issues found in 1569 source files\n")
    assert (clean["errors"], clean["checked"]) == (0, 1569)
    cut = output.parse_mypy("src/p/a.py:3: error: Bad\nsrc/p/c.py:1: error: Worse  [misc]\n")
    assert (cut["errors"], cut["files_with_errors"], cut["checked"]) == (2, 2, None)


def test_parse_ruff_outputs() -> None:
    findings = [{"code": "F401"}, {"code": "F401"}, {"code": "E501"}, {"code": None}]
    check = output.parse_ruff_check(json.dumps(findings))
    assert check == {"findings": 4, "by_rule": {"F401": 2, "E501": 1, "(syntax)": 1}}
    assert output.parse_ruff_check("")["findings"] == 0
    text = (
        "Would reformat: src/p/a.py\nWould reformat: src/p/b.py\n"
        "2 files would be reformatted, 7 files already formatted\n"
    )
    assert output.parse_ruff_format(text) == {
        "would_reformat": 2,
        "files": ["src/p/a.py", "src/p/b.py"],
        "checked": 9,
    }
    assert output.parse_ruff_format("12 files already formatted\n")["checked"] == 12


def test_import_profile_sums_top_level_imports() -> None:
    stderr = (
        "import time: self [us] | cumulative | imported package\n"
        "import time:       100 |        100 |     _io\n"
        "import time:      2000 |       5000 |   httpcore\n"
        "import time:      1000 |      30000 | httpx\n"
        "import time:       500 |       8000 | tiny.models.item\n"
    )
    profile = output.import_profile(stderr, count=1)
    assert profile["importtime_total_ms"] == 38.0
    assert profile["largest_imports"] == [{"module": "httpx", "cumulative_ms": 30.0}]


def test_verdicts_take_phase_medians() -> None:
    runs = [
        json.dumps({"outcome": "ok", "models": 3, "phases_ms": {"import": ms, "call": 2 * ms}})
        for ms in (10.0, 30.0, 20.0)
    ]
    assert output.verdicts(["noise\n" + run for run in runs]) == {
        "outcome": "ok",
        "models_loaded": 3,
        "phases_ms": {"import": 20.0, "call": 40.0},
    }
    assert output.verdicts(["not json"])["outcome"] is None


def test_json_server_answers_every_get() -> None:
    with (
        output.json_server(b'{"id": 1}') as url,
        urllib.request.urlopen(f"{url}/repos/a/b", timeout=5) as answer,
    ):
        assert answer.status == 200
        assert json.loads(answer.read()) == {"id": 1}


def test_markdown_shows_figures_and_misses(tmp_path: Path) -> None:
    data: dict[str, Any] = {
        "spec": "tiny.json",
        "package": "tiny",
        "generate": {"wall_s": 1.0, "written": "3 files, 10 lines of Python"},
        **output.completeness(SPEC, package_tree(tmp_path)),
        "compile": {"modules": 3, "failed": ["src/p/bad.py: invalid syntax (bad.py, line 1)"]},
        "ruff_check": {"findings": 1, "by_rule": {"F401": 1}},
        "ruff_format": {"error": "ruff is not installed beside this interpreter"},
        "mypy": {
            "exit_code": 1,
            "wall_s": 2.5,
            "timed_out": False,
            "timeout_s": 1200.0,
            "errors": 3,
            "files_with_errors": 2,
            "checked": 40,
            "by_code": {"return": 3},
            "first_errors": ["src/p/a.py:3: error: Missing return statement  [return]"],
        },
        "import_call": {"operation": "repos/get", "error": "exit 1"},
    }
    text = output.markdown(data)
    assert (
        "| operations | 2/10 operations (2 async twins); 7 operationIds not found | all |" in text
    )
    assert "4/5 schemas" in text
    assert "| compiles | 2/3 modules | all |" in text
    assert "- modules that do not compile: `src/p/bad.py: invalid syntax" in text
    assert "| `ruff check` | 1 findings | 0 |" in text
    assert "not measured: ruff is not installed" in text
    assert "exit 1, 3 errors in 2 files, 40 files checked; 2.5 s" in text
    assert "not measured: exit 1" in text
    assert "- schemas without a model: `foo_bar`" in text
    assert "`src/p/a.py:3: error: Missing return statement  [return]`" in text
    data["mypy"].update(exit_code=2, errors=0, last_line="mypy: error: bad option")
    assert "| `mypy --strict src` | failed (exit 2): mypy: error: bad option |" in output.markdown(
        data
    )


def test_markdown_puts_the_import_figure_beside_its_pydantic_floor(tmp_path: Path) -> None:
    call = {
        "operation": "repos/get",
        "target_ms": 150.0,
        "models_median_ms": 212.0,
        "models_runs_ms": [212.0, 210.0, 215.0],
        "models_modules_loaded": 9,
        "models_imported_httpx": False,
        "pydantic_floor_median_ms": 171.0,
        "median_ms": 476.0,
        "runs_ms": [476.0, 470.0, 480.0],
        "floor_median_ms": 16.0,
        "floor_runs_ms": [16.0, 16.0, 16.0],
        "outcome": "ok",
        "models_loaded": 9,
        "phases_ms": {"import": 15.0, "client": 268.0},
        "importtime_total_ms": 297.0,
        "largest_imports": [{"module": "httpx", "cumulative_ms": 130.0}],
    }
    data: dict[str, Any] = {
        "spec": "tiny.json",
        "package": "tiny",
        "generate": {"wall_s": 1.0, "written": "3 files, 10 lines of Python"},
        **output.completeness(SPEC, package_tree(tmp_path)),
        "compile": {"modules": 3, "failed": []},
        "ruff_check": {"findings": 0, "by_rule": {}},
        "ruff_format": {"would_reformat": 0, "checked": 3, "files": []},
        "mypy": {"error": "not run"},
        "import_call": call,
    }
    text = output.markdown(data)
    assert (
        "| import + `repos/get`'s models | 212 ms median of 3, 9 model modules (floor, "
        "`python` + `pydantic` + one model class: 171 ms) | 150 ms |" in text
    )
    assert "| first `repos/get` call, client built | 476 ms median of 3" in text
    call["models_imported_httpx"] = True
    assert "9 model modules; httpx imported (floor" in output.markdown(data)


def test_compile_figures_name_each_module_that_does_not_compile(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "good.py").write_text("x = 1\n", "utf-8")
    (tmp_path / "src" / "bad.py").write_text("def (:\n", "utf-8")
    figures = output.compile_figures(tmp_path, lambda message: None)
    assert figures["modules"] == 2
    [failure] = figures["failed"]
    assert failure.startswith("src/bad.py: ")
