"""Rating pages: the applicant's 一事一评 (portal, mobile-first) and the window clerk's entry
of a 一次一评 at the delivery window. parse -> access (`access_case`) -> service
(`services.rate_case`) -> template; a refusal is shown beside the form, input kept."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from oneseal.accounts.permissions import require_roles
from oneseal.accounts.roles import Role
from oneseal.cases.errors import CaseError, CaseNotFound
from oneseal.cases.models import Case
from oneseal.cases.permissions import access_case

from . import selectors, services
from .domain.ratings import RatingChannel
from .forms import RatingForm


def _load(request: HttpRequest, case_id: int) -> Case:
    try:
        return access_case(user=request.user, case_id=case_id)
    except CaseNotFound as exc:
        raise Http404(exc.message) from exc


def _rate(request: HttpRequest, case: Case, channel: RatingChannel,
          template: str) -> HttpResponse:
    if not services.may_rate(request.user, case, channel):
        raise Http404(_("请求的页面不存在。"))
    existing = [r for r in selectors.case_ratings(case) if r.channel == channel]
    form = RatingForm(request.POST or None)
    error, status = "", 200
    if request.method == "POST" and not existing and form.is_valid():
        try:
            services.rate_case(actor=request.user, case_id=case.pk, channel=channel,
                               level=form.cleaned_data["level"],
                               reasons=form.cleaned_data["reasons"],
                               text=form.cleaned_data["text"])
        except CaseNotFound as exc:
            raise Http404(exc.message) from exc
        except CaseError as exc:
            error, status = exc.message, (exc.status if exc.status in (403, 409) else 200)
        else:
            messages.success(request, _("感谢您的评价。"))
            if channel == RatingChannel.ONLINE:  # the applicant goes back to his own page
                return redirect("portal:my_case", case.pk)
            return redirect("cases:case", case.pk)
    return render(request, template, {
        "case": case, "form": form, "error": error, "existing": existing[0] if existing else None,
        "delivered": case.state == "delivered"}, status=status)


@require_roles(Role.APPLICANT, Role.AGENT)
def rate_online(request: HttpRequest, case_id: int) -> HttpResponse:
    """一事一评: the applicant rates his delivered case (国办发〔2019〕51号)."""
    return _rate(request, _load(request, case_id), RatingChannel.ONLINE,
                 "supervision/rate.html")


@require_roles(Role.CLERK)
def rate_window(request: HttpRequest, case_id: int) -> HttpResponse:
    """一次一评 at the delivery window: the clerk records the applicant's choice."""
    return _rate(request, _load(request, case_id), RatingChannel.WINDOW,
                 "supervision/rate_window.html")
