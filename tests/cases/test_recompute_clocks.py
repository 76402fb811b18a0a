"""Recomputing open cases after a calendar correction (行政许可法 第82条)."""

from __future__ import annotations

import datetime as dt

from django.core.management import call_command

from oneseal.cases import services
from oneseal.cases.services.clock_sync import recompute_open_cases
from oneseal.core.workcalendar.selectors import clear_calendar_cache, current_years, schedule_of
from oneseal.core.workcalendar.services import enter_year

from .conftest import at


def _accepted_case(cast, catalogue, person):
    case, _ = services.case_submit(actor=cast["clerk"], item_id=catalogue.bureau_item.pk,
                                   variant_code="01",
                                   applicant=services.ApplicantRef(person_id=person.pk),
                                   at=at("2026-09-01"))
    services.case_check_materials(actor=cast["clerk"], case=case, at=at("2026-09-01"), results=[
        {"material": m.pk, "status": "ok" if m.required else "not_needed"}
        for m in case.materials.all() if not m.shareable])
    return services.case_accept(actor=cast["clerk"], case=case, at=at("2026-09-02"))


def test_article_82_calendar_correction_moves_open_case_deadlines(cast, catalogue, person):
    case = _accepted_case(cast, catalogue, person)
    # Worked by hand: accepted Wed 2026-09-02, promised 10 working days: 09-03, 04, 07, 08, 09,
    # 10, 11, 14, 15, 16 → due Wed 2026-09-16.
    assert case.promised_due == dt.date(2026, 9, 16)
    year = next(y for y in current_years() if y.year == 2026)
    schedule = schedule_of(year)
    schedule.holidays[dt.date(2026, 9, 10)] = "更正测试"
    enter_year(actor=None, schedule=schedule)
    clear_calendar_cache()
    checked, changes = recompute_open_cases(today=dt.date(2026, 9, 3))
    assert checked == 1
    moved = {c.what: c for c in changes}
    # 09-10 is no longer a working day: the tenth working day is Thu 2026-09-17.
    assert moved["承诺办结期限"].before == dt.date(2026, 9, 16)
    assert moved["承诺办结期限"].after == dt.date(2026, 9, 17)
    case.refresh_from_db()
    assert case.promised_due == dt.date(2026, 9, 17)


def test_recompute_command_reports_counts(cast, catalogue, person, capsys):
    _accepted_case(cast, catalogue, person)
    call_command("recompute_clocks")
    assert "已重新计算 1 件在办件" in capsys.readouterr().out
