"""`oneseal serve` starts a real WSGI server (granian or gunicorn) with N workers."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("server", ["granian", "gunicorn"])
def test_serve_answers_with_two_workers(server, tmp_path):
    port = _free_port()
    env = {**os.environ, "ONESEAL_DATA_DIR": str(tmp_path), "ONESEAL_DEV": "1", "DEBUG": "0",
           "DATABASE_URL": ""}
    proc = subprocess.Popen(
        [sys.executable, "-m", "oneseal.cli", "serve", "--server", server, "--workers", "2",
         "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        body = None
        deadline = time.time() + 60
        while time.time() < deadline and body is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    body = r.read()
            except OSError:
                time.sleep(0.3)
        assert body == b"ok"
        # Static assets are served by the project itself (closed intranets have no CDN).
        with urllib.request.urlopen(
            f"http://127.0.0.1:{port}/static/vendor/htmx/htmx.min.js", timeout=5
        ) as r:
            assert r.status == 200 and len(r.read()) > 10_000
    finally:
        proc.terminate()
        proc.wait(15)


def test_demo_serves_verifies_its_licence_and_stops_with_its_worker(tmp_path):
    """`oneseal demo` (the README's first command): migrate, load the demo, serve, and run
    the signing worker beside the server; the demo licence it wrote verifies over HTTP, and
    a plain `kill` stops the server and the worker with it."""
    port = _free_port()
    env = {**os.environ, "ONESEAL_DATA_DIR": str(tmp_path), "ONESEAL_DEV": "1",
           "DATABASE_URL": "", "PORT": str(port)}
    env.pop("ONESEAL_TESTING", None)
    proc = subprocess.Popen([sys.executable, "-m", "oneseal.cli", "demo"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.time() + 240
        ready = False
        while time.time() < deadline and not ready:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                    ready = True
            except OSError:
                assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
                time.sleep(0.5)
        assert ready
        licence = tmp_path / "demo-licence.pdf"
        boundary = "oneseal-test-boundary"
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
                f"filename=\"demo-licence.pdf\"\r\nContent-Type: application/pdf\r\n\r\n"
                ).encode() + licence.read_bytes() + f"\r\n--{boundary}--\r\n".encode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/v1/verify", data=body, method="POST",
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
        with urllib.request.urlopen(request, timeout=30) as r:  # noqa: S310 (our own server)
            answer = json.loads(r.read())
        assert answer["valid"] is True and answer["details"]["ledger"]["licence"]
        worker_log = tmp_path / "worker.log"
        assert worker_log.exists()
    finally:
        proc.terminate()
        proc.wait(30)
    time.sleep(1)
    survivors = subprocess.run(["pgrep", "-f", f"--port {port}"], capture_output=True,
                               text=True, check=False).stdout.split()
    workers = subprocess.run(["pgrep", "-f", "oneseal.cli worker"], capture_output=True,
                             text=True, check=False).stdout.split()
    assert survivors == []
    # no worker of this demo is left (other tests' workers run with --batch and end)
    assert all(str(tmp_path) not in _environ_of(pid) for pid in workers)


def _environ_of(pid: str) -> str:
    try:
        with open(f"/proc/{pid}/environ", "rb") as f:
            return f.read().decode(errors="replace")
    except OSError:
        return ""
