from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from apismith.diagnostics import Diagnostic
from apismith.load import (
    MAX_DEPTH,
    MAX_EXPANDED_NODES,
    TOO_DEEP,
    LoadError,
    depth_problem,
    load_document,
)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_yaml_scalars_follow_the_core_schema(tmp_path: Path) -> None:
    path = write(
        tmp_path, "a.yaml", "a: yes\nb: 2024-01-01\nc: true\nd: 0x1F\ne: .inf\nf: ~\ng: '1'\n"
    )
    data = load_document(path).document.data
    assert data == {
        "a": "yes",
        "b": "2024-01-01",
        "c": True,
        "d": 31,
        "e": float("inf"),
        "f": None,
        "g": "1",
    }


def test_yaml_positions_point_at_keys_and_items(tmp_path: Path) -> None:
    path = write(
        tmp_path, "a.yaml", "paths:\n  /x:\n    get:\n      tags:\n        - one\n        - two\n"
    )
    document = load_document(path).document
    assert document.source.locate("/paths/~1x/get") == (3, 5)
    assert document.source.locate("/paths/~1x/get/tags/1") == (6, 11)
    # a pointer that is not in the text falls back to its nearest ancestor
    assert document.source.locate("/paths/~1x/get/responses") == (3, 5)


def test_json_positions_are_found_lazily(tmp_path: Path) -> None:
    text = '{\n  "a": {"skip": [1, {"x": 2}], "b": [10,\n   {"c~/": "v"}]}\n}'
    path = write(tmp_path, "a.json", text)
    document = load_document(path).document
    assert document.data["a"]["b"][1] == {"c~/": "v"}
    found = document.source.locate_many(["/a/b/1/c~0~1", "/a/b/0", "/a/missing"])
    assert found == {"/a/b/1/c~0~1": (3, 5), "/a/b/0": (2, 38), "/a/missing": (2, 3)}


def test_duplicate_keys_are_reported_with_both_lines(tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", "a: 1\nb: 2\na: 3\n")
    loaded = load_document(path)
    assert loaded.document.data == {"a": 1, "b": 2}
    [problem] = loaded.diagnostics
    assert (problem.rule, problem.pointer, problem.line) == ("load/duplicate-key", "/a", 3)
    assert "line 1" in problem.message


def test_alias_bomb_is_refused_before_expansion(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 10):
        previous = f"*a{level - 1}"
        lines.append(f"a{level}: &a{level} [{', '.join([previous] * 10)}]")
    path = write(tmp_path, "bomb.yaml", "\n".join(lines) + "\n")
    with pytest.raises(LoadError) as raised:
        load_document(path)
    [problem] = raised.value.diagnostics
    assert problem.rule == "load/alias-expansion"
    assert str(MAX_EXPANDED_NODES) in problem.message


def test_python_tags_construct_nothing(tmp_path: Path) -> None:
    path = write(
        tmp_path, "a.yaml", "a: !!python/object/apply:os.system ['echo hi']\nb: !!python/none x\n"
    )
    loaded = load_document(path)
    assert loaded.document.data == {"a": ["echo hi"], "b": "x"}
    assert [(d.rule, d.pointer) for d in loaded.diagnostics] == [
        ("load/tag", "/a"),
        ("load/tag", "/b"),
    ]


def test_syntax_error_is_located(tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", "a: [1, 2\nb: 3\n")
    with pytest.raises(LoadError) as raised:
        load_document(path)
    [problem] = raised.value.diagnostics
    assert problem.rule == "load/syntax"
    assert problem.line is not None


def test_missing_file_is_unreadable(tmp_path: Path) -> None:
    with pytest.raises(LoadError) as raised:
        load_document(tmp_path / "nope.yaml")
    assert [d.rule for d in raised.value.diagnostics] == ["load/unreadable"]


def test_locate_fills_lines_for_its_own_file_only(tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", "a:\n  b: 1\n")
    document = load_document(path).document
    mine = Diagnostic("r", "m", document.file, "/a/b")
    other = Diagnostic("r", "m", "elsewhere.yaml", "/a/b")
    located = document.locate([mine, other])
    assert (located[0].line, located[0].column) == (2, 3)
    assert located[1].line is None


def test_json_with_a_byte_order_mark_loads_and_locates(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b'\xef\xbb\xbf{\n  "openapi": "3.1.0",\n  "info": {}\n}\n')
    document = load_document(path).document
    assert document.data == {"openapi": "3.1.0", "info": {}}
    assert document.source.locate("/info") == (3, 3)


def test_json_that_is_not_utf8_is_an_encoding_error(tmp_path: Path) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes('{"openapi": "3.1.0", "title": "caf\u00e9"}'.encode("latin-1"))
    with pytest.raises(LoadError) as raised:
        load_document(path)
    [problem] = raised.value.diagnostics
    assert problem.rule == "load/encoding"
    assert "not UTF-8" in problem.message


def _nested_lists(depth: int) -> str:
    """A JSON document whose innermost list sits ``depth`` levels below the outermost."""
    return '{"x-deep": ' + "[" * (depth + 1) + "]" * (depth + 1) + "}"


def test_json_exactly_as_deep_as_allowed_loads_and_one_level_more_does_not(
    tmp_path: Path,
) -> None:
    """Up to MAX_DEPTH, including the depths orjson refuses to write (the quick check
    then measures the document)."""
    for depth, too_deep in ((MAX_DEPTH - 2, False), (MAX_DEPTH - 1, False), (MAX_DEPTH, True)):
        spec = tmp_path / f"deep-{depth}.json"
        spec.write_text(_nested_lists(depth), "utf-8")
        document = load_document(spec, check_depth=False).document
        problem = depth_problem(document)
        assert (problem is not None) is too_deep, depth
        if problem is not None:
            assert problem.rule == TOO_DEEP


def test_orjson_refuses_to_write_what_is_too_deep() -> None:
    """The depth check takes a document orjson writes as shallow enough."""
    too_deep = orjson.loads(_nested_lists(MAX_DEPTH))
    with pytest.raises(orjson.JSONEncodeError):
        orjson.dumps(too_deep)
