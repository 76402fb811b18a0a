"""Who am I (`GET /api/v1/me`): the ids a client needs before it can send anything else —
the user's id, roles and unit, and (for applicants and agents) the persons and
organisations the account may apply for, with the authorisation that allows it.

It lives here, not in `accounts`, because it reads the applicants (申请人) the account acts
for, and `applicants` builds on `accounts`, not the other way round."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema

from oneseal.accounts.api_auth import bearer_auth
from oneseal.accounts.models import User
from oneseal.accounts.roles import Role

from .selectors import acting_for

router = Router(tags=["accounts"])


class UnitOut(Schema):
    id: int
    code: str
    name: str


class RoleOut(Schema):
    code: str
    name: str


class AuthorisationOut(Schema):
    id: int
    valid_from: dt.date
    valid_to: dt.date | None
    all_items: bool = Field(description="委托全部事项 / every item")
    item_ids: list[int] = Field(description="委托的事项 id / the items, unless all_items")


class ActsForOut(Schema):
    kind: Literal["person", "organisation"] = Field(
        description="申请人类型：person → applicant.person_id，organisation → "
                    "applicant.organisation_id / which applicant field takes the id")
    id: int
    name: str
    via: Literal["self", "linked", "authorisation"] = Field(
        description="本人 / 关联账户 / 授权委托 / the account's own person, a linked "
                    "organisation, or an authorisation in force")
    authorisation: AuthorisationOut | None


class MeOut(Schema):
    id: int
    username: str
    display_name: str
    unit: UnitOut | None
    roles: list[RoleOut]
    acts_for: list[ActsForOut] = Field(
        description="可以作为申请人或代其申请的自然人和单位 / whom the account may apply for")


@router.get("/me", auth=bearer_auth, response=MeOut,
            summary="当前令牌所属用户 / the user the token belongs to")
def me(request: HttpRequest) -> MeOut:
    """用户 id、姓名、单位、角色，以及可以作为申请人或代为申请的自然人和单位（当前用户信息）。"""
    user: User = request.auth  # type: ignore[attr-defined]
    unit = user.unit
    return MeOut(
        id=user.pk, username=user.username, display_name=user.display_name,
        unit=UnitOut(id=unit.pk, code=unit.code, name=unit.name) if unit else None,
        roles=[RoleOut(code=role.value, name=str(role.label))
               for role in Role if role.value in user.role_codes],
        acts_for=[ActsForOut(**row) for row in acting_for(user)],
    )
