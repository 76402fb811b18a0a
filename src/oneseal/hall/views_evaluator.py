"""The evaluator tablet's page (评价器, 一次一评): one per window, logged in as the clerk
signed in to it. parse -> access (`access_window`) -> service (`evaluator.rate_visit`) ->
template. While nobody waits to rate, the page asks again every few seconds (htmx)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from oneseal.accounts.permissions import require_roles
from oneseal.accounts.roles import Role
from oneseal.supervision.forms import REASON_CHOICES
from oneseal.supervision.models import LevelChoices

from .errors import HallError
from .services.evaluator import rate_visit, visit_to_rate
from .services.queue import access_window


@require_roles(Role.CLERK)
def evaluator(request: HttpRequest, window_id: int) -> HttpResponse:
    """The five levels for the latest service at the window; a 差评 asks for a reason."""
    try:
        window = access_window(user=request.user, window_id=window_id)
    except HallError as exc:
        return render(request, "403.html", {"exception": exc.message}, status=403)
    error, status, chosen = "", 200, ""
    reasons = request.POST.getlist("reasons")
    if request.method == "POST":
        chosen = request.POST.get("level", "")
        try:
            ticket_id = int(request.POST.get("ticket", ""))
        except ValueError:
            raise Http404(_("请求的页面不存在。")) from None
        try:
            rate_visit(actor=request.user, window_id=window.pk, ticket_id=ticket_id,
                       level=chosen, reasons=reasons, text=request.POST.get("text", ""))
        except HallError as exc:
            error, status = exc.message, exc.status
        else:
            return redirect(f"{request.path}?thanks=1")
    visit = visit_to_rate(window)
    return render(request, "hall/evaluator/page.html", {
        "window": window, "visit": visit, "levels": LevelChoices.choices,
        "reason_choices": REASON_CHOICES, "reasons": reasons, "chosen": chosen,
        "error": error, "thanks": request.GET.get("thanks") == "1" and not visit,
    }, status=status)
