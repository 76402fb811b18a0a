"""Mobile verification codes (短信验证码): proving that a person holds a mobile number before
registering with it or resetting a password through it.

* 6 random digits, sent by SMS (`oneseal.core.sms`) after the transaction commits;
* stored only as an HMAC-SHA256 keyed with SECRET_KEY over purpose, phone and code, so the
  table reveals no code and a code for one purpose or number proves nothing for another;
* valid for `CODE_LIFETIME` (10 minutes), at most `MAX_TRIES` (5) wrong tries, used once;
  a new code replaces the previous unused one of the same phone and purpose;
* sending is limited per phone number in the shared cache (like `core/throttle.py`): one a
  minute (`RESEND_INTERVAL`), and ``ONESEAL_SMS_CODES_PER_DAY`` a day.

Refusals raise `ValidationError` with a code: ``code_too_soon``, ``code_daily_limit``
(sending), ``code_wrong``, ``code_expired``, ``code_locked`` (checking; ``code_expired`` also
when no code was ever sent, so nobody learns which numbers asked for one).
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from oneseal.core.identity import normalize_phone
from oneseal.core.sms import send_sms

from .models import PhoneCode

CODE_LIFETIME = datetime.timedelta(minutes=10)
MAX_TRIES = 5
RESEND_INTERVAL = 60  # seconds
DAY = 24 * 3600


def _digest(phone: str, purpose: str, code: str) -> str:
    message = f"{purpose}:{phone}:{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def _message(purpose: str, code: str) -> str:
    if purpose == PhoneCode.Purpose.RESET:
        text = _("【%(site)s】您正在重置密码，验证码 %(code)s，10分钟内有效。"
                 "如非本人操作，请忽略。")
    else:
        text = _("【%(site)s】您正在注册账户，验证码 %(code)s，10分钟内有效。请勿告诉他人。")
    return text % {"site": settings.ONESEAL_SITE_NAME, "code": code}


def _count_send(phone: str) -> None:
    """Count one code for `phone`; raise when it comes within a minute of the last one or
    past the day's limit. Keyed by the number only, whatever the purpose."""
    if not cache.add(f"sms-code-minute:{phone}", 1, RESEND_INTERVAL):
        raise ValidationError(_("验证码发送过于频繁，请1分钟后再试。"), code="code_too_soon")
    key = f"sms-code-day:{phone}:{timezone.localdate().isoformat()}"
    if cache.add(key, 1, DAY):
        return
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, DAY)
        return
    if count > settings.ONESEAL_SMS_CODES_PER_DAY:
        raise ValidationError(_("该手机号码今日获取验证码的次数已达上限，请明日再试。"),
                              code="code_daily_limit")


def send_code(
    *, phone: str, purpose: str, deliver: bool = True,
    sender: Callable[[str, str], None] | None = None,
) -> str:
    """Send a new code for `purpose` to `phone`; returns the normalised number. With
    `deliver=False` the limits are counted and nothing is created or sent: the password
    reset calls it so for a number that has no account, so that the answer and the limits
    are the same whether the number is known or not."""
    if purpose not in PhoneCode.Purpose.values:
        raise ValueError(f"unknown purpose {purpose!r}")
    phone = normalize_phone(phone)
    if len(phone) != 11:
        raise ValidationError(_("请输入11位手机号码。"), code="phone_not_mobile")
    _count_send(phone)
    if not deliver:
        return phone
    code = f"{secrets.randbelow(10**6):06d}"
    now = timezone.now()
    text = _message(purpose, code)
    send = sender or send_sms
    with transaction.atomic():
        PhoneCode.objects.filter(phone=phone, purpose=purpose, used_at__isnull=True).update(
            used_at=now)
        PhoneCode.objects.create(phone=phone, purpose=purpose, digest=_digest(phone, purpose, code),
                                 created_at=now, expires_at=now + CODE_LIFETIME)
        transaction.on_commit(lambda: send(phone, text))
    return phone


def check_code(*, phone: str, purpose: str, code: str) -> None:
    """Use the code `code` for `purpose` on `phone`, or raise ValidationError (see the module
    docstring for the codes). A wrong code counts one try even though this raises."""
    try:
        phone = normalize_phone(phone)
    except ValidationError:
        raise ValidationError(_("验证码不正确或已失效，请重新获取。"),
                              code="code_expired") from None
    now = timezone.now()
    given = "".join((code or "").split())
    failure: ValidationError | None = None
    with transaction.atomic():
        record = (PhoneCode.objects.select_for_update()
                  .filter(phone=phone, purpose=purpose, used_at__isnull=True)
                  .order_by("-created_at", "-id").first())
        if record is None or record.expires_at <= now:
            failure = ValidationError(_("验证码不正确或已失效，请重新获取。"), code="code_expired")
        elif record.tries >= MAX_TRIES:
            failure = ValidationError(_("验证码输错次数过多，请重新获取。"), code="code_locked")
        elif not hmac.compare_digest(record.digest, _digest(phone, purpose, given)):
            PhoneCode.objects.filter(pk=record.pk).update(tries=F("tries") + 1)
            left = MAX_TRIES - record.tries - 1
            failure = (ValidationError(_("验证码不正确，还可尝试 %(left)d 次。") % {"left": left},
                                       code="code_wrong") if left > 0 else
                       ValidationError(_("验证码输错次数过多，请重新获取。"), code="code_locked"))
        else:
            record.used_at = now
            record.save(update_fields=["used_at"])
    if failure is not None:
        raise failure
