"""`{% case_ratings case %}`: the ratings section of the case page (好差评), with the link to
rate where the user may."""

from __future__ import annotations

from typing import Any

from django import template

from ..domain.ratings import RatingChannel
from ..selectors import case_ratings as ratings_of
from ..services import may_rate

register = template.Library()


@register.inclusion_tag("supervision/_case_ratings.html", takes_context=True)
def case_ratings(context: dict[str, Any], case: Any) -> dict[str, Any]:
    user = context["request"].user
    ratings = ratings_of(case)
    channels = {r.channel for r in ratings}
    delivered = case.state == "delivered"
    return {
        "case": case, "ratings": ratings,
        "rate_online": delivered and RatingChannel.ONLINE not in channels
        and may_rate(user, case, RatingChannel.ONLINE),
        "rate_window": delivered and RatingChannel.WINDOW not in channels
        and may_rate(user, case, RatingChannel.WINDOW),
    }
