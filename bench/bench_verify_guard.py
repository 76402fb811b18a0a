"""Public verification under attack (核验接口抗压): the answer time of crafted uploads to
`POST /api/v1/verify` on a real server (`oneseal serve`, granian, 2 workers, SQLite), and
what a visitor of the public pages waits meanwhile.

a. A 20 MB upload with no %%EOF in its last kilobyte: refused 422 before parsing.
   Target: every answer under 1 s. Baseline: what pyHanko spends parsing that file in
   process (what every such upload cost before the cheap check).
b. A 20 MB upload that ends in %%EOF but costs pyHanko seconds: answered 422 at the
   deadline (ONESEAL_VERIFY_TIMEOUT, 5 s by default), its helper process killed. Target:
   the deadline plus 2 s (a helper is started afresh, ~1 s, and the 20 MB travel to it).
c. A body larger than the limit (30 MB declared): refused 413 by Content-Length.
d. Four parallel uploads of (a), four times, while a visitor opens the home page: the
   visitor's slowest answer. Target under 1 s.

Every round is reported (no best-of). Run alone: `.venv/bin/python bench/bench_verify_guard.py
[--quick]`.
"""

from __future__ import annotations

import concurrent.futures
import io
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import bench_env, report, row, run_command

BIN = Path(sys.executable).parent
QUICK = "--quick" in sys.argv or os.environ.get("BENCH_QUICK") == "1"
ROUNDS = 3 if QUICK else 5
MB = 1024 * 1024
NO_EOF = b"%PDF-1.7\n" + b"\0" * (20 * MB - 100)
SLOW_WITH_EOF = NO_EOF + b"\n%%EOF\n"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _multipart(data: bytes) -> tuple[bytes, str]:
    boundary = "oneseal-bench-boundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename=\"x.pdf\"\r\nContent-Type: application/pdf\r\n\r\n").encode() \
        + data + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def _post(url: str, data: bytes) -> tuple[int, float]:
    """POST a file; (status, seconds from the first byte sent to the whole answer read)."""
    body, content_type = _multipart(data)
    request = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Content-Type": content_type})
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=120) as answer:
            answer.read()
            status = answer.status
    except urllib.error.HTTPError as err:
        err.read()
        status = err.code
    return status, time.perf_counter() - start


def _declared_too_large(port: int) -> tuple[int, float]:
    """Send only the headers of a 30 MB body and read the answer (raw socket)."""
    start = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(b"POST /api/v1/verify HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     b"Content-Type: application/pdf\r\nContent-Length: 31457280\r\n\r\n"
                     + b"\0" * 65536)
        head = sock.recv(4096)
    elapsed = time.perf_counter() - start
    return int(head.split(b" ", 2)[1]), elapsed


def _get(url: str) -> float:
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=120) as answer:
        answer.read()
    return time.perf_counter() - start


def _baseline_parse_seconds() -> float:
    """pyHanko reading the no-%%EOF file in this process (what it cost before)."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    start = time.perf_counter()
    try:
        PdfFileReader(io.BytesIO(NO_EOF), strict=False).embedded_signatures  # noqa: B018
    except Exception:  # noqa: S110 - it fails, slowly: the time is what we measure
        pass
    return time.perf_counter() - start


def run() -> list[dict[str, Any]]:
    tmp = Path(tempfile.mkdtemp(prefix="oneseal-bench-verify-"))
    env = bench_env(tmp)
    env.pop("ONESEAL_PUBLIC_URL", None)
    run_command(env, str(BIN / "oneseal"), "manage", "migrate", "--noinput", "-v", "0")
    port = _free_port()
    server = subprocess.Popen(
        [str(BIN / "oneseal"), "serve", "--workers", "2", "--port", str(port), "--no-worker"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    rows: list[dict[str, Any]] = []
    try:
        deadline = time.time() + 120
        while True:
            try:
                _get(f"{base}/healthz")
                break
            except OSError:
                if time.time() > deadline or server.poll() is not None:
                    raise RuntimeError("oneseal serve did not start") from None
                time.sleep(0.3)
        for _ in range(6):  # every worker has loaded its views: a server under attack is warm
            _get(f"{base}/verify/")
        baseline = 0.0 if QUICK else _baseline_parse_seconds()
        url = f"{base}/api/v1/verify"

        times = []
        for i in range(ROUNDS):
            status, seconds = _post(url, NO_EOF)
            assert status == 422, status
            times.append(seconds)
            rows.append(row(f"a. 20 MB without %%EOF, round {i + 1} (422)", seconds, "s",
                            target=1.0, baseline=baseline or None, higher_is_better=False))
        rows.append(row("a. 20 MB without %%EOF, slowest round", max(times), "s", target=1.0,
                        baseline=baseline or None, higher_is_better=False,
                        note="baseline: pyHanko parsing the same file in process"))

        for i in range(1 if QUICK else 2):
            status, seconds = _post(url, SLOW_WITH_EOF)
            rows.append(row(f"b. 20 MB ending in %%EOF, round {i + 1} ({status})", seconds, "s",
                            target=7.0, higher_is_better=False,
                            note="422 at the 5 s deadline (+ starting a fresh helper), "
                                 "the helper killed"))

        status, seconds = _declared_too_large(port)
        rows.append(row(f"c. 30 MB declared, refused by Content-Length ({status})", seconds,
                        "s", target=1.0, higher_is_better=False))

        visitor = []
        with concurrent.futures.ThreadPoolExecutor(max_workers=5) as pool:
            for _round in range(2 if QUICK else 4):
                attacks = [pool.submit(_post, url, NO_EOF) for _ in range(4)]
                visitor.append(pool.submit(_get, f"{base}/").result())
                statuses = [f.result()[0] for f in attacks]
                assert set(statuses) == {422}, statuses
        for i, seconds in enumerate(visitor, start=1):
            rows.append(row(f"d. home page during 4 parallel attacks, round {i}", seconds, "s",
                            target=1.0, higher_is_better=False))
    finally:
        server.terminate()
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
    return rows


if __name__ == "__main__":
    report("verify_guard", run())
