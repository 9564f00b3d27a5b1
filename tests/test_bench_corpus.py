"""The corpus run's and the scale rows' pure parts: sampling, classifying, cutting a spec.

No network: the sample is made of hand-written entries, the specs of small dicts.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `bench` is a folder at the repository root, not installed
    sys.path.insert(0, str(ROOT))

from bench.corpus import (  # noqa: E402
    IMPORT_CHECK,
    Outcome,
    Spec,
    as_json,
    classify_generate,
    openapi_version,
    package_of,
    sample,
    table,
)
from bench.inputs import Input, cut_spec, github_cuts  # noqa: E402
from bench.suites import APISMITH, Context, scale_rows, tools_for  # noqa: E402


def test_sample_is_every_26th_3x_spec_of_at_most_3_mb_sorted_by_path() -> None:
    specs = [Spec(f"api/{i:03}.json", 10, "3.0.0") for i in range(60)]
    specs += [Spec("api/000a.json", 10, "2.0"), Spec("api/000b.json", 4 * 1024 * 1024, "3.1.0")]
    chosen = sample(reversed(specs))
    assert [s.path for s in chosen] == ["api/000.json", "api/026.json", "api/052.json"]


def test_the_openapi_key_decides_the_version() -> None:
    assert openapi_version(b'{"openapi": "3.0.3"}') == "3.0.3"
    assert openapi_version(b'{"swagger": "2.0"}') == ""
    assert openapi_version(b"openapi: 3.1.0\ninfo: {}\n") == "3.1.0"
    assert openapi_version(b"[1, 2]") == ""
    assert openapi_version(b"{: nope") == ""


def test_generator_runs_are_classified() -> None:
    trace = (
        "Traceback (most recent call last):\n"
        '  File "x.py", line 1, in <module>\n'
        "    boom()\n"
        "    ^^^^^^\n"
        "KeyError: 'type'\n"
    )
    assert classify_generate(1, trace, False) == ("traceback", "KeyError: 'type'")
    assert classify_generate(0, "warning\n" + trace, False)[0] == "traceback"
    located = "a.json:3:5: error [operation/missing-id] at /paths/~1a/get: no id"
    assert classify_generate(1, "a.json: 1 error(s)\n" + located, False) == (
        "diagnostic",
        located,
    )
    assert classify_generate(2, "cannot read a.json\n", False) == (
        "diagnostic",
        "cannot read a.json",
    )
    assert classify_generate(0, "a.json -> out (3 files)\n", False) == ("", "")
    assert classify_generate(-9, "", False) == ("crash", "exit -9: (no output)")
    assert classify_generate(None, "", True) == ("timeout", "")


def test_table_counts_classes_and_lists_every_spec() -> None:
    outcomes = [
        Outcome("a.json", "ok"),
        Outcome("b.json", "diagnostic", "b.json:1:2: error [x] at /: no"),
        Outcome("c.json", "ok"),
    ]
    text = table(outcomes)
    assert "| ok | 2 |" in text
    assert "| diagnostic | 1 |" in text
    assert "| total | 3 |" in text
    assert "| b.json | diagnostic | b.json:1:2: error [x] at /: no |" in text
    data = as_json(outcomes, {"package": "p"})
    assert data["counts"] == {
        "ok": 2,
        "diagnostic": 1,
        "traceback": 0,
        "crash": 0,
        "invalid-python": 0,
        "import-error": 0,
        "timeout": 0,
    }


def import_check(src: Path, package: str) -> dict[str, str]:
    import subprocess

    done = subprocess.run(
        [sys.executable, "-c", IMPORT_CHECK, str(src), package],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={"PYTHONPATH": str(src), "PYTHONDONTWRITEBYTECODE": "1"},
    )
    result: dict[str, str] = json.loads(done.stdout)
    return result


def test_the_import_check_compiles_and_imports_every_module(tmp_path: Path) -> None:
    package = tmp_path / "src" / "corpus_probe"
    (package / "models").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "models" / "__init__.py").write_text("")
    (package / "models" / "thing.py").write_text(
        "import pydantic\nclass Thing(pydantic.BaseModel):\n    x: int\n"
    )
    assert package_of(tmp_path) == "corpus_probe"
    assert import_check(tmp_path / "src", "corpus_probe") == {"class": "ok", "error": ""}
    (package / "models" / "other.py").write_text(
        "import pydantic\nclass Other(pydantic.BaseModel):\n    x: 'Missing'\n"
    )
    verdict = import_check(tmp_path / "src", "corpus_probe")
    assert verdict["class"] == "import-error"
    assert verdict["error"].startswith("corpus_probe.models.other:")
    (package / "models" / "bad.py").write_text("def f(:\n")
    verdict = import_check(tmp_path / "src", "corpus_probe")
    assert verdict["class"] == "invalid-python"
    assert verdict["error"].startswith("corpus_probe/models/bad.py:1:")


def test_a_cut_keeps_every_nth_path_and_only_the_components_it_reaches() -> None:
    def op(schema: str) -> dict[str, object]:
        ref = {"$ref": f"#/components/schemas/{schema}"}
        return {"get": {"responses": {"200": {"content": {"application/json": {"schema": ref}}}}}}

    document: dict[str, Any] = {
        "openapi": "3.0.3",
        "paths": {"/a": op("A"), "/b": op("B"), "/c": op("C"), "/d": op("B")},
        "x-webhooks": {"w1": op("W"), "w2": op("B")},
        "components": {
            "schemas": {
                "A": {"properties": {"n": {"$ref": "#/components/schemas/N"}}},
                "B": {},
                "C": {},
                "N": {},
                "W": {},
                "a/b": {},
            },
            "securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "k"}},
        },
    }
    half = cut_spec(document, 2)
    assert list(half["paths"]) == ["/a", "/c"]
    assert list(half["x-webhooks"]) == ["w1"]
    assert list(half["components"]["schemas"]) == ["A", "C", "N", "W"]
    assert half["components"]["securitySchemes"] == document["components"]["securitySchemes"]
    assert cut_spec(document, 1)["paths"] == document["paths"]


def test_scale_rows_cover_a_quarter_a_half_and_the_whole(tmp_path: Path) -> None:
    spec = tmp_path / "api.github.com.json"
    spec.write_text(json.dumps({"openapi": "3.0.3", "paths": {f"/{i}": {} for i in range(8)}}))
    cuts = github_cuts(Input(spec.name, spec))
    assert [c.name for c in cuts] == [
        "api.github.com.quarter.json",
        "api.github.com.half.json",
        "api.github.com.json",
    ]
    assert [len(json.loads(c.path.read_text())["paths"]) for c in cuts if c.path] == [2, 4, 8]
    ctx = Context(
        tools={APISMITH: Path("/bin/apismith")},
        github=Input(spec.name, spec),
        shipped=(),
        scratch=tmp_path / "scratch",
        redocly_config=tmp_path / "redocly.yaml",
        scale=tuple(cuts),
    )
    rows = scale_rows(ctx)
    assert [(r.suite, r.tool, r.input, r.argv[1]) for r in rows] == [
        ("scale", APISMITH, c.name, "generate") for c in cuts
    ]
    assert all(r.skip is None and r.out_dir is not None for r in rows)
    assert tools_for(["scale"]) == {APISMITH}
    missing = github_cuts(Input(spec.name, None, "npm not found"))
    assert [c.missing for c in missing] == ["npm not found"] * 3
