"""Reads of supervision: the ratings of a case and the follow-ups a user may see."""

from __future__ import annotations

from oneseal.cases.models import Case

from .models import Rating


def case_ratings(case: Case) -> list[Rating]:
    return list(Rating.objects.filter(case=case).select_related("follow_up")
                .order_by("rated_at", "id"))


def online_rating(case: Case) -> Rating | None:
    return Rating.objects.filter(case=case, channel="online").first()

