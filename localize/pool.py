"""Per-item steps on every core: one process per core, the results in the order of the items.

A step that takes an item (an article, a catalog) and returns a small value
runs here either in this process (``jobs=1``) or in a pool of worker
processes; either way the results come back in the order of the items, so
that reports and files are the same byte for byte whatever ``jobs`` is.
What every item needs (the configuration, settings) is handed to each
worker once, as ``context``, rather than with every item.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

_context: Any = None  # in a worker: what run_each was given as context


def default_jobs() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def job_count(jobs: int | None) -> int:
    """``jobs`` as asked, the number of cores when ``None``; at least one."""
    return default_jobs() if jobs is None else max(1, jobs)


def context() -> Any:
    """The context of the ``run_each`` this item runs in."""
    return _context


def _install(value: Any) -> None:
    global _context
    _context = value


def _start_worker(value: Any, step_pid: int | None) -> None:
    """A worker's set-up: the context, and a watch on the step's process.

    A forked worker shares the step's open files, the tree's lock among them
    (``lock.py``: flock belongs to the open file, not to a process). Were the
    step killed (kill -9), workers waiting for items that will never come would
    keep the tree locked: each leaves as soon as its parent is gone. The step's
    pid is taken before the fork (``step_pid``), not asked here: a step killed
    before this set-up runs has already left the worker to another parent.

    What a forked worker inherits (modules, the step's books) is frozen out of
    the garbage collector: a full collection no longer walks it, nor writes to
    its pages, which then stay shared with the step's process instead of
    being copied into each worker.
    """
    gc.freeze()
    _install(value)
    parent = os.getppid() if step_pid is None else step_pid

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.2)
        os._exit(1)

    threading.Thread(target=watch, name="parent watch", daemon=True).start()


def run_each(
    step: Callable[[Item], Result], items: Iterable[Item], *, context: Any, jobs: int | None,
) -> Iterator[Result]:
    """``step(item)`` for each item, in order, on ``jobs`` processes (``None``: every core).

    ``step`` must be a module-level function (it is sent to the workers by
    name); it reads ``context()``. Results are yielded as soon as they and
    those before them are done, so that the caller can report progress and
    keep no more than it needs.
    """
    if not isinstance(items, Sequence):  # (a sequence is read a chunk at a time: see ``_bounded_map``)
        items = list(items)
    workers = min(job_count(jobs), len(items))
    if workers <= 1:
        previous = _context
        _install(context)
        try:
            for item in items:
                yield step(item)
        finally:
            _install(previous)
        return
    # fork: the workers start at once and share what is already imported. Not from a process with other
    # threads (the preview server), whose locks a forked child could inherit held: a fresh process then.
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        start, step_pid = multiprocessing.get_context("fork"), os.getpid()
    else:  # (the workers' parent is then the fork server, or this process)
        start, step_pid = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn"), None
    chunk = max(1, min(16, len(items) // (workers * 8)))
    executor = ProcessPoolExecutor(max_workers=workers, mp_context=start, initializer=_start_worker,
                                   initargs=(context, step_pid))
    try:
        yield from _bounded_map(executor, step, items, chunk=chunk, ahead=workers * _CHUNKS_AHEAD)
    finally:
        # On an error (or a caller that stops early), what has not started is dropped.
        executor.shutdown(wait=True, cancel_futures=True)


# Chunks handed to the workers ahead of the one the caller waits for, per worker: enough to keep
# them busy, few enough that results the caller is slow to take do not pile up in its process.
_CHUNKS_AHEAD = 4


def _bounded_map(
    executor: ProcessPoolExecutor, step: Callable[[Item], Result], items: Sequence[Item], *, chunk: int, ahead: int,
) -> Iterator[Result]:
    """``executor.map(step, items, chunksize=chunk)``, with at most ``ahead`` chunks given out and not
    yet taken: ``map`` submits every chunk at once, and the results of a large archive wait in the
    step's process (megabytes of catalogs) for as long as the step is slower than its workers."""
    chunks = (list(items[start:start + chunk]) for start in range(0, len(items), chunk))
    pending: deque = deque()
    for part in chunks:
        pending.append(executor.submit(_run_chunk, step, part))
        if len(pending) >= ahead:
            break
    while pending:
        results = pending.popleft().result()
        part = next(chunks, None)
        if part is not None:
            pending.append(executor.submit(_run_chunk, step, part))
        yield from results


def _run_chunk(step: Callable[[Item], Result], part: list[Item]) -> list[Result]:
    """In a worker: ``step`` of each item of a chunk."""
    return [step(item) for item in part]
