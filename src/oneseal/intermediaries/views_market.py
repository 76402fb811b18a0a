"""Pages of the market's users: the project owner (post a need, open the offers, choose,
score, post again, accept the report, rate, complain) and the intermediary's operator
(enter the market, qualifications, fees, staff, ties, offers, reports).

parse -> service -> redirect; a refusal is shown as a message. Every page refuses staff
accounts (《优化营商环境条例》第43条: staff may not designate or take part in choosing an
intermediary), see `market_user_required`."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oneseal.accounts.permissions import require_roles
from oneseal.cases.uploads import UploadRejected
from oneseal.core.roles import Role
from oneseal.core.workcalendar.domain import light_at
from oneseal.core.workcalendar.selectors import get_work_calendar

from . import selectors
from .errors import MarketError, MarketForbidden
from .forms import (
    BidForm,
    ComplaintForm,
    FeeForm,
    PostingForm,
    QualificationForm,
    RatingForm,
    RegisterForm,
    StaffForm,
)
from .models import Contract, Intermediary, Posting
from .services import delivery, registry, selection
from .services.common import is_staff_member


def market_user_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Logged in with an applicant's or agent's account, and no staff role (第43条)."""

    @require_roles(Role.APPLICANT, Role.AGENT)
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if is_staff_member(request.user):
            raise PermissionDenied(_("依据《优化营商环境条例》第四十三条，行政机关工作人员不得指定"
                                     "或参与选取中介服务机构。"))
        return view(request, *args, **kwargs)

    return wrapped


def _refusal(request: HttpRequest, exc: MarketError | UploadRejected) -> None:
    if isinstance(exc, MarketForbidden):
        raise PermissionDenied(exc.message)
    messages.error(request, exc.message)


def _light(contract: Contract, today: Any) -> str:
    if contract.state != "running":
        return ""
    return str(light_at(get_work_calendar(), contract.due_on, today))


@market_user_required
def my(request: HttpRequest) -> HttpResponse:
    """我的中介服务: my postings and contracts, the intermediaries I operate."""
    today = timezone.localdate()
    rows = list(selectors.owner_postings(request.user))
    contracts = [(p, getattr(p, "contract", None)) for p in rows]
    return render(request, "intermediaries/my.html", {
        "rows": [{"posting": p, "contract": c, "light": _light(c, today) if c else ""}
                 for p, c in contracts],
        "intermediaries": selectors.operated_intermediaries(request.user),
        "form": PostingForm(), "rating_form": RatingForm(), "complaint_form": ComplaintForm()})


@market_user_required
def post_need(request: HttpRequest) -> HttpResponse:
    form = PostingForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            found = selection.post_need(
                actor=request.user, service_id=data["service"].pk, project=data["project"],
                scope=data["scope"], budget_cap=data["budget_cap"], method=data["method"],
                offers_close_at=data["offers_close_at"], state_funded=data["state_funded"],
                case_id=data.get("case_id"), applicant=form.applicant_ref())
        except MarketError as exc:
            _refusal(request, exc)
        else:
            messages.success(request, _("采购公告已发布，编号 %(number)s。")
                             % {"number": found.number})
            return redirect("intermediaries_portal:posting", found.pk)
    return render(request, "intermediaries/post_need.html", {"form": form})


def _owner_action(request: HttpRequest, pk: int, call: Callable[[], object],
                  done: str) -> HttpResponse:
    try:
        call()
    except MarketError as exc:
        _refusal(request, exc)
    else:
        messages.success(request, done)
    return redirect("intermediaries_portal:manage", pk)


@market_user_required
def manage(request: HttpRequest, pk: int) -> HttpResponse:
    """The owner's page of his posting: open the offers, choose or score, post again."""
    found = Posting.objects.filter(pk=pk, owner=request.user).select_related("service").first()
    if found is None:
        raise Http404
    contract = Contract.objects.filter(posting=found).first()
    return render(request, "intermediaries/manage.html", {
        "posting": found, "bids": selectors.bids_of(found), "contract": contract,
        "light": _light(contract, timezone.localdate()) if contract else "",
        "now": timezone.now(), "rating_form": RatingForm(), "complaint_form": ComplaintForm()})


@market_user_required
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    return _owner_action(request, pk, lambda: selection.close_posting(
        posting_id=pk, actor=request.user), _("已开标。"))


@market_user_required
@require_POST
def choose(request: HttpRequest, pk: int) -> HttpResponse:
    bid_id = int(request.POST.get("bid") or 0)
    return _owner_action(request, pk, lambda: selection.choose_directly(
        actor=request.user, posting_id=pk, bid_id=bid_id), _("已选定中介服务机构。"))


@market_user_required
@require_POST
def score(request: HttpRequest, pk: int) -> HttpResponse:
    scores = {int(k[6:]): v for k, v in request.POST.items() if k.startswith("score-") and
              k[6:].isdigit()}
    return _owner_action(request, pk, lambda: selection.score_proposals(
        actor=request.user, posting_id=pk, scores=scores), _("评分完成，已按综合得分选定。"))


@market_user_required
@require_POST
def repost(request: HttpRequest, pk: int) -> HttpResponse:
    form = PostingForm(request.POST)
    when = form.fields["offers_close_at"].clean(request.POST.get("offers_close_at", "")) \
        if request.POST.get("offers_close_at") else None
    if when is None:
        messages.error(request, _("请填写新的报名截止时间。"))
        return redirect("intermediaries_portal:manage", pk)
    try:
        again = selection.repost(actor=request.user, posting_id=pk, offers_close_at=when)
    except MarketError as exc:
        _refusal(request, exc)
        return redirect("intermediaries_portal:manage", pk)
    messages.success(request, _("已重新发布，编号 %(number)s。") % {"number": again.number})
    return redirect("intermediaries_portal:manage", again.pk)


@market_user_required
@require_POST
def finish(request: HttpRequest, pk: int) -> HttpResponse:
    contract = Contract.objects.filter(posting_id=pk).first()
    if contract is None:
        raise Http404
    return _owner_action(request, pk, lambda: delivery.finish(
        actor=request.user, contract_id=contract.pk), _("已确认服务完成。"))


@market_user_required
@require_POST
def rate(request: HttpRequest, pk: int) -> HttpResponse:
    contract = Contract.objects.filter(posting_id=pk).first()
    form = RatingForm(request.POST)
    if contract is None or not form.is_valid():
        raise Http404
    return _owner_action(request, pk, lambda: delivery.rate(
        actor=request.user, contract_id=contract.pk, stars=form.cleaned_data["stars"],
        text=form.cleaned_data["text"]), _("感谢您的评价。"))


@market_user_required
@require_POST
def complain(request: HttpRequest, pk: int) -> HttpResponse:
    """A complaint about an intermediary (from its public page or from a contract)."""
    form = ComplaintForm(request.POST)
    contract_id = request.POST.get("contract")
    back = request.POST.get("back") == "manage"
    if form.is_valid():
        try:
            delivery.complain(actor=request.user, intermediary_id=pk,
                              text=form.cleaned_data["text"],
                              contract_id=int(contract_id) if contract_id else None)
        except MarketError as exc:
            _refusal(request, exc)
        else:
            messages.success(request, _("投诉已受理，将在10个工作日内办结。"))
    else:
        messages.error(request, _("请写明投诉内容。"))
    if back and contract_id:
        contract = Contract.objects.filter(pk=int(contract_id)).first()
        if contract is not None:
            return redirect("intermediaries_portal:manage", contract.posting_id)
    return redirect("intermediaries_portal:detail", pk)


# --- the intermediary's operator ------------------------------------------------------------


@market_user_required
def register(request: HttpRequest) -> HttpResponse:
    """进场登记."""
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ties = [(data["tie_body"], data["tie_relation"])] if data["tie_body"] else []
        try:
            found = registry.register_intermediary(
                actor=request.user, name=data["name"], credit_code=data["credit_code"],
                legal_representative=data["legal_representative"], address=data["address"],
                phone=data["phone"], introduction=data["introduction"],
                no_ties_declared=data["no_ties_declared"], ties=ties)
        except MarketError as exc:
            _refusal(request, exc)
        else:
            messages.success(request, _("进场登记成功。请提交资质并公示收费标准。"))
            return redirect("intermediaries_portal:provider", found.pk)
    return render(request, "intermediaries/register.html", {"form": form})


def _operated(request: HttpRequest, pk: int) -> Intermediary:
    found = selectors.operated_intermediaries(request.user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@market_user_required
def provider(request: HttpRequest, pk: int) -> HttpResponse:
    """The operator's page: qualifications, fees, staff, ties, open postings, contracts."""
    found = _operated(request, pk)
    today = timezone.localdate()
    contracts = [{"contract": c, "light": _light(c, today)} for c in selectors.contracts_of(found)]
    return render(request, "intermediaries/provider.html", {
        "found": found, "qualifications": found.qualifications.select_related("service"),
        "fees": selectors.fees_of(found), "staff": found.staff.all(), "ties": found.ties.all(),
        "open_postings": selectors.open_postings_for(found, timezone.now())[:50],
        "bid_on": set(found.bids.values_list("posting_id", flat=True)),
        "contracts": contracts, "qualification_form": QualificationForm(), "fee_form": FeeForm(),
        "staff_form": StaffForm(), "bid_form": BidForm()})


def _provider_action(request: HttpRequest, pk: int, form: Any,
                     call: Callable[[dict[str, Any]], object], done: str) -> HttpResponse:
    _operated(request, pk)
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for errs in form.errors.values() for e in errs))
    else:
        try:
            call(form.cleaned_data)
        except (MarketError, UploadRejected) as exc:
            _refusal(request, exc)
        else:
            messages.success(request, done)
    return redirect("intermediaries_portal:provider", pk)


@market_user_required
@require_POST
def add_qualification(request: HttpRequest, pk: int) -> HttpResponse:
    return _provider_action(request, pk, QualificationForm(request.POST), lambda d: (
        registry.submit_qualification(
            actor=request.user, intermediary_id=pk, service_id=d["service"].pk, name=d["name"],
            certificate_number=d["certificate_number"], issuer=d["issuer"],
            valid_from=d["valid_from"], valid_to=d["valid_to"])), _("资质已提交，等待审核。"))


@market_user_required
@require_POST
def add_fee(request: HttpRequest, pk: int) -> HttpResponse:
    return _provider_action(request, pk, FeeForm(request.POST), lambda d: registry.publish_fee(
        actor=request.user, intermediary_id=pk, service_id=d["service"].pk,
        max_fee=d["max_fee"], basis=d["basis"], promised_days=d["promised_days"]),
        _("收费标准已公示。"))


@market_user_required
@require_POST
def add_staff(request: HttpRequest, pk: int) -> HttpResponse:
    return _provider_action(request, pk, StaffForm(request.POST), lambda d: registry.add_staff(
        actor=request.user, intermediary_id=pk, name=d["name"], title=d["title"],
        certificate_number=d["certificate_number"]), _("从业人员已登记。"))


@market_user_required
@require_POST
def bid(request: HttpRequest, pk: int, posting_id: int) -> HttpResponse:
    return _provider_action(request, pk, BidForm(request.POST), lambda d: selection.submit_bid(
        actor=request.user, posting_id=posting_id, intermediary_id=pk, price=d["price"],
        days=d["days"], proposal=d["proposal"]), _("报名成功。"))


@market_user_required
@require_POST
def upload_report(request: HttpRequest, pk: int, contract_id: int) -> HttpResponse:
    _operated(request, pk)
    upload = request.FILES.get("report")
    if upload is None:
        messages.error(request, _("请选择成果文件。"))
        return redirect("intermediaries_portal:provider", pk)
    try:
        delivery.submit_report(actor=request.user, contract_id=contract_id, upload=upload,
                               name=upload.name or "report.pdf")
    except (MarketError, UploadRejected) as exc:
        _refusal(request, exc)
    else:
        messages.success(request, _("成果已提交。"))
    return redirect("intermediaries_portal:provider", pk)
