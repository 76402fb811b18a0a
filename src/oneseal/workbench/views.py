"""Staff pages (工作台)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from oneseal.accounts.permissions import staff_required
from oneseal.accounts.roles import Role
from oneseal.supervision.selectors import counts_by_street

from .nav import features_for


@staff_required
def home(request: HttpRequest) -> HttpResponse:
    """The dashboard: a card for each feature the person's roles allow."""
    features = [f for f in features_for(request.user) if f.group in ("work", "tools")]
    features.sort(key=lambda f: not f.built)  # what works now first, then what is coming
    streets = (counts_by_street()  # 便民服务中心/站 statistics for the supervisor
               if request.user.has_role(Role.SUPERVISOR) else None)  # type: ignore[union-attr]
    return render(request, "workbench/home.html", {"features": features, "streets": streets})
