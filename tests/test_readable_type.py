"""Documentation spells annotations as a reader thinks of them: no module aliases, no
validators, an open enum as the enum or its base type."""

from __future__ import annotations

import pytest

from apismith.pyrender import readable_type


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
