"""`oneseal worker` runs queued background tasks from the database queue (django-tasks)."""

import os
import subprocess
import sys

import pytest
from django.db import connection
from django_tasks import TaskResultStatus

from oneseal.core.audit import append_event
from oneseal.core.tasks import verify_audit_chain


@pytest.mark.django_db(transaction=True)
def test_worker_runs_an_enqueued_task_and_records_its_result():
    for n in range(3):
        append_event(actor=None, kind="test.event", subject=f"thing:{n}", payload={"n": n})
    result = verify_audit_chain.enqueue()
    assert result.status == TaskResultStatus.READY

    env = dict(os.environ)
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{settings_dict['NAME']}"
    else:
        env["DATABASE_URL"] = (
            f"postgresql://{settings_dict['USER']}@{settings_dict['HOST'] or '127.0.0.1'}:"
            f"{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}"
        )
    run = subprocess.run(
        [sys.executable, "-m", "oneseal.cli", "worker", "--batch", "--no-startup-delay",
         "--no-reload"],
        env=env, capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 0, run.stderr

    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL, result.errors
    assert result.return_value["ok"] is True
    assert result.return_value["rows_checked"] == 3
    assert result.return_value["head_seq"] == 3
