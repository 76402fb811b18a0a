"""The licence library over HTTP (电子证照接口) for departments and other systems:

* ``GET /api/v1/licences/{identifier}`` — one licence by its identifier;
* ``GET /api/v1/licences?holder_id=…&type_code=…`` — a holder's licences (of one type);
* ``POST /api/v1/licences/{identifier}/state`` — 暂扣/恢复/撤回/撤销/注销/吊销 (head, chief).

Staff who read the library (clerk, reviewer, chief, head, department officer, supervisor)
see every licence, by bearer token or by their logged-in session; a holder (the applicant's
account, an organisation's agent) sees only their own, with the holder's number masked;
anyone else finds nothing. Every lookup is recorded (`LicenceAccess`, 每次调用均登记) —
found or not, malformed or not. Errors are ``{"detail", "code"}``: 404
``licence_not_found`` (unknown, or not the caller's), 422 ``invalid_identifier`` (the
Chinese check-character message), 403 ``forbidden``, 409 ``illegal_transition``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from oneseal.accounts.api_auth import token_or_session
from oneseal.core.throttle import client_address

from . import selectors, services
from .domain.identifier import InvalidIdentifier
from .errors import LicenceError, LicenceNotFound
from .models import Licence, masked_holder_id
from .render import verify_url

router = Router(tags=["licences"], auth=token_or_session)


class LicenceErrorOut(Schema):
    detail: str
    code: str


class SealOut(Schema):
    signed: bool
    signed_sha256: str
    signed_at: dt.datetime | None


class LicenceOut(Schema):
    identifier: str
    type_code: str
    type_name: str
    number: str
    name: str
    version: int
    issuer_name: str
    issuer_code: str
    issued_on: dt.date
    defining_authority: str
    valid_from: dt.date
    valid_to: dt.date | None
    jurisdiction: str
    holder_name: str
    holder_id: str
    holder_id_type: str
    item_name: str
    item_code: str
    scope: str
    state: str
    state_label: str
    state_today: str
    state_today_label: str
    renewal_apply_by: dt.date | None
    seal: SealOut
    links: dict[str, str]


class LicenceListOut(Schema):
    count: int
    items: list[LicenceOut]


class HolderQuery(Schema):
    holder_id: str
    type_code: str = ""


class StateIn(Schema):
    operation: str
    reason: str


ERRORS: dict[int, Any] = dict.fromkeys((403, 404, 409, 422), LicenceErrorOut)


def _client_ip(request: HttpRequest) -> str | None:
    """The client's address, read through the trusted proxies like the throttles'."""
    address = client_address(request)
    return None if address == "unknown" else address


def _token_label(request: HttpRequest) -> str:
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return header.split(None, 1)[1].strip()[:12]  # the token's public prefix
    return "session"


def _log(request: HttpRequest, kind: str, query: str, found: list[Licence]) -> None:
    services.record_access(user=request.user, token_label=_token_label(request),
                           ip=_client_ip(request), kind=kind, query=query, found=found)


def _seal(licence: Licence) -> dict[str, Any]:
    use = getattr(licence, "seal_use", None)
    signed = bool(use is not None and use.state == "signed")
    return {"signed": signed, "signed_sha256": use.signed_sha256 if signed else "",
            "signed_at": use.signed_at if signed else None}


def serialise(request: HttpRequest, licence: Licence, *, full_id: bool) -> dict[str, Any]:
    today = timezone.localdate()
    now_state = services.state_today(licence, today)
    holder_id = licence.holder_id if full_id else licence.holder_id_masked
    links = {"self": request.build_absolute_uri(
        reverse("api:licence_detail", kwargs={"identifier": licence.identifier})),
        "verify": verify_url(licence.identifier)}
    if full_id:
        links["workbench"] = request.build_absolute_uri(
            reverse("licences:detail", kwargs={"licence_id": licence.pk}))
    return {
        "identifier": licence.identifier, "type_code": licence.type.code,
        "type_name": licence.type.name, "number": licence.number, "name": licence.name,
        "version": licence.version, "issuer_name": licence.issuer_name,
        "issuer_code": licence.issuer_code, "issued_on": licence.issued_on,
        "defining_authority": licence.defining_authority, "valid_from": licence.valid_from,
        "valid_to": licence.valid_to, "jurisdiction": licence.jurisdiction,
        "holder_name": licence.holder_name, "holder_id": holder_id,
        "holder_id_type": licence.holder_id_type, "item_name": licence.item_name,
        "item_code": licence.item_code, "scope": licence.scope, "state": licence.state,
        "state_label": services.state_label(licence.state), "state_today": now_state,
        "state_today_label": services.state_label(now_state),
        "renewal_apply_by": services.renewal_apply_by(licence), "seal": _seal(licence),
        "links": links,
    }


def _error(exc: LicenceError) -> Status:
    return Status(exc.status, {**exc.detail, "detail": str(exc.message), "code": exc.code})


def _invalid(exc: InvalidIdentifier) -> Status:
    return Status(422, {"detail": exc.message(_), "code": "invalid_identifier"})


@router.get("/licences/{identifier}", response={200: LicenceOut, **ERRORS},
            url_name="licence_detail", summary="按电子证照标识查询证照")
def licence_detail(request: HttpRequest, identifier: str) -> Any:
    """One licence by its identifier (checked first: a wrong check character is a 422)."""
    try:
        licence = selectors.find_by_identifier(identifier, request.user)
    except InvalidIdentifier as exc:
        _log(request, "identifier", identifier, [])
        return _invalid(exc)
    _log(request, "identifier", identifier, [licence] if licence else [])
    if licence is None:
        return _error(LicenceNotFound())
    return Status(200, serialise(request, licence, full_id=selectors.is_reader(request.user)))


@router.get("/licences", response={200: LicenceListOut, **ERRORS}, url_name="licence_list",
            summary="按持证主体和证照类型查询证照")
def licence_list(request: HttpRequest, query: Query[HolderQuery]) -> Any:
    """A holder's licences (optionally of one type), newest first: every licence for the
    readers, the caller's own for an applicant or agent, 403 for other roles. The holder's
    number is logged masked."""
    if not (selectors.is_reader(request.user)
            or request.user.has_role(*selectors.HOLDER_ROLES)):
        _log(request, "holder", f"{masked_holder_id(query.holder_id)} {query.type_code}".strip(),
             [])
        return Status(403, {"detail": _("您的角色无权查询电子证照库。"), "code": "forbidden"})
    found = selectors.find_by_holder(query.holder_id, query.type_code, request.user)
    _log(request, "holder", f"{masked_holder_id(query.holder_id)} {query.type_code}".strip(),
         found)
    reader = selectors.is_reader(request.user)
    return Status(200, {"count": len(found),
                        "items": [serialise(request, licence, full_id=reader)
                                  for licence in found]})


@router.post("/licences/{identifier}/state", response={200: LicenceOut, **ERRORS},
             url_name="licence_state", summary="变更电子证照状态（局长、科长）")
def licence_state(request: HttpRequest, identifier: str, payload: StateIn) -> Any:
    try:
        licence = selectors.find_by_identifier(identifier, request.user)
    except InvalidIdentifier as exc:
        return _invalid(exc)
    if licence is None:
        return _error(LicenceNotFound())
    try:
        licence = services.change_state(actor=request.user, licence=licence,
                                        operation=payload.operation, reason=payload.reason)
    except LicenceError as exc:
        return _error(exc)
    return Status(200, serialise(request, licence, full_id=True))
