"""Only the rendered files ruff's formatter could still change are handed to it: Markdown,
and Python with a long line that might be split, or written from a user's templates."""

from __future__ import annotations

import random
import subprocess
from pathlib import Path

import pytest

from apismith.layout import annotated_assignment, call_lines, from_import
from apismith.package import render_package
from apismith.plan import PlannedFile
from apismith.pyrender import literal
from apismith.settled import PYTHON_SUFFIXES, may_reformat
from apismith.write import STATEMENTS_SUFFIX, Formatting, _batches, ruff_binary

LONG = "x" * 100


@pytest.mark.parametrize(
    "source",
    [
        "import typing as _t\n\nX = 1\n",
        f'"""A module docstring that runs on: {LONG}."""\n\nX = 1\n',
        f'class A:\n    """Title\n\n    {LONG}\n    """\n\n    a: int\n    """{LONG}"""\n',
        f'"""Ends in a quote {LONG} \\""""\n',
        f'D = _te.TypedDict(\n    "D",\n    {{\n        "key": "_te.Required[{LONG}]",\n    }},\n)\n',
        f"class A:\n    name: {LONG}\n    other: _t.Any = None\n",
        f"class {LONG}(\n    _mb.ApiModel\n):\n    pass\n",
        f"from .{LONG} import (\n    {LONG} as {LONG},\n)\n",
        f"A: _t.TypeAlias = (\n    B\n    | {LONG}\n)\n",
        f'_SCHEMA = _tr.schema(\n    \'{{"type": "{LONG}"}}\'\n)\n',
        f"call(\n    _{LONG}().responses,\n    {LONG}={LONG},\n)\n",
    ],
    ids=[
        "short",
        "long docstring",
        "long docstrings in a class",
        "docstring ending in a quote",
        "typed dict member",
        "long annotation",
        "split class line",
        "split import",
        "union member",
        "long string",
        "names passed on",
    ],
)
def test_settled_code_is_not_formatted_again(source: str) -> None:
    assert not may_reformat(source)


@pytest.mark.parametrize(
    "source",
    [
        f"X = call(first_argument, {LONG})\n",
        f"def f() -> _tr.Operation[{LONG} | None]:\n    pass\n",
        f'"""Docstring."""\n\nX = [{LONG}, 1]\n',
        f'class A:\n    """Title\n    text\n    """\n\n    a: int = _pd.Field(default={LONG})\n',
        f'X = \'say """hi\'\n"""{LONG}\n{LONG} = f(x)\n"""\n',
        f'def f() -> None:\n    _body["{LONG}"] = name\n',
        f'X = """text\n{LONG}\n"""; Y = [{LONG}, 1]\n',
        f'"""Title\n{LONG}\n""" + """more\n"""\nY = [{LONG}, 1]\n',
    ],
    ids=[
        "long call",
        "long return annotation",
        "code after a docstring",
        "code after a multi-line docstring",
        "triple quote in a string",
        "item set to a name",
        "string opened after code",
        "code after closing quotes",
    ],
)
def test_lines_ruff_could_split_are_formatted(source: str) -> None:
    assert may_reformat(source)


def test_only_the_files_that_need_it_go_to_ruff(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, unions_plan: list[PlannedFile]
) -> None:
    planned = unions_plan
    sent: list[str] = []
    monkeypatch.setattr(Formatting, "start", lambda _, relatives: sent.extend(relatives))
    rendered = render_package(planned, tmp_path)  # left as rendered: ruff does not run
    modules = sorted(name.removesuffix(STATEMENTS_SUFFIX) for name in sent)
    assert modules == sorted(rendered.formatted)
    python = [p for p in rendered.paths if p.endswith(PYTHON_SUFFIXES)]
    texts = {p: (rendered.staging / p).read_text("utf-8") for p in python}
    expected = {p for p in rendered.paths if p.endswith(".md")}
    expected |= {p for p, text in texts.items() if may_reformat(text)}
    assert set(rendered.formatted) == expected
    assert {p for p in python if p not in expected}, "every Python file went to ruff"
    assert {p for p in python if p in expected}, "the long unions were never formatted"

    user = tmp_path / "templates"
    user.mkdir()
    with_user_templates = render_package(planned, tmp_path, user)
    assert set(python) <= set(with_user_templates.formatted)


def test_file_names_are_passed_in_batches_within_the_budget() -> None:
    names = [f"file{index}.py" for index in range(10)]
    batches = _batches(names, 20)
    assert [name for batch in batches for name in batch] == names
    assert all(sum(len(name) + 1 for name in batch) <= 20 + 1 for batch in batches)
    assert len(batches) == 5
    assert _batches([], 20) == []


def test_ruff_keeps_every_line_counted_unsplittable(tmp_path: Path) -> None:
    """Each kind of long line ``may_reformat`` lets pass, at many lengths, laid out as the
    templates lay it out: ruff's formatter leaves every one as it is."""
    chance = random.Random(7)

    def name(shortest: int = 1) -> str:
        return "n" + "x" * chance.randrange(shortest, 120)

    blocks = []
    for _ in range(60):
        a, b, c = name(), name(), name()
        blocks += [
            f'D = _te.TypedDict(\n    "D",\n    {{\n        "{a}": "{b}",\n    }},\n)\n',
            f"{call_lines('', f'class {a}(', ['_mb.ApiModel'], '):')}\n"
            + annotated_assignment("    ", b, c)
            + "\n",
            f"call(\n    {c}().responses,\n    {a}={b},\n)\n",
            f"A: _t.TypeAlias = (\n    {name(50)}\n    | {name(50)}\n)\n",
            from_import("", f".{a}", [f"{b} as {b}"]) + "\n",
            call_lines("", "S = _tr.schema(", [literal(c)]) + "\n",
        ]
    text = "\n\n".join(blocks)
    source = tmp_path / "unsplittable.py"
    source.write_text(text, "utf-8")
    check = subprocess.run(
        [ruff_binary(), "format", "--diff", "--isolated", "--line-length", "100", str(source)],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stdout
    assert len([line for line in text.split("\n") if len(line) > 100]) > 200
    assert not may_reformat(text)
