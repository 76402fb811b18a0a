"""The in-Django half of bench/bench_events.py, run as a subprocess against one database
(ONESEAL_DATA_DIR / DATABASE_URL from the environment). Prints one line `RESULT <json>`.

    python bench/events_probe.py EVENTS STREAMS LIVE

1. raw insert rate (the baseline): EVENTS events written to the outbox by `events.emit`,
   one transaction each, with one matching subscription (so one delivery row each) — the
   rate the bureau produces events at;
2. an hour's outage: the receiver (a separate process, http.server on 127.0.0.1) is down;
   delivery rounds during the hour (simulated clock) fail and back off;
3. the drain: the receiver comes back; the time until all EVENTS deliveries are delivered,
   and each event arrived once, in order per stream;
4. live delivery: LIVE more events delivered as they come (receiver up), events/second.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import subprocess
import sys
import time
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oneseal.config.settings")

import django

django.setup()

from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from oneseal.coordination import events, webhooks  # noqa: E402
from oneseal.coordination.models import Subscription, WebhookDelivery  # noqa: E402
from oneseal.coordination.models_events import DeliveryState  # noqa: E402

RECEIVER = r'''
import json, sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
seen = {}
dupes = 0
disorder = 0
class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        global dupes, disorder
        body = self.rfile.read(int(self.headers["Content-Length"]))
        event = json.loads(body)
        stream, seq = event["stream"], int(event["sequence"])
        last = seen.get(stream, 0)
        if seq <= last:
            dupes += 1
        elif seq != last + 1:
            disorder += 1
        seen[stream] = max(last, seq)
        self.send_response(204); self.send_header("Content-Length", "0"); self.end_headers()
    def do_GET(self):
        out = json.dumps({"streams": len(seen), "received": sum(seen.values()),
                          "dupes": dupes, "disorder": disorder}).encode()
        self.send_response(200); self.send_header("Content-Length", str(len(out)))
        self.end_headers(); self.wfile.write(out)
    def log_message(self, *a):
        pass
ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
'''


def free_port() -> int:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return int(port)


def start_receiver(port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen([sys.executable, "-c", RECEIVER, str(port)])
    for _i in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("receiver did not start")


def receiver_stats(port: int) -> dict[str, Any]:
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", "/")
    return dict(json.loads(conn.getresponse().read()))


def emit_many(n: int, streams: int, start: int = 0, at: dt.datetime | None = None) -> float:
    at = at or timezone.now()
    began = time.perf_counter()
    for i in range(start, start + n):
        with transaction.atomic():
            events.emit(events.CASE_ACCEPTED, stream=f"bench:{i % streams}",
                        subject=f"BENCH-{i}", data={"n": i}, time=at)
    return time.perf_counter() - began


def main(n: int, streams: int, live: int) -> dict[str, Any]:
    # the enqueue after each commit is the worker's business; the bench drives delivery
    events._enqueue_delivery = lambda: None  # type: ignore[assignment]
    port = free_port()
    Subscription.objects.create(name="bench", url=f"http://127.0.0.1:{port}/events",
                                secret="bench")  # noqa: S106
    # the backlog is produced while the receiver is down: an hour's outage on a simulated
    # clock that ends now, delivery rounds every minute
    outage_start = timezone.now() - dt.timedelta(hours=1)
    insert_seconds = emit_many(n, streams, at=outage_start)
    now = outage_start
    failed_tries = 0
    outage_began = time.perf_counter()
    while now < timezone.now():
        failed_tries += webhooks.deliver_round(now=now)["failed"]
        now += dt.timedelta(minutes=1)
    outage_seconds = time.perf_counter() - outage_began
    proc = start_receiver(port)
    try:
        # the receiver is back; the worker's next run is when its backoff ends (the task
        # re-enqueues itself for `next_due`): the wait is reported, not slept
        recovered = timezone.now()
        retry_at = Subscription.objects.get().retry_at or recovered
        backoff_wait = max(0.0, (retry_at - recovered).total_seconds())
        clock = max(recovered, retry_at)
        began = time.perf_counter()
        rounds = 0
        while WebhookDelivery.objects.filter(state=DeliveryState.PENDING).exists():
            webhooks.deliver_all(now=clock + dt.timedelta(seconds=time.perf_counter() - began))
            rounds += 1
            if rounds > 10_000:
                raise RuntimeError("the backlog does not drain")
        drain_seconds = time.perf_counter() - began
        after_drain = receiver_stats(port)
        live_insert = emit_many(live, streams, start=n)
        began = time.perf_counter()
        webhooks.deliver_all()
        live_seconds = time.perf_counter() - began
        final = receiver_stats(port)
    finally:
        proc.terminate()
        proc.wait()
    return {"events": n, "streams": streams, "insert_seconds": insert_seconds,
            "failed_tries": failed_tries, "outage_rounds_seconds": outage_seconds,
            "backoff_wait_seconds": backoff_wait,
            "drain_seconds": drain_seconds, "drained": after_drain, "live": live,
            "live_insert_seconds": live_insert, "live_seconds": live_seconds,
            "final": final,
            "db": django.db.connection.vendor}


if __name__ == "__main__":
    result = main(int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]))
    print("RESULT " + json.dumps(result))
