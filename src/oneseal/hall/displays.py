"""The hall's screens (叫号显示屏): what they show, and the cheap "has anything changed?"
answer that lets a hundred screens poll every second without tying up the WSGI workers.

Each hall has a *screen version* in the cache (`screen_version`): any write that changes
what a screen shows — a ticket taken, called, recalled, skipped, transferred, finished —
calls `screens_changed(hall_id)`, which replaces the version once the transaction has
committed. The state endpoint sends the version as its ETag; a screen that already has it
gets 304 Not Modified after one cache read and no query of the tickets. A version lost
from the cache (eviction, a restart of Redis) is simply made anew: every screen then loads
the state once more. See docs/hall.md for why polling, not long-held connections.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from .domain.announce import CALL_SENTENCE, call_text, speech_text
from .models import Hall, QueueCategory, Ticket, TicketState, Window

RECENT_CALLS = 6  # the last calls a screen lists below the current ones
VERSION_TTL = 7 * 24 * 3600


def current_hall() -> Hall | None:
    """The hall the screens belong to (the project runs one hall)."""
    return Hall.objects.order_by("id").first()


def screen_window(hall_id: int, number: str) -> Window | None:
    """The active window `number` of the hall, or None."""
    return Window.objects.filter(hall_id=hall_id, number=number, is_active=True).first()


def _key(hall_id: int) -> str:
    return f"hall:screens:{hall_id}"


def screen_version(hall_id: int) -> str:
    """The hall's current screen version (made and stored when the cache has none)."""
    version = cache.get(_key(hall_id))
    if version is None:
        version = secrets.token_hex(8)
        if not cache.add(_key(hall_id), version, VERSION_TTL):
            version = cache.get(_key(hall_id)) or version
    return str(version)


def screens_changed(hall_id: int) -> None:
    """Tell the screens that what they show has changed: a new version once the current
    transaction commits (at once outside a transaction), so no screen reads the old state
    under a new version."""

    def bump() -> None:
        cache.set(_key(hall_id), secrets.token_hex(8), VERSION_TTL)

    transaction.on_commit(bump)


CALL_FIELDS = ("id", "call_count", "number", "state", "window_id", "window__number",
               "last_called_at")


def _call(row: dict[str, Any]) -> dict[str, Any]:
    window = row["window__number"] or ""
    sentence = _(CALL_SENTENCE)
    called = row["last_called_at"]
    return {
        "id": f"{row['id']}-{row['call_count']}",  # a recall is a new call to announce
        "ticket": row["number"],
        "window": window,
        "window_label": _("%(window)s号窗口") % {"window": window},
        "text": call_text(row["number"], window, sentence),
        "speech": speech_text(row["number"], window, sentence),
        "called_at": called.isoformat() if called else None,
    }


def screen_state(hall_id: int, *, window: Window | None = None,
                 today: dt.date | None = None) -> dict[str, Any]:
    """What a screen shows: the current calls (the latest call of each window, or of the one
    window), the last calls before them, and the number waiting per category (of the
    window's categories on a window screen). Three small queries, plain rows (no model
    instances: a screen's state is computed after every call)."""
    today = today or timezone.localdate()
    tickets = (Ticket.objects.filter(hall_id=hall_id, day=today, last_called_at__isnull=False)
               .exclude(state=TicketState.TRANSFERRED))
    if window is not None:
        tickets = tickets.filter(window=window)
    calls = tickets.order_by("-last_called_at", "-id").values(*CALL_FIELDS)[: RECENT_CALLS * 4]
    current: list[dict[str, Any]] = []
    recent: list[dict[str, Any]] = []
    windows_seen: set[int | None] = set()
    for row in calls:
        live = row["state"] in (TicketState.CALLED, TicketState.SERVING)
        if live and row["window_id"] not in windows_seen:
            windows_seen.add(row["window_id"])
            current.append(row)
        elif len(recent) < RECENT_CALLS:
            recent.append(row)
    categories = QueueCategory.objects.filter(hall_id=hall_id, is_active=True)
    if window is not None:
        categories = categories.filter(windows=window)
    counts = dict(Ticket.objects.filter(hall_id=hall_id, day=today, state=TicketState.WAITING)
                  .values("category_id").annotate(n=Count("id")).values_list("category_id", "n"))
    waiting = [{"code": code, "letter": letter, "label": name, "count": counts.get(pk, 0)}
               for pk, code, letter, name in categories.order_by("sort_order", "id")
               .values_list("id", "code", "letter", "name")]
    return {
        "window": window.number if window else None,
        "current": [_call(t) for t in current],
        "recent": [_call(t) for t in recent],
        "waiting": waiting,
        "updated": timezone.localtime().strftime("%H:%M:%S"),
    }
