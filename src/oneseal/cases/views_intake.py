"""The front desk (综合受理窗口, 第26条 统一受理): find the applicant or register a new one,
choose the item and its business variant, and create the case; the case page then takes
the material check and the decision on acceptance (第32条). Clerks only."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from oneseal.accounts.permissions import require_roles
from oneseal.accounts.roles import Role
from oneseal.applicants import services as applicant_services
from oneseal.applicants.models import Organisation, Person
from oneseal.applicants.selectors import find_applicants
from oneseal.catalog import selectors as catalog_selectors
from oneseal.core.bounds import parse_id
from oneseal.org.service_points import service_points

from . import forms, selectors, services
from .due import calendar_or_none
from .errors import CaseError
from .views_case import error_status

clerk_only = require_roles(Role.CLERK)
RESULTS = 20


@clerk_only
def intake(request: HttpRequest) -> HttpResponse:
    """综合受理: search applicants; the cases waiting at the window below."""
    form = forms.ApplicantSearchForm(request.GET or None)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    people, orgs = find_applicants(q, limit=RESULTS)
    waiting = selectors.case_list(request.user, selectors.CaseFilters(state="received"),
                                  limit=20).items
    correcting = selectors.case_list(request.user, selectors.CaseFilters(state="correcting"),
                                     limit=20).items
    template = "cases/intake.html"
    if request.htmx and request.htmx.target == "applicant-results":
        template = "cases/_applicant_results.html"
    return render(request, template, {
        "form": form, "q": q, "people": people, "orgs": orgs, "searched": bool(q),
        "waiting": waiting, "correcting": correcting,
        "today": timezone.localdate(), "calendar": calendar_or_none()})


def _register(request: HttpRequest, form_class: type, kind: str) -> HttpResponse:
    form = form_class(request.POST or None)
    existing: Person | Organisation | None = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if kind == "person":
            existing = Person.objects.filter(id_number=data["id_number"]).first()
        else:
            existing = Organisation.objects.filter(credit_code=data["credit_code"]).first()
        if existing is not None:
            form.add_error(None, _("该申请人已经登记，请直接选择。"))
        else:
            try:
                if kind == "person":
                    created: Any = applicant_services.register_person(actor=request.user,
                                                                      **data)
                else:
                    created = applicant_services.register_organisation(actor=request.user,
                                                                       **data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return redirect(f"{reverse('cases:intake_new')}?{kind}={created.pk}")
    forms.focus_first_error(form)
    return render(request, "cases/register.html", {
        "form": form, "kind": kind, "existing": existing})


@clerk_only
def register_person(request: HttpRequest) -> HttpResponse:
    """登记自然人."""
    return _register(request, forms.PersonForm, "person")


@clerk_only
def register_organisation(request: HttpRequest) -> HttpResponse:
    """登记法人和其他组织."""
    return _register(request, forms.OrganisationForm, "organisation")


def _applicant(request: HttpRequest) -> tuple[str, Person | Organisation]:
    params = request.POST if request.method == "POST" else request.GET
    for kind, model in (("person", Person), ("organisation", Organisation)):
        pk = parse_id(params.get(kind, ""))
        if pk is not None:
            found = model.objects.filter(pk=pk).first()
            if found is not None:
                return kind, found
    raise Http404


def _point_choices() -> list[tuple[int, str]]:
    return [(p.pk, p.name) for p in service_points()]


def _own_point(user: Any) -> int | None:
    """The clerk's own unit when it is a street or community service point (便民服务中心/站):
    the intake page preselects it as the place of receipt."""
    unit = getattr(user, "unit", None)
    if unit is not None and service_points().filter(pk=unit.pk).exists():
        return int(unit.pk)
    return None


@clerk_only
def intake_new(request: HttpRequest) -> HttpResponse:
    """Choose the item (search the catalogue) and its variant, then create the case
    (收件, channel 窗口). A double click creates one case (idempotency key = form token)."""
    kind, applicant = _applicant(request)
    params = request.POST if request.method == "POST" else request.GET
    item_id = parse_id(params.get("item", ""))
    version = catalog_selectors.version_in_force(item_id) if item_id else None
    search = forms.ItemSearchForm(request.GET if version is None else None)
    found: list[Any] = []
    if version is None:
        q = search.cleaned_data["q"] if search.is_valid() else ""
        found = catalog_selectors.search_items(catalog_selectors.ItemFilters(q=q))[0:RESULTS]
    submit = None
    error = ""
    status = 200
    if version is not None:
        variants = [(v.code, v.name) for v in version.variants.all()]
        data = request.POST if request.method == "POST" else None
        submit = forms.SubmitForm(data, variants=variants, points=_point_choices(),
                                  initial={"token": uuid.uuid4().hex,
                                           "service_point": _own_point(request.user)})
        if data is not None and submit.is_valid():
            ref = services.ApplicantRef(**{f"{kind}_id": applicant.pk})
            got = submit.cleaned_data
            digest = hashlib.sha256(
                f"{kind}:{applicant.pk}:{version.item_id}:{got['variant']}:"
                f"{got['agent_id_number']}:{got['service_point']}:{got['deliver_at_point']}"
                .encode()).hexdigest()
            try:
                case, _created = services.case_submit(
                    actor=request.user, item_id=version.item_id,
                    variant_code=got["variant"], applicant=ref,
                    agent_id=got["agent_id_number"], service_point_id=got["service_point"],
                    deliver_at_point=got["deliver_at_point"],
                    channel="window", idempotency_key="page:" + got["token"],
                    request_hash=digest)
            except CaseError as exc:
                error, status = exc.message, error_status(exc)
            else:
                return redirect("cases:case", case.pk)
    template = "cases/intake_new.html"
    if request.htmx and request.htmx.target == "item-results":
        template = "cases/_item_results.html"
    return render(request, template, {
        "kind": kind, "applicant": applicant, "version": version, "search": search,
        "found": found, "submit": submit, "error": error}, status=status)
