"""Progress of long work: shown on a terminal, silent when piped or in CI."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol, TextIO


class Progress(Protocol):
    def phase(self, text: str) -> None:
        """The work now under way, e.g. ``rendering 6,584 files``."""


class Silent:
    def phase(self, text: str) -> None:
        pass


class Status:
    """One status line that each phase replaces (rich's spinner)."""

    def __init__(self, label: str, stream: TextIO) -> None:
        from rich.console import Console

        self._status = Console(file=stream).status(label)
        self._label = label

    def phase(self, text: str) -> None:
        self._status.update(f"{self._label}: {text}")

    def __enter__(self) -> Status:
        self._status.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._status.__exit__(None, None, None)


def wanted(stream: TextIO) -> bool:
    return stream.isatty() and not os.environ.get("CI")


@contextmanager
def progress(label: str, stream: TextIO | None = None) -> Iterator[Progress]:
    """A progress reporter for ``label``: a live status line on a terminal, else silence."""
    target = stream or sys.stderr
    if not wanted(target):
        yield Silent()
        return
    with Status(label, target) as status:
        yield status
