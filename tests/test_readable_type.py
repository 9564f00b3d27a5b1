"""Documentation spells annotations as a reader thinks of them: no module aliases, no
validators, an open enum as the enum or its base type."""

from __future__ import annotations

import ast
import random

import pytest

from apismith.readable import _Readable, readable_type


@pytest.mark.parametrize(
    ("annotation", "shown"),
    [
        ("_mb.OpenStr[Color] | None", "Color | str | None"),
        ("list[_mb.OpenInt[Level]]", "list[Level | int]"),
        ("_t.Annotated[Cat | Dog, _pd.Discriminator(_tag)]", "Cat | Dog"),
        ("_abc.Sequence[_dt.datetime]", "Sequence[datetime]"),
        ("_mb.Number", "float"),
    ],
)
def test_readable_type(annotation: str, shown: str) -> None:
    assert readable_type(annotation) == shown


def _as_a_tree_reads(annotation: str) -> str:
    """The rewritten tree spelled by ``ast.unparse``: what the direct spelling must equal."""
    return ast.unparse(_Readable().visit(ast.parse(annotation, mode="eval")))


@pytest.mark.parametrize(
    "annotation",
    [
        "_mb.OpenStr[A] | _mb.OpenStr[B]",
        "_t.Annotated[_mb.OpenStr[A], _pd.Tag('a')] | None",
        "dict[str, _abc.Sequence[_t.Annotated[A | B, _pd.Discriminator(_mb.f('k', {'a': 1}))]]]",
        "_t.Literal['a', \"b'c\", 'd\"', '\\n\\t\\x00\\u00e9\\\\', -1, 1.5, 1e309, True, None]",
        "tuple[int]",
        "tuple[()]",
        "tuple[int,]",
        "tuple[int, ...]",
        "x.y.z[_m.Q]",
        "a | (b | c)",
        "list[_mb.OpenInt[Level] | None] | _t.Literal[-2]",
        "Callable[[_abc.Sequence[int]], _mb.Number]",  # a list: spelled by ast.unparse
    ],
)
def test_direct_spelling_is_ast_unparse_spelling(annotation: str) -> None:
    assert readable_type(annotation) == _as_a_tree_reads(annotation)


def test_direct_spelling_matches_on_random_annotations() -> None:
    chooser = random.Random(7)

    def annotation(depth: int) -> str:
        leaves = ["int", "None", "_t.Any", "_mb.Number", "_dt.datetime", "pkg.Model", "-3"]
        leaves += ["'it''s'", '"q\\""', "2.5", "1e400", "...", "True"]
        if depth == 0:
            return chooser.choice(leaves)
        inner = [annotation(depth - 1) for _ in range(chooser.randint(1, 3))]
        shapes = [
            lambda: " | ".join(inner),
            lambda: f"({' | '.join(inner)})",
            lambda: f"list[{', '.join(inner)}]",
            lambda: f"_abc.Mapping[{', '.join(inner)},]",
            lambda: f"_t.Annotated[{inner[0]}, _pd.Tag('x')]",
            lambda: f"_mb.OpenStr[{inner[0]}]",
            lambda: f"_t.Literal[{', '.join(inner)}]",
        ]
        return str(chooser.choice(shapes)())

    for _ in range(400):
        text = annotation(chooser.randint(1, 4))
        assert readable_type(text) == _as_a_tree_reads(text), text
