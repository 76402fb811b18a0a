"""`oneseal serve` starts a real WSGI server (granian or gunicorn) with N workers."""

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
