"""Staff pages (工作台)."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from oneseal.accounts.permissions import staff_required
from oneseal.accounts.roles import Role
from oneseal.cases.worklist import worklists
from oneseal.hall import selectors as hall_selectors
from oneseal.hall.services.setup import SIGN_IN_ROLES, may_sign_in
from oneseal.supervision.selectors import counts_by_street

from .nav import features_for


@staff_required
def home(request: HttpRequest) -> HttpResponse:
    """The dashboard: my work in counts (待办 / 即将超期 / 已超期, each a link to its list
    filtered so, see `oneseal.cases.worklist`), then a card for each feature the person's
    roles allow."""
    features = [f for f in features_for(request.user) if f.group in ("work", "tools")]
    features.sort(key=lambda f: not f.built)  # what works now first, then what is coming
    streets = (counts_by_street()  # 便民服务中心/站 statistics for the supervisor
               if request.user.has_role(Role.SUPERVISOR) else None)  # type: ignore[union-attr]
    return render(request, "workbench/home.html", {
        "features": features, "streets": streets, "shift": _window_shift(request.user),
        "worklists": worklists(request.user),
        "coming": any(not f.built for f in features)})


def _window_shift(user: Any) -> dict[str, Any] | None:
    """窗口签到 on the home page, for whoever may serve at a window of the hall: the window
    they are signed in to now, or else the windows they may sign in to (one click each)."""
    if not user.has_role(*SIGN_IN_ROLES):
        return None
    hall = hall_selectors.get_hall()
    if hall is None:
        return None
    current = hall_selectors.open_sign_in(user)
    choices = [] if current is not None else [
        w for w in hall_selectors.windows(hall).order_by("number") if may_sign_in(user, w)]
    if current is None and not choices:
        return None
    return {"current": current, "choices": choices}
