"""The pool's workers do not outlive the step that started them."""

from __future__ import annotations

import multiprocessing
import os
import time

import pytest

from localize import pool


def _worker_whose_step_is_gone(step_pid: int) -> None:
    pool._start_worker(None, step_pid)
    time.sleep(60)  # as a worker waiting for items that will never come


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="workers are forked on Linux")
def test_a_worker_whose_step_was_killed_before_its_set_up_leaves():
    # The step is killed between the fork and the worker's set-up: the worker's parent is already
    # another process (init) when it asks, and it must still notice that its step is gone.
    gone = multiprocessing.get_context("fork").Process(target=os.getpid)
    gone.start()
    gone.join()
    worker = multiprocessing.get_context("fork").Process(target=_worker_whose_step_is_gone, args=(gone.pid,))
    worker.start()
    worker.join(timeout=20)
    alive = worker.is_alive()
    if alive:
        worker.kill()
    assert not alive and worker.exitcode == 1


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="workers are forked on Linux")
def test_a_worker_stays_while_its_step_lives():
    worker = multiprocessing.get_context("fork").Process(target=_worker_whose_step_is_gone, args=(os.getpid(),))
    worker.start()
    worker.join(timeout=1)
    alive = worker.is_alive()
    worker.kill()
    worker.join()
    assert alive
