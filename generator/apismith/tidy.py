"""Dropping the module aliases a rendered file does not use.

Templates open with one standard block of aliased imports (``import typing as _t``,
``from .. import _model_base as _mb`` ...). Each alias is an underscore name no spec
text can produce, so a file that never mentions ``_dt.`` does not need
``import datetime as _dt``: removing such lines here is exact, and much cheaper than
asking a linter to find unused imports in thousands of files.
"""

from __future__ import annotations

import re

_ALIASED_IMPORT = re.compile(r"^(?:import [\w.]+|from [\w.]+ import \w+) as (_\w+)\n", re.MULTILINE)


def drop_unused_aliases(text: str) -> str:
    """``text`` without the aliased import lines whose alias appears nowhere else."""
    unused = [
        match
        for match in _ALIASED_IMPORT.finditer(text)
        if not re.search(
            rf"\b{re.escape(match.group(1))}\b", text[: match.start()] + text[match.end() :]
        )
    ]
    for match in reversed(unused):
        text = text[: match.start()] + text[match.end() :]
    return text
