"""Public pages of the hall (no login): the kiosk (取号机), the printed ticket (80 mm), the
phone page that follows a ticket, its QR code, and the hall's map picture."""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from . import selectors
from .errors import HallError
from .forms import KioskForm
from .models import Hall, Ticket
from .services import queue


def _hall_or_404() -> Hall:
    hall = selectors.get_hall()
    if hall is None:
        raise Http404
    return hall


def kiosk(request: HttpRequest) -> HttpResponse:
    """取号机: big buttons per category; optional ID number or appointment code."""
    hall = _hall_or_404()
    form = KioskForm(request.POST or None)
    error, status = "", 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ticket = queue.ticket_take(category_id=data.get("category"),
                                       id_number=data.get("id_number") or "",
                                       appointment_code=data.get("appointment_code") or "")
        except HallError as exc:
            error, status = exc.message, 400 if exc.status == 400 else 409
        else:
            return redirect("hall:ticket", ticket.token)
    elif request.method == "POST":
        error, status = " ".join(form.non_field_errors()) or str(form.errors), 400
    today = timezone.localdate()
    cats = [(c, selectors.waiting_count(c, today)) for c in selectors.categories(hall)]
    return render(request, "hall/kiosk.html", {
        "hall": hall, "categories": cats, "form": form, "error": error,
        "open_today": selectors.day_hours(hall, today) is not None}, status=status)


def _ticket(token: str) -> Ticket:
    ticket = Ticket.objects.select_related("category", "hall", "window").filter(
        token=token).first()
    if ticket is None:
        raise Http404
    return ticket


def _follow_url(request: HttpRequest, ticket: Ticket) -> str:
    path = reverse("hall:follow", args=[ticket.token])
    base = getattr(settings, "ONESEAL_PUBLIC_URL", "").rstrip("/")
    return f"{base}{path}" if base else request.build_absolute_uri(path)


@require_GET
def ticket_print(request: HttpRequest, token: str) -> HttpResponse:
    """The ticket for the 80 mm receipt printer: number, category, waiting count, the hall's
    address, hours and phone, the QR code of the phone page."""
    ticket = _ticket(token)
    return render(request, "hall/ticket.html", {
        "ticket": ticket, "ahead": selectors.waiting_before(ticket),
        "info": selectors.public_info(ticket.hall), "follow_url": _follow_url(request, ticket)})


@require_GET
def follow(request: HttpRequest, token: str) -> HttpResponse:
    """The phone page of a ticket (reloads itself every 15 s); follows a transfer."""
    first = _ticket(token)
    ticket = selectors.latest_ticket(first)
    response = render(request, "hall/follow.html", {
        "ticket": ticket, "ahead": selectors.waiting_before(ticket),
        "info": selectors.public_info(ticket.hall)})
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_GET
def ticket_qr(request: HttpRequest, token: str) -> HttpResponse:
    """The QR code (SVG) of the ticket's phone page."""
    ticket = _ticket(token)
    image = qrcode.make(_follow_url(request, ticket),
                        image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    out = io.BytesIO()
    image.save(out)
    return HttpResponse(out.getvalue(), content_type="image/svg+xml")


@require_GET
def map_picture(request: HttpRequest) -> HttpResponse:
    """The hall's map picture (its type was checked by content when uploaded)."""
    hall = _hall_or_404()
    if not hall.map_content_type or not hall.map_image:
        raise Http404
    response = HttpResponse(bytes(hall.map_image), content_type=hall.map_content_type)
    response["Cache-Control"] = "public, max-age=300"
    return response
