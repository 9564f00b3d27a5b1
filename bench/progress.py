"""Progress lines on stderr for a person at a terminal; silence for logs and CI."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TextIO

Say = Callable[[str], None]


def wanted(stream: TextIO, environ: dict[str, str] | None = None) -> bool:
    """Progress is shown only on a terminal and never when ``CI`` is set."""
    env = os.environ if environ is None else environ
    return stream.isatty() and not env.get("CI")


def reporter(stream: TextIO | None = None, *, enabled: bool | None = None) -> Say:
    """A function that prints one progress line, or does nothing when progress is unwanted."""
    out = sys.stderr if stream is None else stream
    show = wanted(out) if enabled is None else enabled

    def say(message: str) -> None:
        if show:
            print(f"bench: {message}", file=out, flush=True)

    return say


def silent(message: str) -> None:
    """A ``Say`` that says nothing (for tests and library use)."""
