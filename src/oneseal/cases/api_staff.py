"""`GET /api/v1/cases/{case_id}/staff?purpose=site_visit|hearing_chair` (人员查询): the ids a
client must send as `site_staff` (complete-step, 第34条: two or more) or as the hearing's
`chair_id` (special-procedures/start, 第48条: not a reviewer of the case).

Only a caller who may do the operation on the case gets the list: completing the current
step for a site visit, starting a special procedure for a hearing chair; anyone else who may
see the case gets 403, anyone who may not see it 404 (as every case route)."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from oneseal.accounts.api_auth import bearer_auth
from oneseal.core.api_types import Id

from . import selectors_staff
from .api_schemas import CaseErrorOut
from .domain.states import Operation
from .errors import CaseForbidden
from .permissions import access_case, may

router = Router(tags=["cases"], auth=bearer_auth)

PURPOSES: dict[str, tuple[Operation, str, int]] = {
    # purpose: (the operation the ids are for, the article, the least number to name)
    "site_visit": (Operation.COMPLETE_STEP, "行政许可法 第三十四条", 2),
    "hearing_chair": (Operation.SPECIAL_START, "行政许可法 第四十八条", 1),
}


class StaffQuery(Schema):
    purpose: Literal["site_visit", "hearing_chair"] = Field(
        description="site_visit 现场核查人员（第34条） / hearing_chair 听证主持人（第48条）")
    unit_id: Id | None = Field(None, description="仅列该单位的人员 / staff of this unit only")


class StaffUnitOut(Schema):
    id: int
    name: str


class StaffMemberOut(Schema):
    id: int
    name: str
    unit: StaffUnitOut | None


class StaffOut(Schema):
    purpose: str
    legal_basis: str
    minimum: int = Field(description="至少须指定的人数 / the least number of ids to send")
    staff: list[StaffMemberOut]


@router.get("/cases/{case_id}/staff", response={200: StaffOut, 403: CaseErrorOut,
                                                 404: CaseErrorOut},
            summary="可指派的现场核查人员或听证主持人 / staff for a site visit or a hearing")
def case_staff(request: HttpRequest, case_id: int, query: Query[StaffQuery]) -> Any:
    """现场核查须两名以上工作人员（第34条）；听证主持人不得是审查该申请的工作人员（第48条）。
    仅有权办理相应操作的用户可以查询。"""
    user = request.auth  # type: ignore[attr-defined]
    case = access_case(user=user, case_id=case_id)
    operation, basis, minimum = PURPOSES[query.purpose]
    if not may(user, operation, case):
        raise CaseForbidden(_forbidden(query.purpose))
    found = (selectors_staff.site_visit_staff(case, unit_id=query.unit_id)
             if query.purpose == "site_visit"
             else selectors_staff.hearing_chairs(case, unit_id=query.unit_id))
    return {"purpose": query.purpose, "legal_basis": basis, "minimum": minimum,
            "staff": [{"id": u.pk, "name": str(u),
                       "unit": {"id": u.unit.pk, "name": u.unit.name} if u.unit else None}
                      for u in found]}


def _forbidden(purpose: str) -> str:
    if purpose == "site_visit":
        return _("只有办理当前审查环节的人员可以查询现场核查人员。")
    return _("您无权为该办件启动听证，不能查询听证主持人。")
