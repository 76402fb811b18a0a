"""Account endpoints of the HTTP API: who am I (`GET /api/v1/me`)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from .api_auth import bearer_auth
from .models import User
from .roles import Role

router = Router(tags=["accounts"])


class UnitOut(Schema):
    code: str
    name: str


class RoleOut(Schema):
    code: str
    name: str


class MeOut(Schema):
    username: str
    display_name: str
    unit: UnitOut | None
    roles: list[RoleOut]


@router.get("/me", auth=bearer_auth, response=MeOut,
            summary="当前令牌所属用户 / the user the token belongs to")
def me(request: HttpRequest) -> MeOut:
    """The username, name, unit and roles of the token's user (当前用户信息)."""
    user: User = request.auth  # type: ignore[attr-defined]
    return MeOut(
        username=user.username,
        display_name=user.display_name,
        unit=UnitOut(code=user.unit.code, name=user.unit.name) if user.unit else None,
        roles=[RoleOut(code=role.value, name=str(role.label))
               for role in Role if role.value in user.role_codes],
    )
