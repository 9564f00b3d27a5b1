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
from itertools import compress, repeat

from apismith.layout import LINE_LENGTH

PYTHON_SUFFIXES = (".py", ".pyi")

_TRIPLE_QUOTE = '"""'
_ESCAPED_LAST_QUOTE = '\\""""'
_UNQUOTED = '\\_"""'
"""How ``docstring()`` ends text that ends in a quote, and the same with that quote
replaced, so that only the closing quotes are found as a triple quote."""

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


def masked_escaped_quotes(text: str) -> str:
    """``text`` with the quote ``docstring()`` escapes before closing quotes masked, so
    that only triple quotes that open or close a string are found (same length)."""
    return text.replace(_ESCAPED_LAST_QUOTE, _UNQUOTED)


def is_unsplittable(line: str) -> bool:
    """Whether ruff's formatter leaves this long line of code as it is."""
    return _UNSPLITTABLE.fullmatch(line) is not None


def may_reformat(text: str) -> bool:
    """Whether ruff's formatter could change this Python source that the built-in
    templates wrote: False only when every line too long is docstring text or cannot be
    split.

    The text is cut at its triple quotes into code, docstring text, code ... (an escaped
    quote before a docstring's closing quotes is not one of them). Unless each docstring
    opens a line after its indent and closes one, where docstrings are is unknown."""
    parts = ("\n" + masked_escaped_quotes(text)).split(_TRIPLE_QUOTE)
    if len(parts) % 2 == 0:
        return True
    code = parts[0::2]
    before_openings = map(str.rstrip, code[:-1], repeat(" "))
    if not all(map(str.endswith, before_openings, repeat("\n"))):
        return True
    if not all(map(str.startswith, code[1:], repeat("\n"))):
        return True
    lines = "".join(code).split("\n")
    long_lines = compress(lines, map(LINE_LENGTH.__lt__, map(len, lines)))
    return not all(map(_UNSPLITTABLE.fullmatch, long_lines))


def needs_formatting(path: str, text: str, from_user_templates: bool) -> bool:
    """Whether ruff's formatter has to format this rendered file: Markdown (its Python
    examples), and Python that a user's templates wrote or that the built-in ones may not
    have laid out as ruff does."""
    if path.endswith(".md"):
        return True
    return path.endswith(PYTHON_SUFFIXES) and (from_user_templates or may_reformat(text))
