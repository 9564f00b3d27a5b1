"""Deferred template context: worked out once, at first use, and used as the value."""

from __future__ import annotations

from dataclasses import dataclass

import jinja2

from apismith.deferred import Deferred
from apismith.package import _render_order
from apismith.plan import PlannedFile


@dataclass
class Cases:
    requests: list[str]


def counting(value: object) -> tuple[Deferred, list[int]]:
    calls: list[int] = []

    def compute() -> object:
        calls.append(1)
        return value

    return Deferred(compute), calls


def test_nothing_is_computed_until_first_use_and_then_once() -> None:
    schemas, calls = counting({"a": 1, "b": 2})
    assert calls == []
    assert schemas["a"] == 1
    assert schemas.get("b") == 2 and schemas.get("c") is None
    assert "a" in schemas and "c" not in schemas
    assert list(schemas) == ["a", "b"] and len(schemas) == 2 and schemas
    assert calls == [1]


def test_a_value_that_is_none_or_empty_is_still_computed_once() -> None:
    nothing, calls = counting(None)
    assert nothing.value is None and nothing.value is None
    empty, more_calls = counting({})
    assert not empty and not empty
    assert calls == [1] and more_calls == [1]


def test_templates_use_a_deferred_value_as_the_value_itself() -> None:
    template = jinja2.Environment(autoescape=False).from_string(
        "{{ schemas.get('op') }} {% if cases.requests %}{{ cases.requests | join(',') }}{% endif %}"
        " {% for key in schemas %}{{ key }}={{ schemas[key] }}{% endfor %}"
    )
    schemas, _ = counting({"op": "S"})
    cases, _ = counting(Cases(["r1", "r2"]))
    assert template.render(schemas=schemas, cases=cases) == "S r1,r2 op=S"


def test_files_with_deferred_context_are_rendered_last_heaviest_last() -> None:
    deferred = {"schemas": Deferred(dict)}
    planned = [
        PlannedFile("a.py", "t", deferred, weight=5),
        PlannedFile("b.py", "t", {}, weight=1),
        PlannedFile("c.py", "t", deferred, weight=9),
        PlannedFile("d.py", copy="runtime/_http.py"),
        PlannedFile("e.py", "t", {"n": 1}, weight=7),
        PlannedFile("f.py", "t", deferred, weight=1),
    ]
    order = [planned[i].path for i in _render_order(planned)]
    assert order == ["e.py", "b.py", "d.py", "f.py", "a.py", "c.py"]
