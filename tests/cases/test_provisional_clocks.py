"""A case accepted in December 2026, before the 2027 schedule exists (law.md §1, 行政许可法
第82条): every date is set, the 2027 ones are provisional (暂定); entering the 2027 schedule
recomputes the case, lists what moved and records it on the case."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.core.management import call_command

from oneseal.cases.models import Case, CaseEvent, CaseStep, DocumentKind
from oneseal.core.workcalendar.schedule_format import parse_schedule
from oneseal.core.workcalendar.services import enter_year_and_recompute
from tests.login_helpers import log_in

from .conftest import at
from .test_api import Caller, all_good, create_body, ok

# The 2027 schedule used in the workbench calendar tests (hypothetical, for tests only):
# 元旦 01-01 to 01-03 with Saturday 01-09 a make-up working day.
SCHEDULE_2027 = """年份,2027
来源,国办发明电〔2026〕99号
放假,2027-01-01,2027-01-03,元旦
上班,2027-01-09,,元旦
放假,2027-02-06,2027-02-14,春节
上班,2027-02-20,,春节
放假,2027-10-01,2027-10-07,国庆节
"""
DAY = "2026-12-22"  # a Tuesday


@pytest.fixture
def api(client, cast) -> Caller:
    return Caller(client)


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _accept_through_the_api(api: Caller, catalogue, person) -> dict:
    created = ok(api.post("clerk", "/cases", create_body(catalogue.bureau_item, person)), 201)
    cid = created["id"]
    ok(api.post("clerk", f"/cases/{cid}/check-materials", {"results": all_good(created)}))
    return ok(api.post("clerk", f"/cases/{cid}/accept"))


def test_law_md_s1_case_accepted_in_december_has_every_date_and_2027_ones_provisional(
        api, cast, catalogue, person):
    with time_machine.travel(at(DAY), tick=False):
        detail = _accept_through_the_api(api, catalogue, person)
        again = ok(api.get("clerk", f"/cases/{detail['id']}"))
    # Worked by hand, accepted Tue 2026-12-22 (bureau item: statutory 20, promised 10, the
    # review step 审查 6 working days):
    # - promised: Dec 23, 24, 25 (3), 28–31 (7), [2027-01-01 元旦, provisional], Jan 4, 5, 6
    #   → 2027-01-06 (暂定);
    # - statutory: … Jan 4–8 (12), 11–15 (17), 18, 19, 20 → 2027-01-20 (暂定);
    # - step 审查: Dec 23, 24, 25, 28, 29, 30 → 2026-12-30 (official);
    # - correction notice clock, from receipt: Dec 23, 24, 25, 28, 29 → 2026-12-29.
    assert detail["accepted_on"] == DAY
    assert detail["promised_due"] == "2027-01-06"
    assert detail["statutory_due"] == "2027-01-20"
    assert detail["correction_due"] == "2026-12-29"
    assert detail["clock_provisional"] is True and detail["provisional_years"] == [2027]
    assert detail["provisional_dues"] == {"promised_due": [2027], "statutory_due": [2027]}
    assert detail["clock_error"] == ""
    clocks = {c["kind"]: c for c in detail["clocks"]}
    assert clocks["decision_promised"]["provisional"] is True
    assert clocks["correction"]["provisional"] is False
    step = next(s for s in detail["steps"] if s["state"] in ("open", "claimed"))
    assert step["due_on"] == "2026-12-30"
    assert again["clock_provisional"] is True and again["statutory_due"] == "2027-01-20"


def test_law_md_s1_minimal_answer_carries_the_provisional_flags(api, cast, catalogue, person):
    with time_machine.travel(at(DAY), tick=False):
        created = ok(api.post("clerk", "/cases", create_body(catalogue.bureau_item, person)),
                     201)
        cid = created["id"]
        ok(api.post("clerk", f"/cases/{cid}/check-materials", {"results": all_good(created)}))
        brief = ok(api.post("clerk", f"/cases/{cid}/accept",
                            headers={"Prefer": "return=minimal"}))
    assert set(brief) >= {"clock_provisional", "provisional_years", "provisional_dues"}
    assert brief["clock_provisional"] is True and brief["provisional_years"] == [2027]
    assert brief["promised_due"] == "2027-01-06"


def test_law_md_s1_entering_2027_recomputes_lists_moves_and_tells_the_applicant(
        api, cast, catalogue, person):
    with time_machine.travel(at(DAY), tick=False):
        detail = _accept_through_the_api(api, catalogue, person)
        row, created, reports = enter_year_and_recompute(
            actor=cast["sysadmin"], schedule=parse_schedule(SCHEDULE_2027))
    assert created and row.year == 2027
    (report,) = reports
    assert report.checked == 1
    moved = {m.what: m for m in report.moved}
    # With 01-09 a working day: statutory Jan 4–8 (12), 9 (13), 11–15 (18), 18, 19 → 01-19.
    assert moved["法定办结期限"].before == d("2027-01-20")
    assert moved["法定办结期限"].after == d("2027-01-19")
    assert moved["法定办结期限"].was_provisional and not moved["法定办结期限"].provisional
    assert moved["法定办结期限"].applicant_told
    # The promised date stays 01-06 but is no longer provisional: listed too.
    assert moved["承诺办结期限"].before == moved["承诺办结期限"].after == d("2027-01-06")
    assert moved["法定办结期限"].applicant == "张三"
    case = Case.objects.get(pk=detail["id"])
    assert case.statutory_due == d("2027-01-19") and case.promised_due == d("2027-01-06")
    assert case.clock_provisional is False and case.provisional_years == []
    event = CaseEvent.objects.filter(case=case, kind="clocks_recomputed").get()
    assert event.data["applicant_told"] is True
    assert event.data["changes"]["statutory_due"] == {
        "before": "2027-01-20", "after": "2027-01-19", "was_provisional": True,
        "provisional": False}
    assert event.audit_seq is not None


def test_law_md_s1_calendar_import_command_lists_the_moved_dates(cast, catalogue, person,
                                                                 tmp_path, capsys):
    from .helpers import accepted

    with time_machine.travel(at(DAY), tick=False):
        case = accepted(cast, catalogue.bureau_item, person, on=DAY)
        path = tmp_path / "2027.csv"
        path.write_text(SCHEDULE_2027, encoding="utf-8")
        call_command("calendar", "import", str(path))
    out = capsys.readouterr().out
    line = f"{case.number}（张三）法定办结期限：2027-01-20（暂定） → 2027-01-19，已告知申请人"
    assert line in out
    assert "在办件期限：已重新计算1件，2个期限发生变化。" in out


def test_law_md_s1_step_due_dates_know_they_are_provisional(cast, catalogue, person):
    from .helpers import accepted

    # Accepted Wed 2026-12-30: the 6-day review step counts Dec 31 (1), [Jan 1 元旦], Jan 4–8
    # (2–6) → Fri 2027-01-08, provisional.
    with time_machine.travel(at("2026-12-30"), tick=False):
        case = accepted(cast, catalogue.bureau_item, person, on="2026-12-30")
    step = CaseStep.objects.get(case=case, state__in=["open", "claimed"])
    assert step.due_on == d("2027-01-08") and step.due_provisional is True
    assert case.provisional_years == [2027]


def test_law_md_s1_documents_never_print_a_provisional_date(cast, catalogue, person):
    from oneseal.cases.pdf.texts import due_clause

    from .helpers import accepted

    with time_machine.travel(at(DAY), tick=False):
        case = accepted(cast, catalogue.bureau_item, person, on=DAY)
    notice = case.documents.get(kind=DocumentKind.ACCEPTANCE_NOTICE)
    context = notice.context if isinstance(notice.context, dict) else json.loads(notice.context)
    assert context["provisional_dues"]["promised_due"] == [2027]
    text = due_clause(context, "promised_due", "（承诺办结日期为%(due)s）")
    assert "2027年1月6日" not in text and "2027-01-06" not in text
    assert "以国务院办公厅公布的2027年节假日安排为准" in text
    assert "按工作日计算" in text


@pytest.mark.parametrize(("day", "who", "level"), [
    ("2026-12-03", "clerk", "blocking"),
    ("2026-12-03", "sysadmin", "blocking"),
    ("2026-11-10", "sysadmin", "warning"),
    ("2026-11-10", "clerk", None),
    ("2026-10-30", "sysadmin", None),
])
def test_law_md_s1_missing_year_banner_admins_from_november_everyone_in_december(
        client, cast, catalogue, day, who, level):
    log_in(client, cast[who])
    with time_machine.travel(f"{day} 09:00 +0800", tick=False):
        html = client.get("/workbench/").content.decode()
    if level is None:
        assert "data-calendar-banner" not in html
    else:
        assert f'data-calendar-banner="{level}"' in html
        assert "尚未录入2027年的放假调休安排" in html


def test_law_md_s1_banner_goes_once_the_year_is_entered(client, cast, catalogue):
    enter_year_and_recompute(actor=cast["sysadmin"], schedule=parse_schedule(SCHEDULE_2027))
    log_in(client, cast["clerk"])
    with time_machine.travel("2026-12-03 09:00 +0800", tick=False):
        html = client.get("/workbench/").content.decode()
    assert "data-calendar-banner" not in html
