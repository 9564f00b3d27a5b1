"""Which rendered files ruff's formatter could still change.

The built-in templates write code as ruff's formatter lays it out (see
:mod:`apismith.layout`) wherever a line fits; what they cannot settle is a line too long
for the line length. A file is handed to ruff when such a line is code that might be
split, or when a triple quote stands where ``docstring()`` would not put one (which
would hide where docstrings begin and end); Markdown always is, and so is every Python
file a user's templates wrote. Docstrings are spelled with spaces and newlines as their
only whitespace (see ``docstring()``), so ruff counts their indentation as this module
does.
"""

from __future__ import annotations

import re
from itertools import compress, count, repeat

from apismith.layout import LINE_LENGTH

PYTHON_SUFFIXES = (".py", ".pyi")

_TRIPLE_QUOTE = '"""'

_STRING = r'(?:"(?:[^"\\\n]|\\.)*"|' + r"'(?:[^'\\\n]|\\.)*')"
_NAME = r"[A-Za-z_][A-Za-z0-9_.]*"
_ATOM = rf"(?:{_STRING}|{_NAME})"
_UNSPLITTABLE = re.compile(
    " *(?:"
    + "|".join(
        [
            rf"{_ATOM}(?:: {_ATOM})?,?",  # a string or a name; a dict's or a field's pair
            rf"{_NAME}={_NAME},",  # a keyword argument passing a name
            rf"{_NAME}\(\)\.{_NAME},",  # an attribute of a call without arguments
            rf"\| {_NAME}",  # a union's member on a line of its own
            rf"{_NAME} as {_NAME},",  # an imported name
            rf"class {_NAME}\(",  # a class line split at its bracket
            r"from [.\w]+ import \(",  # an import split at its bracket
        ]
    )
    + ")"
)
"""A long line ruff leaves as it is, where the templates' helpers put it: a field's bare
type, say, is one ruff puts in parentheses when that makes it fit, which
``annotated_assignment`` has then done already. A test lays each kind out at many
lengths and requires ruff to keep them all."""


def may_reformat(text: str) -> bool:
    """Whether ruff's formatter could change this Python source that the built-in
    templates wrote: False only when every line too long is docstring text or cannot be
    split."""
    lines = text.split("\n")
    if max(map(len, lines)) <= LINE_LENGTH:
        return False
    quotes = list(map(str.count, lines, repeat(_TRIPLE_QUOTE)))
    long_lines = compress(count(), map(LINE_LENGTH.__lt__, map(len, lines)))
    inside = False  # in a docstring's text
    for index in sorted({*long_lines, *compress(count(), quotes)}):
        line = lines[index]
        if quotes[index]:
            opens = not inside and line.lstrip(" ").startswith(_TRIPLE_QUOTE)
            if quotes[index] == 1 and (opens or (inside and line.endswith(_TRIPLE_QUOTE))):
                inside = not inside
            elif not (quotes[index] == 2 and opens and line.endswith(_TRIPLE_QUOTE)):
                return True  # a triple quote in code: where docstrings are is unknown
        elif not inside and not _UNSPLITTABLE.fullmatch(line):
            return True
    return False


def needs_formatting(path: str, text: str, from_user_templates: bool) -> bool:
    """Whether ruff's formatter has to format this rendered file: Markdown (its Python
    examples), and Python that a user's templates wrote or that the built-in ones may not
    have laid out as ruff does."""
    if path.endswith(".md"):
        return True
    return path.endswith(PYTHON_SUFFIXES) and (from_user_templates or may_reformat(text))
