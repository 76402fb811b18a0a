"""API keys of departments and systems (接口密钥, work-plan measure 九 信息共享).

A key belongs to one department (the competent department, 主管部门) and allows some
operations (`Operation`: licence lookup, case status, events pull), optionally only for
some items. It sees the cases whose competent department is its own (and the licences and
events of those cases). It expires, can be revoked, and is limited to `rate_per_minute`
calls (the project's shared-cache throttle, `oneseal.core.throttle`). The key is shown once
when created (``osk_<prefix>_<secret>``) and stored as its SHA-256 hash; the public prefix
finds it. Every call is logged (`ApiCall`: who, what, when, the answer), refused or not.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oneseal.core.audit import append_event
from oneseal.core.roles import Role
from oneseal.core.throttle import client_address, throttled

from .errors_events import ExchangeRefused
from .models_events import ApiCall, ApiKey, Operation

KEY_PREFIX = "osk_"
MAX_DAYS = 3 * 366  # a key lives at most about three years


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def may_manage(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.has_role(Role.SYSADMIN))


@dataclass(frozen=True)
class NewKey:
    key: ApiKey
    plaintext: str  # shown once, never stored


def create_key(*, actor: Any, name: str, department: Any, operations: Iterable[str],
               expires_on: dt.date, items: Iterable[Any] = (), system: str = "",
               rate_per_minute: int = 60, today: dt.date | None = None) -> NewKey:
    """A new key (sysadmin only); the plaintext is returned once."""
    if not may_manage(actor):
        raise ExchangeRefused(_("只有系统管理员可以创建接口密钥。"), "forbidden")
    name = (name or "").strip()
    ops = sorted(set(operations))
    today = today or timezone.localdate()
    if not name:
        raise ExchangeRefused(_("请填写密钥名称。"), "name_required")
    if not ops or any(op not in Operation.values for op in ops):
        raise ExchangeRefused(_("请至少选择一项允许的操作。"), "operations_required")
    if department is None:
        raise ExchangeRefused(_("请选择密钥所属部门。"), "department_required")
    if not today < expires_on <= today + dt.timedelta(days=MAX_DAYS):
        raise ExchangeRefused(_("到期日须在今天之后、三年之内。"), "bad_expiry")
    if not 1 <= rate_per_minute <= 6000:
        raise ExchangeRefused(_("每分钟调用上限须在1到6000之间。"), "bad_rate")
    prefix = secrets.token_hex(4)
    plaintext = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    expires_at = timezone.make_aware(dt.datetime.combine(expires_on, dt.time(23, 59, 59)))
    with transaction.atomic():
        key = ApiKey.objects.create(
            name=name[:100], department=department, system=system.strip()[:100],
            prefix=prefix, key_hash=_hash(plaintext), operations=ops,
            rate_per_minute=rate_per_minute, expires_at=expires_at, created_by=actor)
        key.items.set(list(items))
        append_event(actor=actor, kind="coordination.api_key_create",
                     subject=f"api_key:{key.pk}",
                     payload={"prefix": prefix, "department": department.code,
                              "operations": ops, "expires_at": expires_at.isoformat(),
                              "items": sorted(i.pk for i in key.items.all())})
    return NewKey(key, plaintext)


def revoke_key(*, actor: Any, key: ApiKey | int) -> ApiKey:
    if not may_manage(actor):
        raise ExchangeRefused(_("只有系统管理员可以吊销接口密钥。"), "forbidden")
    pk = key.pk if isinstance(key, ApiKey) else int(key)
    with transaction.atomic():
        row = ApiKey.objects.select_for_update().get(pk=pk)
        if row.revoked_at is not None:
            raise ExchangeRefused(_("该密钥已经吊销。"), "already_revoked")
        row.revoked_at, row.revoked_by = timezone.now(), actor
        row.save(update_fields=["revoked_at", "revoked_by"])
        append_event(actor=actor, kind="coordination.api_key_revoke",
                     subject=f"api_key:{row.pk}", payload={"prefix": row.prefix})
    return row


def parse(text: str) -> str | None:
    """The public prefix of a presented key, or None when it is not shaped like one."""
    text = (text or "").strip()
    if not text.startswith(KEY_PREFIX):
        return None
    prefix, _sep, rest = text[len(KEY_PREFIX):].partition("_")
    if len(prefix) != 8 or not rest:
        return None
    return prefix


class KeyRefused(Exception):
    def __init__(self, code: str, message: str, prefix: str = "",
                 key: ApiKey | None = None) -> None:
        super().__init__(message)
        self.code, self.message, self.prefix, self.key = code, message, prefix, key


def authenticate(text: str, *, now: dt.datetime | None = None) -> ApiKey:
    """The key presented, valid now; `KeyRefused` with the reason otherwise."""
    now = now or timezone.now()
    prefix = parse(text)
    if prefix is None:
        raise KeyRefused("invalid_api_key", _("接口密钥无效。"))
    key = ApiKey.objects.select_related("department").filter(prefix=prefix).first()
    if key is None or not hmac.compare_digest(key.key_hash, _hash(text.strip())):
        raise KeyRefused("invalid_api_key", _("接口密钥无效。"), prefix)
    if key.revoked_at is not None:
        raise KeyRefused("api_key_revoked", _("接口密钥已被吊销。"), prefix, key)
    if key.expires_at <= now:
        raise KeyRefused("api_key_expired", _("接口密钥已过期。"), prefix, key)
    return key


def over_rate(request: Any, key: ApiKey) -> bool:
    """Count one call of `key` (per key and client address, one-minute window)."""
    return throttled(request, f"apikey-{key.pk}", tries=key.rate_per_minute, window=60)


def item_ids(key: ApiKey) -> set[int]:
    return {pk for pk in key.items.values_list("pk", flat=True)}


def case_in_scope(key: ApiKey, case: Any) -> bool:
    if case is None or case.department_id != key.department_id:
        return False
    items = item_ids(key)
    return not items or case.item_id in items


def log_call(request: Any, *, key: ApiKey | None, prefix: str = "", operation: str,
             query: str, status: int, result_count: int = 0) -> ApiCall:
    address = client_address(request)
    now = timezone.now()
    if key is not None and status < 400:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
    return ApiCall.objects.create(
        key=key, prefix=(key.prefix if key else prefix)[:16], at=now,
        operation=operation[:20], path=request.path[:200], query=query[:200], status=status,
        result_count=result_count, ip=None if address == "unknown" else address)


def visible_keys(user: Any) -> Any:
    """The keys `user` may see: all for the administrators and supervisors, their own
    department's for a department officer, none otherwise."""
    qs = ApiKey.objects.select_related("department")
    if not user.is_authenticated:
        return qs.none()
    if user.has_role(Role.SYSADMIN, Role.SUPERVISOR):
        return qs
    if user.has_role(Role.DEPT_OFFICER) and user.unit_id:
        return qs.filter(department_id=user.unit_id)
    return qs.none()


def visible_calls(user: Any) -> Any:
    qs = ApiCall.objects.select_related("key", "key__department")
    if not user.is_authenticated:
        return qs.none()
    if user.has_role(Role.SYSADMIN, Role.SUPERVISOR):
        return qs
    if user.has_role(Role.DEPT_OFFICER) and user.unit_id:
        return qs.filter(key__department_id=user.unit_id)
    return qs.none()
