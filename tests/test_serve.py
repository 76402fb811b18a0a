"""`oneseal serve` starts a real WSGI server (granian or gunicorn) with N workers."""

import json
import os
import re
import signal
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


def _children(pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True,
                           check=False).stdout.split()
    return [int(p) for p in found]


def _cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
            return r.read() == b"ok"
    except OSError:
        return False


def _until(condition, limit: float = 60.0, what: str = "") -> None:
    """Poll `condition` (bounded): a few tenths of a second between tries."""
    deadline = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def test_serve_replaces_a_killed_web_worker_and_restarts_the_background_worker(tmp_path):
    """Killing one granian worker (SIGKILL) used to shut the whole server down: now the
    server replaces it and keeps answering; the background worker that `oneseal serve`
    supervises is restarted when it is killed."""
    port = _free_port()
    env = {**os.environ, "ONESEAL_DATA_DIR": str(tmp_path), "ONESEAL_DEV": "1", "DEBUG": "0",
           "DATABASE_URL": ""}
    env.pop("ONESEAL_TESTING", None)
    subprocess.run([sys.executable, "-m", "oneseal.cli", "manage", "migrate", "--noinput",
                    "-v", "0"], env=env, check=True, timeout=300)
    proc = subprocess.Popen(
        [sys.executable, "-m", "oneseal.cli", "serve", "--workers", "2", "--port", str(port),
         "--no-collectstatic"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _until(lambda: _healthy(port), 90, "the server")
        children = _children(proc.pid)
        server = next(p for p in children if "granian" in _cmdline(p))
        worker = next(p for p in children if "oneseal.cli worker" in _cmdline(p))
        _until(lambda: len(_children(server)) == 2, 30, "two web workers")
        web_workers = set(_children(server))

        os.kill(min(web_workers), signal.SIGKILL)
        os.kill(worker, signal.SIGKILL)

        def replaced() -> bool:
            now = set(_children(server))
            return len(now) == 2 and now != web_workers
        _until(replaced, 30, "a new web worker")
        _until(lambda: _healthy(port), 30, "the server to answer")
        assert proc.poll() is None and server in _children(proc.pid)
        answered = sum(_healthy(port) for _ in range(10))
        assert answered == 10

        def restarted() -> list[int]:
            return [p for p in _children(proc.pid)
                    if "oneseal.cli worker" in _cmdline(p) and p != worker]
        _until(lambda: bool(restarted()), 30, "the background worker's restart")
    finally:
        proc.terminate()
        proc.wait(30)
    assert _children(proc.pid) == []


def test_demo_serves_verifies_its_licence_and_stops_with_its_worker(tmp_path):
    """`oneseal demo` (the README's first command): migrate, load the demo, serve, and run
    the signing worker beside the server; the demo licence it wrote verifies over HTTP, and
    a plain `kill` stops the server and the worker with it."""
    port = _free_port()
    env = {**os.environ, "ONESEAL_DATA_DIR": str(tmp_path), "ONESEAL_DEV": "1",
           "DATABASE_URL": "", "PORT": str(port)}
    env.pop("ONESEAL_TESTING", None)
    console = tmp_path / "console.log"
    proc = subprocess.Popen([sys.executable, "-m", "oneseal.cli", "demo"], env=env,
                            stdout=console.open("w"), stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.time() + 240
        ready = False
        while time.time() < deadline and not ready:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                    ready = True
            except OSError:
                assert proc.poll() is None, console.read_text()
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
        # A second terminal with none of the project's variables: the demo's settings file
        # (0600, in the data directory) is enough for the command line.
        settings_file = tmp_path / "oneseal.env"
        assert settings_file.stat().st_mode & 0o777 == 0o600
        bare = {k: v for k, v in os.environ.items()
                if k not in ("SECRET_KEY", "ONESEAL_DEV", "DEBUG", "ONESEAL_TESTING",
                             "DATABASE_URL", "PORT")}
        bare["ONESEAL_DATA_DIR"] = str(tmp_path)
        for args in (["deadline", "2026-09-28", "20", "--json"],
                     ["token", "create", "--user", "clerk"]):
            run = subprocess.run([sys.executable, "-m", "oneseal.cli", *args], env=bare,
                                 capture_output=True, text=True, timeout=120, check=False)
            assert run.returncode == 0 and "Traceback" not in run.stderr, run.stderr
        # The sample case the demo prints opens on the public progress page.
        sample = re.search(r"case number (\S+)，查询码 query code (\S+)", console.read_text())
        assert sample is not None
        page = _post_progress(port, sample.group(1), sample.group(2))
        assert sample.group(1) in page and "未找到该办件" not in page
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


def _post_progress(port: int, number: str, code: str) -> str:
    """The /progress/ form as a browser sends it (CSRF cookie and token)."""
    import http.cookiejar
    import urllib.parse

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    url = f"http://127.0.0.1:{port}/progress/"
    with opener.open(url, timeout=10) as r:
        form = r.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
    assert token is not None
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": token.group(1), "number": number,
                                   "query_code": code}).encode()
    request = urllib.request.Request(url, data=body, headers={"Referer": url})
    with opener.open(request, timeout=10) as r:
        return r.read().decode()


def _environ_of(pid: str) -> str:
    try:
        with open(f"/proc/{pid}/environ", "rb") as f:
            return f.read().decode(errors="replace")
    except OSError:
        return ""
