"""Dropping the module aliases a rendered file does not use.

Templates open with one standard block of aliased imports (``import typing as _t``,
``from .. import _model_base as _mb`` ...). Each alias is an underscore name no spec
text can produce, so a file that never mentions ``_dt.`` does not need
``import datetime as _dt``: removing such lines here is exact, and much cheaper than
asking a linter to find unused imports in thousands of files.
"""

from __future__ import annotations

import functools
import re

from apismith.naming import is_word_character

_ALIASED_IMPORT = re.compile(r"(?:import [\w.]+|from [\w.]+ import \w+) as (_\w+)\n")


def drop_unused_aliases(text: str) -> str:
    """``text`` without the aliased import lines whose alias stands as a whole name
    nowhere else.

    A line removed between two blank lines takes one of them along, so removing a
    whole import group leaves the blank lines isort would."""
    imports = _aliased_imports(text)
    if not imports:
        return text
    lines: dict[str, list[tuple[int, int]]] = {}
    for match in imports:
        lines.setdefault(match.group(1), []).append(match.span())
    used = _mentioned(text, lines)
    for match in reversed(imports):
        if match.group(1) in used:
            continue
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


def _mentioned(text: str, lines: dict[str, list[tuple[int, int]]]) -> set[str]:
    """The aliases that stand as a whole name (not an attribute) outside the lines that
    import them. One search finds the next place any alias not yet seen stands, so the
    text is read about once, however many aliases it imports."""
    found: set[str] = set()
    pending = frozenset(lines)
    at = 0
    while pending:
        hit = _alias_pattern(pending).search(text, at)
        if hit is None:
            break
        alias, at = hit.group(), hit.start()
        whole_name = not at or not (is_word_character(text[at - 1]) or text[at - 1] == ".")
        if whole_name and not any(start <= at < end for start, end in lines[alias]):
            found.add(alias)
            pending -= {alias}
        at += 1
    return found


@functools.lru_cache(maxsize=64)
def _alias_pattern(aliases: frozenset[str]) -> re.Pattern[str]:
    """Any of the aliases, ending a name. Each begins with ``_``, which the search of a
    regular expression that begins with it skips to."""
    names = sorted((re.escape(alias[1:]) for alias in aliases), key=len, reverse=True)
    return re.compile(f"_(?:{'|'.join(names)})(?!\\w)")
