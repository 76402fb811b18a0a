"""The in-Django half of bench/bench_worklists.py (run after cases_probe.py setup and
bench_cases_generate): p50/p95 of the workbench home's counts (`oneseal.cases.worklist`) per
role and of the lists they link to, against the plain first page of the case list measured
in the same run. Prints one line `RESULT <json>`.

    python bench/worklists_probe.py setup    the demo foundation only (no cases at all)
    python bench/worklists_probe.py RUNS
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oneseal.config.settings")

import django

django.setup()

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cases_probe import _timed  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.module_loading import autodiscover_modules  # noqa: E402

from oneseal.accounts.models import User  # noqa: E402
from oneseal.cases import selectors  # noqa: E402
from oneseal.cases.due import calendar_or_none, due_window  # noqa: E402
from oneseal.cases.models import Case  # noqa: E402
from oneseal.cases.worklist import worklists  # noqa: E402
from oneseal.core import demo  # noqa: E402

#: the loaders that create no case (the generator refuses a database with other cases)
FOUNDATION = {"workcalendar", "org", "applicants", "catalog", "catalog-forms", "seal"}


def setup() -> None:
    autodiscover_modules("demo")
    ctx = demo.DemoContext(write=lambda _m: None)
    for name, loader in demo.registered():
        if name in FOUNDATION:
            with transaction.atomic():
                loader(ctx)
    print("RESULT {}")


def main() -> None:
    if sys.argv[1:2] == ["setup"]:
        setup()
        return
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    users = {u.username: u for u in User.objects.filter(
        username__in=["clerk", "reviewer", "chief", "head", "supervisor", "dept"])}
    window = due_window(timezone.localdate(), calendar_or_none())
    number = Case.objects.order_by("-id").values_list("number", flat=True)[100]
    f = selectors.CaseFilters
    clerk = users["clerk"]

    def page(filters: Any, *, count: bool = False) -> Any:
        return lambda: selectors.case_list(clerk, filters, limit=50, window=window,
                                           count=count).items

    queries = {
        "baseline: case list, first page": page(None),
        "case list, first page + total (capped count)": page(None, count=True),
        "case list, q=whole number": page(f(q=number)),
        "case list, q=last 6 digits of a number": page(f(q=number[-6:])),
        "case list, due=overdue + total": page(f(due="overdue"), count=True),
    }
    for name in ("clerk", "reviewer", "head", "supervisor", "dept"):
        user = users[name]
        queries[f"home counts ({name})"] = (
            lambda user=user: worklists(user, window=window))
    out: dict[str, Any] = {"cases": Case.objects.count(), "vendor": connection.vendor,
                           "timings": {}}
    for label, fn in queries.items():
        out["timings"][label] = _timed(fn, runs)
    print("RESULT " + json.dumps(out, default=str))


if __name__ == "__main__":
    main()
