"""Dropping the module aliases a rendered file does not use.

Templates open with one standard block of aliased imports (``import typing as _t``,
``from .. import _model_base as _mb`` ...). Each alias is an underscore name no spec
text can produce, so a file that never mentions ``_dt.`` does not need
``import datetime as _dt``: removing such lines here is exact, and much cheaper than
asking a linter to find unused imports in thousands of files.
"""

from __future__ import annotations

import re

_ALIASED_IMPORT = re.compile(r"(?:import [\w.]+|from [\w.]+ import \w+) as (_\w+)\n")


def drop_unused_aliases(text: str) -> str:
    """``text`` without the aliased import lines whose alias appears nowhere else.

    A line removed between two blank lines takes one of them along, so removing a
    whole import group leaves the blank lines isort would."""
    imports = _aliased_imports(text)
    unused = [
        match
        for match in imports
        if not _mentioned(text, match.group(1), 0, match.start())
        and not _mentioned(text, match.group(1), match.end(), len(text))
    ]
    for match in reversed(unused):
        start, end = match.start(), match.end()
        if text[start - 2 : start] == "\n\n" and text[end : end + 1] == "\n":
            start -= 1
        text = text[:start] + text[end:]
    return text


def _aliased_imports(text: str) -> list[re.Match[str]]:
    """The aliased import lines, found from their `` as _`` (a plain search) rather than by
    trying a regular expression at every line of a long file."""
    found: list[re.Match[str]] = []
    at = text.find(" as _")
    while at != -1:
        line_start = text.rfind("\n", 0, at) + 1
        match = _ALIASED_IMPORT.match(text, line_start)
        if match is not None and match.start(1) == at + len(" as "):
            found.append(match)
        at = text.find(" as _", at + 1)
    return found


def _mentioned(text: str, alias: str, start: int, end: int) -> bool:
    """Whether ``alias`` stands as a whole name (not an attribute) in ``text[start:end]``;
    ``str.find`` is far cheaper than a regular expression over the whole file."""
    at = text.find(alias, start, end)
    while at != -1:
        before = text[at - 1] if at > 0 else " "
        after = text[at + len(alias) : at + len(alias) + 1] or " "
        if not _is_word(before) and before != "." and not _is_word(after):
            return True
        at = text.find(alias, at + 1, end)
    return False


def _is_word(character: str) -> bool:
    return character.isalnum() or character == "_"
