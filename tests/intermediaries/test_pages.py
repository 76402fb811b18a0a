"""The marketplace's pages: the public directory, lists and the draw recomputation for
anyone; the owner's and intermediary's pages for market users only; the staff page for the
catalogue administrator and supervisors. 《优化营商环境条例》第43条: every page that posts,
offers, chooses, scores or awards refuses every staff role, and no staff page selects."""

from __future__ import annotations

import pytest
from django.urls import reverse

from oneseal.intermediaries.models import (
    Bid,
    Complaint,
    Contract,
    Posting,
    Qualification,
    Service,
)
from oneseal.intermediaries.services import selection
from oneseal.intermediaries.urls_portal import SELECTION_URL_NAMES, urlpatterns
from oneseal.intermediaries.urls_workbench import urlpatterns as workbench_patterns
from tests.login_helpers import log_in

from .market import at, bid, make_intermediary, post

pytestmark = pytest.mark.django_db

STAFF = ("clerk", "reviewer", "chief", "head", "dept", "supervisor", "catalog_admin",
         "sysadmin", "helper")


def state():
    return (Posting.objects.count(), Bid.objects.count(), Contract.objects.count(),
            list(Posting.objects.values_list("state", "winner_id")))


@pytest.fixture
def drawn(cast, agencies, service):
    posting = post(cast["applicant"], service, method="draw")
    for a in agencies:
        bid(a, posting)
    selection.close_posting(posting_id=posting.pk, at=at("2026-09-29"))
    posting.refresh_from_db()
    return posting


def kwargs_for(name, posting, agency):
    pattern = next(p for p in urlpatterns if p.name == name)
    keys = pattern.pattern.converters.keys()
    values = {"pk": posting.pk if name not in ("complain", "provider", "add_qualification",
                                               "add_fee", "add_staff", "bid", "report")
              else agency.pk, "posting_id": posting.pk, "contract_id": 1}
    return {k: values[k] for k in keys}


def test_public_pages_open_to_anyone(client, drawn, agencies, service):
    for name, kwargs in [("directory", {}), ("detail", {"pk": agencies[0].pk}),
                         ("services", {}), ("postings", {}), ("posting", {"pk": drawn.pk}),
                         ("draw", {"pk": drawn.pk}), ("measures", {}), ("figures", {})]:
        response = client.get(reverse(f"intermediaries_portal:{name}", kwargs=kwargs))
        assert response.status_code == 200, name


def test_directory_search_and_filters(client, cast, agencies, service):
    url = reverse("intermediaries_portal:directory")
    page = client.get(url, {"q": "中介机构02"}).content.decode()
    assert "测试中介机构02" in page and "测试中介机构01" not in page
    page = client.get(url, {"q": agencies[2].credit_code}).content.decode()
    assert "测试中介机构03" in page and "测试中介机构02" not in page
    unqualified = make_intermediary(7, service, cast, approve=False)
    page = client.get(url, {"service": service.pk}).content.decode()
    assert "测试中介机构01" in page and unqualified.name not in page
    agencies[1].credit_score = 70
    agencies[1].standing = "warning"
    agencies[1].save()
    page = client.get(url, {"min_credit": 80}).content.decode()
    assert "测试中介机构02" not in page and "测试中介机构01" in page
    page = client.get(url, {"standing": "warning"}).content.decode()
    assert "测试中介机构02" in page and "测试中介机构01" not in page


def test_directory_paginates(client, cast, service):
    for n in range(21):
        make_intermediary(100 + n, service, cast)
    url = reverse("intermediaries_portal:directory")
    first = client.get(url).content.decode()
    assert "共 21 家" in first and 'rel="next"' in first
    assert 'rel="prev"' in client.get(url, {"page": 2}).content.decode()


def test_draw_page_shows_only_the_commitment_before_close(client, cast, agencies, service):
    posting = post(cast["applicant"], service, method="draw")
    page = client.get(reverse("intermediaries_portal:draw", args=[posting.pk])).content.decode()
    assert posting.commitment in page and posting.seed not in page
    page = client.get(reverse("intermediaries_portal:posting", args=[posting.pk])).content.decode()
    assert posting.commitment in page and posting.seed not in page


def test_draw_page_recomputes_after_close(client, drawn):
    page = client.get(reverse("intermediaries_portal:draw", args=[drawn.pk])).content.decode()
    assert drawn.seed in page and "与承诺值一致" in page
    assert "本页复算结果与系统记录的抽取结果一致" in page
    assert drawn.winner.intermediary.name in page


@pytest.mark.parametrize("role", STAFF)
def test_every_selection_page_refuses_staff_art_43_youhua_yingshang_huanjing(client, cast,
                                                                            drawn, agencies,
                                                                            role):
    """《优化营商环境条例》第43条: no staff role may reach a page that posts, offers, chooses,
    scores or awards — even holding an applicant role as well — and nothing changes."""
    from oneseal.accounts.models import RoleGrant
    user = cast[role]
    RoleGrant.objects.get_or_create(user=user, role="applicant")  # staff who is also applicant
    log_in(client, user)
    before = state()
    assert set(SELECTION_URL_NAMES) == {p.name for p in urlpatterns} - {
        "directory", "detail", "services", "postings", "posting", "draw", "measures", "figures",
        "case_report"}  # a case's report: who may see the case (test_case_sharing.py)
    for name in SELECTION_URL_NAMES:
        url = reverse(f"intermediaries_portal:{name}", kwargs=kwargs_for(name, drawn, agencies[0]))
        for method in (client.get, client.post):
            response = method(url, {"bid": drawn.winner_id, "text": "x", "price": "1", "days": 1})
            assert response.status_code == 403, (role, name, response.status_code)
    assert state() == before


@pytest.mark.parametrize("who", ["anonymous", "outsider"])
def test_selection_pages_refuse_anonymous_and_roleless(client, cast, drawn, agencies, who):
    if who != "anonymous":
        log_in(client, cast[who])
    before = state()
    for name in SELECTION_URL_NAMES:
        url = reverse(f"intermediaries_portal:{name}", kwargs=kwargs_for(name, drawn, agencies[0]))
        response = (client.get if name in ("close", "bid") else client.post)(url, {"bid": 1})
        expected = 302 if who == "anonymous" else 403
        assert response.status_code == expected, (who, name, response.status_code)
    assert state() == before


def test_no_staff_page_can_choose_a_winner_art_43(client, cast, agencies, service):
    """The staff pages are the qualification check and the complaint handling; posting to
    them with a winner's fields changes no posting, bid or contract."""
    assert {p.name for p in workbench_patterns} == {"index", "review", "handle", "services",
                                                    "service_edit"}
    posting = post(cast["applicant"], service, method="direct")
    offers = [bid(a, posting) for a in agencies]
    selection.close_posting(posting_id=posting.pk, at=at("2026-09-29"))
    before = state()
    for role in ("catalog_admin", "supervisor"):
        log_in(client, cast[role])
        for name in ("review", "handle"):
            url = reverse(f"intermediaries_workbench:{name}", args=[offers[0].pk])
            client.post(url, {"bid": offers[0].pk, "decision": "approve", "winner": 1})
    assert state() == before


@pytest.mark.parametrize("role", ["anonymous", "applicant", "company", "clerk", "reviewer",
                                  "chief", "head", "dept", "sysadmin", "helper", "outsider"])
def test_workbench_page_refused(client, cast, role):
    if role != "anonymous":
        log_in(client, cast[role])
    response = client.get(reverse("intermediaries_workbench:index"))
    assert response.status_code == (302 if role == "anonymous" else 403)


def test_review_and_handle_refused_to_the_other_staff(client, cast, agencies, service):
    from oneseal.intermediaries.services import delivery, registry
    user = agencies[0].users.first()
    q = registry.submit_qualification(
        actor=user, intermediary_id=agencies[0].pk, service_id=service.pk, name="乙级",
        certificate_number="ZZ-Y", issuer="厅", valid_from=at("2026-01-01").date(),
        valid_to=at("2027-01-01").date())
    c = delivery.complain(actor=cast["applicant"], intermediary_id=agencies[0].pk, text="拖延")
    log_in(client, cast["supervisor"])
    assert client.post(reverse("intermediaries_workbench:review", args=[q.pk]),
                       {"decision": "approve"}).status_code == 403
    log_in(client, cast["catalog_admin"])
    assert client.post(reverse("intermediaries_workbench:handle", args=[c.pk]),
                       {"decision": "upheld", "result": "x"}).status_code == 403
    q.refresh_from_db()
    assert q.state == "pending" and Complaint.objects.get().state == "open"
    response = client.post(reverse("intermediaries_workbench:review", args=[q.pk]),
                           {"decision": "reject", "reason": "证书过期"}, follow=True)
    assert response.status_code == 200
    assert Qualification.objects.get(pk=q.pk).state == "rejected"


def test_workbench_page_lists_for_catalog_admin_and_supervisor(client, cast, agencies):
    for role in ("catalog_admin", "supervisor"):
        log_in(client, cast[role])
        assert client.get(reverse("intermediaries_workbench:index")).status_code == 200


def test_owner_walks_a_direct_choice_through_the_pages(client, cast, agencies, service):
    posting = post(cast["applicant"], service, method="direct")
    offers = [bid(a, posting) for a in agencies[:2]]
    selection.close_posting(posting_id=posting.pk, at=at("2026-09-29"))
    log_in(client, cast["company"])  # someone else: not his posting
    assert client.get(reverse("intermediaries_portal:manage", args=[posting.pk])).status_code == 404
    client.post(reverse("intermediaries_portal:choose", args=[posting.pk]), {"bid": offers[0].pk})
    assert not Contract.objects.exists()
    log_in(client, cast["applicant"])
    page = client.get(reverse("intermediaries_portal:manage", args=[posting.pk])).content.decode()
    assert "直接选取" in page
    client.post(reverse("intermediaries_portal:choose", args=[posting.pk]), {"bid": offers[1].pk})
    assert Contract.objects.get().intermediary == agencies[1]
    assert client.get(reverse("intermediaries_portal:my")).status_code == 200


def test_operator_offers_through_the_page_and_fee_above_schedule_is_refused(client, cast,
                                                                            agencies, service):
    posting = post(cast["applicant"], service, method="lowest_price", on="2026-09-21")
    user = agencies[0].users.first()
    log_in(client, user)
    url = reverse("intermediaries_portal:bid", args=[agencies[0].pk, posting.pk])
    import time_machine
    with time_machine.travel(at("2026-09-22"), tick=False):
        page = client.post(url, {"price": "50001", "days": 10}, follow=True).content.decode()
        assert "高于本机构公示的收费上限" in page and not Bid.objects.exists()
        client.post(url, {"price": "42000", "days": 10})
    assert Bid.objects.get().price == 42000
    assert client.get(reverse("intermediaries_portal:provider", args=[agencies[1].pk])
                      ).status_code == 404


@pytest.mark.parametrize("role", ["anonymous", "applicant", "company", "clerk", "reviewer",
                                  "chief", "head", "dept", "supervisor", "sysadmin", "helper",
                                  "outsider"])
def test_service_list_maintenance_refused(client, cast, service, role):
    if role != "anonymous":
        log_in(client, cast[role])
    url = reverse("intermediaries_workbench:services")
    response = client.post(url, {"code": "ZJ99", "name": "x", "legal_basis": "y"})
    assert response.status_code == (302 if role == "anonymous" else 403)
    assert not Service.objects.filter(code="ZJ99").exists()


def test_catalog_admin_keeps_the_service_list_with_its_legal_basis(client, cast, service):
    log_in(client, cast["catalog_admin"])
    url = reverse("intermediaries_workbench:services")
    assert client.get(url).status_code == 200
    page = client.post(url, {"code": "ZJ99", "name": "地质灾害危险性评估", "legal_basis": ""},
                       follow=True).content.decode()
    assert not Service.objects.filter(code="ZJ99").exists() and "设定依据" in page
    client.post(url, {"code": "ZJ99", "name": "地质灾害危险性评估",
                      "legal_basis": "《地质灾害防治条例》第二十一条", "compulsory": "on",
                      "published": "on",
                      "material_names": " 地质灾害危险性评估报告\r\n\r\n地质灾害危险性评估报告"})
    created = Service.objects.get(code="ZJ99")
    assert created.compulsory and created.published
    # the material its report is, for the case's 免提交 (sharing.py): trimmed, once
    assert created.material_name_list() == ["地质灾害危险性评估报告"]
    edit = reverse("intermediaries_workbench:service_edit", args=[created.pk])
    client.post(edit, {"code": "ZJ99", "name": "地质灾害危险性评估报告编制",
                       "legal_basis": "《地质灾害防治条例》第二十一条"})
    created.refresh_from_db()
    assert created.name == "地质灾害危险性评估报告编制" and not created.published
    public = client.get(reverse("intermediaries_portal:services")).content.decode()
    assert "地质灾害危险性评估报告编制" not in public and service.name in public


def test_a_natural_person_owner_is_masked_on_the_public_posting(client, cast, service):
    cast["applicant"].display_name = "杨丽华"
    cast["applicant"].save()
    posting = post(cast["applicant"], service)
    page = client.get(reverse("intermediaries_portal:posting", args=[posting.pk])).content.decode()
    assert "杨丽华" not in page and "杨**" in page
