"""Spreading independent shares of work over forked processes.

Rendering thousands of files is CPU-bound Python, so threads would not help. Forked
children see the parent's objects as they were at the fork, so nothing but each share's
result (pickled) crosses a process boundary. Where ``fork`` is not available the shares
run one after another in this process, with the same results.
"""

from __future__ import annotations

import functools
import gc
import heapq
import os
import pickle
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar, cast

Result = TypeVar("Result")
Here = TypeVar("Here")
There = TypeVar("There")

MAX_WORKERS = 4


class WorkerError(RuntimeError):
    """A forked share raised; the message holds the child's traceback."""


def usable_cpus() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def worker_count(items: int, per_worker: int) -> int:
    """How many shares ``items`` pieces of work are worth: one per ``per_worker`` pieces,
    at most one per usable CPU, and one where forking is unavailable."""
    if not _can_fork():
        return 1
    return max(1, min(usable_cpus(), MAX_WORKERS, items // per_worker))


FORK_FROM_BYTES = 1 << 20
"""Spec size from which checking it in two processes beats the cost of forking."""


def worth_forking(spec: Path) -> bool:
    """Whether a spec file is big enough to check in two processes at once."""
    try:
        return spec.stat().st_size >= FORK_FROM_BYTES
    except OSError:
        return False


def _can_fork() -> bool:
    return hasattr(os, "fork") and sys.platform.startswith("linux")


def balanced(weights: Sequence[int], shares: int) -> list[list[int]]:
    """Indexes of ``weights`` dealt into ``shares`` lists of about equal total weight
    (heaviest first, each to the lightest share so far); each list in index order."""
    loads = [(0, share) for share in range(shares)]
    dealt: list[list[int]] = [[] for _ in range(shares)]
    for index in sorted(range(len(weights)), key=lambda i: (-weights[i], i)):
        load, share = heapq.heappop(loads)
        dealt[share].append(index)
        heapq.heappush(loads, (load + weights[index], share))
    return [sorted(indexes) for indexes in dealt]


def fork_map(work: Callable[[int, int], Result], shares: int) -> list[Result]:
    """``[work(0, shares), work(1, shares), ...]``: share 0 runs here, the others in
    forked children. A child's exception is raised here as ``WorkerError``."""
    tasks = [functools.partial(work, index, shares) for index in range(shares)]
    return cast(list[Result], in_parallel(*tasks))


def beside(
    here: Callable[[], Here], there: Callable[[], There], fork: bool = True
) -> tuple[Here, There]:
    """(here(), there()), with ``there`` run in a forked child while ``here`` runs in this
    process (which keeps whatever ``here`` changes). Unless ``fork``, ``there`` runs first:
    either way it sees nothing ``here`` changes."""
    if not fork:
        later = there()
        return here(), later
    first, second = in_parallel(here, there)
    return cast(Here, first), cast(There, second)


def in_parallel(*tasks: Callable[[], Any]) -> list[Any]:
    """Each task's result, in order: the first task runs here, the others in forked
    children at the same time. A child's exception is raised here as ``WorkerError``."""
    if len(tasks) <= 1 or not _can_fork():
        return [task() for task in tasks]
    children: list[tuple[int, int]] = []
    # objects the collector never visits are never written to, so a child need not copy
    # the pages holding them
    gc.freeze()
    try:
        children.extend(_fork(task) for task in tasks[1:])
        results = [tasks[0]()]
    finally:
        finished = [_collect(pid, read) for pid, read in children]
        gc.unfreeze()
    for ok, value in finished:
        if not ok:
            raise WorkerError(f"a forked worker failed:\n{value}")
        results.append(value)
    return results


def _fork(task: Callable[[], Result]) -> tuple[int, int]:
    read, write = os.pipe()
    pid = os.fork()
    if pid != 0:
        os.close(write)
        return pid, read
    try:  # in the child from here on: whatever happens, never return into the caller
        os.close(read)
        try:
            payload = pickle.dumps((True, task()))
        except BaseException:
            payload = pickle.dumps((False, traceback.format_exc()))
        with os.fdopen(write, "wb") as pipe:
            pipe.write(payload)
    finally:
        os._exit(0)


def _collect(pid: int, read: int) -> tuple[bool, object]:
    with os.fdopen(read, "rb") as pipe:
        payload = pipe.read()
    _, status = os.waitpid(pid, 0)
    if not payload:
        return False, f"the worker process ended without a result (wait status {status})"
    ok, value = pickle.loads(payload)
    return ok, value
