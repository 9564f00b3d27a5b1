"""Only the statements of a rendered module that ruff could change go to ruff: formatted
in an excerpt and put back, they give the module ruff would give formatting it whole."""

from __future__ import annotations

import random
import subprocess
from pathlib import Path

import pytest

from apismith import package
from apismith.package import render_package
from apismith.plan import PlannedFile
from apismith.statements import Excerpt, excerpt, put_back
from apismith.write import STATEMENTS_SUFFIX, ShareFormatting, read_tree, ruff_binary

LONG = "x" * 90


def _ruff(text: str, folder: Path) -> str:
    source = folder / "module.py"
    source.write_text(text, "utf-8")
    subprocess.run(
        [ruff_binary(), "format", "--isolated", "--line-length", "100", str(source)],
        check=True,
        capture_output=True,
    )
    return source.read_text("utf-8")


MODULE = f'''"""A module docstring.

Text at the margin: def {LONG}(a, b) -> None: pass {LONG}
"""

from __future__ import annotations

import functools as _functools

X = 1


@_functools.cache
def operation() -> list[Aaaaaaaaaaaaaaaaaaaaaaaaaaa | Bbbbbbbbbbbbbbbbbbbbbbbbbbbbb | Ccccccccccccccccccccccccccccccc]:
    """One of many."""
    return []


if X:
    Y = [Aaaaaaaaaaaaaaaaaaaaaaaaaaa, Bbbbbbbbbbbbbbbbbbbbbbbbbbbbb, Ccccccccccccccccccccccccccccccc, 1]
else:
    Y = []


class Resource:
    """A class docstring.

    def {LONG}(self) -> None: at the margin of the class
    """

    short: int = 1
    __read_only__: frozenset[str] = frozenset(
        ["created_at", "dismissed_at", "fixed_at", "html_url", "instances_url", "number", "updated_at", "url"]
    )
    """A field docstring that runs on and on, {LONG}."""

    def method(self, *, body: int) -> None:
        _body: dict[str, int] = {{}}
        _body["a_member_with_a_long_name_of_its_own_as_it_happens"] = a_member_with_a_long_name_of_its_own
        return None

    @property
    def settled(self) -> int:
        return 1

    async def other(self, *, first_argument: int, second_argument: int, third: int) -> int:
        return first_argument


Z: _t.TypeAlias = Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa | Bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb
"""Z"""
'''


def test_the_statements_ruff_could_change_are_excerpted_and_put_back(tmp_path: Path) -> None:
    found = excerpt(MODULE)
    assert found is not None
    excerpted = [MODULE[start:end] for start, end in found.spans]
    assert [piece.split("\n", 1)[0] for piece in excerpted] == [
        "@_functools.cache",
        "if X:",
        "    __read_only__: frozenset[str] = frozenset(",
        "    def method(self, *, body: int) -> None:",
        "Z: _t.TypeAlias = Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
        " | Bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
    ]
    assert excerpted[1].endswith("    Y = []\n"), "the else clause left out"
    assert all(not piece.endswith("\n\n") for piece in excerpted)
    assert "settled" not in found.text and "async def other" not in found.text
    assert "A class docstring" not in found.text and "X = 1" not in found.text

    whole = _ruff(MODULE, tmp_path)
    assert whole != MODULE
    assert put_back(MODULE, found, _ruff(found.text, tmp_path)) == whole


def test_statements_at_many_lengths_come_back_as_ruff_lays_the_module_out(
    tmp_path: Path,
) -> None:
    chance = random.Random(11)

    def name() -> str:
        return "n" + "x" * chance.randrange(1, 60)

    blocks = []
    for _ in range(40):
        a, b, c = name(), name(), name()
        blocks += [
            f"def {a}() -> _tr.Operation[{b} | {c} | {a}]:\n    return {b}\n",
            f"class {a}:\n    {b}: int = 1\n    {c}: _t.Any = [{a}, {b}, {c}]\n"
            f'    """{c} {a}"""\n\n    def {b}(self) -> {c} | {a} | {b}:\n        return {a}\n',
            f"{a}: _t.TypeAlias = {b} | {c} | {a}\n",
        ]
    module = "\n\n".join(blocks)
    found = excerpt(module)
    assert found is not None and found.spans
    assert put_back(module, found, _ruff(found.text, tmp_path)) == _ruff(module, tmp_path)


@pytest.mark.parametrize(
    "module",
    [
        "X = 1\n",
        f'"""Docstring {LONG} {LONG}."""\n\nX = 1\n',
        f'X = \'say """hi\'\nY = [{LONG}, {LONG}]\n',
        f'X = """text\n{LONG}\n"""; Y = [{LONG}, 1]\n',
    ],
    ids=["short", "long docstring", "triple quote in a string", "string opened after code"],
)
def test_no_excerpt_without_a_line_to_split_or_with_docstrings_unclear(module: str) -> None:
    assert excerpt(module) is None


def test_an_excerpt_that_does_not_come_back_marker_for_marker_is_refused() -> None:
    found = excerpt(MODULE)
    assert found is not None
    first = found.text.split("# apismith-excerpt 1\n", 1)[0]
    assert put_back(MODULE, found, first) is None, "a statement lost"
    assert put_back(MODULE, found, found.text + "# apismith-excerpt 0\nX = 2\n") is None
    assert put_back(MODULE, found, "Q = 1\n" + found.text) is None, "text before a marker"
    assert put_back(MODULE, found, found.text) == MODULE


def test_a_module_whose_excerpt_ruff_cannot_parse_is_formatted_whole(tmp_path: Path) -> None:
    module = "x = [  1,2 ]\n"
    (tmp_path / "m.py").write_text(module)
    formatting = ShareFormatting(tmp_path)
    formatting.add_statements("m.py", module, Excerpt("# apismith-excerpt 0\ndef f(:\n", [(0, 13)]))
    formatting.finish()
    assert (tmp_path / "m.py").read_text() == "x = [1, 2]\n"
    assert [p.name for p in tmp_path.iterdir()] == ["m.py"], "the excerpt was left behind"


def test_a_module_whose_statements_do_not_come_back_is_formatted_whole(tmp_path: Path) -> None:
    module = "x = [  1,2 ]\n"
    (tmp_path / "m.py").write_text(module)
    formatting = ShareFormatting(tmp_path)
    formatting.add_statements("m.py", module, Excerpt("y = [  3,4 ]\n", [(0, 13)]))  # no marker
    formatting.finish()
    assert (tmp_path / "m.py").read_text() == "x = [1, 2]\n"
    assert [p.name for p in tmp_path.iterdir()] == ["m.py"], "the excerpt was left behind"


def test_a_package_formatted_by_statements_is_the_package_formatted_by_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, unions_plan: list[PlannedFile]
) -> None:
    excerpted: list[str] = []
    add_statements = ShareFormatting.add_statements

    def note(formatting: ShareFormatting, relative: str, module: str, found: Excerpt) -> None:
        excerpted.append(relative)
        add_statements(formatting, relative, module, found)

    monkeypatch.setattr(ShareFormatting, "add_statements", note)
    by_statements = render_package(unions_plan, tmp_path / "statements")
    monkeypatch.setattr(package, "excerpt", lambda module: None)
    by_files = render_package(unions_plan, tmp_path / "files")
    python = [p for p in by_files.formatted if p.endswith(".py")]
    assert python, "no module for ruff: the test shows nothing"
    assert sorted(excerpted) == sorted(python), "a module went to ruff whole"
    assert by_statements.formatted == by_files.formatted
    assert read_tree(by_statements.staging, by_statements.paths) == read_tree(
        by_files.staging, by_files.paths
    )
    assert not list(by_statements.staging.rglob(f"*{STATEMENTS_SUFFIX}")), "excerpts left"
