"""Ratings over HTTP (好差评接口): `POST /api/v1/cases/{id}/rating` (the applicant's 一事一评,
or the window clerk's entry of a 一次一评) and `GET /api/v1/cases/{id}/ratings`. Refusals
are `CaseError`s, answered `{"detail", "code"}` with their status by `oneseal.api.urls`."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from oneseal.cases.api_schemas import CaseErrorOut
from oneseal.cases.permissions import access_case

from . import selectors, services
from .domain.ratings import MAX_TEXT, REASONS

router = Router(tags=["ratings"])
ERRORS: dict[int, Any] = dict.fromkeys((403, 404, 409, 422), CaseErrorOut)

LevelName = Literal["very_satisfied", "satisfied", "basic", "dissatisfied",
                    "very_dissatisfied"]


class RatingIn(Schema):
    level: LevelName = Field(description="非常满意 / 满意 / 基本满意 / 不满意 / 非常不满意")
    reasons: list[str] = Field(default_factory=list, max_length=len(REASONS),
                               description="勾选的理由代码 / reason codes: "
                                           + ", ".join(REASONS))
    text: str = Field("", max_length=MAX_TEXT, description="评价内容 / comment")
    channel: Literal["online", "window"] = Field(
        "online", description="online 一事一评（申请人）/ window 一次一评（窗口人员登记）")


class FollowUpOut(Schema):
    owner_name: str
    due: dt.date
    state: str


class RatingOut(Schema):
    id: int
    channel: str
    level: str
    level_label: str
    reasons: list[str]
    text: str
    deemed: bool
    rated_on: dt.date
    follow_up: FollowUpOut | None = None


def rating_out(rating: Any) -> dict[str, Any]:
    follow_up = getattr(rating, "follow_up", None)  # none unless a 差评
    return {
        "id": rating.pk, "channel": rating.channel, "level": rating.level,
        "level_label": str(rating.get_level_display()), "reasons": rating.reasons,
        "text": rating.text, "deemed": rating.deemed, "rated_on": rating.rated_on,
        "follow_up": None if follow_up is None else {
            "owner_name": follow_up.owner_name, "due": follow_up.due,
            "state": follow_up.state},
    }


@router.post("/cases/{case_id}/rating", response={201: RatingOut, **ERRORS},
             summary="评价办件 / rate a delivered case")
def rate(request: HttpRequest, case_id: int, payload: RatingIn) -> Any:
    """送达后评价（国办发〔2019〕51号）：每件每渠道一次；差评生成整改记录。"""
    rating = services.rate_case(actor=request.user, case_id=case_id, channel=payload.channel,
                                level=payload.level, reasons=payload.reasons,
                                text=payload.text)
    return Status(201, rating_out(rating))


@router.get("/cases/{case_id}/ratings", response={200: list[RatingOut], **ERRORS},
            summary="办件的评价 / the ratings of a case")
def ratings(request: HttpRequest, case_id: int) -> Any:
    """办件的全部评价（含逾期未评价默认的基本满意）。"""
    case = access_case(user=request.user, case_id=case_id)
    return [rating_out(r) for r in selectors.case_ratings(case)]
