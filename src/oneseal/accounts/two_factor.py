"""Two-factor login (双因素认证) with TOTP devices (django-otp), and the audit record of
privileged people's logins.

The bureau head and the administrators (``TWO_FACTOR_ROLES``) must enter a time-based code
from an authenticator app after their password. The first time, they enrol: the page shows
an ``otpauth://`` QR code and the secret, and the device is confirmed by the first correct
code. Their logins, failed logins, enrolments and logouts are written to the audit chain.
"""

from __future__ import annotations

import base64
from typing import Any

import qrcode
import qrcode.image.svg
from django.db import transaction
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User

DEVICE_NAME = "authenticator"


def client_address(request: HttpRequest | None) -> str:
    if request is None:
        return ""
    return str(getattr(request, "axes_ip_address", "") or request.META.get("REMOTE_ADDR", ""))


def record_auth_event(
    *, actor: User | None, user: User, kind: str, request: HttpRequest | None = None,
    **payload: Any,
) -> None:
    """Append an ``auth.*`` event to the audit chain when ``user`` holds a two-factor role
    (logins of privileged users are audited; others' are not)."""
    if not user.requires_two_factor:
        return
    from oneseal.core.audit import append_event

    append_event(
        actor=actor, kind=kind, subject=f"user:{user.pk}",
        payload={"username": user.get_username(), "ip": client_address(request), **payload},
    )


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def pending_device(*, actor: User) -> TOTPDevice:
    """The unconfirmed device the person is enrolling (created on first visit, then reused so
    that reloading the page shows the same QR code)."""
    device = TOTPDevice.objects.filter(user=actor, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=actor, name=DEVICE_NAME, confirmed=False)
    return device


def confirm_enrolment(
    *, actor: User, device: TOTPDevice, token: str, request: HttpRequest | None = None
) -> bool:
    """Confirm ``device`` when ``token`` is its current code; drop other pending devices.
    Returns False (and changes nothing but the device's throttle) on a wrong code."""
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=actor)
        if locked.confirmed or not locked.verify_token(token):
            return False
        locked.confirmed = True
        locked.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=actor, confirmed=False).delete()
        record_auth_event(actor=actor, user=actor, kind="auth.otp_enrolled", request=request,
                          device=locked.persistent_id)
    device.refresh_from_db()
    return True


def verify_code(
    *, actor: User, token: str, request: HttpRequest | None = None
) -> TOTPDevice | None:
    """The confirmed device that accepts ``token`` now, or None. A wrong code is audited as
    a failed login at the second step. Device throttling (django-otp) slows guessing."""
    from django_otp import verify_token

    for device in TOTPDevice.objects.filter(user=actor, confirmed=True).order_by("id"):
        verified = verify_token(actor, device.persistent_id, token)
        if verified is not None:
            return verified
    record_auth_event(actor=actor, user=actor, kind="auth.login_failed", request=request,
                      stage="otp")
    return None


def secret_base32(device: TOTPDevice) -> str:
    """The key as authenticator apps expect it for manual entry, in groups of four."""
    raw = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(raw[i:i + 4] for i in range(0, len(raw), 4))


def qr_svg(text: str) -> str:
    """An inline SVG QR code of ``text`` (no image file, no outside service)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    svg: str = image.to_string(encoding="unicode")
    if svg.startswith("<?xml"):
        svg = svg.split("?>", 1)[1].lstrip()
    return svg
