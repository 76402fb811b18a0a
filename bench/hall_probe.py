"""The in-Django half of bench/bench_hall.py, run as a subprocess against one database
(ONESEAL_DATA_DIR / DATABASE_URL from the environment). Prints one line `RESULT <json>`.

    python bench/hall_probe.py setup WINDOWS TICKETS   a hall, WINDOWS clerks signed in to
                                                      WINDOWS windows (sessions), TICKETS
                                                      waiting tickets of today
    python bench/hall_probe.py check                  the tickets called more than once
"""

from __future__ import annotations

import json
import os
import secrets
import sys
from importlib import import_module
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oneseal.config.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from oneseal.accounts.models import RoleGrant, User  # noqa: E402
from oneseal.core.roles import Role  # noqa: E402
from oneseal.hall.models import (  # noqa: E402
    Hall,
    QueueCategory,
    Ticket,
    TicketCounter,
    Window,
    WindowKind,
    WindowSignIn,
)


def _session(user: User) -> str:
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return str(store.session_key)


def setup(windows: int, tickets: int) -> dict[str, Any]:
    now = timezone.now()
    today = timezone.localdate()
    with transaction.atomic():
        hall = Hall.objects.create(name="基准测试大厅")
        category = QueueCategory.objects.create(hall=hall, code="comprehensive", letter="A",
                                                name="综合受理",
                                                kind=WindowKind.COMPREHENSIVE)
        sessions = []
        for n in range(1, windows + 1):
            window = Window.objects.create(hall=hall, number=str(n),
                                           kind=WindowKind.COMPREHENSIVE)
            window.categories.add(category)
            user = User.objects.create_user(username=f"bench-clerk-{n}",
                                            password=secrets.token_hex(8))
            RoleGrant.objects.create(user=user, role=Role.CLERK)
            WindowSignIn.objects.create(window=window, user=user, started_at=now)
            sessions.append(_session(user))
        Ticket.objects.bulk_create(
            [Ticket(hall=hall, category=category, day=today, seq=seq, number=f"A{seq:03d}",
                    token=secrets.token_hex(16), taken_at=now, queued_at=now)
             for seq in range(1, tickets + 1)], batch_size=1000)
        TicketCounter.objects.create(category=category, day=today, last=tickets)
    return {"hall": hall.pk, "sessions": sessions, "cookie": settings.SESSION_COOKIE_NAME,
            "csrf_cookie": settings.CSRF_COOKIE_NAME}


def check() -> dict[str, Any]:
    twice = Ticket.objects.filter(call_count__gt=1).count()
    called = Ticket.objects.filter(call_count__gte=1).count()
    return {"called_more_than_once": twice, "called": called}


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "setup":
        result = setup(int(sys.argv[2]), int(sys.argv[3]))
    elif command == "check":
        result = check()
    else:
        raise SystemExit(f"unknown command {command}")
    print("RESULT " + json.dumps(result))
