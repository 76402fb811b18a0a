"""Reads of the marketplace: the public directory (中介服务目录库), the published lists and
the figures, and what an owner or an intermediary's operator sees."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Avg, Count, F, Q, QuerySet, Sum

from oneseal.core.workcalendar.selectors import get_work_calendar

from .models import (
    Bid,
    Complaint,
    Contract,
    ContractState,
    CreditMeasure,
    FeeSchedule,
    Intermediary,
    Posting,
    Qualification,
    QualificationState,
    Service,
    StandingChoices,
)

PAGE_SIZE = 20


def published_services() -> QuerySet[Service]:
    return Service.objects.filter(published=True).prefetch_related("items__versions")


def directory(*, q: str = "", service_id: int | None = None, standing: str = "",
              min_credit: int | None = None,
              today: dt.date | None = None) -> QuerySet[Intermediary]:
    """The public directory: intermediaries that entered the market, searched by name or
    credit code, filtered by a service they hold an approved qualification for (valid
    today), by standing and by a minimum credit score. Cleared-out intermediaries (清退) are
    listed only when asked for by standing (and always on the published list)."""
    rows = Intermediary.objects.all()
    q = q.strip()
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(credit_code__icontains=q.upper()))
    if service_id:
        quals = Qualification.objects.filter(service_id=service_id,
                                             state=QualificationState.APPROVED)
        if today is not None:
            quals = quals.filter(valid_from__lte=today, valid_to__gte=today)
        rows = rows.filter(pk__in=quals.values("intermediary_id"))
    if standing in StandingChoices.values:
        rows = rows.filter(standing=standing)
    else:
        rows = rows.exclude(standing=StandingChoices.EXITED)
    if min_credit is not None:
        rows = rows.filter(credit_score__gte=min_credit)
    return rows.order_by("-credit_score", "name", "id")


def intermediary_page(pk: int) -> Intermediary | None:
    return (Intermediary.objects.filter(pk=pk)
            .prefetch_related("ties", "staff", "measures").first())


def approved_qualifications(found: Intermediary) -> list[Qualification]:
    return list(found.qualifications.filter(state=QualificationState.APPROVED)
                .select_related("service").order_by("service__code"))


def fees_of(found: Intermediary) -> list[FeeSchedule]:
    return list(found.fees.select_related("service").order_by("service__code"))


def public_postings() -> QuerySet[Posting]:
    return Posting.objects.select_related("service", "winner__intermediary").order_by(
        "-posted_at", "-id")


def bids_of(posting: Posting) -> list[Bid]:
    return list(posting.bids.select_related("intermediary").order_by("submitted_at", "id"))


def measures() -> QuerySet[CreditMeasure]:
    return CreditMeasure.objects.select_related("intermediary").exclude(kind="restored")


def owner_postings(user: Any) -> QuerySet[Posting]:
    return public_postings().filter(owner=user).select_related("contract")


def operated_intermediaries(user: Any) -> QuerySet[Intermediary]:
    if not user.is_authenticated:
        return Intermediary.objects.none()
    return Intermediary.objects.filter(users=user).order_by("id")


def open_postings_for(found: Intermediary, now: dt.datetime) -> QuerySet[Posting]:
    """Open postings for the services the intermediary holds an approved qualification for."""
    services = found.qualifications.filter(state=QualificationState.APPROVED).values("service_id")
    return (Posting.objects.filter(state="open", offers_close_at__gt=now, service_id__in=services)
            .select_related("service").order_by("offers_close_at", "id"))


def contracts_of(found: Intermediary) -> QuerySet[Contract]:
    return found.contracts.select_related("posting__service").order_by("-started_on", "-id")


def pending_qualifications() -> QuerySet[Qualification]:
    return (Qualification.objects.filter(state=QualificationState.PENDING)
            .select_related("intermediary", "service").order_by("submitted_at", "id"))


def open_complaints() -> QuerySet[Complaint]:
    return (Complaint.objects.filter(state="open")
            .select_related("intermediary", "contract__posting").order_by("due_on", "id"))


def figures() -> list[dict[str, Any]]:
    """Public figures by service: services finished, average working days used against the
    average promised, the average contract price against the average published maximum fee
    of the intermediaries that did them, and the services finished late."""
    calendar = get_work_calendar()
    rows = []
    for service in Service.objects.filter(published=True).order_by("code"):
        done = Contract.objects.filter(posting__service=service,
                                       state__in=[ContractState.REPORTED, ContractState.FINISHED])
        stats = done.aggregate(n=Count("id"), promised=Avg("promised_days"),
                               price=Avg("price"), late=Count("id", filter=Q(days_late__gt=0)),
                               over=Sum(F("days_late")))
        running = Contract.objects.filter(posting__service=service,
                                          state=ContractState.RUNNING).count()
        # the winner's own published maximum (收费公示) beside the price it was paid
        fees = [f for f in FeeSchedule.objects.filter(
            service=service, intermediary_id__in=done.values("intermediary_id"))
            .values_list("max_fee", flat=True)]
        fee = sum(fees) / len(fees) if fees else None
        used = [calendar.count_working_days(c.started_on, c.reported_on)
                for c in done.only("started_on", "reported_on") if c.reported_on]
        rows.append({
            "service": service, "finished": stats["n"], "running": running,
            "promised": stats["promised"], "used": (sum(used) / len(used)) if used else None,
            "late": stats["late"], "price": stats["price"], "fee": fee,
        })
    return rows
