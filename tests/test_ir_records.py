"""IR nodes are records: compared and hashed by value, slotted, and frozen to the type
checker (at run time they skip the frozen dataclass's slow ``__init__``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from apismith import ir
from apismith.generate import build

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


def test_fields_of_one_type_share_its_object(tmp_path: Path) -> None:
    """The render remembers each type object's spelling: equal types built as one object
    are spelled once, not once per field."""
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        """openapi: 3.1.0
info: {title: T, version: '1'}
paths: {}
components:
  schemas:
    Pet: {type: object, properties: {name: {type: string}}}
    A:
      type: object
      properties:
        name: {type: string}
        when: {type: string, format: date-time}
        pet: {$ref: '#/components/schemas/Pet'}
        pets: {type: array, items: {$ref: '#/components/schemas/Pet'}}
        maybe: {anyOf: [{$ref: '#/components/schemas/Pet'}, {type: 'null'}]}
    B:
      type: object
      properties:
        title: {type: string}
        at: {type: string, format: date-time}
        pet: {$ref: '#/components/schemas/Pet'}
        pets: {type: array, items: {$ref: '#/components/schemas/Pet'}}
        maybe: {anyOf: [{$ref: '#/components/schemas/Pet'}, {type: 'null'}]}
""",
        "utf-8",
    )
    api, _, diagnostics, _ = build(spec)
    assert api is not None, diagnostics
    a, b, pet = api.types["A"], api.types["B"], api.types["Pet"]
    assert isinstance(a, ir.Model) and isinstance(b, ir.Model) and isinstance(pet, ir.Model)
    for field_a, field_b in zip(a.fields, b.fields, strict=True):
        assert field_a.type == field_b.type
        assert field_a.type is field_b.type, field_a.name
    assert a.fields[0].type is pet.fields[0].type
    assert a.fields[1].type is not a.fields[0].type


def test_operations_share_the_parameters_and_responses_they_refer_to(tmp_path: Path) -> None:
    """A component most operations refer to is built once, named by the first of them."""
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        """openapi: 3.1.0
info: {title: T, version: '1'}
paths:
  /a:
    get:
      operationId: getA
      parameters: [{$ref: '#/components/parameters/Mode'}]
      responses:
        "404": {$ref: '#/components/responses/Missing'}
  /b:
    get:
      operationId: getB
      parameters: [{$ref: '#/components/parameters/Mode'}]
      responses:
        "404": {$ref: '#/components/responses/Missing'}
        "410": {$ref: '#/components/responses/Missing'}
components:
  parameters:
    Mode: {name: mode, in: query, schema: {type: string, enum: [fast, slow]}}
  responses:
    Missing:
      description: gone
      content:
        application/json:
          schema: {type: object, properties: {why: {type: string}}}
""",
        "utf-8",
    )
    api, _, diagnostics, _ = build(spec)
    assert api is not None, diagnostics
    a, b = sorted(api.operations, key=lambda o: o.id)
    assert a.parameters[0] is b.parameters[0]
    assert a.parameters[0].type == ir.NamedType("GetAMode")
    assert a.responses[0] is b.responses[0]
    assert [r.status for r in b.responses] == ["404", "410"]
    assert b.responses[0].type == b.responses[1].type == ir.NamedType("GetAResponse404")
