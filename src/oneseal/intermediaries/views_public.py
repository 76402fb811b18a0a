"""Public pages of the marketplace (no login): the directory (中介服务目录库), an
intermediary's page, the list of services (中介服务事项清单), the postings and their results,
the draw recomputed step by step, the published credit measures and the figures."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode

from oneseal.core.masking import mask_name, mask_phone
from oneseal.core.roles import Role

from . import selectors
from .domain import draw as drawing
from .forms import DirectoryForm
from .models import Posting, PostingState


def _page(request: HttpRequest, rows: object, size: int = selectors.PAGE_SIZE) -> object:
    return Paginator(rows, size).get_page(request.GET.get("page"))  # type: ignore[arg-type]


def _query(request: HttpRequest) -> str:
    return urlencode([(k, v) for k, v in request.GET.items() if k != "page" and v])


def directory(request: HttpRequest) -> HttpResponse:
    """中介服务目录库: search by name or credit code, filter by service, standing, credit."""
    form = DirectoryForm(request.GET or None)
    filters: dict[str, object] = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {"q": data["q"] or "", "service_id": data["service"].pk if data["service"]
                   else None, "standing": data["standing"] or "",
                   "min_credit": data["min_credit"]}
    rows = selectors.directory(**filters, today=timezone.localdate())  # type: ignore[arg-type]
    return render(request, "intermediaries/directory.html", {
        "form": form, "page": _page(request, rows), "query": _query(request)})


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.intermediary_page(pk)
    if found is None:
        raise Http404
    staff = [{"name": s.name, "title": s.title, "certificate": s.certificate_number,
              "phone": mask_phone(s.phone)} for s in found.staff.all()]
    return render(request, "intermediaries/detail.html", {
        "found": found, "qualifications": selectors.approved_qualifications(found),
        "fees": selectors.fees_of(found), "staff": staff, "phone": mask_phone(found.phone),
        "measures": list(found.measures.all()[:20])})


def services(request: HttpRequest) -> HttpResponse:
    return render(request, "intermediaries/services.html",
                  {"services": selectors.published_services()})


def postings(request: HttpRequest) -> HttpResponse:
    return render(request, "intermediaries/postings.html", {
        "page": _page(request, selectors.public_postings()), "query": ""})


def _posting(pk: int) -> Posting:
    found = selectors.public_postings().filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def posting(request: HttpRequest, pk: int) -> HttpResponse:
    """A posting as the public sees it: before the close only the commitment of the seed,
    after it the bids and the result. The owner and the bidders act from their own pages."""
    found = _posting(pk)
    closed = found.state != PostingState.OPEN
    person = not found.owner.has_role(Role.AGENT)  # a natural person's name is masked
    return render(request, "intermediaries/posting.html", {
        "posting": found, "closed": closed,
        "owner_name": mask_name(found.owner_name) if person else found.owner_name,
        "bids": selectors.bids_of(found) if closed else [],
        "bid_count": found.bids.count()})


def draw(request: HttpRequest, pk: int) -> HttpResponse:
    """The draw recomputed from the published inputs (domain/draw.py, docs/intermediaries.md):
    the seed against its commitment, the message, the hash, the remainder and the ranges."""
    found = _posting(pk)
    if not found.is_draw:
        raise Http404
    context: dict[str, object] = {"posting": found}
    if found.seed_revealed and found.draw:
        data = found.draw
        pairs = [(int(i), int(w)) for i, w in data["bidders"]]
        result = drawing.draw(data["seed"], found.number, pairs)
        names = dict(found.bids.values_list("intermediary_id", "intermediary__name"))
        context.update({
            "data": data, "result": result,
            "commitment_ok": drawing.commitment(data["seed"]) == found.commitment,
            "matches": result.winner_id == data["winner"],
            "steps": [{"step": s, "name": names.get(s.intermediary_id, ""),
                       "won": s.intermediary_id == result.winner_id} for s in result.steps],
        })
    return render(request, "intermediaries/draw.html", context)


def measures(request: HttpRequest) -> HttpResponse:
    """信用处理公示: warnings, suspensions and exits (清退), newest first."""
    return render(request, "intermediaries/measures.html",
                  {"page": _page(request, selectors.measures()), "query": ""})


def figures(request: HttpRequest) -> HttpResponse:
    return render(request, "intermediaries/figures.html", {"rows": selectors.figures()})
