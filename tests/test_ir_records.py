"""IR nodes are records: compared and hashed by value, slotted, and frozen to the type
checker (at run time they skip the frozen dataclass's slow ``__init__``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from apismith import ir

GENERATOR = Path(__file__).resolve().parents[1] / "generator"


def test_records_compare_and_hash_by_value() -> None:
    field = ir.Field("id", ir.Primitive("integer"), True)
    same = ir.Field("id", ir.Primitive("integer"), True)
    assert field == same and hash(field) == hash(same)
    assert field != ir.Field("id", ir.Primitive("string"), True)
    assert len({field, same}) == 1
    assert not hasattr(field, "__dict__")


def test_the_type_checker_refuses_to_change_a_record(tmp_path: Path) -> None:
    source = tmp_path / "mutate.py"
    source.write_text(
        "from apismith import ir\n\nsource = ir.Source('spec.yaml', '/paths')\nsource.file = 'x'\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(source)],
        capture_output=True,
        text=True,
        env={"MYPYPATH": str(GENERATOR), "PATH": ""},
        cwd=tmp_path,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert 'Property "file" defined in "Source" is read-only' in result.stdout
