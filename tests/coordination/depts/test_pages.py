"""The 部门协同 pages: who may open each (anonymous → login; every refused role → 403 or
404), and the department's claim, supervision and joint-review opinion through the pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from oneseal.coordination import experts, review
from oneseal.coordination.common import Forbidden
from oneseal.coordination.models import ClaimTicket, ReviewInvitation
from oneseal.licences import services as licence_services
from tests.cases.helpers import accepted, bureau_to_final, decided
from tests.login_helpers import log_in


@pytest.fixture
def world(cast, catalogue, person, licence_type, org):
    case = decided(cast, catalogue, person, on="2026-09-07")
    licence_services.issue_licence(case=case, actor=cast["head"])
    ticket = ClaimTicket.objects.get(case=case)
    open_case = bureau_to_final(cast, accepted(cast, catalogue.bureau_item, person))
    inv = review.invite(actor=cast["chief"], case_id=open_case.pk,
                        department_id=org["dept-env"].pk, question="环保意见")
    row = experts.commit_draw(actor=cast["chief"], field="环境工程", count=1)
    return {"ticket": ticket, "case": open_case, "invitation": inv, "draw": row}


def _urls(w):
    return {
        "inbox": reverse("coordination_workbench:inbox"),
        "ticket": reverse("coordination_workbench:ticket", args=[w["ticket"].pk]),
        "case_review": reverse("coordination_workbench:case_review", args=[w["case"].pk]),
        "experts": reverse("coordination_workbench:experts"),
        "draw": reverse("coordination_workbench:draw", args=[w["draw"].pk]),
    }


def test_anonymous_goes_to_login(client, world):
    for name, url in _urls(world).items():
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response["Location"], name


REFUSED = {
    "inbox": ["applicant", "company", "clerk", "reviewer", "helper", "catalog_admin",
              "sysadmin", "outsider"],
    "ticket": ["applicant", "company", "clerk", "reviewer", "helper", "catalog_admin",
               "sysadmin", "outsider"],
    "case_review": ["applicant", "company", "clerk", "helper", "catalog_admin", "sysadmin",
                    "outsider"],
    "experts": ["applicant", "company", "clerk", "dept", "supervisor", "helper",
                "catalog_admin", "sysadmin", "outsider"],
    "draw": ["applicant", "company", "clerk", "dept", "supervisor", "helper",
             "catalog_admin", "sysadmin", "outsider"],
}


@pytest.mark.parametrize("page", sorted(REFUSED))
def test_refused_roles(client, cast, world, page):
    url = _urls(world)[page]
    for name in REFUSED[page]:
        client.logout()
        log_in(client, cast[name])
        assert client.get(url).status_code in (403, 404), (page, name)
        assert client.post(url, {"action": "claim"}).status_code in (403, 404), (page, name)


def test_dept_claims_supervises_and_gives_opinion(client, cast, world):
    log_in(client, cast["dept"])
    urls = _urls(world)
    page = client.get(urls["inbox"])
    assert page.status_code == 200
    text = page.content.decode()
    assert world["ticket"].title in text and "环保意见" in text
    assert client.post(urls["ticket"], {"action": "claim"}).status_code == 302
    assert ClaimTicket.objects.get(pk=world["ticket"].pk).claimed_by == cast["dept"]
    again = client.post(urls["ticket"], {"action": "claim"})
    assert again.status_code == 409 and "认领" in again.content.decode()
    assert client.post(urls["ticket"], {"action": "supervise", "measure": "inspection",
                                        "result": "compliant", "note": "现场检查正常"}
                       ).status_code == 302
    assert world["ticket"].records.get().note == "现场检查正常"
    response = client.post(urls["ticket"], {"action": "report", "kind": "fraud",
                                            "facts": "监测报告伪造"})
    assert response.status_code == 302
    report_url = response["Location"]
    assert "监测报告伪造" in client.get(report_url).content.decode()
    response = client.post(urls["case_review"], {
        "action": "opinion", "invitation": world["invitation"].pk, "opinion": "agree",
        "text": "同意，按环评批复执行。"})
    assert response.status_code == 302
    assert ReviewInvitation.objects.get(pk=world["invitation"].pk).opinion == "agree"
    # the department may not invite, nor handle the report
    client.post(urls["case_review"], {"action": "invite", "department": world[
        "invitation"].department_id, "question": "x"})
    assert ReviewInvitation.objects.count() == 1
    assert client.post(report_url, {"action": "procedure", "operation": "revoke",
                                    "reason": "x"}).status_code in (200, 403)
    from oneseal.licences.models import Licence
    assert Licence.objects.get(case=world["ticket"].case).state == "valid"


def test_chief_opens_revocation_from_the_page(client, cast, world):
    from oneseal.coordination import claims
    from oneseal.licences.models import Licence
    claims.claim(actor=cast["dept"], ticket_id=world["ticket"].pk)
    report = claims.report_problem(actor=cast["dept"], ticket_id=world["ticket"].pk,
                                   kind="fraud", facts="伪造材料")
    log_in(client, cast["chief"])
    url = reverse("coordination_workbench:report", args=[report.pk])
    assert "启动程序" in client.get(url).content.decode()
    response = client.post(url, {"action": "procedure", "operation": "revoke",
                                 "reason": "以欺骗手段取得，撤销。"})
    assert response.status_code == 302
    assert Licence.objects.get(pk=report.licence_id).state == "revoked"
    page = client.get(url).content.decode()
    assert "反馈问题" in page and "启动撤销程序" in page


def test_public_draw_page_and_recompute(client, cast, world):
    row = world["draw"]
    experts.save_expert(actor=cast["chief"], name="甲", field="环境工程", title="教授",
                        unit_name="云南大学", phone="13912345678")
    page = client.get(reverse("coordination_portal:public_draw", args=[row.pk]))
    assert page.status_code == 200
    assert row.commitment in page.content.decode() and row.seed not in page.content.decode()
    row = experts.run_draw(actor=cast["chief"], draw_id=row.pk)
    page = client.get(reverse("coordination_portal:public_draw", args=[row.pk])).content
    assert row.seed in page.decode() and "复核通过" in page.decode()
    response = client.post(reverse("coordination_portal:recompute"), {
        "seed": row.seed, "commitment": row.commitment,
        "eligible": ",".join(map(str, row.eligible_ids)), "count": row.count})
    assert "种子与摘要一致" in response.content.decode()
    log_in(client, cast["chief"])
    pool = client.get(reverse("coordination_workbench:experts")).content.decode()
    assert "13912345678" not in pool and "139****5678" in pool


def test_case_page_shows_who_owes_what(client, cast, world, org):
    url = reverse("cases:case", args=[world["case"].pk])
    log_in(client, cast["chief"])
    html = client.get(url).content.decode()
    section = html.split('id="joint-title"', 1)[1].split("</section>", 1)[0]
    assert org["dept-env"].name in section and "尚未出具" in section
    assert "联合审查尚待以下部门出具书面意见" in section
    log_in(client, cast["clerk"])
    html = client.get(url).content.decode()
    assert 'id="joint-title"' not in html


def test_item_policy_page_and_refused_roles(client, cast, catalogue, org):
    url = reverse("coordination_workbench:item_policies")
    assert client.get(url).status_code == 302
    for name in ("dept", "chief", "reviewer", "clerk", "supervisor", "applicant", "outsider",
                 "sysadmin", "helper"):
        log_in(client, cast[name])
        assert client.get(url).status_code == 403, name
        assert client.post(url, {}).status_code == 403, name
    with pytest.raises(Forbidden):  # the service refuses them too
        review.set_item_policy(actor=cast["chief"], item=catalogue.bureau_item)
    log_in(client, cast["catalog_admin"])
    response = client.post(url, {"item": catalogue.bureau_item.pk, "wait": "required",
                                 "opinion_days": 3, "special_area": "ecology",
                                 "sign_off": [org["dept-env"].pk], "upper_authority": ""})
    assert response.status_code == 302
    policy = review.policy_of(catalogue.bureau_item.pk)
    assert policy.special_area == "ecology" and policy.opinion_days == 3
    assert list(policy.sign_off_departments.all()) == [org["dept-env"]]
    response = client.post(url, {"item": catalogue.bureau_item.pk, "wait": "all",
                                 "opinion_days": 3, "special_area": "ecology"})
    assert "须指定必须会签的部门" in response.content.decode()


def test_meeting_pages(client, cast, world, org):
    url = reverse("coordination_workbench:meetings")
    for name in ("applicant", "company", "clerk", "helper", "catalog_admin", "sysadmin",
                 "outsider"):
        log_in(client, cast[name])
        assert client.get(url).status_code == 403, name
    log_in(client, cast["dept"])
    assert client.post(url, {"title": "x"}).status_code == 403
    log_in(client, cast["chief"])
    response = client.post(url, {
        "title": "水土保持联席会议", "held_on": "2026-09-08", "place": "三楼会议室",
        "agenda": "研究取土场选址", "departments": [org["dept-env"].pk],
        "participants": "审批局、环保局", "case_numbers": world["case"].number})
    assert response.status_code == 302
    meeting_url = response["Location"]
    response = client.post(meeting_url, {"minutes": "会议同意。",
                                         f"decision-{world['case'].pk}": "同意，补充监测。"})
    assert response.status_code == 302
    log_in(client, cast["dept"])
    page = client.get(meeting_url).content.decode()
    assert "同意，补充监测。" in page and "会议同意。" in page
    from tests.factories import UserFactory
    other = UserFactory(username="market-officer", unit=org["dept-market"],
                        roles=["dept_officer"])
    log_in(client, other)
    assert client.get(meeting_url).status_code == 404


def test_visit_page_schedule_photo_sign(client, cast, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from oneseal.coordination.models import SiteVisit
    from tests.cases.test_uploads import make_png
    url = reverse("coordination_workbench:case_visits", args=[world["case"].pk])
    assert client.get(url).status_code == 302
    for name in ("dept", "clerk", "supervisor", "applicant", "outsider", "helper",
                 "catalog_admin", "sysadmin"):
        log_in(client, cast[name])
        assert client.get(url).status_code == 403, name
    log_in(client, cast["reviewer"])
    one = client.post(url, {"action": "schedule", "scheduled_on": "2026-09-03",
                            "place": "厂区", "staff": [cast["reviewer"].pk]})
    assert "两名以上" in one.content.decode()
    assert client.post(url, {"action": "schedule", "scheduled_on": "2026-09-03",
                             "place": "厂区",
                             "staff": [cast["reviewer"].pk, cast["chief"].pk]}
                       ).status_code == 302
    visit = SiteVisit.objects.get()
    assert client.post(url, {"action": "photo", "visit": visit.pk, "caption": "设施",
                             "photo": SimpleUploadedFile("a.png", make_png())}
                       ).status_code == 302
    assert client.post(url, {"action": "sign", "visit": visit.pk,
                             "findings": "与申报一致。"}).status_code == 302
    visit.refresh_from_db()
    assert visit.signed_by == cast["reviewer"] and len(visit.record_sha256) == 64
    assert visit.record_sha256 in client.get(url).content.decode()


def test_forwarding_page_flow(client, cast, world, catalogue):
    from oneseal.catalog.models import ItemVersion
    ItemVersion.objects.filter(item=catalogue.bureau_item).update(item_type="review_forward")
    url = reverse("coordination_workbench:case_forwarding", args=[world["case"].pk])
    for name in ("dept", "reviewer", "clerk", "supervisor", "applicant", "outsider"):
        log_in(client, cast[name])
        assert client.get(url).status_code == 403, name
    log_in(client, cast["chief"])
    assert client.post(url, {"action": "start", "upper_authority": "昆明市生态环境局"}
                       ).status_code == 302
    assert client.post(url, {"action": "forward", "opinion": "材料齐全。"}).status_code == 302
    assert client.post(url, {"action": "receipt", "receipt_number": "R-1",
                             "received_on": "2099-01-01"}).status_code == 302
    page = client.get(url).content.decode()
    assert "R-1" in page and "登记上级决定" in page
