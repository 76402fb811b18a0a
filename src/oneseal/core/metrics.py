"""Prometheus metrics (监控指标): `GET /metrics` in the Prometheus text format 0.0.4.

Written here without a client library (the format is a few lines of text):

- `oneseal_http_requests_total{method,route,status}` and the latency histogram
  `oneseal_http_request_duration_seconds{method,route}` — counted by `MetricsMiddleware`
  (first in settings.MIDDLEWARE) in each serving process. `route` is the URL pattern
  (`api/v1/cases/<int:case_id>/accept`), never the path itself, so the number of series stays
  bounded; a request no pattern matched is `unmatched`.
- Several processes serve (granian's workers, several `oneseal serve`): each process writes
  its counts to `<ONESEAL_DATA_DIR>/metrics/<host>-<pid>.json` at most every
  `FLUSH_SECONDS`, and `/metrics` adds up the files of this host's processes still alive
  (a data directory shared by several machines holds each machine's own files). So one
  scrape sees the whole host, whichever worker answers it; a process that ended takes its
  counts with it (Prometheus reads that as a counter reset).
- Gauges read from the database at scrape time by the collectors the apps register
  (`register_collector`): the task queue here (`oneseal_tasks{status}`,
  `oneseal_task_queue_oldest_seconds`), the open cases by clock light in the cases app.

Who may read it: with `ONESEAL_METRICS_TOKEN` set, a request carrying
`Authorization: Bearer <token>`; without it, only a request from this machine (peer
127.0.0.1 or ::1) that did not come through a proxy (no X-Forwarded-For). Everyone else
gets 404, as if there were nothing here.
"""

from __future__ import annotations

import hmac
import json
import math
import os
import socket
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
FLUSH_SECONDS = 2.0
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

Sample = tuple[str, dict[str, str], float]  # name, labels, value
#: name -> (type, help, function returning its samples)
_COLLECTORS: dict[str, tuple[str, str, Callable[[], Iterable[Sample]]]] = {}


def register_collector(name: str, kind: str, help_text: str,
                       collect: Callable[[], Iterable[Sample]]) -> None:
    """A metric computed at scrape time (`kind`: gauge or counter); `collect` returns
    (name, labels, value) samples."""
    _COLLECTORS[name] = (kind, help_text, collect)


class _Registry:
    """This process's request counts and latency histogram."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.requests: dict[tuple[str, str, str], int] = {}
        self.buckets: dict[tuple[str, str], list[int]] = {}
        self.sums: dict[tuple[str, str], float] = {}
        self.flushed = 0.0

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        key = (method, route)
        with self.lock:
            rkey = (method, route, f"{status // 100}xx")
            self.requests[rkey] = self.requests.get(rkey, 0) + 1
            counts = self.buckets.setdefault(key, [0] * (len(BUCKETS) + 1))
            for i, bound in enumerate(BUCKETS):
                if seconds <= bound:
                    counts[i] += 1
            counts[-1] += 1  # +Inf, the count
            self.sums[key] = self.sums.get(key, 0.0) + seconds

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            return {"requests": [[*k, v] for k, v in self.requests.items()],
                    "buckets": [[*k, list(v)] for k, v in self.buckets.items()],
                    "sums": [[*k, v] for k, v in self.sums.items()]}

    def flush(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.flushed < FLUSH_SECONDS:
            return
        self.flushed = now
        folder = _folder()
        try:
            folder.mkdir(parents=True, exist_ok=True)
            tmp = folder / f".{_HOST}-{os.getpid()}.tmp"
            tmp.write_text(json.dumps(self.snapshot()), encoding="utf-8")
            tmp.replace(folder / f"{_HOST}-{os.getpid()}.json")
        except OSError:  # a read-only or full disk never fails a request
            pass


REGISTRY = _Registry()
#: files are named <host>-<pid>.json: a data directory shared by several machines (NFS)
#: holds every machine's files, and each machine reads and cleans up only its own
_HOST = socket.gethostname().replace("-", "_")[:64] or "host"


def _folder() -> Path:
    return Path(settings.DATA_DIR) / "metrics"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _merged() -> dict[str, Any]:
    """Every live serving process's counts on this host, added up."""
    REGISTRY.flush(force=True)
    requests: dict[tuple[str, ...], float] = {}
    buckets: dict[tuple[str, ...], list[int]] = {}
    sums: dict[tuple[str, ...], float] = {}
    for path in sorted(_folder().glob(f"{_HOST}-*.json")):
        try:
            pid = int(path.stem.rsplit("-", 1)[1])
        except (IndexError, ValueError):
            continue
        if pid != os.getpid() and not _alive(pid):
            path.unlink(missing_ok=True)
            continue
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        for *key, value in data.get("requests", []):
            requests[tuple(key)] = requests.get(tuple(key), 0) + value
        for *key, counts in data.get("buckets", []):
            have = buckets.setdefault(tuple(key), [0] * len(counts))
            buckets[tuple(key)] = [a + b for a, b in zip(have, counts, strict=True)]
        for *key, value in data.get("sums", []):
            sums[tuple(key)] = sums.get(tuple(key), 0.0) + value
    return {"requests": requests, "buckets": buckets, "sums": sums}


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _labels(labels: dict[str, str]) -> str:
    if not labels:
        return ""
    return "{" + ",".join(f'{k}="{_escape(str(v))}"' for k, v in labels.items()) + "}"


def _number(value: float) -> str:
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))


def render() -> str:
    """The whole exposition text."""
    merged = _merged()
    out = ["# HELP oneseal_http_requests_total HTTP requests answered, by route and status class.",
           "# TYPE oneseal_http_requests_total counter"]
    for (method, route, status), value in sorted(merged["requests"].items()):
        out.append("oneseal_http_requests_total"
                   f"{_labels({'method': method, 'route': route, 'status': status})} "
                   f"{_number(value)}")
    name = "oneseal_http_request_duration_seconds"
    out += [f"# HELP {name} Time to answer an HTTP request, in seconds.",
            f"# TYPE {name} histogram"]
    for (method, route), counts in sorted(merged["buckets"].items()):
        labels = {"method": method, "route": route}
        for bound, count in zip(BUCKETS, counts, strict=False):
            out.append(f"{name}_bucket{_labels({**labels, 'le': _number(bound)})} {count}")
        out.append(f"{name}_bucket{_labels({**labels, 'le': '+Inf'})} {counts[-1]}")
        out.append(f"{name}_sum{_labels(labels)} {_number(merged['sums'][(method, route)])}")
        out.append(f"{name}_count{_labels(labels)} {counts[-1]}")
    for metric, (kind, help_text, collect) in sorted(_COLLECTORS.items()):
        out += [f"# HELP {metric} {help_text}", f"# TYPE {metric} {kind}"]
        out += [f"{sample}{_labels(labels)} {_number(value)}"
                for sample, labels, value in collect()]
    return "\n".join(out) + "\n"


def _route(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    route = getattr(match, "route", None) if match is not None else None
    return str(route)[:120] if route else "unmatched"


class MetricsMiddleware:
    """Counts every request and its time (first in settings.MIDDLEWARE)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        REGISTRY.observe(request.method or "GET", _route(request), response.status_code,
                         time.perf_counter() - started)
        REGISTRY.flush()
        return response


def _allowed(request: HttpRequest) -> bool:
    token = str(getattr(settings, "ONESEAL_METRICS_TOKEN", "") or "")
    if token:
        sent = request.headers.get("Authorization", "")
        return sent.startswith("Bearer ") and hmac.compare_digest(
            sent[len("Bearer "):].strip().encode(), token.encode())
    peer = request.META.get("REMOTE_ADDR", "")
    return peer in ("127.0.0.1", "::1") and "HTTP_X_FORWARDED_FOR" not in request.META


def metrics_view(request: HttpRequest) -> HttpResponse:
    """`GET /metrics` (see the module docstring for who may read it)."""
    if request.method != "GET" or not _allowed(request):
        raise Http404
    return HttpResponse(render(), content_type=CONTENT_TYPE)


def _task_counts() -> Iterable[Sample]:
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    seen = dict(DBTaskResult.objects.values_list("status").annotate(n=Count("id")))
    for status in ("READY", "RUNNING", "FAILED", "SUCCESSFUL"):
        yield "oneseal_tasks", {"status": status.lower()}, float(seen.get(status, 0))


def _task_age() -> Iterable[Sample]:
    from django.db.models import Min
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    oldest = DBTaskResult.objects.filter(status="READY").aggregate(at=Min("enqueued_at"))["at"]
    age = (timezone.now() - oldest).total_seconds() if oldest else 0.0
    yield "oneseal_task_queue_oldest_seconds", {}, max(0.0, age)


register_collector("oneseal_tasks", "gauge",
                   "Background tasks (django-tasks database queue) by status.", _task_counts)
register_collector("oneseal_task_queue_oldest_seconds", "gauge",
                   "Age of the oldest task waiting for a worker, in seconds (0: none).",
                   _task_age)
