"""A child process of the concurrency tests (run as `python -m tests.core.audit_worker`).

Arguments: worker number, number of events, mode ("plain", or "outer": each append inside an
outer transaction that starts by reading), the directory holding the start and ready files.
The database comes from DATABASE_URL (the parent's test database)."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path


def main(argv: list[str]) -> None:
    worker, count, mode, rendezvous = int(argv[0]), int(argv[1]), argv[2], Path(argv[3])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oneseal.config.settings")
    import django

    django.setup()
    from django.db import connection, transaction

    from oneseal.core.audit import append_event
    from oneseal.core.models import AuditChainHead, AuditEvent

    connection.ensure_connection()
    (rendezvous / f"ready-{worker}").touch()
    deadline = time.monotonic() + 60
    while not (rendezvous / "go").exists():  # start together
        if time.monotonic() > deadline:
            raise SystemExit("no start signal")
        time.sleep(0.002)
    for i in range(count):
        payload = {"worker": worker, "i": i}
        if mode == "outer":
            with transaction.atomic():
                # Read first, as a service that checks something before recording it would.
                payload["seen"] = (AuditChainHead.objects.filter(pk=1)
                                   .values_list("seq", flat=True).first())
                payload["mine"] = AuditEvent.objects.filter(subject=f"worker:{worker}").count()
                time.sleep(0.001)
                append_event(actor=None, kind="test.concurrent", subject=f"worker:{worker}",
                             payload=payload)
        else:
            append_event(actor=None, kind="test.concurrent", subject=f"worker:{worker}",
                         payload=payload)
        time.sleep(0.002)  # real appenders do other work in between; lets the others in
    connection.close()


if __name__ == "__main__":
    main(sys.argv[1:])
