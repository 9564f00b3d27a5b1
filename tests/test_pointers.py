"""JSON pointers (RFC 6901) as diagnostics spell them."""

from __future__ import annotations

import pytest

from apismith.diagnostics import join_pointer, split_pointer


@pytest.mark.parametrize(
    ("tokens", "pointer"),
    [
        ((), ""),
        (("paths", "/pets/{id}", "get"), "/paths/~1pets~1{id}/get"),
        (("a~b", "~1"), "/a~0b/~01"),
        (("items", 0, ""), "/items/0/"),
    ],
)
def test_tokens_are_escaped_and_come_back(tokens: tuple[str | int, ...], pointer: str) -> None:
    assert join_pointer("", *tokens) == pointer
    assert split_pointer(pointer) == [str(t) for t in tokens]


def test_joining_extends_a_pointer() -> None:
    assert join_pointer("/components/schemas", "Pet/Cat") == "/components/schemas/Pet~1Cat"
