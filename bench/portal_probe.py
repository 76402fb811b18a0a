"""The in-Django half of bench/bench_portal.py, run as a subprocess against the demo's
database (ONESEAL_DATA_DIR / DATABASE_URL from the environment). Prints one line
`RESULT <json>`.

    python bench/portal_probe.py setup USERS   USERS drafts of 食品经营许可 for the demo's
                                               `applicant`, each at the materials step (one
                                               per simulated user, so uploads never share a
                                               draft), the published items to browse, and
                                               cases to look up on the progress page,
                                               USERS logged-in sessions of `applicant` (the
                                               users are mid-visit when the run begins) and
                                               the time one password check takes (Argon2)
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from importlib import import_module
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oneseal.config.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402

from oneseal.accounts.models import User  # noqa: E402
from oneseal.applicants.models import Person  # noqa: E402
from oneseal.cases.demo_online import FORM, ITEM  # noqa: E402
from oneseal.cases.models import Case  # noqa: E402
from oneseal.cases.services import ApplicantRef, online  # noqa: E402
from oneseal.catalog.models import ItemVersion  # noqa: E402

PASSWORD = "oneseal-demo"  # noqa: S105 (the demo logins' published password)


def setup(users: int) -> dict[str, Any]:
    version = ItemVersion.objects.filter(name=ITEM, status="published").order_by(
        "-number").first()
    applicant = User.objects.get(username="applicant")
    person = Person.objects.get(user=applicant)
    drafts = []
    for _ in range(users):
        draft = online.draft_start(actor=applicant, item_id=version.item_id,
                                   applicant=ApplicantRef(person_id=person.pk))
        draft = online.draft_answer(actor=applicant, draft=draft, answers=[0])
        assert online.draft_save_form(actor=applicant, draft=draft, raw=FORM) == {}
        material = next(m for m in online.draft_materials(draft)
                        if m.required and not m.shareable)
        drafts.append([draft.pk, material.pk])
    items = list(ItemVersion.objects.filter(status="published").order_by("item_id")
                 .values_list("item_id", flat=True).distinct()[:20])
    lookups = [[c.number, c.query_code] for c in
               Case.objects.exclude(query_code="").order_by("id")[:20]]
    sessions = [_session(applicant) for _ in range(users)]
    checks = []
    for _ in range(5):
        start = time.perf_counter()
        assert applicant.check_password(PASSWORD)
        checks.append(time.perf_counter() - start)
    from argon2 import extract_parameters
    params = extract_parameters(applicant.password.removeprefix("argon2"))
    return {"drafts": drafts, "items": items, "lookups": lookups, "sessions": sessions,
            "password_check_ms": statistics.median(checks) * 1000,
            "password_hash": f"Argon2id m={params.memory_cost // 1024} MiB, "
                             f"t={params.time_cost}, p={params.parallelism}"}


def _session(user: User) -> str:
    """A logged-in session, as if the user had logged in before the run began."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return str(store.session_key)


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "setup":
        result = setup(int(sys.argv[2]))
    else:
        raise SystemExit(f"unknown command {command}")
    print("RESULT " + json.dumps(result))
