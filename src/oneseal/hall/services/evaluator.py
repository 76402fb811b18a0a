"""一次一评 at the window's evaluator tablet (评价器): after each service the visitor rates
it on the tablet beside the window; the rating is tied to the ticket, the window, the clerk
and the case. The tablet is logged in as the clerk signed in to the window (the clerk
records the visitor's choice, as supervision's window channel requires); a 差评 of a visit
with a case opens the same follow-up record as an online rating, through
`supervision.services.rate_window_visit` (国办发〔2019〕51号)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oneseal.core.audit import append_event
from oneseal.supervision import services as ratings
from oneseal.supervision.domain import ratings as rules

from ..errors import HallError
from ..models import Ticket, TicketState, VisitRating, Window
from .queue import access_window

RATEABLE = (TicketState.SERVING, TicketState.DONE)


def visit_to_rate(window: Window, day: dt.date | None = None) -> Ticket | None:
    """The visit the tablet asks about: the latest ticket served at the window today (being
    served or just finished) that has no rating yet."""
    day = day or timezone.localdate()
    return (Ticket.objects.filter(window=window, day=day, state__in=RATEABLE,
                                  visit_rating__isnull=True, served_at__isnull=False)
            .select_related("case").order_by("-served_at", "-id").first())


def rate_visit(*, actor: Any, window_id: int, ticket_id: int, level: str,
               reasons: list[str], text: str = "", now: dt.datetime | None = None
               ) -> VisitRating:
    """Record the visitor's rating of the service of `ticket_id` at the window (一次一评,
    国办发〔2019〕51号): one per ticket, by the clerk signed in to the window, with the
    reasons a 差评 needs; the case's window rating and its follow-up when the visit has a
    case."""
    now = now or timezone.now()
    with transaction.atomic():
        window = access_window(user=actor, window_id=window_id)
        ticket = (Ticket.objects.select_for_update().filter(pk=ticket_id, window=window)
                  .first())
        if ticket is None:
            raise HallError(_("该号不在本窗口。"), code="ticket_not_here", status=404)
        if ticket.state not in RATEABLE:
            raise HallError(_("该号当前状态不允许此操作。"), code="ticket_state",
                            state=ticket.state)
        if VisitRating.objects.filter(ticket=ticket).exists():
            raise HallError(_("本次服务已评价，一次一评。"), code="already_rated")
        try:
            chosen, reasons, text = rules.clean_rating(level, list(reasons), text or "")
        except rules.RatingInvalid as exc:
            message = _(exc.message) % exc.params if exc.params else _(exc.message)
            raise HallError(message, code=exc.code, status=422) from None
        rating = None
        if ticket.case_id is not None:
            rating = ratings.rate_window_visit(actor=actor, case_id=ticket.case_id,
                                               level=chosen, reasons=reasons, text=text,
                                               at=now)
        visit = VisitRating.objects.create(
            ticket=ticket, window=window, clerk_id=ticket.clerk_id, case_id=ticket.case_id,
            level=chosen, reasons=reasons, text=text, rating=rating, rated_at=now)
        append_event(actor=actor, kind="hall.visit_rating", subject=f"ticket:{ticket.pk}",
                     payload={"window": window.number, "level": chosen, "reasons": reasons,
                              "case": ticket.case_id,
                              "rating": rating.pk if rating else None})
    return visit
