"""A small bounded pool of helper processes for work that an outsider can make expensive
(parsing an uploaded PDF: a crafted 20 MB file costs pyHanko seconds of CPU).

- at most `size` jobs of one pool run at once in this process (a semaphore); a caller that
  cannot get a slot within `wait` seconds gets `PoolBusy` instead of queueing forever;
- each job runs in a helper process of its own slot and has a deadline: past it the helper
  is killed (CPU really stops) and the caller gets `PoolTimeout`; the slot starts a fresh
  helper for its next job;
- helpers are started lazily with the "spawn" method (never a fork of a threaded web
  worker) and import nothing of Django: a job is a plain function `module:function` taking
  and returning picklable values;
- a helper may be given a memory limit (its address space): a job that needs more fails
  with MemoryError inside the helper (`PoolFailed`) instead of starving the machine.

The limit is per web worker process: with `oneseal serve --workers 2` and a pool of two,
at most four such jobs run on the machine.
"""

from __future__ import annotations

import importlib
import multiprocessing
import threading
from multiprocessing.connection import Connection
from typing import Any

STARTUP_TIMEOUT = 60.0  # seconds for a fresh helper to import its modules (not attacker-driven)


class PoolError(Exception):
    """Base class: the job did not run to an answer."""


class PoolBusy(PoolError):
    """Every slot stayed busy for the caller's whole wait."""


class PoolTimeout(PoolError):
    """The job passed its deadline; its helper was killed."""


class PoolFailed(PoolError):
    """The job raised in the helper, or the helper died."""


def _helper(conn: Connection, preload: tuple[str, ...], memory_bytes: int | None) -> None:
    """The helper process: import the preloaded modules, limit its memory, say ready, then
    run jobs."""
    if memory_bytes:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    for module in preload:
        importlib.import_module(module)
    conn.send(("ready", None))
    while True:
        try:
            target, args = conn.recv()
        except (EOFError, OSError):  # the parent went away
            return
        module, _sep, name = target.partition(":")
        try:
            result = getattr(importlib.import_module(module), name)(*args)
        except Exception as exc:  # report, keep serving
            conn.send(("error", f"{type(exc).__name__}: {exc}"))
        else:
            conn.send(("ok", result))


def _never_returns() -> None:
    """A job that blocks until killed (the pool's tests use it for the deadline)."""
    import os

    read_end, _write_end = os.pipe()
    os.read(read_end, 1)


class _Slot:
    def __init__(self, preload: tuple[str, ...], memory_bytes: int | None) -> None:
        self.preload = preload
        self.memory_bytes = memory_bytes
        self.process: Any = None
        self.conn: Connection | None = None

    def _start(self) -> Connection:
        ctx = multiprocessing.get_context("spawn")
        parent, child = ctx.Pipe()
        process = ctx.Process(target=_helper, args=(child, self.preload, self.memory_bytes),
                              daemon=True, name="oneseal-isolated")
        process.start()
        child.close()
        if not parent.poll(STARTUP_TIMEOUT):
            process.kill()
            process.join()
            raise PoolFailed("helper did not start")
        parent.recv()  # ("ready", None)
        self.process, self.conn = process, parent
        return parent

    def kill(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.join()
        if self.conn is not None:
            self.conn.close()
        self.process = self.conn = None

    def run(self, target: str, args: tuple[Any, ...], timeout: float) -> Any:
        conn = self.conn
        if conn is None or self.process is None or not self.process.is_alive():
            self.kill()
            conn = self._start()
        try:
            conn.send((target, args))
            ready = conn.poll(timeout)
        except (OSError, EOFError) as exc:
            self.kill()
            raise PoolFailed("helper died") from exc
        if not ready:
            self.kill()
            raise PoolTimeout(f"{target} passed its deadline of {timeout}s")
        try:
            status, value = conn.recv()
        except (OSError, EOFError) as exc:
            self.kill()
            raise PoolFailed("helper died") from exc
        if status != "ok":
            raise PoolFailed(str(value))
        return value


class IsolatedPool:
    """`size` helper processes at most; see the module docstring."""

    def __init__(self, size: int, preload: tuple[str, ...] = (),
                 memory_bytes: int | None = None) -> None:
        self.size = max(1, int(size))
        self._semaphore = threading.BoundedSemaphore(self.size)
        self._lock = threading.Lock()
        self._idle = [_Slot(preload, memory_bytes) for _ in range(self.size)]

    def acquire(self, wait: float) -> _Slot:
        """Take a free slot (give it back with `release`); PoolBusy after `wait` seconds."""
        if not self._semaphore.acquire(timeout=max(0.0, wait)):
            raise PoolBusy("every slot is busy")
        with self._lock:
            return self._idle.pop()

    def release(self, slot: _Slot) -> None:
        with self._lock:
            self._idle.append(slot)
        self._semaphore.release()

    def run(self, target: str, *args: Any, timeout: float, wait: float) -> Any:
        """Run `target` ("package.module:function") with `args` in a helper process."""
        slot = self.acquire(wait)
        try:
            return slot.run(target, args, timeout)
        finally:
            self.release(slot)

    def helpers_alive(self) -> int:
        """How many helper processes are running now (for tests and monitoring)."""
        with self._lock:
            slots = list(self._idle)
        return sum(1 for s in slots if s.process is not None and s.process.is_alive())

    def close(self) -> None:
        with self._lock:
            for slot in self._idle:
                slot.kill()
