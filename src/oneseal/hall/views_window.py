"""Staff pages of the hall (workbench): sign in to a window (窗口签到), calling at the
window (叫号: next, recall, start, finish, skip, transfer, pause), and the hall settings
(大厅设置, system administrators). parse -> access -> service -> template."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oneseal.core.access import require_roles
from oneseal.core.bounds import parse_id
from oneseal.core.roles import Role

from . import selectors
from .errors import HallError
from .forms import HallSettingsForm, TransferForm
from .services import queue, setup

window_staff = require_roles(Role.CLERK, Role.HELPER, Role.DEPT_OFFICER)


@window_staff
def windows(request: HttpRequest) -> HttpResponse:
    """The hall's windows, who is signed in to each, and the clerk's own sign-in."""
    hall = selectors.get_hall()
    rows = []
    if hall is not None:
        rows = [(w, selectors.signed_in_staff(w), setup.may_sign_in(request.user, w))
                for w in selectors.windows(hall)]
    return render(request, "hall/windows.html", {
        "hall": hall, "rows": rows, "current": selectors.open_sign_in(request.user)})


@window_staff
@require_POST
def sign_in(request: HttpRequest) -> HttpResponse:
    window_id = parse_id(request.POST.get("window", ""))
    try:
        setup.window_sign_in(actor=request.user, window_id=window_id or 0)
    except HallError as exc:
        messages.error(request, exc.message)
        return redirect("hall_window:windows")
    return redirect("hall_window:calling")


@window_staff
@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    try:
        setup.window_sign_out(actor=request.user)
    except HallError as exc:
        messages.error(request, exc.message)
    return redirect("hall_window:windows")


def _intake_url(ticket: object) -> str:
    person_id = getattr(ticket, "person_id", None)
    if person_id:
        return f"{reverse('cases:intake_new')}?{urlencode({'person': person_id})}"
    id_number = getattr(ticket, "id_number", "")
    if id_number:
        return f"{reverse('cases:intake')}?{urlencode({'q': id_number})}"
    return reverse("cases:intake")


@window_staff
def calling(request: HttpRequest) -> HttpResponse:
    """叫号 at the window the clerk is signed in to (keyboard: access keys N, R, S, F, K)."""
    current = selectors.open_sign_in(request.user)
    if current is None:
        messages.info(request, _("请先在窗口签到。"))
        return redirect("hall_window:windows")
    window = current.window
    tickets = list(selectors.window_current(window, request.user))
    hall = window.hall
    return render(request, "hall/calling.html", {
        "window": window, "tickets": tickets,
        "intake": {t.pk: _intake_url(t) for t in tickets},
        "linkable": {t.pk: selectors.linkable_cases(t, request.user) for t in tickets},
        "queue": list(selectors.window_queue(window, timezone.localdate())[:10]),
        "waiting": selectors.window_queue(window, timezone.localdate()).count(),
        "other_windows": [w for w in selectors.windows(hall) if w.pk != window.pk],
        "categories": list(selectors.categories(hall))})


@window_staff
@require_POST
def act(request: HttpRequest, op: str) -> HttpResponse:
    """One calling operation at the clerk's window; a refusal is shown on the page."""
    current = selectors.open_sign_in(request.user)
    window_id = current.window_id if current else 0
    ticket_id = parse_id(request.POST.get("ticket", "")) or 0
    actor = request.user
    try:
        if op == "next":
            called = queue.call_next(actor=actor, window_id=window_id)
            if called is None:
                messages.info(request, _("当前没有等候的号。"))
            else:
                messages.success(request, _("正在呼叫 %(n)s。") % {"n": called.number})
        elif op == "recall":
            queue.recall(actor=actor, window_id=window_id, ticket_id=ticket_id)
        elif op == "start":
            queue.start_serving(actor=actor, window_id=window_id, ticket_id=ticket_id)
        elif op == "finish":
            queue.finish(actor=actor, window_id=window_id, ticket_id=ticket_id)
        elif op == "skip":
            queue.skip(actor=actor, window_id=window_id, ticket_id=ticket_id)
        elif op == "transfer":
            form = TransferForm(request.POST)
            data = form.cleaned_data if form.is_valid() else {}
            queue.transfer(actor=actor, window_id=window_id, ticket_id=ticket_id,
                           to_window_id=data.get("to_window"),
                           to_category_id=data.get("to_category"))
        elif op in ("pause", "resume"):
            queue.set_paused(actor=actor, window_id=window_id, paused=op == "pause")
        elif op == "link":
            queue.link_case(actor=actor, ticket_id=ticket_id,
                            case_id=parse_id(request.POST.get("case", "")) or 0)
        else:
            return HttpResponse(status=404)
    except HallError as exc:
        messages.error(request, exc.message)
        if exc.status == 403:
            return render(request, "hall/refused.html", {"message": exc.message},
                          status=403)
    return redirect("hall_window:calling")


def _initial_hours(hall: object) -> dict[int, tuple[object, ...] | None]:
    if hall is None:
        return {}
    return {row.weekday: None if row.closed else (row.opens, row.lunch_start, row.lunch_end,
                                                  row.closes)
            for row in hall.hours.all()}  # type: ignore[attr-defined]


@require_roles(Role.SYSADMIN)
def settings_page(request: HttpRequest) -> HttpResponse:
    """大厅设置: name, address, phone, weekly hours with lunch breaks, the map picture,
    the appointment and no-show policy."""
    hall = selectors.get_hall()
    form = HallSettingsForm(request.POST or None, request.FILES or None, instance=hall,
                            hours=_initial_hours(hall))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data.get("map_picture")
            picture = upload.read(setup.MAP_MAX_BYTES + 1) if upload else None
            values = {f: form.cleaned_data[f] for f in setup.HALL_FIELDS}
            try:
                setup.hall_update(actor=request.user, values=values, hours=form.hours(),
                                  map_picture=picture)
            except HallError as exc:
                form.add_error("map_picture" if exc.code == "bad_picture" else None,
                               exc.message)
                status = 400
            else:
                messages.success(request, _("大厅设置已保存。"))
                return redirect("hall_window:settings")
        else:
            status = 400
    return render(request, "hall/settings.html", {"form": form, "hall": hall},
                  status=status)
