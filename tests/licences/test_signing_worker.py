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
