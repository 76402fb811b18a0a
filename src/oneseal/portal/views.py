"""Public pages (公众门户): the landing page, honest placeholders for features of later
issues, and the applicant's own page (我的办件)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from oneseal.accounts.permissions import require_roles
from oneseal.accounts.roles import Role

from . import views_my


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")


def guides(request: HttpRequest) -> HttpResponse:
    """办事指南: the public list of items with their service guides, when the catalogue is
    mounted; until then an honest placeholder."""
    try:
        return redirect(reverse("catalog:items"))
    except NoReverseMatch:
        pass
    return render(request, "portal/coming_soon.html", {
        "title": _("办事指南"),
        "summary": _("每个事项的设定依据、申请条件、申请材料、法定与承诺办结时限、收费标准及依据，"
                     "将随事项目录一同在此公开。"),
    })


@require_roles(Role.APPLICANT, Role.AGENT)
def my_cases(request: HttpRequest) -> HttpResponse:
    """我的办件: the applicant's (or agent's) own applications (`views_my`)."""
    return views_my.case_list(request)
