"""Reads of supervision: the ratings of a case and the follow-ups a user may see."""

from __future__ import annotations

from django.db.models import Count, Q

from oneseal.cases.models import Case
from oneseal.org.service_points import service_points, street_of

from .models import Rating


def case_ratings(case: Case) -> list[Rating]:
    return list(Rating.objects.filter(case=case).select_related("follow_up")
                .order_by("rated_at", "id"))


def online_rating(case: Case) -> Rating | None:
    return Rating.objects.filter(case=case, channel="online").first()



def counts_by_street() -> list[dict[str, object]]:
    """Cases received at street and community service points (便民服务中心/站), counted by
    street (a community's cases count for its street): received, delivered, delivered at the
    point. Streets without any case are listed with zeros."""
    points = {p.pk: p for p in service_points().select_related("parent")}
    rows = (Case.objects.filter(service_point__isnull=False).values("service_point_id")
            .annotate(received=Count("id"), delivered=Count("id", filter=Q(state="delivered")),
                      at_point=Count("id", filter=Q(state="delivered", deliver_at_point=True))))
    table: dict[int, dict[str, object]] = {}
    for p in points.values():
        street = street_of(p)
        table.setdefault(street.pk, {"street": street.short_name or street.name,
                                     "received": 0, "delivered": 0, "at_point": 0})
    for row in rows:
        point = points.get(row["service_point_id"])
        if point is None:
            continue
        entry = table[street_of(point).pk]
        for key in ("received", "delivered", "at_point"):
            entry[key] = int(entry[key]) + row[key]  # type: ignore[call-overload]
    return sorted(table.values(), key=lambda e: str(e["street"]))
