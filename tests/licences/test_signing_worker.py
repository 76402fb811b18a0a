"""The signing job through the real django-tasks database backend: a committed decision
enqueues one `sign_seal_use` job per seal use, and one `oneseal worker --batch` run (a
separate OS process, as in production) signs them and makes the case ready for delivery
(已签章，待送达, 行政许可法 第44条)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from oneseal.seal import services as seal_services
from oneseal.seal.models import SealUse
from oneseal.seal.sign import verify_pdf
from tests.cases.helpers import fresh
from tests.core.audit_helpers import database_url

from .conftest import granted

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db(transaction=True)
def test_art44_worker_batch_signs_the_queued_jobs_and_the_case_becomes_ready(
        cast, catalogue, person, licence_type, seals, seal_keys, settings):
    case = granted(cast, catalogue, person)  # committed: on_commit enqueued the jobs
    uses = set(SealUse.objects.filter(case=case).values_list("id", flat=True))
    queued = DBTaskResult.objects.filter(task_path__endswith="sign_seal_use")
    assert len(uses) == 2 and {r.args_kwargs["args"][0] for r in queued} == uses
    assert fresh(case).state == "decided"

    env = {**os.environ, "DATABASE_URL": database_url(), "ONESEAL_DEV": "1",
           "ONESEAL_SEAL_DIR": str(seal_keys), "ONESEAL_SEAL_PASSPHRASE": "",
           "ONESEAL_DATA_DIR": str(settings.DATA_DIR)}
    connection.close()
    run = subprocess.run(
        [sys.executable, "-m", "oneseal.cli", "worker", "--batch", "--no-startup-delay"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]

    assert {r.status for r in DBTaskResult.objects.filter(task_path__endswith="sign_seal_use")
            } == {"SUCCESSFUL"}
    assert fresh(case).state == "ready"
    for use in SealUse.objects.filter(case=case):
        assert use.state == "signed"
        assert verify_pdf(seal_services.signed_pdf(use)).valid_overall


# A worker that signs one document, then hangs before recording it, as a worker killed
# in the middle of signing would (the test kills it there).
_HANGING_WORKER = """
import sys, threading
from pathlib import Path
import django
django.setup()
from oneseal.seal import services
original = services.sign_pdf
def sign_then_hang(*args, **kwargs):
    original(*args, **kwargs)
    Path(sys.argv[1]).write_text("signing")
    threading.Event().wait()
services.sign_pdf = sign_then_hang
from oneseal.cli import main
main(["worker", "--no-startup-delay", "--no-reload", "--no-schedule"])
"""


def _wait_for(path: Path, proc: subprocess.Popen, limit: float = 120.0) -> None:
    """Poll (bounded) until `path` exists; the process must still be alive."""
    import time

    deadline = time.monotonic() + limit
    while not path.exists():
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
        assert time.monotonic() < deadline, "the worker never started signing"
        time.sleep(0.1)


@pytest.mark.django_db(transaction=True)
def test_art44_worker_killed_mid_signing_the_task_is_taken_over_and_signed_once(
        cast, catalogue, person, licence_type, seals, seal_keys, settings, tmp_path):
    """A worker killed (SIGKILL) while signing leaves its task RUNNING; the next worker sees
    that the worker is gone, queues the task again and signs: the case becomes ready (第44条)
    with exactly one signature per document and one ledger event per use."""
    import signal

    from oneseal.core.models import AuditEvent

    case = granted(cast, catalogue, person)
    env = {**os.environ, "DATABASE_URL": database_url(), "ONESEAL_DEV": "1",
           "DJANGO_SETTINGS_MODULE": "oneseal.config.settings",
           "ONESEAL_SEAL_DIR": str(seal_keys), "ONESEAL_SEAL_PASSPHRASE": "",
           "ONESEAL_DATA_DIR": str(settings.DATA_DIR)}
    marker = tmp_path / "signing"
    connection.close()
    hanging = subprocess.Popen([sys.executable, "-c", _HANGING_WORKER, str(marker)], cwd=ROOT,
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               text=True)
    try:
        _wait_for(marker, hanging)
    finally:
        hanging.send_signal(signal.SIGKILL)
        hanging.wait(30)
    stuck = DBTaskResult.objects.filter(task_path__endswith="sign_seal_use", status="RUNNING")
    assert stuck.count() == 1
    assert fresh(case).state == "decided"
    assert SealUse.objects.filter(case=case, state="signed").count() == 0

    connection.close()
    run = subprocess.run(
        [sys.executable, "-m", "oneseal.cli", "worker", "--batch", "--no-startup-delay"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]

    results = DBTaskResult.objects.filter(task_path__endswith="sign_seal_use")
    assert {r.status for r in results} == {"SUCCESSFUL"}
    assert sorted(len(r.worker_ids) for r in results) == [1, 2]  # the stuck one ran twice
    assert fresh(case).state == "ready"
    for use in SealUse.objects.filter(case=case):
        assert use.state == "signed"
        check = verify_pdf(seal_services.signed_pdf(use))
        assert check.valid_overall and check.signatures == 1
        assert AuditEvent.objects.filter(kind="seal.use", subject=f"seal_use:{use.pk}"
                                         ).count() == 1
