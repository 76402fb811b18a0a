"""A small hall for the screen, evaluator and statistics tests: rows made directly (the
calling services are tested elsewhere), dated today."""

from __future__ import annotations

import secrets
from typing import Any

from django.utils import timezone

from oneseal.hall.models import Hall, QueueCategory, Ticket, TicketState, Window, WindowKind


def make_hall() -> dict[str, Any]:
    hall = Hall.objects.create(name="西山区政务服务大厅")
    a = QueueCategory.objects.create(hall=hall, code="comprehensive", letter="A",
                                     name="综合受理", kind=WindowKind.COMPREHENSIVE, sort_order=1)
    c = QueueCategory.objects.create(hall=hall, code="delivery", letter="C", name="出件",
                                     kind=WindowKind.DELIVERY, sort_order=2)
    w3 = Window.objects.create(hall=hall, number="3", kind=WindowKind.COMPREHENSIVE)
    w3.categories.add(a)
    w5 = Window.objects.create(hall=hall, number="5", kind=WindowKind.DELIVERY)
    w5.categories.add(c)
    return {"hall": hall, "a": a, "c": c, "w3": w3, "w5": w5}


def make_ticket(hall: Hall, category: QueueCategory, seq: int, *, state: str = "waiting",
                window: Window | None = None, clerk: Any = None, called_minutes_ago: int = 0,
                case: Any = None, waited: int = 5, served: int = 0) -> Ticket:
    now = timezone.now()
    taken = now - timezone.timedelta(minutes=called_minutes_ago + waited + served)
    called = None
    if state != TicketState.WAITING:
        called = taken + timezone.timedelta(minutes=waited)
    finished = None
    if state in (TicketState.DONE, TicketState.NO_SHOW) and called is not None:
        finished = called + timezone.timedelta(minutes=served)
    return Ticket.objects.create(
        hall=hall, category=category, day=timezone.localdate(), seq=seq,
        number=f"{category.letter}{seq:03d}", token=secrets.token_hex(16), state=state,
        window=window, clerk=clerk, case=case, call_count=1 if called else 0, taken_at=taken,
        queued_at=taken, called_at=called, last_called_at=called,
        served_at=called if state in (TicketState.SERVING, TicketState.DONE) else None,
        finished_at=finished)
