"""办件进度查询 (public, no login): the case number and the query code from the receipt
give the stage, the dates and the promised due date with its light; nothing personal (no
applicant, no ID number, no staff name). A wrong number and a wrong code get the same
answer, so the page does not tell which cases exist. Tries are limited per address."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from oneseal.core.throttle import throttled

from . import forms, selectors

TRIES = 30  # per address
WINDOW = 600  # seconds


def _throttled(request: HttpRequest) -> bool:
    return throttled(request, "progress", tries=TRIES, window=WINDOW)


def progress(request: HttpRequest) -> HttpResponse:
    form = forms.ProgressForm(request.POST if request.method == "POST" else None)
    result = None
    error = ""
    status = 200
    if request.method == "POST":
        if _throttled(request):
            error, status = _("查询过于频繁，请10分钟后再试。"), 429
        elif form.is_valid():
            result = selectors.progress_lookup(form.cleaned_data["number"],
                                               form.cleaned_data["query_code"])
            if result is None:
                error = _("未找到该办件，请核对办件编号和查询码。")
    return render(request, "cases/portal/progress.html", {
        "form": form, "result": result, "error": error}, status=status)
