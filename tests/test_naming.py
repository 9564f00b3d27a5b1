"""Spec names turned into words (see ``apismith.naming``), and the names generated text spells."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from apismith.naming import _WORD, ascii_words, pascal_case, snake_case
from apismith.pyrender import _spells_name


def _words_of_folded(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _WORD.findall(folded)


names = st.text(st.characters(codec="utf-8"), max_size=30) | st.text(
    st.characters(codec="ascii"), max_size=30
)


@given(names)
def test_words_are_those_of_the_ascii_folded_text(text: str) -> None:
    assert ascii_words(text) == _words_of_folded(text)


@given(names)
def test_cases_join_the_words(text: str) -> None:
    words = _words_of_folded(text)
    assert snake_case(text) == "_".join(word.lower() for word in words)
    assert pascal_case(text) == "".join(word[:1].upper() + word[1:] for word in words)


def test_examples() -> None:
    assert snake_case("HTTPServer-v2 Café") == "http_server_v2_cafe"
    assert pascal_case("repository_rule-detailed") == "RepositoryRuleDetailed"
    assert ascii_words("Ωmega µs") == ["mega", "s"]


words = st.text(st.sampled_from("aZ_9é"), min_size=1, max_size=4)


@given(
    st.lists(st.sampled_from(["aZ", "_9", "é", " | ", "[", "]", ".", "a_Z9"]), max_size=12), words
)
def test_a_name_is_spelled_when_it_is_a_whole_word(parts: list[str], name: str) -> None:
    """As the module imports see the names their annotations spell."""
    text = "".join(parts)
    assert _spells_name(text, name) == (name in re.findall(r"\w+", text))
