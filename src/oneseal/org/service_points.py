"""Street and community service points (便民服务中心/站, work plan measure 十二): which items
each may receive. A case received there carries the point (`cases.Case.service_point`),
flows to the bureau's back office as usual and, if the applicant wants, is delivered back
there."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from oneseal.core.audit import append_event

from .models import SERVICE_POINT_KINDS, ServicePointItem, Unit

#: Why a point may not receive an application (the codes of the refusal).
NOT_A_POINT = "service_point_invalid"
NOT_ALLOWED = "service_point_not_allowed"
POINT_REFUSALS = {
    NOT_A_POINT: gettext_lazy("收件地点不是有效的街道便民服务中心或社区便民服务站。"),
    NOT_ALLOWED: gettext_lazy("该便民服务点未开通此事项的收件。"),
}


def service_points() -> QuerySet[Unit]:
    return Unit.objects.filter(kind__in=SERVICE_POINT_KINDS, is_active=True).order_by(
        "sort_order", "code")


def street_of(point: Unit) -> Unit:
    """The street a point belongs to: itself, or a community's parent street."""
    if point.kind == "community" and point.parent is not None:
        return point.parent
    return point


def receive_refusal(point_id: int, item_id: int) -> str | None:
    """None when the active street or community point `point_id` may receive `item_id`."""
    if not service_points().filter(pk=point_id).exists():
        return NOT_A_POINT
    if not ServicePointItem.objects.filter(point_id=point_id, item_id=item_id).exists():
        return NOT_ALLOWED
    return None


def set_point_items(*, actor: Any, point: Unit, item_ids: Iterable[int]) -> list[int]:
    """Set the items `point` may receive (audited)."""
    if point.kind not in SERVICE_POINT_KINDS:
        raise ValidationError(
            {"point": _("只有街道便民服务中心和社区便民服务站可以设置收件事项。")})
    ids = sorted({int(i) for i in item_ids})
    with transaction.atomic():
        ServicePointItem.objects.filter(point=point).exclude(item_id__in=ids).delete()
        have = set(ServicePointItem.objects.filter(point=point).values_list("item_id",
                                                                            flat=True))
        ServicePointItem.objects.bulk_create(
            [ServicePointItem(point=point, item_id=i) for i in ids if i not in have])
        append_event(actor=actor, kind="org.service_point.items", subject=f"unit:{point.pk}",
                     payload={"items": ids})
    return ids
