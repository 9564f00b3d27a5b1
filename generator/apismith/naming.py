"""Turning spec names into Python identifiers: valid, unique and stable.

Rules (documented in README, tested with hypothesis):
- words are split on non-alphanumerics and on case changes; non-ASCII letters are
  transliterated when NFKD gives an ASCII base and dropped otherwise;
- a name that is empty, starts with a digit, or is a keyword, builtin or reserved
  attribute gets a trailing underscore (or a leading letter for digits);
- when two spec names map to the same identifier, the one that sorts first keeps it
  and the others gain underscores, so the result never depends on dict order.
"""

from __future__ import annotations

import builtins
import functools
import keyword
import re
import unicodedata
from collections.abc import Callable, Iterable

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z0-9])|[A-Z]?[a-z0-9]+|[A-Z]+|[0-9]+")

RESERVED = (
    frozenset(keyword.kwlist)
    | frozenset(keyword.softkwlist)
    | frozenset(dir(builtins))
    | frozenset({"self", "cls", "typing", "pydantic", "datetime", "uuid", "enum"})
)
"""Names a generated identifier may not take: keywords, builtins, and names the
generated modules use for themselves."""


def is_word_character(character: str) -> bool:
    """A character of a name, as ``\\w`` in a regular expression matches it."""
    return character.isalnum() or character == "_"


def ascii_words(text: str) -> list[str]:
    if not text.isascii():  # ASCII text is its own NFKD form
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _WORD.findall(text)


# names repeat across a spec ("id", "url", "created_at"): each is worked out once
@functools.lru_cache(maxsize=1 << 16)
def snake_case(text: str) -> str:
    return "_".join(ascii_words(text)).lower()


@functools.lru_cache(maxsize=1 << 16)
def pascal_case(text: str) -> str:
    return "".join([word[:1].upper() + word[1:] for word in ascii_words(text)])


def safe_identifier(name: str, reserved: frozenset[str] = RESERVED, fallback: str = "value") -> str:
    """A valid identifier that is not reserved; never empty."""
    if not name:
        name = fallback
    if name[0].isdigit():
        name = f"{fallback[0]}{name}" if fallback else f"n{name}"
    while name in reserved or keyword.iskeyword(name):
        name += "_"
    return name


def python_attribute(name: str, reserved: frozenset[str] = RESERVED) -> str:
    return safe_identifier(snake_case(name), reserved, "field")


def python_class(name: str, reserved: frozenset[str] = RESERVED) -> str:
    return safe_identifier(pascal_case(name), reserved, "Model")


def unique_names(
    names: Iterable[str], convert: Callable[[str], str], taken: Iterable[str] = ()
) -> dict[str, str]:
    """Map each spec name to a distinct identifier made by ``convert``.

    Spec names are processed in sorted order, so the mapping is stable whatever order
    they came in; a collision is resolved by trailing underscores."""
    used = set(taken)
    result: dict[str, str] = {}
    for name in sorted(set(names)):
        candidate = convert(name)
        while candidate in used:
            candidate += "_"
        used.add(candidate)
        result[name] = candidate
    return result


def module_name(name: str) -> str:
    """A module file name: snake case, never reserved, never a Windows device name."""
    return safe_identifier(snake_case(name), _MODULE_RESERVED, "module")


def is_device_name(name: str) -> bool:
    """``con``, ``NUL.txt``, ``com1.py``...: names Windows reserves, whatever the case or
    extension."""
    return name.split(".")[0].rstrip(" ").lower() in _DEVICE_NAMES


_DEVICE_NAMES = frozenset(
    {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(10)} | {f"lpt{i}" for i in range(10)}
)
_MODULE_RESERVED = RESERVED | _DEVICE_NAMES
