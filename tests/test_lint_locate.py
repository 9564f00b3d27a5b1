"""Locating many diagnostics in a JSON spec at once gives the same lines and columns as
locating each on its own (lint locates thousands in one pass)."""

from __future__ import annotations

from pathlib import Path

import orjson

from apismith.load import load_document


def test_batch_positions_match_single_lookups(tmp_path: Path) -> None:
    data = {
        "paths": {
            f"/p{i}": {"get": {"responses": {"200": {"description": "x" * i}}, "tags": [i, i]}}
            for i in range(40)
        }
    }
    path = tmp_path / "api.json"
    path.write_bytes(orjson.dumps(data, option=orjson.OPT_INDENT_2))
    pointers = [f"/paths/~1p{i}/get/tags/1" for i in range(0, 40, 3)]
    pointers += [f"/paths/~1p{i}/get/responses/200/description" for i in range(39, 0, -5)]
    batch = load_document(path).document.source.locate_many(pointers)
    for pointer in pointers:
        single = load_document(path).document.source.locate(pointer)
        assert batch[pointer] == single
    text = path.read_text(encoding="utf-8").splitlines()
    line, column = batch["/paths/~1p39/get/responses/200/description"]
    assert text[line - 1][column - 1 :].startswith('"description": "xxx')
