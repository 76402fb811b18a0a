"""The bounded pool of helper processes (core/isolate.py) that parses what outsiders upload:
a job's error comes back as PoolFailed and the helper serves the next job; a job past its
deadline is killed (PoolTimeout); a job that needs more memory than the helper's limit fails
inside the helper; a caller finding every slot busy gets PoolBusy at once."""

from __future__ import annotations

import pytest

from oneseal.core.isolate import IsolatedPool, PoolBusy, PoolFailed, PoolTimeout

GB = 1024 ** 3


@pytest.fixture
def pool():
    pool = IsolatedPool(1, memory_bytes=GB)
    yield pool
    pool.close()


def test_a_job_runs_in_a_helper_and_returns_its_value(pool):
    assert pool.run("os:getpid", timeout=60, wait=0) != __import__("os").getpid()
    assert pool.run("operator:add", 2, 3, timeout=60, wait=0) == 5
    assert pool.helpers_alive() == 1


def test_a_failing_job_is_reported_and_the_helper_serves_the_next(pool):
    with pytest.raises(PoolFailed) as err:
        pool.run("operator:truediv", 1, 0, timeout=60, wait=0)
    assert "ZeroDivisionError" in str(err.value)
    first = pool.run("os:getpid", timeout=60, wait=0)
    assert pool.run("os:getpid", timeout=60, wait=0) == first  # the same helper


def test_a_job_past_its_deadline_is_killed(pool):
    before = pool.run("os:getpid", timeout=60, wait=0)
    with pytest.raises(PoolTimeout):
        # reading a pipe nobody writes to never ends: only the kill stops it
        pool.run("oneseal.core.isolate:_never_returns", timeout=0.2, wait=0)
    assert pool.helpers_alive() == 0
    assert pool.run("os:getpid", timeout=60, wait=0) != before  # a fresh helper


def test_a_job_needing_more_than_the_memory_limit_fails_in_the_helper(pool):
    with pytest.raises(PoolFailed) as err:
        pool.run("builtins:bytearray", 2 * GB, timeout=60, wait=0)
    assert "MemoryError" in str(err.value)
    assert pool.run("operator:add", 1, 1, timeout=60, wait=0) == 2


def test_every_slot_busy_is_pool_busy_and_nothing_runs(pool):
    slot = pool.acquire(0)
    try:
        with pytest.raises(PoolBusy):
            pool.run("operator:add", 1, 1, timeout=60, wait=0)
    finally:
        pool.release(slot)
    assert pool.run("operator:add", 1, 1, timeout=60, wait=0) == 2
