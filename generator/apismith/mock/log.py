"""The request log: one line per request, written in batches.

Writing each line at once costs a system call per request; under load that is a
noticeable share of the time. Lines are collected and written together a moment later
(at most ``delay`` seconds), which keeps the log timely for a person watching it.
"""

from __future__ import annotations

import asyncio
import sys
from typing import TextIO


class BatchedLog:
    def __init__(self, stream: TextIO | None = None, delay: float = 0.05) -> None:
        self.stream = stream
        self.delay = delay
        self.pending: list[str] = []
        self.scheduled = False

    def __call__(self, line: str) -> None:
        self.pending.append(line)
        if self.scheduled:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.flush()
            return
        self.scheduled = True
        loop.call_later(self.delay, self.flush)

    def flush(self) -> None:
        self.scheduled = False
        if not self.pending:
            return
        lines, self.pending = self.pending, []
        stream = self.stream or sys.stderr
        stream.write("\n".join(lines) + "\n")
        stream.flush()
