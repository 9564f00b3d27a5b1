"""Spreading independent shares of work over forked processes.

Rendering thousands of files is CPU-bound Python, so threads would not help. Forked
children see the parent's objects as they were at the fork, so nothing but each share's
result (pickled) crosses a process boundary, and, for work taken on demand, the two ends
of its queue. Where ``fork`` is not available the shares run one after another in this
process, with the same results.
"""

from __future__ import annotations

import bisect
import functools
import gc
import itertools
import mmap
import os
import pickle
import struct
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
    """A forked share raised; the message holds the child's traceback, and the exception
    it raised is the cause when it could be sent back."""


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


CHUNKS_PER_PROCESS = 32
"""How finely ``from_both_ends`` cuts its queue: each process takes about this many
chunks of it, so the processes finish within about one chunk of each other."""


def from_both_ends(
    work: Callable[[range], list[Result]],
    weights: Sequence[int],
    processes: int,
    share_done: Callable[[], object] = lambda: None,
) -> list[Result]:
    """``work`` over every position of a queue of items with these weights; returns each
    item's result, in queue order. ``work(positions)`` returns one result a position.

    The items are taken on demand, in chunks of about equal weight: forked children take
    them from the front of the queue and this process from the back, until the two ends
    meet, so no process idles while another still has a share to finish. Work that needs
    something each process would have to work out for itself belongs at the back.
    ``share_done`` runs in each process once nothing is left for it to take (in a child,
    before its results are sent back)."""
    if processes <= 1 or not _can_fork():
        results = work(range(len(weights)))
        share_done()
        return results
    found: dict[int, Result] = {}
    with _Ends(weights, processes) as ends:

        def drain(from_back: bool) -> list[tuple[int, Result]]:
            done: list[tuple[int, Result]] = []
            while positions := ends.take(from_back):
                done.extend(zip(positions, work(positions), strict=True))
            share_done()
            return done

        tasks = [functools.partial(drain, True)]
        tasks.extend(functools.partial(drain, False) for _ in range(processes - 1))
        for share in in_parallel(*tasks):
            found.update(share)
    return [found[position] for position in range(len(weights))]


class _Ends:
    """The untaken part ``[front, back)`` of a queue, kept in an anonymous file in memory
    (no folder needed) that forked children map and share. A POSIX lock on the file,
    which the kernel drops if its holder dies, guards each take."""

    def __init__(self, weights: Sequence[int], processes: int) -> None:
        self._before = list(itertools.accumulate(weights, initial=0))
        """``_before[i]``: the weight of the items ahead of item ``i``."""
        self._chunk = max(1, self._before[-1] // (processes * CHUNKS_PER_PROCESS))
        self._descriptor = os.memfd_create("apismith-queue")
        os.ftruncate(self._descriptor, _ENDS.size)
        self._shared = mmap.mmap(self._descriptor, _ENDS.size)
        _ENDS.pack_into(self._shared, 0, 0, len(weights))

    def __enter__(self) -> _Ends:
        return self

    def __exit__(self, *_: object) -> None:
        self._shared.close()
        os.close(self._descriptor)

    def take(self, from_back: bool) -> range:
        """The next chunk from one end; empty once the ends have met."""
        import fcntl  # POSIX only, as forking is

        fcntl.lockf(self._descriptor, fcntl.LOCK_EX)
        try:
            front, back = _ENDS.unpack_from(self._shared)
            if front >= back:
                return range(0)
            # from either end, the fewest items that weigh a chunk (or all that are left)
            if from_back:
                past = bisect.bisect_right(
                    self._before, self._before[back] - self._chunk, front, back
                )
                taken = range(max(front, past - 1), back)
                _ENDS.pack_into(self._shared, 0, front, taken.start)
            else:
                end = bisect.bisect_left(
                    self._before, self._before[front] + self._chunk, front + 1, back
                )
                taken = range(front, end)
                _ENDS.pack_into(self._shared, 0, end, back)
            return taken
        finally:
            fcntl.lockf(self._descriptor, fcntl.LOCK_UN)


_ENDS = struct.Struct("qq")


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
            trace, error = value
            raise WorkerError(f"a forked worker failed:\n{trace}") from error
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
        except BaseException as error:
            payload = pickle.dumps((False, (traceback.format_exc(), _picklable(error))))
        with os.fdopen(write, "wb") as pipe:
            pipe.write(payload)
    finally:
        os._exit(0)


def _picklable(error: BaseException) -> BaseException | None:
    """The exception itself, to be the cause of the ``WorkerError`` raised for it, if it
    survives pickling."""
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:
        return None
    return error


def _collect(pid: int, read: int) -> tuple[bool, Any]:
    with os.fdopen(read, "rb") as pipe:
        payload = pipe.read()
    _, status = os.waitpid(pid, 0)
    if not payload:
        return False, (f"the worker process ended without a result (wait status {status})", None)
    ok, value = pickle.loads(payload)
    return ok, value
