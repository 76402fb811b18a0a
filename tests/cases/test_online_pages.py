"""The online application pages (/apply/): the walk from 在线办理 to the receipt, input kept
on error, drafts resumable and private, the receipt page and PDF, correcting online; and
every page refused to anonymous visitors, staff and other applicants, with nothing changed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from oneseal.cases import services as svc
from oneseal.cases.models import ApplicationDraft, Case, CaseFile
from oneseal.cases.services import online

from . import online_fixtures
from .helpers import at, check, fresh, material
from .online_fixtures import pdf_upload, ready_draft

online_item = online_fixtures.online_item  # the fixture

pytestmark = pytest.mark.django_db


def _client(client, user):
    client.force_login(user)
    return client


def test_walk_from_guide_to_receipt(client, cast, online_item, person):
    c = _client(client, cast["applicant"])
    guide = c.get(reverse("catalog:guide", args=[online_item.pk]))
    start_url = reverse("apply:start", args=[online_item.pk])
    assert start_url in guide.content.decode()
    response = c.post(start_url, {"applicant": "self"})
    draft = ApplicationDraft.objects.get()
    assert response["Location"] == reverse("apply:step", args=[draft.pk, "questions"])
    step = lambda name: reverse("apply:step", args=[draft.pk, name])  # noqa: E731
    assert c.post(step("questions"), {"q0": "0"}).status_code == 302
    wrong = c.post(step("form"), {"shop_name": "西山小厨", "area": "九十",
                                  "business_scope": "热食类食品制售"})
    assert wrong.status_code == 422
    body = wrong.content.decode()
    assert "“经营面积（平方米）”须为数字。" in body and 'value="九十"' in body
    assert c.post(step("form"), {"shop_name": "西山小厨", "area": "90",
                                 "business_scope": "热食类食品制售"}).status_code == 302
    page = c.get(step("materials")).content.decode()
    assert "已通过共享获取" in page and "电子营业执照（市场监管部门）" in page
    draft.refresh_from_db()
    for m in online.draft_materials(draft):
        if m.required and not m.shareable:
            assert c.post(step("materials"), {"action": "upload", "material": m.pk,
                                              "file": pdf_upload()}).status_code == 302
    shared = [m.pk for m in online.draft_materials(draft) if m.shareable]
    assert c.post(step("materials"), {"action": "next", "shared": shared}).status_code == 302
    assert c.post(step("delivery"), {"method": "pickup"}).status_code == 302
    response = c.post(step("summary"))
    case = Case.objects.get()
    assert response["Location"] == reverse("apply:receipt", args=[case.pk])
    receipt = c.get(response["Location"]).content.decode()
    assert case.number in receipt and case.query_code in receipt
    pdf = c.get(reverse("apply:receipt_pdf", args=[case.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert (case.channel, case.delivery_wanted) == ("online", "pickup")


def test_drafts_are_listed_and_resumed(client, cast, online_item, person):
    draft = online.draft_start(actor=cast["applicant"], item_id=online_item.pk,
                               applicant=svc.ApplicantRef(person_id=person.pk))
    c = _client(client, cast["applicant"])
    page = c.get(reverse("apply:drafts")).content.decode()
    assert reverse("apply:resume", args=[draft.pk]) in page
    response = c.get(reverse("apply:resume", args=[draft.pk]))
    assert response["Location"] == reverse("apply:step", args=[draft.pk, "questions"])


@pytest.fixture
def draft(cast, online_item, person):
    return ready_draft(cast["applicant"], online_item, person=person)


@pytest.fixture
def correcting(cast, online_item, person):
    case = online.draft_submit(actor=cast["applicant"],
                               draft=ready_draft(cast["applicant"], online_item, person=person),
                               at=at("2026-09-01"))
    check(case, cast["clerk"], defective={"场所平面图": "未标注设备布局"}, on="2026-09-02")
    svc.case_correction_notice(actor=cast["clerk"], case=case, at=at("2026-09-02"))
    return fresh(case)


def test_correction_page_shows_only_listed_materials_with_reason(client, cast, correcting):
    c = _client(client, cast["applicant"])
    url = reverse("apply:corrections", args=[correcting.pk])
    page = c.get(url).content.decode()
    assert "场所平面图" in page and "未标注设备布局" in page
    assert f'name="material" value="{material(correcting, "申请表").pk}"' not in page
    plan = material(correcting, "场所平面图")
    assert c.post(url, {"material": plan.pk, "file": pdf_upload()}).status_code == 302
    assert c.post(url, {"action": "submit"}).status_code == 302
    assert fresh(correcting).state == "received"


OTHERS = ["company", "clerk", "reviewer", "head", "helper", "outsider"]


@pytest.mark.parametrize("who", [*OTHERS, None])
def test_draft_pages_refused_to_others_and_nothing_changes(client, cast, draft, who):
    if who is not None:
        client.force_login(cast[who])
    before = ApplicationDraft.objects.values().get(pk=draft.pk)
    for name in ("questions", "form", "materials", "delivery", "summary"):
        url = reverse("apply:step", args=[draft.pk, name])
        assert client.get(url).status_code in (302, 403, 404)
        assert client.post(url, {"q0": "1", "method": "pickup"}).status_code in (302, 403, 404)
    assert client.post(reverse("apply:delete", args=[draft.pk])).status_code in (302, 403, 404)
    if who is None:  # anonymous: to the login page
        assert client.get(reverse("apply:drafts"))["Location"].startswith("/accounts/login")
    assert ApplicationDraft.objects.values().get(pk=draft.pk) == before
    assert not Case.objects.exists()


@pytest.mark.parametrize("who", [*OTHERS, None])
def test_case_pages_refused_to_others_and_nothing_changes(client, cast, correcting, who):
    if who is not None:
        client.force_login(cast[who])
    plan = material(correcting, "场所平面图")
    files = CaseFile.objects.count()
    for url in (reverse("apply:receipt", args=[correcting.pk]),
                reverse("apply:receipt_pdf", args=[correcting.pk]),
                reverse("apply:corrections", args=[correcting.pk])):
        assert client.get(url).status_code in (302, 403, 404)
    url = reverse("apply:corrections", args=[correcting.pk])
    assert client.post(url, {"material": plan.pk, "file": pdf_upload()}).status_code in (
        302, 403, 404)
    assert client.post(url, {"action": "submit"}).status_code in (302, 403, 404)
    assert CaseFile.objects.count() == files and fresh(correcting).state == "correcting"


def test_my_cases_lists_my_drafts_and_cases_to_correct_only(client, cast, online_item,
                                                           correcting, company):
    own = online.draft_start(actor=cast["applicant"], item_id=online_item.pk,
                             applicant=svc.ApplicantRef(person_id=correcting.person_id))
    other = online.draft_start(actor=cast["company"], item_id=online_item.pk,
                               applicant=svc.ApplicantRef(organisation_id=company.pk))
    page = _client(client, cast["applicant"]).get(reverse("portal:my_cases")).content.decode()
    assert "我的草稿" in page and reverse("apply:resume", args=[own.pk]) in page
    assert reverse("apply:resume", args=[other.pk]) not in page
    assert reverse("apply:corrections", args=[correcting.pk]) in page
