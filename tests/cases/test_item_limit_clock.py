"""A case's statutory clock counts its item's own limit (行政许可法 第42条 "法律、法规另有
规定的，依照其规定"): `cases.clocks.compute` passes the version's unit, start and extension cap
to the statutory clock. Dates worked by hand on the 2026 calendar (国庆 10-01 to 10-07 rest,
10-10 a make-up Saturday)."""

from __future__ import annotations

import datetime as dt

from oneseal.cases import services
from oneseal.catalog import services as catalog_services

from .conftest import DEPT_CHAIN, MATERIALS, at

CHAIN = [{**step, "limit_days": 1} for step in DEPT_CHAIN]  # 3 steps within the promise


def _publish_days_item(dept, **limit):
    limit = limit or {
        "statutory_limit_days": 7, "statutory_limit_unit": "days",
        "statutory_limit_start": "receipt",
        "statutory_limit_basis": "《中华人民共和国建筑法》第八条", "extension_limit_days": 0,
        "extension_limit_basis": "《中华人民共和国建筑法》第八条（未规定延长）"}
    draft = catalog_services.item_create(
        actor=None, implementing_unit=dept, exercise_level=4, basic_code="000100081000",
        name="施工许可（测试）", item_type="licensing", competent_department=dept,
        acceptance_conditions="符合法定条件。", review_standard="符合审查标准。",
        promised_limit_days=3, online_depth=3, visits_required=1, **limit)
    catalog_services.draft_set_rows(actor=None, version=draft, kind="legal_bases", rows=[
        {"law": "《中华人民共和国建筑法》", "article": "第八条", "text": ""}])
    variant = catalog_services.variant_save(actor=None, version=draft, code="01", name="新办")
    catalog_services.variant_set_materials(actor=None, variant=variant, rows=MATERIALS)
    catalog_services.variant_set_steps(actor=None, variant=variant, rows=CHAIN)
    return catalog_services.version_publish(actor=None, version=draft,
                                            valid_from=at("2019-01-01", 0)).item


def test_jianzhufa_article_8_case_statutory_due_is_7_calendar_days_from_receipt(
        cast, org, person):
    """Received Mon 09-28, accepted Tue 09-29: seven days from receipt end on 10-05, a rest day
    of National Day, so on Thu 10-08 (民法典 第203条) — not on 10-14, the 7th working day after
    acceptance. The promise (3 working days from acceptance: 09-30, 10-08, 10-09) stays in
    working days."""
    item = _publish_days_item(org["dept-env"])
    case, _ = services.case_submit(actor=cast["clerk"], item_id=item.pk, variant_code="01",
                                   applicant=services.ApplicantRef(person_id=person.pk),
                                   at=at("2026-09-28"))
    services.case_check_materials(actor=cast["clerk"], case=case, at=at("2026-09-28"), results=[
        {"material": m.pk, "status": "ok" if m.required else "not_needed"}
        for m in case.materials.all() if not m.shareable])
    case = services.case_accept(actor=cast["clerk"], case=case, at=at("2026-09-29"))
    assert case.statutory_due == dt.date(2026, 10, 8)
    assert case.promised_due == dt.date(2026, 10, 9)
    assert case.clock_error == ""


def _accepted(cast, item, person, received="2026-09-28", accepted="2026-09-29"):
    case, _ = services.case_submit(actor=cast["clerk"], item_id=item.pk, variant_code="01",
                                   applicant=services.ApplicantRef(person_id=person.pk),
                                   at=at(received))
    services.case_check_materials(actor=cast["clerk"], case=case, at=at(received), results=[
        {"material": m.pk, "status": "ok" if m.required else "not_needed"}
        for m in case.materials.all() if not m.shareable])
    return services.case_accept(actor=cast["clerk"], case=case, at=at(accepted))


def test_article_42_no_extension_where_the_items_law_sets_the_limit_without_one(
        cast, org, person):
    """《建筑法》第8条 sets 7 days and no extension: a request is refused (and nothing is
    recorded) — 第42条's 10 working days do not apply ("法律、法规另有规定的，依照其规定")."""
    from oneseal.cases.models import ExtensionRequest

    from .helpers import unchanged, violates

    case = _accepted(cast, _publish_days_item(org["dept-env"]), person)
    with unchanged(case), violates("extension_not_allowed") as err:
        services.case_extension_request(actor=cast["dept"], case=case, days=1,
                                        reason="需补充材料。", at=at("2026-09-30"))
    assert "《中华人民共和国建筑法》第八条" in err.value.message
    assert not ExtensionRequest.objects.exists()


def test_article_42_extension_within_the_items_own_cap_of_5_working_days(cast, org, person):
    """食品经营许可: 10 working days, extendable by 5 (its own law): 6 is refused, 5 allowed."""
    from oneseal.cases.models import ExtensionRequest

    from .helpers import unchanged, violates

    item = _publish_days_item(
        org["dept-env"], statutory_limit_days=10,
        statutory_limit_basis="《食品经营许可和备案管理办法》第二十六条（待核实）",
        extension_limit_days=5,
        extension_limit_basis="《食品经营许可和备案管理办法》第二十六条（待核实）")
    case = _accepted(cast, item, person)
    with unchanged(case), violates("extension_over_cap") as err:
        services.case_extension_request(actor=cast["dept"], case=case, days=6,
                                        reason="需补充材料。", at=at("2026-09-30"))
    assert "最多延长5个工作日" in err.value.message
    services.case_extension_request(actor=cast["dept"], case=case, days=5,
                                    reason="需补充材料。", at=at("2026-09-30"))
    assert ExtensionRequest.objects.get(case=case).days == 5


def test_article_42_intake_page_states_the_items_own_limit_in_its_unit(client, cast, org,
                                                                      person):
    from tests.login_helpers import log_in

    item = _publish_days_item(org["dept-env"])
    log_in(client, cast["clerk"])
    page = client.get("/workbench/cases/intake/new/",
                      {"person": person.pk, "item": item.pk}).content.decode()
    assert "法定 7 日（自收到申请之日起，不得延长），承诺 3 个工作日" in page
