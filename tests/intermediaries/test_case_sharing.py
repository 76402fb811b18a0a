"""The report reaches the applicant's case as a material (中介超市共享获取，免提交;
国务院令第716号 第7条: do not ask the applicant again for what the agency can obtain by
sharing). The service list says which items need the service and which of their materials
the report is; the report of the same applicant, accepted by him, is attached on submission
and, while the case is before acceptance, when he accepts it later. Dates on the 2026
schedule (10-01..10-07 National Day)."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from oneseal.accounts.roles import Role
from oneseal.cases import services as case_services
from oneseal.cases.models import CaseMaterial, Channel
from oneseal.cases.services import online
from oneseal.core.identity import make_credit_code
from oneseal.core.models import AuditEvent
from oneseal.intermediaries.models import Contract, SuppliedReport
from oneseal.intermediaries.services import delivery, selection
from oneseal.intermediaries.services.sharing import attach_reports
from tests.cases import online_fixtures
from tests.cases.conftest import bureau, catalogue, company, department, org, person
from tests.cases.helpers import check, submit
from tests.factories import UserFactory
from tests.login_helpers import log_in

from .market import at, bid, make_intermediary, make_service, post

__all__ = ["bureau", "catalogue", "company", "department", "org", "person"]
online_item = online_fixtures.online_item  # the fixture

pytestmark = pytest.mark.django_db

MATERIAL = "场所平面图"  # a required material of the test catalogue, not shareable by itself
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
       b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
       b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
       b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n"
       b"0000000101 00000 n \ntrailer<</Size 4/Root 1 0 R>>\nstartxref\n170\n%%EOF\n")


@pytest.fixture
def needed(catalogue):
    """The service the hall item needs: its report is the item's 场所平面图."""
    service = make_service()
    service.items.add(catalogue.hall_item)
    service.material_names = f"其他报告\n{MATERIAL}"
    service.save(update_fields=["material_names"])
    return service


@pytest.fixture
def agencies(cast, needed):
    return [make_intermediary(n, needed, cast) for n in (1, 2)]


def contract_for(owner, service, agencies, *, finish=True, case=None, n=0):
    """A posting of `owner` for `service` awarded, reported on 10-12 and (by default)
    accepted by the owner on 10-12."""
    posting = post(owner, service, method="lowest_price") if case is None else (
        selection.post_need(actor=owner, service_id=service.pk, project=f"项目{n}",
                            scope="编制报告", budget_cap="60000", method="lowest_price",
                            offers_close_at=at("2026-09-28", 17), case_id=case.pk,
                            at=at("2026-09-21")))
    bid(agencies[0], posting, price="30000", days=5)
    bid(agencies[1], posting, price="45000", days=5)
    selection.close_posting(posting_id=posting.pk, at=at("2026-09-29"))
    contract = Contract.objects.get(posting=posting)
    upload = SimpleUploadedFile("平面布置报告.pdf", PDF, content_type="application/pdf")
    delivery.submit_report(actor=agencies[0].users.first(), contract_id=contract.pk,
                           upload=upload, name="平面布置报告.pdf", at=at("2026-10-12"))
    if finish:
        delivery.finish(actor=owner, contract_id=contract.pk, at=at("2026-10-12", 15))
    contract.refresh_from_db()
    return contract


def material(case, name=MATERIAL):
    return CaseMaterial.objects.get(case=case, name=name)


def test_order716_art7_finished_report_is_shared_to_the_companys_case_on_submission(
        cast, catalogue, company, needed, agencies):
    contract = contract_for(cast["company"], needed, agencies)
    assert contract.posting.applicant_organisation == company
    case = submit(cast, catalogue.hall_item, organisation=company, on="2026-10-13")
    m = material(case)
    assert (m.status, m.shareable, m.supplied_by) == ("shared", True, "中介超市")
    assert m.checked_by is None and m.checked_at is not None
    supplied = m.intermediary_report
    assert supplied.contract == contract
    assert supplied.report_sha256 == hashlib.sha256(PDF).hexdigest() == contract.report_sha256
    assert (supplied.intermediary_name, supplied.service_name, supplied.reported_on.isoformat()
            ) == (agencies[0].name, needed.name, "2026-10-12")
    assert material(case, "申请表").status == "pending"  # another material: untouched
    event = AuditEvent.objects.filter(kind="contract.share").get()
    assert event.subject == f"case:{case.pk}" and event.payload["materials"][0]["contract"] == (
        contract.pk)
    contract.refresh_from_db()
    assert contract.case_linked


def test_order716_art7_a_persons_report_is_shared_to_his_own_case(cast, catalogue, person,
                                                                   needed, agencies):
    contract_for(cast["applicant"], needed, agencies)
    case = submit(cast, catalogue.hall_item, person, on="2026-10-13")
    assert material(case).intermediary_report.contract.posting.applicant_person == person


def test_the_project_applicant_is_one_the_owner_may_act_for(cast, company, needed, agencies):
    from oneseal.applicants import services as applicant_services
    from oneseal.intermediaries.errors import MarketError

    stranger = applicant_services.register_organisation(
        actor=None, name="昆明另一测试有限公司", credit_code=make_credit_code("91530112MA6K00002"),
        legal_representative="王五")
    with pytest.raises(MarketError) as refused:
        selection.post_need(actor=cast["company"], service_id=needed.pk, project="项目",
                            scope="编制报告", budget_cap="60000", method="draw",
                            offers_close_at=at("2026-09-28", 17), at=at("2026-09-21"),
                            applicant=("organisation", stranger.pk))
    assert refused.value.code == "applicant"
    chosen = selection.post_need(actor=cast["company"], service_id=needed.pk, project="项目",
                                 scope="编制报告", budget_cap="60000", method="draw",
                                 offers_close_at=at("2026-09-28", 17), at=at("2026-09-21"),
                                 applicant=("organisation", company.pk))
    assert (chosen.applicant_organisation, chosen.applicant_person) == (company, None)


def test_order716_art7_report_accepted_after_submission_reaches_the_open_case(
        cast, catalogue, company, needed, agencies):
    case = submit(cast, catalogue.hall_item, organisation=company, on="2026-09-30")
    assert material(case).status == "pending"
    contract = contract_for(cast["company"], needed, agencies, finish=False)
    assert material(case).status == "pending"  # uploaded, not yet accepted by the owner
    delivery.finish(actor=cast["company"], contract_id=contract.pk, at=at("2026-10-12", 15))
    m = material(case)
    assert m.status == "shared" and m.intermediary_report.contract == contract


def test_order716_art7_report_does_not_reach_a_case_already_accepted(cast, catalogue, company,
                                                                      needed, agencies):
    case = submit(cast, catalogue.hall_item, organisation=company, on="2026-09-30")
    check(case, cast["clerk"], on="2026-09-30")
    case_services.case_accept(actor=cast["clerk"], case=case, at=at("2026-09-30"))
    contract_for(cast["company"], needed, agencies)
    m = material(case)
    assert m.status == "ok" and m.checked_by == cast["clerk"]
    assert not SuppliedReport.objects.exists()


def test_order716_art7_another_applicants_report_never_attaches(cast, catalogue, company,
                                                                person, needed, agencies):
    from oneseal.applicants import services as applicant_services

    persons = contract_for(cast["applicant"], needed, agencies)  # the natural person's
    companys = contract_for(cast["company"], needed, agencies)  # and the company's
    company_case = submit(cast, catalogue.hall_item, organisation=company, on="2026-10-13")
    person_case = submit(cast, catalogue.hall_item, person, on="2026-10-13")
    assert material(company_case).intermediary_report.contract == companys
    assert material(person_case).intermediary_report.contract == persons
    stranger = applicant_services.register_organisation(
        actor=None, name="昆明另一测试有限公司", credit_code=make_credit_code("91530112MA6K00001"),
        legal_representative="王五")
    stranger_case = submit(cast, catalogue.hall_item, organisation=stranger, on="2026-10-13")
    assert material(stranger_case).status == "pending"
    assert not SuppliedReport.objects.filter(material__case=stranger_case).exists()


def test_order716_art7_report_of_a_different_service_does_not_attach(cast, catalogue, company,
                                                                     needed, agencies):
    other_material = make_service("ZJ002", "环境监测")  # the item needs it for another material
    other_material.items.add(catalogue.hall_item)
    other_material.material_names = "环境监测报告"
    other_material.save(update_fields=["material_names"])
    other_item = make_service("ZJ003", "水土保持方案编制")  # the material, but another item
    other_item.items.add(catalogue.bureau_item)
    other_item.material_names = MATERIAL
    other_item.save(update_fields=["material_names"])
    for n, service in enumerate((other_material, other_item)):
        qualified = [make_intermediary(10 + 2 * n + k, service, cast) for k in (0, 1)]
        contract_for(cast["company"], service, qualified)
    case = submit(cast, catalogue.hall_item, organisation=company, on="2026-10-13")
    assert material(case).status == "pending"
    assert not SuppliedReport.objects.exists()


def test_order716_art7_report_linked_to_one_case_serves_that_case_only(cast, catalogue, company,
                                                                       needed, agencies):
    first = submit(cast, catalogue.hall_item, organisation=company, on="2026-09-15")
    contract_for(cast["company"], needed, agencies, finish=True, case=first)
    assert material(first).status == "shared"
    second = submit(cast, catalogue.hall_item, organisation=company, on="2026-10-13")
    assert material(second).status == "pending"


def test_a_case_filed_for_a_day_before_the_report_was_accepted_does_not_get_it_on_filing(
        cast, catalogue, company, needed, agencies):
    contract_for(cast["company"], needed, agencies)  # accepted 10-12
    case = submit(cast, catalogue.hall_item, organisation=company, on="2026-10-09")
    assert material(case).status == "pending"
    assert len(attach_reports(case)) == 1  # without the day rule it would


def test_attaching_is_idempotent_and_leaves_a_clerks_check_alone(cast, catalogue, company,
                                                                 needed, agencies):
    case = submit(cast, catalogue.hall_item, organisation=company, on="2026-09-30")
    check(case, cast["clerk"], defective={MATERIAL: "比例尺不清"}, on="2026-09-30")
    contract_for(cast["company"], needed, agencies)
    assert material(case).status == "defective"
    assert attach_reports(case) == []
    assert not SuppliedReport.objects.exists()


# --- the pages ---------------------------------------------------------------------------

@pytest.fixture
def shared_case(cast, catalogue, company, needed, agencies):
    contract_for(cast["company"], needed, agencies)
    case, _created = case_services.case_submit(
        actor=cast["company"], item_id=catalogue.hall_item.pk, variant_code="01",
        applicant=case_services.ApplicantRef(organisation_id=company.pk),
        channel=Channel.ONLINE, at=at("2026-10-13"))
    return case


def test_clerk_sees_the_report_in_the_material_table_and_opens_it(client, cast, shared_case):
    log_in(client, cast["clerk"])
    page = client.get(reverse("cases:case", args=[shared_case.pk])).content.decode()
    assert "免提交（已通过中介超市共享获取）" in page
    m = material(shared_case)
    url = reverse("intermediaries_portal:case_report", args=[m.pk])
    assert url in page and hashlib.sha256(PDF).hexdigest() in page
    response = client.get(url)
    assert response.status_code == 200
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == (
        m.intermediary_report.report_sha256)


@pytest.mark.parametrize("who", ["company", "dept"])
def test_the_applicant_and_the_competent_department_open_the_report(client, cast, shared_case,
                                                                    who):
    log_in(client, cast[who])
    url = reverse("intermediaries_portal:case_report", args=[material(shared_case).pk])
    assert client.get(url).status_code == 200


def test_applicant_sees_free_of_submission_on_the_online_receipt(client, cast, shared_case):
    log_in(client, cast["company"])
    page = client.get(reverse("apply:receipt", args=[shared_case.pk])).content.decode()
    assert f"{MATERIAL}：免提交（已通过中介超市共享获取）" in page


@pytest.mark.parametrize("who", ["anonymous", "outsider", "applicant", "agency_operator",
                                 "other_dept", "catalog_admin", "sysadmin"])
def test_opening_the_report_is_refused_to_whoever_may_not_see_the_case(client, cast,
                                                                       shared_case, org,
                                                                       agencies, who):
    """Only those who may see the case open its report: not the intermediary that wrote it,
    not another applicant, not a department that is not competent, not the administrators."""
    url = reverse("intermediaries_portal:case_report", args=[material(shared_case).pk])
    if who == "anonymous":
        assert client.get(url).status_code == 302
        return
    user = {"agency_operator": agencies[0].users.first(),
            "other_dept": UserFactory(username="dev-officer", unit=org["dept-dev"],
                                      roles=[Role.DEPT_OFFICER])}.get(who) or cast[who]
    log_in(client, user)
    assert client.get(url).status_code == 404


def test_a_material_without_a_supplied_report_is_not_found(client, cast, shared_case):
    log_in(client, cast["clerk"])
    other = material(shared_case, "申请表")
    response = client.get(reverse("intermediaries_portal:case_report", args=[other.pk]))
    assert response.status_code == 404


# --- the online application (网上申请): no upload asked for what the marketplace supplies --

def _draft_to_materials(user, item, *, organisation=None, person=None):
    draft = online.draft_start(actor=user, item_id=item.pk, applicant=case_services.ApplicantRef(
        person_id=person.pk if person else None,
        organisation_id=organisation.pk if organisation else None))
    draft = online.draft_answer(actor=user, draft=draft, answers=[0])
    assert online.draft_save_form(actor=user, draft=draft, raw={
        "shop_name": "西山小厨", "area": "80", "business_scope": "热食类食品制售"}) == {}
    for m in online.draft_materials(draft):
        if m.shareable:
            online.draft_confirm_shared(actor=user, draft=draft, material_ids=[m.pk])
        elif m.name == "申请表":
            online.draft_attach(actor=user, draft=draft, material_id=m.pk,
                                upload=online_fixtures.pdf_upload("申请表.pdf"))
    return online.draft_set_delivery(actor=user, draft=draft, method="post",
                                     address="昆明市西山区前卫街道1号")


def test_order716_art7_online_form_asks_no_upload_for_the_report_and_the_case_gets_it(
        client, cast, company, needed, agencies, online_item):
    needed.items.add(online_item)
    contract = contract_for(cast["company"], needed, agencies)
    draft = _draft_to_materials(cast["company"], online_item, organisation=company)
    assert online.draft_supplied(draft) == {MATERIAL: "中介超市"}
    assert online.materials_missing(draft) == []
    log_in(client, cast["company"])
    for step in ("materials", "summary"):
        page = client.get(reverse("apply:step", args=[draft.pk, step])).content.decode()
        assert "免提交（已通过中介超市共享获取）" in page, step
    plan = next(m for m in online.draft_materials(draft) if m.name == MATERIAL)
    page = client.get(reverse("apply:step", args=[draft.pk, "materials"])).content.decode()
    assert f'id="file-{plan.pk}"' not in page  # no upload asked
    case = online.draft_submit(actor=cast["company"], draft=draft, at=at("2026-10-13"))
    m = material(case)
    assert m.status == "shared" and m.intermediary_report.contract == contract
    assert not m.files.exists()
    # the owner's page of the posting says where the report went
    page = client.get(reverse("intermediaries_portal:manage", args=[contract.posting_id]))
    assert f"已作为申请材料“{MATERIAL}”共享至办件 {case.number}，免提交" in page.content.decode()


def test_order716_art7_online_form_of_another_applicant_still_asks_for_the_material(
        cast, company, person, needed, agencies, online_item):
    needed.items.add(online_item)
    contract_for(cast["company"], needed, agencies)
    draft = _draft_to_materials(cast["applicant"], online_item, person=person)
    assert online.draft_supplied(draft) == {}
    assert online.materials_missing(draft) == [MATERIAL]
