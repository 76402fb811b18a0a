"""Workbench pages of events and data exchange (数据交换): subscriptions and their
deliveries (dead letters and replay), API keys and their call log, delivery alerts.

Who: the system administrator sees and manages everything; supervisors see everything
(read only); a department officer sees his department's subscriptions, keys and calls.
Everyone else is refused (403)."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oneseal.core.access import require_roles
from oneseal.core.audit import append_event
from oneseal.core.bounds import parse_id
from oneseal.core.roles import Role

from . import apikeys, webhooks
from .errors_events import ExchangeRefused
from .forms_exchange import ApiKeyForm, SubscriptionForm
from .models_events import (
    ApiKey,
    DeliveryState,
    EventAlert,
    Operation,
    Subscription,
    WebhookDelivery,
)

PAGE = 30
readers = require_roles(Role.SYSADMIN, Role.SUPERVISOR, Role.DEPT_OFFICER)
admins = require_roles(Role.SYSADMIN)


def _subscriptions(user):  # type: ignore[no-untyped-def]
    qs = Subscription.objects.select_related("owner")
    if user.has_role(Role.SYSADMIN, Role.SUPERVISOR):
        return qs
    return qs.filter(owner_id=user.unit_id) if user.unit_id else qs.none()


def _deliveries(user):  # type: ignore[no-untyped-def]
    qs = WebhookDelivery.objects.select_related("event", "subscription")
    if user.has_role(Role.SYSADMIN, Role.SUPERVISOR):
        return qs
    return qs.filter(subscription__owner_id=user.unit_id) if user.unit_id else qs.none()


@readers
def exchange_home(request: HttpRequest) -> HttpResponse:
    subs = _subscriptions(request.user).annotate(
        pending=Count("deliveries", filter=Q(deliveries__state=DeliveryState.PENDING)),
        dead=Count("deliveries", filter=Q(deliveries__state=DeliveryState.DEAD)),
        delivered=Count("deliveries", filter=Q(deliveries__state=DeliveryState.DELIVERED)),
    ).order_by("id")
    alerts = []
    if request.user.has_role(Role.SYSADMIN, Role.SUPERVISOR):
        alerts = list(EventAlert.objects.select_related("subscription")[:10])
    return render(request, "coordination/exchange/home.html", {
        "subscriptions": subs, "alerts": alerts,
        "is_admin": request.user.has_role(Role.SYSADMIN),
        "keys": apikeys.visible_keys(request.user).count(),
    })


@admins
def subscription_new(request: HttpRequest) -> HttpResponse:
    form = SubscriptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        secret = secrets.token_urlsafe(24)
        with transaction.atomic():
            sub = Subscription.objects.create(
                name=data["name"], owner=data["owner"], system=data["system"],
                url=data["url"], secret=secret, types=list(data["types"]),
                created_by=request.user)
            sub.items.set(data["items"])
            sub.departments.set(data["departments"])
            append_event(actor=request.user, kind="coordination.subscription_create",
                         subject=f"subscription:{sub.pk}",
                         payload={"name": sub.name, "url": sub.url, "types": sub.types})
        return render(request, "coordination/exchange/secret_once.html", {
            "title": _("订阅已创建"), "what": sub.name, "secret": secret,
            "hint": _("签名密钥只显示这一次，请立即交给接收方配置验签。"),
            "back": "coordination_workbench:subscription_detail", "back_id": sub.pk})
    return render(request, "coordination/exchange/form.html", {
        "form": form, "title": _("新建事件订阅")})


@readers
def subscription_detail(request: HttpRequest, subscription_id: int) -> HttpResponse:
    sub = _subscriptions(request.user).filter(pk=subscription_id).first()
    if sub is None:
        raise Http404
    state = request.GET.get("state", "")
    rows = sub.deliveries.select_related("event").order_by("-id")
    if state in DeliveryState.values:
        rows = rows.filter(state=state)
    page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    return render(request, "coordination/exchange/subscription.html", {
        "sub": sub, "page": page, "state": state, "states": DeliveryState.choices,
        "query": urlencode({"state": state}) if state else "",
        "is_admin": request.user.has_role(Role.SYSADMIN)})


@readers
def deliveries(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", DeliveryState.DEAD)
    if state not in DeliveryState.values:
        state = DeliveryState.DEAD
    rows = _deliveries(request.user).filter(state=state).order_by("-id")
    page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    return render(request, "coordination/exchange/deliveries.html", {
        "page": page, "state": state, "states": DeliveryState.choices,
        "query": urlencode({"state": state}),
        "is_admin": request.user.has_role(Role.SYSADMIN)})


@admins
@require_POST
def replay(request: HttpRequest, delivery_id: int) -> HttpResponse:
    try:
        webhooks.replay(actor=request.user, delivery=delivery_id)
    except WebhookDelivery.DoesNotExist as exc:
        raise Http404 from exc
    except ExchangeRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已重新排队投递。"))
    return redirect("coordination_workbench:deliveries")


@readers
def keys(request: HttpRequest) -> HttpResponse:
    rows = apikeys.visible_keys(request.user).annotate(call_count=Count("calls")).order_by(
        "-id")
    page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    return render(request, "coordination/exchange/keys.html", {
        "page": page, "is_admin": request.user.has_role(Role.SYSADMIN),
        "operations": dict(Operation.choices), "now": timezone.now()})


@admins
def key_new(request: HttpRequest) -> HttpResponse:
    form = ApiKeyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            new = apikeys.create_key(
                actor=request.user, name=data["name"], department=data["department"],
                system=data["system"], operations=data["operations"], items=data["items"],
                expires_on=data["expires_on"], rate_per_minute=data["rate_per_minute"])
        except ExchangeRefused as exc:
            form.add_error(None, exc.message)
        else:
            return render(request, "coordination/exchange/secret_once.html", {
                "title": _("接口密钥已创建"), "what": new.key.name, "secret": new.plaintext,
                "hint": _("密钥只显示这一次，系统只保存其哈希值。请立即交给调用方，"
                          "放在请求头 Authorization: Bearer 或 X-Api-Key 中。"),
                "back": "coordination_workbench:keys", "back_id": None})
    return render(request, "coordination/exchange/form.html", {
        "form": form, "title": _("新建接口密钥")})


@admins
@require_POST
def key_revoke(request: HttpRequest, key_id: int) -> HttpResponse:
    key = ApiKey.objects.filter(pk=key_id).first()
    if key is None:
        raise Http404
    try:
        apikeys.revoke_key(actor=request.user, key=key)
    except ExchangeRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("密钥“%(name)s”已吊销。") % {"name": key.name})
    return redirect("coordination_workbench:keys")


@readers
def calls(request: HttpRequest) -> HttpResponse:
    rows = apikeys.visible_calls(request.user).order_by("-id")
    key_id = parse_id(request.GET.get("key"))
    operation = request.GET.get("operation", "")
    if key_id:
        rows = rows.filter(key_id=key_id)
    if operation in Operation.values or operation == "auth":
        rows = rows.filter(operation=operation)
    failed = request.GET.get("failed") == "1"
    if failed:
        rows = rows.filter(status__gte=400)
    query = urlencode({k: v for k, v in (("key", key_id or ""), ("operation", operation),
                                          ("failed", "1" if failed else "")) if v})
    page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    return render(request, "coordination/exchange/calls.html", {
        "page": page, "query": query, "keys": apikeys.visible_keys(request.user),
        "key_id": key_id, "operation": operation, "failed": failed,
        "operations": Operation.choices})
