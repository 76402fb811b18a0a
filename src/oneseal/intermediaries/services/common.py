"""What every marketplace service shares: the moment, the names, and the access rules.

《优化营商环境条例》第43条: administrative bodies may not designate an intermediary. Hence
`refuse_staff`: every operation that chooses, offers or posts refuses an account that holds any
bureau role (工作人员), even when that account also holds an applicant role."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from oneseal.core.roles import STAFF_ROLES, Role

from ..errors import MarketForbidden
from ..models import Intermediary


def moment(at: dt.datetime | None) -> tuple[dt.datetime, dt.date]:
    now = at or timezone.now()
    return now, timezone.localtime(now).date()


def name_of(user: Any) -> str:
    if user is None:
        return ""
    return getattr(user, "display_name", "") or user.get_username()


def is_staff_member(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.has_role(*STAFF_ROLES))


def refuse_staff(user: Any) -> None:
    """Refuse bureau and department staff (《优化营商环境条例》第43条): no staff account may
    post a need, offer, or choose an intermediary."""
    if user is None or not user.is_authenticated:
        raise MarketForbidden(_("请先登录。"))
    if is_staff_member(user):
        raise MarketForbidden(_("依据《优化营商环境条例》第四十三条，行政机关工作人员不得指定或参与"
                                "选取中介服务机构。"), code="staff_may_not_select")


def require_market_user(user: Any) -> None:
    """A project owner or an intermediary's operator: an applicant's or an agent's account,
    and no staff role."""
    refuse_staff(user)
    if not user.has_role(Role.APPLICANT, Role.AGENT):
        raise MarketForbidden(_("请使用申请人或单位账号登录。"))


def operated(user: Any, intermediary_id: int) -> Intermediary:
    """The intermediary `user` operates, or MarketForbidden."""
    require_market_user(user)
    found = Intermediary.objects.filter(pk=intermediary_id, users=user).first()
    if found is None:
        raise MarketForbidden(_("您不是该中介服务机构的操作员。"))
    return found
