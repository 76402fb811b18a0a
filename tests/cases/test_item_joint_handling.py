"""Joint handling set by the item (行政许可法 第26条, 第42条第二款): a case of an item version
whose law prescribes 统一办理, 联合办理 or 集中办理 is handled jointly from intake —
`joint`, `joint_kind` and `joint_source` = item — so its statutory clock counts 45 working
days from acceptance, and the bureau cannot mark it joint again.

Hand-worked against the 2026 schedule (中秋 09-25..09-27 and 国庆 10-01..10-07 rest; Sunday
09-20 and Saturday 10-10 are make-up working days). Accepted Monday 09-14, the working days
after it: 09-15..09-18 (4), Sun 09-20 (5), 09-21..09-24 (9), 09-28..09-30 (12), 10-08, 10-09
(14), Sat 10-10 (15), 10-12..10-16 (20), 10-19..10-23 (25), 10-26..10-30 (30), 11-02..11-06
(35), 11-09..11-13 (40), 11-16..11-20 (45): due Friday 11-20 — where 第42条第一款's 20
working days end on Friday 10-16. The promise (10 working days) ends Monday 09-28 either
way."""

from __future__ import annotations

import datetime as dt

import pytest

from oneseal.cases import services as svc
from oneseal.cases.models import CaseDocument, DocumentKind, JointKind
from oneseal.catalog import services as catalog_services
from oneseal.catalog.domain.enums import JOINT_HANDLING_LABELS, JointHandling
from oneseal.catalog.models import JOINT_HANDLING_CHOICES

from .conftest import BUREAU_CHAIN, MATERIALS, at
from .helpers import accepted, day, document_text, fresh, submit, unchanged, violates

pytestmark = pytest.mark.django_db

BASIS = "《某某条例》第十二条（由区人民政府组织有关部门联合办理）"


def _publish(org, *, joint_handling: str, basic_code: str = "000100091000"):
    """A bureau item (transferred, 第25条) whose law prescribes `joint_handling`."""
    bureau, dept = org["bureau"], org["dept-env"]
    draft = catalog_services.item_create(
        actor=None, implementing_unit=bureau, exercise_level=4, basic_code=basic_code,
        name="联合审批（测试）", item_type="licensing", competent_department=dept,
        acceptance_conditions="符合法定条件。", review_standard="符合审查标准。",
        statutory_limit_days=20, promised_limit_days=10, online_depth=3, visits_required=1,
        joint_handling=joint_handling, joint_handling_basis=BASIS if joint_handling else "")
    catalog_services.draft_set_rows(actor=None, version=draft, kind="legal_bases", rows=[
        {"law": "《中华人民共和国行政许可法》", "article": "第二十六条", "text": ""}])
    variant = catalog_services.variant_save(actor=None, version=draft, code="01", name="新办")
    catalog_services.variant_set_materials(actor=None, variant=variant, rows=MATERIALS)
    catalog_services.variant_set_steps(actor=None, variant=variant, rows=BUREAU_CHAIN)
    version = catalog_services.version_publish(
        actor=None, version=draft, valid_from=at("2019-01-01", 0))
    catalog_services.memo_save(
        actor=None, item=version.item, from_department=dept, to_unit=bureau,
        effective_on=dt.date(2019, 3, 31), approval_duty="审批", supervision_duty="监管")
    return version.item


@pytest.fixture
def joint_item(org):
    return _publish(org, joint_handling="unified")


def test_article_26_item_set_for_joint_handling_gives_cases_45_working_days(
        cast, person, joint_item):
    case = submit(cast, joint_item, person, on="2026-09-14")
    assert (case.joint, case.joint_kind, case.joint_source) == (True, "unified", "item")
    event = case.events.get(kind="submit")
    assert event.data["joint"] == {"kind": "unified", "source": "item"}
    case = accepted(cast, joint_item, person, on="2026-09-14")
    assert (case.joint, case.joint_kind, case.joint_source) == (True, "unified", "item")
    assert case.statutory_due == day("2026-11-20")
    assert case.promised_due == day("2026-09-28")


def test_article_26_acceptance_notice_of_an_item_joint_case_states_45_working_days(
        cast, person, joint_item):
    case = accepted(cast, joint_item, person, on="2026-09-14")
    text = document_text(CaseDocument.objects.get(case=case,
                                                  kind=DocumentKind.ACCEPTANCE_NOTICE))
    assert ("本事项依法统一办理，本机关将依照《中华人民共和国行政许可法》第二十六条、第四十二条"
            "第二款的规定在法定期限内作出行政许可决定。本事项法定办结时限为45个工作日，承诺办结"
            "时限为10个工作日") in text
    assert "法定办结时限为20个工作日" not in text


def test_article_26_intake_page_states_45_working_days_for_a_joint_item(
        client, cast, person, joint_item):
    from tests.login_helpers import log_in

    log_in(client, cast["clerk"])
    page = client.get("/workbench/cases/intake/new/",
                      {"person": person.pk, "item": joint_item.pk}).content.decode()
    assert "法定 45 个工作日（统一办理，《行政许可法》第四十二条第二款），承诺 10 个工作日" in page


def test_article_42_item_without_joint_handling_keeps_20_working_days(cast, person, org):
    """The same item handled alone: 20 working days from Monday 09-14 end Friday 10-16."""
    item = _publish(org, joint_handling="", basic_code="000100092000")
    case = accepted(cast, item, person, on="2026-09-14")
    assert (case.joint, case.joint_kind, case.joint_source) == (False, "", "")
    assert case.statutory_due == day("2026-10-16")
    assert case.promised_due == day("2026-09-28")
    text = document_text(CaseDocument.objects.get(case=case,
                                                  kind=DocumentKind.ACCEPTANCE_NOTICE))
    assert "第四十二条的规定在法定期限内作出行政许可决定。本事项法定办结时限为20个工作日" in text
    assert "第二十六条" not in text


def test_article_26_bureau_cannot_mark_a_case_of_a_joint_item_again(cast, person, joint_item):
    case = accepted(cast, joint_item, person, on="2026-09-14")
    for kind in ("joint", "centralised"):
        with unchanged(case), violates("already_joint") as err:
            svc.case_mark_joint(actor=cast["chief"], case=case, kind=kind,
                                reason="涉及多个部门。", at=at("2026-09-15"))
        assert "统一办理" in err.value.message
    after = fresh(case)
    assert (after.joint_kind, after.joint_source, after.statutory_due) == (
        "unified", "item", day("2026-11-20"))
    assert not after.events.filter(kind="mark_joint").exists()


def test_article_42_second_paragraph_item_joint_case_extension_needs_the_government(
        cast, person, joint_item):
    """A case joint by its item is extended as any joint case: at most 15 working days, with
    the approval of 本级人民政府负责人, never the head's own (第42条第二款)."""
    case = accepted(cast, joint_item, person, on="2026-09-14")
    svc.case_extension_request(actor=cast["reviewer"], case=case, days=15,
                               reason="需多部门联合踏勘。", at=at("2026-11-16"))
    with unchanged(case), violates("joint_extension_needs_government"):
        svc.case_extension_approve(actor=cast["head"], case=case, approve=True,
                                   at=at("2026-11-17"))


def test_article_26_the_catalogues_kinds_are_the_cases_kinds():
    """catalog may not import cases: its own list must name the same three kinds."""
    kinds = {k.value: k.label for k in JointKind}
    assert {j.value for j in JointHandling if j} == set(kinds)
    assert JOINT_HANDLING_LABELS == {k: str(label) for k, label in kinds.items()}
    assert {k: str(label) for k, label in JOINT_HANDLING_CHOICES if k} == {
        k: str(label) for k, label in kinds.items()}
