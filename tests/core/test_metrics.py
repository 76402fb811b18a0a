"""`GET /metrics` (oneseal.core.metrics): who may read it, the request counters and
histogram added up over the serving processes, the task queue. The cases' gauges are
tested in tests/cases/test_metrics_lights.py."""

from __future__ import annotations

import datetime as dt
import json
import os
import re

import pytest
from django.test import Client
from django.utils import timezone

from oneseal.core import metrics

pytestmark = pytest.mark.django_db


def _value(text: str, sample: str) -> float:
    """The value of the line `sample value` (sample with its labels, as written)."""
    found = re.search(rf"^{re.escape(sample)} (\S+)$", text, re.M)
    assert found, f"{sample} not in\n{text}"
    return float(found[1])


def test_metrics_from_this_machine_without_a_token():
    response = Client().get("/metrics", REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    assert "# TYPE oneseal_http_requests_total counter" in response.text
    assert "# TYPE oneseal_cases_open_by_light gauge" in response.text


@pytest.mark.parametrize("meta", [
    {"REMOTE_ADDR": "10.0.0.7"},  # another machine
    {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"},  # via the proxy
])
def test_metrics_refused_from_outside_or_through_the_proxy(meta):
    assert Client().get("/metrics", **meta).status_code == 404


def test_metrics_token_required_when_set(settings):
    settings.ONESEAL_METRICS_TOKEN = "s3cret-token"
    client = Client()
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 404
    assert client.get("/metrics", REMOTE_ADDR="10.0.0.7",
                      HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    ok = client.get("/metrics", REMOTE_ADDR="10.0.0.7",
                    HTTP_AUTHORIZATION="Bearer s3cret-token")
    assert ok.status_code == 200


def test_metrics_refuses_logged_in_staff_and_applicants_without_token(client, cast, settings):
    """A session of any role does not open /metrics: only the token or this machine."""
    settings.ONESEAL_METRICS_TOKEN = "s3cret-token"
    for name in ("applicant", "clerk", "head", "sysadmin", "supervisor"):
        client.force_login(cast[name])
        assert client.get("/metrics", REMOTE_ADDR="10.0.0.7").status_code == 404


def test_requests_counted_by_route_with_histogram():
    client = Client()
    before = metrics.render()
    sample = 'oneseal_http_requests_total{method="GET",route="healthz",status="2xx"}'
    start = _value(before, sample) if sample in before else 0.0
    for _ in range(3):
        client.get("/healthz")
    text = client.get("/metrics", REMOTE_ADDR="127.0.0.1").text
    assert _value(text, sample) == start + 3
    count = _value(text, 'oneseal_http_request_duration_seconds_count{method="GET",'
                         'route="healthz"}')
    inf = _value(text, 'oneseal_http_request_duration_seconds_bucket{method="GET",'
                       'route="healthz",le="+Inf"}')
    assert count == inf >= 3
    # no path of its own: an unknown URL is counted as `unmatched`, not by its path
    client.get("/no/such/page/12345")
    text = client.get("/metrics", REMOTE_ADDR="127.0.0.1").text
    assert "/no/such/page" not in text
    assert 'route="unmatched",status="4xx"' in text


def test_counts_of_other_live_processes_added_and_dead_ones_dropped(settings, tmp_path):
    # a data directory of its own: the suite's other processes write theirs to the shared one
    settings.DATA_DIR = tmp_path
    folder = metrics._folder()
    folder.mkdir(parents=True, exist_ok=True)
    key = ["GET", "api/v1/cases", "2xx"]
    alive = os.getppid()  # a process that exists: the test runner's parent
    host = metrics._HOST
    sample = 'oneseal_http_requests_total{method="GET",route="api/v1/cases",status="2xx"}'
    # this process's own requests (earlier tests in the same worker) count too
    own = re.search(rf"^{re.escape(sample)} (\S+)$", metrics.render(), re.M)
    mine = float(own[1]) if own else 0.0
    (folder / f"{host}-{alive}.json").write_text(json.dumps(
        {"requests": [[*key, 40]], "buckets": [], "sums": []}))
    (folder / f"{host}-999999999.json").write_text(json.dumps(  # no such process
        {"requests": [[*key, 1000]], "buckets": [], "sums": []}))
    # another machine's process on a shared data directory: neither counted nor removed
    (folder / f"otherhost-{alive}.json").write_text(json.dumps(
        {"requests": [[*key, 7]], "buckets": [], "sums": []}))
    text = metrics.render()
    assert _value(text, sample) == mine + 40
    assert not (folder / f"{host}-999999999.json").exists()
    assert (folder / f"otherhost-{alive}.json").exists()


def test_task_queue_depth_and_oldest(settings):
    from django_tasks_db.models import DBTaskResult

    from oneseal.core.tasks import warn_missing_calendar

    warn_missing_calendar.enqueue()
    warn_missing_calendar.enqueue()
    DBTaskResult.objects.update(enqueued_at=timezone.now() - dt.timedelta(seconds=90))
    text = metrics.render()
    assert _value(text, 'oneseal_tasks{status="ready"}') == 2
    assert _value(text, "oneseal_task_queue_oldest_seconds") >= 90
