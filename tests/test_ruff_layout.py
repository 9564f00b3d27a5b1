"""Generated code is spelled and laid out as ruff's formatter writes it: ``literal`` gives
JSON values as Python that means exactly the value, in ruff's quotes, and the layout
helpers split long lines where ruff would, so formatting a generated package rewrites
few files."""

from __future__ import annotations

import ast
import inspect
import random
import subprocess
from pathlib import Path

import pytest

from apismith.layout import (
    annotated_assignment,
    call_lines,
    from_import,
    parameter,
    split_top_level,
)
from apismith.pyrender import docstring, literal
from apismith.write import ruff_binary

CANONICAL = ("--config", "format.skip-magic-trailing-comma = true")
"""ruff lays the code out afresh, as if no trailing comma held a call open."""
ALPHABET = "ab '\"\\\n\t\x07\x7f\u00e9\u2028\U0001f600{}"


def assert_ruff_keeps(source: Path, text: str, *options: str) -> None:
    """``ruff format`` (line length 100, no project settings) leaves ``text`` as it is."""
    source.write_text(text, "utf-8")
    check = subprocess.run(
        [
            ruff_binary(),
            "format",
            "--diff",
            "--isolated",
            "--line-length",
            "100",
            *options,
            str(source),
        ],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stdout


def random_texts(seed: int, count: int) -> list[str]:
    chance = random.Random(seed)
    return [
        "".join(chance.choice(ALPHABET) for _ in range(chance.randrange(8))) for _ in range(count)
    ]


def test_literals_mean_the_value() -> None:
    values: list[object] = [*random_texts(1, 300), None, True, 0, -7, 1.5, [1, "x"], {"k": ["v"]}]
    for value in values:
        assert ast.literal_eval(literal(value)) == value


def test_ruff_keeps_the_spelling_of_strings(tmp_path: Path) -> None:
    texts = [*random_texts(2, 300), "plain", "it's", 'say "hi"', "", "a\\b"]
    texts += ["'\"", "''\"", '""\'', "q\"'\\", '"""']  # ties go to double quotes
    strings = "".join(f"v{i} = {literal(t)}\n" for i, t in enumerate(texts))
    assert_ruff_keeps(tmp_path / "strings.py", strings)
    assert [ast.literal_eval(literal(t)) for t in texts] == texts


def test_ruff_keeps_the_spelling_of_numbers(tmp_path: Path) -> None:
    numbers = [1e308, -2.5e300, 1e16, 1e-05, 0.1, -7, 10**20]
    assert_ruff_keeps(tmp_path / "numbers.py", "".join(f"n = {literal(n)}\n" for n in numbers))
    assert [ast.literal_eval(literal(n)) for n in numbers] == numbers


def test_docstrings_are_as_ruff_writes_them(tmp_path: Path) -> None:
    """Lines after the first lose the indent they share, as ruff's formatter takes it
    away; tabs and other odd whitespace are escapes, so ruff counts no indent otherwise."""
    chance = random.Random(5)
    texts = [
        "Title\n      indented\n        deeper\n\n      back",
        "a\n\tb\n\u00a0c",
        "x  \n  y",
        '"q"',
    ]
    for _ in range(100):
        lines = random_texts(chance.randrange(100), chance.randrange(1, 5))
        texts.append("\n".join(" " * chance.randrange(4) + line for line in lines))
    classes = "".join(
        f"class C{i}:\n    {docstring(text, '    ')}\n\n\n" for i, text in enumerate(texts)
    )
    assert_ruff_keeps(tmp_path / "docstrings.py", classes.rstrip("\n") + "\n")
    documented = ast.parse(classes)
    for text, node in zip(texts, documented.body, strict=True):
        assert isinstance(node, ast.ClassDef)
        if text.isascii() and text.replace("\n", "").isprintable():  # else cleandoc differs
            expected = [line.rstrip() for line in inspect.cleandoc(text.strip()).split("\n")]
            assert ast.get_docstring(node) == "\n".join(expected)


def random_identifier(chance: random.Random) -> str:
    return "N" + "x" * chance.randrange(60)


def test_laid_out_lines_are_as_ruff_writes_them(tmp_path: Path) -> None:
    """``from_import`` and ``call_lines`` lay lines out as ruff's formatter does, at any
    length: short enough for one line, for the arguments' own line, or for neither."""
    chance = random.Random(3)
    blocks = []
    for _ in range(200):
        names = [random_identifier(chance) for _ in range(chance.randrange(1, 4))]
        indent = chance.choice(["", "    "])
        imports = from_import(indent, "." + random_identifier(chance).lower(), names)
        call = call_lines(indent, random_identifier(chance) + "(", names)
        statement = f"{imports}\n\n{call}"
        blocks.append(f"if x:\n{statement}\n" if indent else f"{statement}\n")
    assert_ruff_keeps(tmp_path / "laid_out.py", "".join(blocks), *CANONICAL)


def random_annotation(chance: random.Random) -> str:
    """Unions, open enums, lists and literals of names of any length."""
    member = chance.choice(
        [
            lambda: random_identifier(chance),
            lambda: f"_mb.OpenStr[{random_identifier(chance)}]",
            lambda: f"list[{random_identifier(chance)} | {random_identifier(chance)}]",
            lambda: (
                "_t.Literal[" + ", ".join(f'"{random_identifier(chance)}"' for _ in "abc") + "]"
            ),
        ]
    )
    members = [member() for _ in range(chance.randrange(1, 4))]
    return " | ".join([*members, "None"] if chance.random() < 0.5 else members)


def test_fields_and_parameters_are_laid_out_as_ruff_writes_them(tmp_path: Path) -> None:
    """As the package is formatted: a ``_pd.Field(`` call is held open by its trailing
    commas."""
    chance = random.Random(4)
    fields, parameters = [], []
    for index in range(300):
        target, annotation = f"f{index}_{'x' * chance.randrange(20)}", random_annotation(chance)
        value = chance.choice([None, "None", '"some default"', "_pd.Field("])
        if value == "_pd.Field(":
            arguments = 'default=None,\nserialization_alias="x",'
            fields.append(annotated_assignment("    ", target, annotation, arguments, value))
        else:
            fields.append(annotated_assignment("    ", target, annotation, value))
        default = chance.choice(["", " = None"])
        parameters.append(parameter("    ", target, annotation, default))
    model = "class Model:\n" + "\n".join(fields)
    function = "def call(\n    *,\n" + "\n".join(parameters) + "\n) -> None:\n    pass\n"
    assert_ruff_keeps(tmp_path / "fields.py", f"{model}\n\n\n{function}")


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("A | B|C", ["A", "B", "C"]),
        ("list[A | B] | C", ["list[A | B]", "C"]),
        ("_t.Literal[\"a|b\", 'c|d'] | None", ["_t.Literal[\"a|b\", 'c|d']", "None"]),
        ("dict[str, A | B]", ["dict[str, A | B]"]),
    ],
)
def test_unions_split_only_at_their_own_bars(text: str, parts: list[str]) -> None:
    assert split_top_level(text, "|") == parts


def split_one_character_at_a_time(text: str, separator: str) -> list[str]:
    """The reference: every character looked at in turn."""
    parts, depth, start, quote, escaped = [], 0, 0, "", False
    for index, char in enumerate(text):
        if quote:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char in "[(":
            depth += 1
        elif char in "])":
            depth -= 1
        elif char == separator and depth == 0:
            parts.append(text[start:index].strip())
            start = index + 1
    parts.append(text[start:].strip())
    return parts


def test_splitting_agrees_with_a_character_by_character_reading() -> None:
    chance = random.Random(5)
    for _ in range(20_000):
        text = "".join(chance.choice("ab |,[]()'\"\\n") for _ in range(chance.randrange(16)))
        for separator in "|,":
            assert split_top_level(text, separator) == split_one_character_at_a_time(
                text, separator
            ), text
