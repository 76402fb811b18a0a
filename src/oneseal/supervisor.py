"""The supervisor of `oneseal serve` and `oneseal demo`: the WSGI server and the background
worker (`oneseal worker`) side by side, as one service.

- The WSGI server restarts its own dead worker processes (granian with
  ``--respawn-failed-workers``, gunicorn always); when the server itself ends, the worker is
  stopped and the supervisor exits with the server's status.
- The background worker is restarted whenever it dies, after a pause that doubles while it
  keeps dying young (1 s up to 30 s), so that a worker that cannot start (no database yet)
  does not spin.
- SIGTERM or SIGINT stop both (terminate, then kill after 10 s).

Standard library only: this process never loads Django.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from typing import IO

MIN_PAUSE = 1.0
MAX_PAUSE = 30.0
HEALTHY_AFTER = 60.0  # a worker that lived this long is restarted after the shortest pause
POLL = 0.5


class _Stop(Exception):
    pass


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class Supervisor:
    def __init__(self, server: list[str], worker: list[str] | None, *,
                 worker_log: IO[str] | None = None) -> None:
        self.server_cmd = server
        self.worker_cmd = worker
        self.worker_log = worker_log
        self.web: subprocess.Popen[bytes] | None = None
        self.worker: subprocess.Popen[bytes] | None = None
        self.worker_started = 0.0
        self.pause = MIN_PAUSE / 2  # doubled at each early death: the first restart waits 1 s
        self.restart_at: float | None = None

    def _start_worker(self) -> None:
        assert self.worker_cmd is not None
        out = self.worker_log if self.worker_log is not None else None
        self.worker = subprocess.Popen(self.worker_cmd, stdout=out,  # noqa: S603 (ours)
                                       stderr=subprocess.STDOUT if out else None)
        self.worker_started = time.monotonic()
        self.restart_at = None

    def _check_worker(self) -> None:
        now = time.monotonic()
        if self.worker is not None and self.worker.poll() is not None:
            lived = now - self.worker_started
            self.pause = MIN_PAUSE if lived >= HEALTHY_AFTER else min(self.pause * 2,
                                                                       MAX_PAUSE)
            _say(f"后台任务进程已退出（状态 {self.worker.returncode}），{self.pause:.0f} 秒后重启"
                 f" / background worker exited ({self.worker.returncode}), restarting in "
                 f"{self.pause:.0f} s")
            self.worker = None
            self.restart_at = now + self.pause
        if self.worker is None and self.restart_at is not None and now >= self.restart_at:
            self._start_worker()

    def run(self) -> int:
        def stop(_signum: int, _frame: object) -> None:
            raise _Stop

        previous = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGINT)}
        code = 0
        try:
            if self.worker_cmd is not None:
                self._start_worker()
            self.web = subprocess.Popen(self.server_cmd)  # noqa: S603 (our own command)
            while True:
                if self.web.poll() is not None:
                    code = self.web.returncode
                    break
                if self.worker_cmd is not None:
                    self._check_worker()
                time.sleep(POLL)
        except (_Stop, KeyboardInterrupt):
            code = 0
        finally:
            self._stop_all()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        return code

    def _stop_all(self) -> None:
        children = [c for c in (self.web, self.worker) if c is not None]
        for child in children:
            if child.poll() is None:
                child.terminate()
        for child in children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
