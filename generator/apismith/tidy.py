"""Dropping the module aliases a rendered file does not use.

Templates open with one standard block of aliased imports (``import typing as _t``,
``from .. import _model_base as _mb`` ...). Each alias is an underscore name no spec
text can produce, so a file that never mentions ``_dt.`` does not need
``import datetime as _dt``: removing such lines here is exact, and much cheaper than
asking a linter to find unused imports in thousands of files.
"""

from __future__ import annotations

import re
from collections import Counter

_UNDERSCORE_NAME = re.compile(r"(?<![\w.])_\w+")
_ALIASED_IMPORT = re.compile(r"^(?:import [\w.]+|from [\w.]+ import \w+) as (_\w+)\n", re.MULTILINE)


def drop_unused_aliases(text: str) -> str:
    """``text`` without the aliased import lines whose alias appears nowhere else.

    A line removed between two blank lines takes one of them along, so removing a
    whole import group leaves the blank lines isort would."""
    imports = list(_ALIASED_IMPORT.finditer(text))
    if not imports:
        return text
    mentions = Counter(_UNDERSCORE_NAME.findall(text))
    unused = [match for match in imports if mentions[match.group(1)] == 1]
    for match in reversed(unused):
        start, end = match.start(), match.end()
        if text[start - 2 : start] == "\n\n" and text[end : end + 1] == "\n":
            start -= 1
        text = text[:start] + text[end:]
    return text
