"""The hall's screens (叫号显示屏): the hall screen, a window's screen and their state JSON.
No login: the screens hang in the public hall and show ticket numbers only (no names, no ID
numbers). The state answers 304 to a screen that has the current version (ETag), after one
cache read and without touching the tickets (`displays`, docs/hall.md)."""

from __future__ import annotations

import json

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from . import displays
from .models import Hall

STATE_TTL = 60  # seconds a computed state is shared (a new version replaces it anyway)
POLL_MS = 1000  # a call reaches every screen within 2 s: one poll interval plus the answer


def _hall_or_404() -> Hall:
    hall = displays.current_hall()
    if hall is None:
        raise Http404(_("大厅尚未设置。"))
    return hall


def _page(request: HttpRequest, hall: Hall, window: str = "") -> HttpResponse:
    url = reverse("hall_screen:state", args=[hall.pk])
    if window:
        url += f"?window={window}"
    return render(request, "hall/display/screen.html", {
        "hall": hall, "window": window, "state_url": url, "poll_ms": POLL_MS})


@require_GET
def hall_screen(request: HttpRequest) -> HttpResponse:
    """The hall screen: every window's current call, the last calls, the waiting counts."""
    return _page(request, _hall_or_404())


@require_GET
def window_screen(request: HttpRequest, number: str) -> HttpResponse:
    """The screen above one window: its call, its last calls, its categories' queues."""
    hall = _hall_or_404()
    if displays.screen_window(hall.pk, number) is None:
        raise Http404(_("窗口不存在。"))
    return _page(request, hall, number)


@require_GET
def state(request: HttpRequest, hall_id: int) -> HttpResponse:
    """The screen's JSON; 304 when the screen's If-None-Match is the current version."""
    number = request.GET.get("window", "")[:10]
    version = displays.screen_version(hall_id)
    etag = f'"{version}-{number or "hall"}-{get_language()}"'
    headers = {"ETag": etag, "Cache-Control": "no-cache", "Vary": "Accept-Language, Cookie"}
    if request.headers.get("If-None-Match") == etag:
        return HttpResponse(status=304, headers=headers)
    # The screens showing the same thing share one computation per version: the first to
    # ask after a change computes the state, the others read it from the cache.
    body = cache.get(f"hall:state:{hall_id}:{etag}")
    if body is None:
        window = None
        if number:
            window = displays.screen_window(hall_id, number)
            if window is None:
                raise Http404(_("窗口不存在。"))
        data = displays.screen_state(hall_id, window=window)
        body = json.dumps(data, ensure_ascii=False)
        cache.set(f"hall:state:{hall_id}:{etag}", body, STATE_TTL)
    return HttpResponse(body, headers=headers, content_type="application/json")
