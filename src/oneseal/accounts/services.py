"""Writes to accounts (账户): staff and applicant accounts, role grants, API bearer tokens.

Every service takes `actor=` (the person doing it, or None for the system: the demo loader,
a command run by the operator) and writes its audit event in the same transaction.
Callers check access first (only system administrators manage accounts).
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Iterable

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model  # an org.Unit (User.unit); accounts sits below org
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from oneseal.core.audit import append_event
from oneseal.core.identity import normalize_id_number, normalize_phone

from .models import ApiToken, RoleGrant, User
from .roles import STAFF_ROLES, Role

APPLICANT_ROLES = frozenset({Role.APPLICANT, Role.AGENT})

# Every token starts with this, so that a leaked one is easy to recognise (not a secret).
TOKEN_SCHEME = "os_"  # noqa: S105
TOKEN_PREFIX_LENGTH = 11  # "os_" + 8 random characters, stored and shown to tell tokens apart
TOKEN_MAX_LENGTH = 200
# `last_used_at` is written at most once per this interval, so that the hot path of an API
# call is one indexed read and, at most once a minute, one small update.
TOKEN_USE_RESOLUTION = datetime.timedelta(minutes=1)


# --- accounts -----------------------------------------------------------------------------


def _forget_roles(user: User) -> None:
    if hasattr(user, "_role_codes"):
        del user._role_codes


def _new_user(
    *, username: str, display_name: str, password: str | None, unit: Model | None,
    phone: str, id_number: str, email: str, check_password: bool, password_hash: str | None,
) -> User:
    user = User(
        username=username.strip(), display_name=display_name.strip(), unit=unit,
        phone=normalize_phone(phone) if phone else "",
        id_number=normalize_id_number(id_number) if id_number else "",
        email=email.strip(),
    )
    if password_hash:
        user.password = password_hash
    elif password:
        if check_password:
            validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    return user


def create_staff(
    *, actor: User | None, username: str, display_name: str, unit: Model,
    roles: Iterable[str], password: str | None = None, phone: str = "", id_number: str = "",
    email: str = "", superuser: bool = False, check_password: bool = True,
    password_hash: str | None = None,
) -> User:
    """Create a staff account (工作人员账户) in `unit` with `roles` (each a staff role).
    Without a password the account cannot log in until one is set. `superuser` also opens
    the Django admin site with every permission (system administrators only).
    `password_hash` (already hashed, e.g. by `make_password`) replaces `password`: the demo
    loader hashes its one public password once for all its accounts."""
    roles = list(dict.fromkeys(roles))
    if not roles:
        raise ValidationError(_("请至少选择一个角色。"))
    bad = [r for r in roles if r not in STAFF_ROLES]
    if bad:
        raise ValidationError(_("“%(role)s”不是工作人员角色。") % {"role": bad[0]})
    if superuser and Role.SYSADMIN not in roles:
        raise ValidationError(_("只有系统管理员可以使用后台管理站点。"))
    user = _new_user(username=username, display_name=display_name, password=password,
                     unit=unit, phone=phone, id_number=id_number, email=email,
                     check_password=check_password, password_hash=password_hash)
    user.is_staff = user.is_superuser = superuser
    with transaction.atomic():
        user.save()
        for role in roles:
            RoleGrant.objects.create(user=user, role=role, granted_by=actor)
        append_event(actor=actor, kind="account.create", subject=f"user:{user.pk}", payload={
            "username": user.username, "unit": unit.pk, "roles": roles,
            "superuser": superuser,
        })
    _forget_roles(user)
    return user


def create_applicant_account(
    *, actor: User | None, username: str, display_name: str, password: str | None = None,
    roles: Iterable[str] = (Role.APPLICANT,), phone: str = "", email: str = "",
    check_password: bool = True, password_hash: str | None = None, id_number: str = "",
) -> User:
    """Create an account for an applicant (申请人) or an agent (代理人); no unit."""
    roles = list(dict.fromkeys(roles))
    if not roles or any(r not in APPLICANT_ROLES for r in roles):
        raise ValidationError(_("申请人账户只能授予申请人或代理人角色。"))
    user = _new_user(username=username, display_name=display_name, password=password,
                     unit=None, phone=phone, id_number=id_number, email=email,
                     check_password=check_password, password_hash=password_hash)
    with transaction.atomic():
        user.save()
        for role in roles:
            RoleGrant.objects.create(user=user, role=role, granted_by=actor)
        append_event(actor=actor, kind="account.create", subject=f"user:{user.pk}",
                     payload={"username": user.username, "unit": None, "roles": roles})
    _forget_roles(user)
    return user


def save_user(*, actor: User | None, user: User, created: bool, fields: Iterable[str]) -> User:
    """Save an account edited on the admin site and record which fields changed (their names
    only: values may be personal or a password hash)."""
    names = sorted(set(fields))
    with transaction.atomic():
        if created:
            user.save()
        elif names:
            user.save()
        else:
            return user
        append_event(actor=actor, kind="account.create" if created else "account.update",
                     subject=f"user:{user.pk}", payload={"username": user.username,
                                                         "fields": names})
    return user


def set_password(*, actor: User | None, user: User, password: str) -> None:
    """Set a new password (重置密码), checked against the password rules."""
    validate_password(password, user)
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        locked.set_password(password)
        locked.save(update_fields=["password"])
        append_event(actor=actor, kind="account.password.set", subject=f"user:{user.pk}",
                     payload={})
    user.password = locked.password


def grant_role(*, actor: User | None, user: User, role: str) -> RoleGrant:
    """Grant `role` to `user` (授予角色). Granting a role already held changes nothing and
    writes no event. Applicant roles and staff roles are not mixed on one account."""
    if role not in Role.values:
        raise ValidationError(_("未知角色：%(role)s") % {"role": role})
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        existing = RoleGrant.objects.filter(user=locked, role=role).first()
        if existing is not None:
            return existing
        held = set(locked.role_grants.values_list("role", flat=True))
        if held and (role in STAFF_ROLES) != bool(held & STAFF_ROLES):
            raise ValidationError(_("工作人员角色与申请人角色不能授予同一账户。"))
        if role in STAFF_ROLES and locked.unit_id is None:
            raise ValidationError(_("工作人员须先确定所属单位，再授予角色。"))
        grant = RoleGrant.objects.create(user=locked, role=role, granted_by=actor)
        append_event(actor=actor, kind="account.role.grant", subject=f"user:{user.pk}",
                     payload={"role": role})
    _forget_roles(user)
    return grant


def revoke_role(*, actor: User | None, user: User, role: str) -> bool:
    """Take `role` away from `user` (撤销角色). Returns False (and writes nothing) when the
    user did not hold it. The last active system administrator keeps the role, so that
    someone can always manage accounts."""
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        grant = RoleGrant.objects.filter(user=locked, role=role).first()
        if grant is None:
            return False
        if role == Role.SYSADMIN and not RoleGrant.objects.filter(
            role=Role.SYSADMIN, user__is_active=True
        ).exclude(user=locked).exists():
            raise ValidationError(_("不能撤销最后一名系统管理员的角色。"))
        grant.delete()
        append_event(actor=actor, kind="account.role.revoke", subject=f"user:{user.pk}",
                     payload={"role": role})
    _forget_roles(user)
    return True


def install_totp_device(*, actor: User | None, user: User, key: str, name: str) -> TOTPDevice:
    """Give `user` a confirmed TOTP device with a known `key` (hex). Used by the demo loader
    for the demo's public keys; people enrol their own devices through the login flow."""
    with transaction.atomic():
        device = TOTPDevice.objects.create(user=user, name=name, key=key, confirmed=True)
        append_event(actor=actor, kind="account.otp_device.install", subject=f"user:{user.pk}",
                     payload={"device": device.persistent_id, "name": name})
    return device


# --- API bearer tokens (接口令牌) -------------------------------------------------------


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def create_token(*, actor: User | None, user: User, name: str = "") -> tuple[str, ApiToken]:
    """Create a bearer token for `user` and return (the token, its record). The token
    itself is not stored — only its SHA-256 — so it is shown this once and never again."""
    if not user.is_active:
        raise ValidationError(_("该账户已停用，不能创建接口令牌。"))
    raw = TOKEN_SCHEME + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name.strip()[:80], prefix=raw[:TOKEN_PREFIX_LENGTH],
            digest=token_digest(raw),
        )
        append_event(actor=actor, kind="account.token.create", subject=f"token:{token.pk}",
                     payload={"user": user.pk, "name": token.name, "prefix": token.prefix})
    return raw, token


def revoke_token(*, actor: User | None, token: ApiToken) -> ApiToken:
    """Revoke a token (吊销令牌): it is refused from now on. Revoking a revoked token changes
    nothing."""
    with transaction.atomic():
        locked = ApiToken.objects.select_for_update().get(pk=token.pk)
        if locked.revoked_at is None:
            locked.revoked_at = timezone.now()
            locked.save(update_fields=["revoked_at"])
            append_event(actor=actor, kind="account.token.revoke", subject=f"token:{locked.pk}",
                         payload={"user": locked.user_id, "prefix": locked.prefix})
    token.revoked_at = locked.revoked_at
    return locked


def authenticate_token(raw: str | None) -> User | None:
    """The active user a bearer token belongs to, or None when the token is unknown, revoked
    or its user inactive. Records when the token was last used (at most once a minute)."""
    if not raw or len(raw) > TOKEN_MAX_LENGTH or not raw.startswith(TOKEN_SCHEME):
        return None
    token = (ApiToken.objects.select_related("user", "user__unit")
             .filter(digest=token_digest(raw), revoked_at__isnull=True).first())
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= TOKEN_USE_RESOLUTION:
        stale = now - TOKEN_USE_RESOLUTION
        (ApiToken.objects.filter(pk=token.pk)
         .exclude(last_used_at__gt=stale)
         .update(last_used_at=now))
    return token.user
