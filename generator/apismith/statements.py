"""The statements of a rendered module that ruff's formatter could change, formatted
without the rest of the module.

The built-in templates lay a module out as ruff does but for a few long lines (see
:mod:`apismith.settled`), and ruff formats a statement by itself and its indent alone.
So only the statements holding such a line go to ruff: copied into an excerpt, each
after a marker comment, top-level ones as they stand and class members (at the indent
of one) in a class of the excerpt's own; then each formatted statement replaces its
original. Statements start where a line at the indent of their level starts with
neither a closing bracket, a comment nor the next clause of a compound statement,
outside docstrings; a decorated definition starts at its first decorator. A module
whose docstrings cannot be told apart, or whose excerpt does not come back marker for
marker, goes to ruff whole.
"""

from __future__ import annotations

import bisect
import re
from typing import NamedTuple

from apismith.layout import LINE_LENGTH
from apismith.settled import is_unsplittable, masked_escaped_quotes

_TRIPLE_QUOTE = re.compile('"""')
# each pattern begins with the newline before a line: a search skips to newlines fast
_LONG_LINE = re.compile(f"\\n[^\\n]{{{LINE_LENGTH + 1},}}")
_NOT_A_START = r"(?![\s)\]}#]|(?:else|elif|except|finally)\b)"
_TOP_LEVEL_START = re.compile(f"\\n{_NOT_A_START}")
_MEMBER_START = re.compile(f"\\n    {_NOT_A_START}")
_MARKER = "# apismith-excerpt"
_MEMBERS = "class _Members:"
_MARKED = re.compile(rf"^ *{_MARKER} (\d+|members)\n", re.MULTILINE)


class Excerpt(NamedTuple):
    text: str
    """The statements to format, each after its marker."""
    spans: list[tuple[int, int]]
    """Where each statement stands in the module, in order."""


def excerpt(module: str) -> Excerpt | None:
    """The statements of ``module`` holding a line ruff's formatter could split, or None
    when they cannot be told apart."""
    masked = "\n" + masked_escaped_quotes(module)  # a line's start: one past a newline
    quotes = [found.start() for found in _TRIPLE_QUOTE.finditer(masked)]
    if not _docstrings_stand_alone(masked, quotes):
        return None
    flagged = [
        found.start() + 1
        for found in _LONG_LINE.finditer(masked)
        if bisect.bisect_left(quotes, found.start()) % 2 == 0  # not docstring text
        and '"""' not in found.group()
        and not is_unsplittable(found.group()[1:])
    ]
    if not flagged:
        return None
    top = _starts(_TOP_LEVEL_START, masked, quotes, 0, len(masked))
    members: dict[int, list[int]] = {}
    by_start: dict[int, tuple[int, int, bool]] = {}
    for line in flagged:
        span = _statement(masked, quotes, line, top, members)
        if span is None:
            return None
        by_start.setdefault(span[0], span)
    spans: list[tuple[int, int, bool]] = []  # in the module's own positions
    for start, end, member in sorted(by_start.values()):
        if spans and start - 1 < spans[-1][1]:
            continue  # a member of a class that goes whole
        spans.append((start - 1, end - 1, member))
    return Excerpt(_excerpt_text(module, spans), [(start, end) for start, end, _ in spans])


def put_back(module: str, found: Excerpt, formatted: str) -> str | None:
    """``module`` with each excerpted statement replaced by its formatted text, or None
    when the formatted excerpt does not hold each marker once and nothing before them."""
    pieces = _MARKED.split(formatted)
    if pieces[0].strip() or len(pieces) % 2 == 0:
        return None
    statements: dict[str, str] = {}
    for marker, body in zip(pieces[1::2], pieces[2::2], strict=True):
        if marker == "members" and body.strip() != _MEMBERS:
            return None
        statements.setdefault(marker, body.strip("\n") + "\n")
    numbers = [str(number) for number in range(len(found.spans))]
    if len(pieces) // 2 != len(statements) or statements.keys() - {"members"} != set(numbers):
        return None
    parts: list[str] = []
    at = 0
    for (start, end), number in zip(found.spans, numbers, strict=True):
        parts += [module[at:start], statements[number]]
        at = end
    parts.append(module[at:])
    return "".join(parts)


def _docstrings_stand_alone(masked: str, quotes: list[int]) -> bool:
    """Whether each docstring opens a line after its indent and closes one, as
    ``docstring()`` writes them: then the quotes alone say where docstrings are."""
    if len(quotes) % 2:
        return False
    for opening in quotes[0::2]:
        line_start = masked.rfind("\n", 0, opening) + 1
        if masked[line_start:opening].strip(" "):
            return False
    return all(masked[closing + 3 : closing + 4] == "\n" for closing in quotes[1::2])


def _starts(
    pattern: re.Pattern[str], masked: str, quotes: list[int], start: int, end: int
) -> list[int]:
    """Where ``pattern`` finds a statement start between ``start`` and ``end``, outside
    docstrings."""
    return [
        found.start() + 1
        for found in pattern.finditer(masked, start, end)
        if bisect.bisect_left(quotes, found.start()) % 2 == 0
    ]


def _statement(
    masked: str, quotes: list[int], line: int, top: list[int], members: dict[int, list[int]]
) -> tuple[int, int, bool] | None:
    """(start, end, a class member) of the statement holding the line starting at
    ``line``: the top-level one, or the class member when that is a class (``members``
    keeps each class's member starts, found once)."""
    index = bisect.bisect_right(top, line) - 1
    if index < 0:
        return None
    start, end = _span(masked, top, index, len(masked), "")
    if not masked.startswith("class ", start):
        return start, end, False
    if start not in members:
        members[start] = _starts(_MEMBER_START, masked, quotes, start, end)
    inner = members[start]
    index = bisect.bisect_right(inner, line) - 1
    if index < 0:
        return start, end, False  # the class line itself: the whole class
    member_start, member_end = _span(masked, inner, index, end, "    ")
    return member_start, member_end, True


def _span(masked: str, starts: list[int], index: int, limit: int, indent: str) -> tuple[int, int]:
    """The statement at the start ``starts[index]``, from its first decorator to the start
    after its definition, less the blank lines before that."""
    first = last = index
    while first > 0 and masked.startswith(indent + "@", starts[first - 1]):
        first -= 1
    while last + 1 < len(starts) and masked.startswith(indent + "@", starts[last]):
        last += 1
    end = starts[last + 1] if last + 1 < len(starts) else limit
    start = starts[first]
    return start, start + len(masked[start:end].rstrip("\n")) + 1


def _excerpt_text(module: str, spans: list[tuple[int, int, bool]]) -> str:
    top = [
        f"{_MARKER} {number}\n{module[start:end]}"
        for number, (start, end, member) in enumerate(spans)
        if not member
    ]
    members = [
        f"    {_MARKER} {number}\n{module[start:end]}"
        for number, (start, end, member) in enumerate(spans)
        if member
    ]
    if members:
        top.append(f"{_MARKER} members\n{_MEMBERS}\n" + "".join(members))
    return "".join(top)
