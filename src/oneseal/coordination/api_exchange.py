"""Data exchange for departments and other systems (部门数据交换接口), by API key only:

* ``GET /api/v1/exchange/licences/{identifier}`` — a licence of the key's department
  (operation ``licence_lookup``);
* ``GET /api/v1/exchange/cases/{number}`` — the status of a case of the key's department
  (operation ``case_status``);
* ``GET /api/v1/exchange/events?after=<id>&limit=<n>`` — the event outbox of the key's
  department, oldest first (operation ``events_pull``): the same CloudEvents JSON the
  webhooks POST (`CloudEvent`, with `CaseEventData` or `LicenceEventData` as `data`).

The key goes in ``Authorization: Bearer osk_…`` or ``X-Api-Key: osk_…``. Answers: 401
``invalid_api_key`` / ``api_key_revoked`` / ``api_key_expired``, 429 ``throttled`` (the
key's calls per minute), 403 ``operation_not_allowed``, 404 ``not_found`` (unknown, or out
of the key's department and items: the same answer). Every call is logged (`ApiCall`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import AuthenticationError, Throttled
from ninja.security import APIKeyHeader, HttpBearer

from oneseal.cases.models import Case
from oneseal.core.api_types import Int
from oneseal.core.masking import mask_name
from oneseal.licences.models import Licence

from . import apikeys
from .events import envelope
from .models_events import ApiKey, Event, Operation


class KeyAuthenticationError(AuthenticationError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(401, message)
        self.code = code


class KeyThrottled(Throttled):
    code = "throttled"

    def __init__(self) -> None:
        super().__init__(60)
        self.message = _("调用过于频繁：已超过该密钥每分钟的调用上限，请稍后再试。")


def _check(request: HttpRequest, text: str | None) -> ApiKey | None:
    if not text:
        return None
    try:
        key = apikeys.authenticate(text)
    except apikeys.KeyRefused as exc:
        if exc.prefix:
            apikeys.log_call(request, key=exc.key, prefix=exc.prefix, operation="auth",
                             query="", status=401)
        raise KeyAuthenticationError(exc.code, exc.message) from exc
    if apikeys.over_rate(request, key):
        apikeys.log_call(request, key=key, operation="auth", query="", status=429)
        raise KeyThrottled()
    request.api_key = key  # type: ignore[attr-defined]
    return key


class ApiKeyBearer(HttpBearer):
    """``Authorization: Bearer osk_…``."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiKey | None:
        return _check(request, token)


class ApiKeyInHeader(APIKeyHeader):
    """``X-Api-Key: osk_…``."""

    param_name = "X-Api-Key"

    def authenticate(self, request: HttpRequest, key: str | None) -> ApiKey | None:
        return _check(request, key)


router = Router(tags=["exchange"], auth=[ApiKeyBearer(), ApiKeyInHeader()])


class ExchangeError(Schema):
    detail: str
    code: str


class CaseStatusOut(Schema):
    number: str
    item_code: str
    item_name: str
    department_code: str
    applicant_kind: str
    applicant_name: str = Field(description="自然人姓名已脱敏 / a person's name masked")
    channel: str
    state: str
    state_label: str
    outcome: str
    received_on: dt.date | None
    accepted_on: dt.date | None
    promised_due: dt.date | None
    statutory_due: dt.date | None
    decided_on: dt.date | None


class LicenceStatusOut(Schema):
    identifier: str
    number: str
    type_code: str
    name: str
    issuer_name: str
    issued_on: dt.date
    valid_from: dt.date
    valid_to: dt.date | None
    holder_name: str
    holder_id: str = Field(description="居民身份证号已脱敏 / a resident ID number masked")
    item_code: str
    state: str
    case_number: str


class CaseEventData(Schema):
    """`data` of the ``cn.oneseal.case.*`` events."""

    case_number: str
    operation: str
    history_seq: int
    on: dt.date
    state_from: str
    state: str
    outcome: str
    reason: str
    item_code: str
    item_name: str
    department_code: str
    department_name: str
    applicant_kind: str
    applicant_name: str
    promised_due: dt.date | None
    decided_on: dt.date | None


class LicenceEventData(Schema):
    """`data` of the ``cn.oneseal.licence.*`` events."""

    identifier: str
    number: str
    type_code: str
    name: str
    operation: str
    from_state: str
    state: str
    reason: str
    legal_basis: str
    holder_name: str
    holder_id: str
    item_code: str
    item_name: str
    valid_from: dt.date
    valid_to: dt.date | None
    case_number: str


class CloudEvent(Schema):
    """One event as CloudEvents 1.0 JSON (structured mode): the body of every webhook POST
    (headers ``X-OneSeal-Timestamp`` and ``X-OneSeal-Signature: v1=<hex HMAC-SHA256 of
    "<timestamp>.<body>">``, see docs/coordination.md) and the items of the pull API."""

    specversion: str = Field(description="always 1.0")
    id: str
    source: str
    type: str = Field(description="cn.oneseal.case.* / cn.oneseal.licence.*")
    subject: str
    time: str
    datacontenttype: str
    stream: str = Field(description="extension: case:<id> (or licence:<id>)")
    sequence: str = Field(description="extension: the event's number in its stream")
    data: CaseEventData | LicenceEventData | dict[str, Any]


class EventPage(Schema):
    count: int
    next_after: int = Field(description="pass as `after` to read on")
    items: list[CloudEvent]


class EventsQuery(Schema):
    after: Int = Field(0, ge=0, le=2**63 - 1)
    limit: Int = Field(100, ge=1, le=500)


ERRORS: dict[int, Any] = dict.fromkeys((401, 403, 404, 429), ExchangeError)


def _key(request: HttpRequest) -> ApiKey:
    return request.api_key  # type: ignore[attr-defined,no-any-return]


def _refuse(request: HttpRequest, operation: str, query: str) -> Status | None:
    key = _key(request)
    if operation in key.operations:
        return None
    apikeys.log_call(request, key=key, operation=operation, query=query, status=403)
    return Status(403, {"detail": _("该密钥无权执行此操作（%(op)s）。")
                        % {"op": Operation(operation).label}, "code": "operation_not_allowed"})


def _not_found(request: HttpRequest, operation: str, query: str) -> Status:
    apikeys.log_call(request, key=_key(request), operation=operation, query=query,
                     status=404)
    return Status(404, {"detail": _("未找到，或不在该密钥的部门和事项范围内。"),
                        "code": "not_found"})


@router.get("/exchange/cases/{number}", response={200: CaseStatusOut, **ERRORS},
            url_name="exchange_case", summary="部门接口：按办件编号查询办件状态")
def exchange_case(request: HttpRequest, number: str) -> Any:
    op = Operation.CASE_STATUS
    refused = _refuse(request, op, number)
    if refused is not None:
        return refused
    case = (Case.objects.select_related("item", "department")
            .filter(number=number.strip()[:40]).first())
    if case is None or not apikeys.case_in_scope(_key(request), case):
        return _not_found(request, op, number)
    apikeys.log_call(request, key=_key(request), operation=op, query=number, status=200,
                     result_count=1)
    name = case.applicant_name if case.organisation_id else mask_name(case.applicant_name)
    return Status(200, {
        "number": case.number, "item_code": case.item.implementation_code,
        "item_name": case.item_name,
        "department_code": case.department.code if case.department else "",
        "applicant_kind": case.applicant_kind, "applicant_name": name,
        "channel": case.channel, "state": case.state, "state_label": case.get_state_display(),
        "outcome": case.outcome or "", "received_on": case.received_on,
        "accepted_on": case.accepted_on,
        "promised_due": case.promised_due, "statutory_due": case.statutory_due,
        "decided_on": case.decided_on})


@router.get("/exchange/licences/{identifier}", response={200: LicenceStatusOut, **ERRORS},
            url_name="exchange_licence", summary="部门接口：按电子证照标识查询证照")
def exchange_licence(request: HttpRequest, identifier: str) -> Any:
    op = Operation.LICENCE_LOOKUP
    refused = _refuse(request, op, identifier)
    if refused is not None:
        return refused
    licence = (Licence.objects.select_related("type", "case")
               .filter(identifier=identifier.strip()[:100]).first())
    if licence is None or not apikeys.case_in_scope(_key(request), licence.case):
        return _not_found(request, op, identifier)
    apikeys.log_call(request, key=_key(request), operation=op, query=identifier, status=200,
                     result_count=1)
    person = bool(licence.holder_person_id)
    return Status(200, {
        "identifier": licence.identifier, "number": licence.number,
        "type_code": licence.type.code, "name": licence.name,
        "issuer_name": licence.issuer_name, "issued_on": licence.issued_on,
        "valid_from": licence.valid_from, "valid_to": licence.valid_to,
        "holder_name": mask_name(licence.holder_name) if person else licence.holder_name,
        "holder_id": licence.holder_id_masked, "item_code": licence.item_code,
        "state": licence.state, "case_number": licence.case.number if licence.case else ""})


@router.get("/exchange/events", response={200: EventPage, **ERRORS},
            url_name="exchange_events", summary="部门接口：拉取本部门的事件（CloudEvents）")
def exchange_events(request: HttpRequest, query: Query[EventsQuery]) -> Any:
    op = Operation.EVENTS_PULL
    text = f"after={query.after} limit={query.limit}"
    refused = _refuse(request, op, text)
    if refused is not None:
        return refused
    key = _key(request)
    qs = Event.objects.filter(department_id=key.department_id, id__gt=query.after)
    items = apikeys.item_ids(key)
    if items:
        qs = qs.filter(item_id__in=items)
    rows = list(qs.order_by("id")[:query.limit])
    apikeys.log_call(request, key=key, operation=op, query=text, status=200,
                     result_count=len(rows))
    return Status(200, {"count": len(rows),
                        "next_after": rows[-1].pk if rows else query.after,
                        "items": [envelope(row) for row in rows]})
