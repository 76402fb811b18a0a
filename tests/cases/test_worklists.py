"""The workbench as staff use it (issue 14): the home's counts (待办 / 即将超期 / 已超期, each a
link to its list filtered so), the deadline each list shows with the working days left in
words (行政许可法 第82条; 第32条 five days for 待受理; a step's own limit for tasks), the
handler and the total, partial search by case number, and no risky defaults on a case page
(materials unchecked, opinions empty, secondary actions behind a disclosure).

Days worked by hand against the 2026 schedule (see `helpers.py`): 09-19 Saturday rest,
**Sunday 09-20 a make-up working day**, 09-25..09-27 Mid-autumn holiday, 10-01..10-07 National
Day holiday."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.utils import timezone

from oneseal.cases import services as svc
from oneseal.cases.due import days_left, due_window
from oneseal.cases.models import Case, CaseStep
from oneseal.cases.worklist import worklists
from oneseal.core.workcalendar.selectors import get_work_calendar
from tests.login_helpers import log_in

from .conftest import at
from .helpers import accepted, claim, current_step, day, submit


@pytest.fixture
def today():
    """The clock stands on Thursday 2026-09-24, the eve of the Mid-autumn holiday."""
    with time_machine.travel(at("2026-09-24"), tick=False):
        yield day("2026-09-24")


# --- the words (第82条: working days; 民法典 第201条: the start day not counted) ------------

def test_days_left_skips_the_mid_autumn_holiday_art_82(db, catalogue):
    calendar = get_work_calendar()
    # Thu 09-24 → Mon 09-28: 09-25..27 are holiday, so one working day is left (not two)
    assert days_left(day("2026-09-28"), day("2026-09-24"), calendar).text == "剩 1 个工作日"
    # Wed 09-30 → Fri 10-09: the National Day week counts nothing; 10-08 and 10-09 do
    left = days_left(day("2026-10-09"), day("2026-09-30"), calendar)
    assert (left.text, left.tone) == ("剩 2 个工作日", "ok")


def test_days_left_counts_the_sunday_make_up_day_when_overdue_art_82(db, catalogue):
    calendar = get_work_calendar()
    # due Fri 09-18; on Mon 09-21: Sat 09-19 rests, Sun 09-20 is worked (调休), Mon worked
    late = days_left(day("2026-09-18"), day("2026-09-21"), calendar)
    assert (late.text, late.tone) == ("超期 2 个工作日", "overdue")


def test_days_left_says_today_and_never_a_negative_number_art_82(db, catalogue):
    calendar = get_work_calendar()
    assert days_left(day("2026-09-24"), day("2026-09-24"), calendar).text == "今日到期"
    for due in ("2026-09-01", "2026-09-10", "2026-09-23"):
        text = days_left(day(due), day("2026-09-24"), calendar).text
        assert text.startswith("超期 ") and "-" not in text
    # a due date on a rest day just passed: overdue, without "超期 0"
    assert days_left(day("2026-09-18"), day("2026-09-19"), calendar).text == "已超期"


def test_soon_window_is_at_most_one_working_day_left_art_82(db, catalogue):
    """即将超期 = the yellow light: today or the next working day (Mon 09-28 after the
    holiday); the second working day after today (Tue 09-29) is no longer soon."""
    window = due_window(day("2026-09-24"), get_work_calendar())
    assert window.soon_before == day("2026-09-29")
    assert window.soon(day("2026-09-28")) and window.soon(day("2026-09-24"))
    assert not window.soon(day("2026-09-29")) and window.overdue(day("2026-09-23"))


# --- the home counts and the lists they link to ------------------------------------------

def _waiting_cases(cast, catalogue, person) -> dict[str, Case]:
    """Three applications received at the window with their 第32条 five-day points set:
    overdue (09-18), soon (09-28) and later (10-09)."""
    cases = {}
    for name, due in (("overdue", "2026-09-18"), ("soon", "2026-09-28"),
                      ("later", "2026-10-09")):
        case = submit(cast, catalogue.bureau_item, person)
        Case.objects.filter(pk=case.pk).update(correction_due=day(due))
        cases[name] = case
    return cases


def test_clerk_home_counts_waiting_by_the_five_day_point_and_links_to_the_list_art_32(
        client, cast, catalogue, person, today):
    cases = _waiting_cases(cast, catalogue, person)
    log_in(client, cast["clerk"])
    html = client.get("/workbench/").content.decode()
    block = re.search(r'data-worklist="waiting".*?</li>', html, re.S).group(0)
    counts = dict(re.findall(r'data-count="(\w+)">.*?<span class="count-n">(\d+)</span>',
                             block, re.S))
    assert counts == {"total": "3", "soon": "1", "overdue": "1"}
    links = dict(re.findall(r'href="([^"]+)" data-count="(\w+)"', block))
    assert set(links.values()) == {"total", "soon", "overdue"}
    by_kind = {kind: href.replace("&amp;", "&") for href, kind in links.items()}
    assert by_kind["overdue"] == "/workbench/cases/waiting/?due=overdue"

    overdue = client.get(by_kind["overdue"]).content.decode()
    assert cases["overdue"].number in overdue
    assert cases["soon"].number not in overdue and cases["later"].number not in overdue
    # due Fri 09-18, today Thu 09-24: 09-20 (调休) and 09-21..24 are working days → 5
    assert "超期 5 个工作日" in overdue and "共 1 件" in overdue
    soon = client.get(by_kind["soon"]).content.decode()
    assert cases["soon"].number in soon and "剩 1 个工作日" in soon
    everything = client.get(by_kind["total"]).content.decode()
    assert "共 3 件" in everything and "剩 5 个工作日" in everything  # 09-28..30, 10-08, 09
    assert not re.search(r"剩 -|超期 -|>-\d", everything)


def test_clerk_home_has_waiting_online_and_delivery_but_no_tasks(cast, catalogue, today):
    keys = [w.key for w in worklists(cast["clerk"])]
    assert keys == ["waiting", "online", "delivery"]
    assert [w.key for w in worklists(cast["reviewer"])] == ["mine", "open"]
    assert [w.key for w in worklists(cast["head"])] == ["mine", "open", "extensions"]
    assert [w.key for w in worklists(cast["supervisor"])] == ["running"]
    assert worklists(cast["applicant"]) == [] and worklists(cast["sysadmin"]) == []


def test_reviewer_counts_steps_by_their_own_due_date_and_the_list_shows_both_dues(
        client, cast, catalogue, person, today):
    case = accepted(cast, catalogue.bureau_item, person)
    step = current_step(case)
    CaseStep.objects.filter(pk=step.pk).update(due_on=day("2026-09-23"))
    [mine, open_] = worklists(cast["reviewer"])
    assert (open_.total, open_.soon, open_.overdue) == (1, 0, 1)
    assert (mine.total, mine.soon, mine.overdue) == (0, 0, 0)
    log_in(client, cast["reviewer"])
    html = client.get(open_.overdue_href).content.decode()
    assert case.number in html and "超期 1 个工作日" in html
    assert "环节期限" in html and "法定期限" in html and "待认领" in html
    claim(case, cast["reviewer"], "2026-09-24")
    html = client.get("/workbench/cases/tasks/?tab=mine").content.decode()
    assert str(cast["reviewer"]) in html  # the handler column names who holds the step


def test_head_counts_pending_extensions_and_the_link_lists_them_art_42(
        client, cast, catalogue, person, today):
    case = accepted(cast, catalogue.bureau_item, person)
    other = accepted(cast, catalogue.bureau_item, person)
    claim(case, cast["reviewer"], "2026-09-02")
    svc.case_extension_request(actor=cast["reviewer"], case=case, days=10,
                               reason="需要补充核查。", at=at("2026-09-03"))
    line = next(w for w in worklists(cast["head"]) if w.key == "extensions")
    assert line.total == 1
    log_in(client, cast["head"])
    html = client.get(line.href).content.decode()
    assert case.number in html and other.number not in html and "待批准延期" in html


def test_supervisor_counts_running_cases_by_the_promised_due_date(
        client, cast, catalogue, person, today):
    late = accepted(cast, catalogue.bureau_item, person)
    fine = accepted(cast, catalogue.bureau_item, person)
    Case.objects.filter(pk=late.pk).update(promised_due=day("2026-09-22"))
    Case.objects.filter(pk=fine.pk).update(promised_due=day("2026-10-20"))
    [running] = worklists(cast["supervisor"])
    assert (running.total, running.soon, running.overdue) == (2, 0, 1)
    log_in(client, cast["supervisor"])
    html = client.get(running.overdue_href).content.decode()
    assert late.number in html and fine.number not in html


# --- lists: partial search, handler, total ------------------------------------------------

def test_case_list_finds_a_case_by_the_last_digits_of_its_number(client, cast, catalogue,
                                                                  person, today):
    first = submit(cast, catalogue.bureau_item, person)
    second = submit(cast, catalogue.bureau_item, person)
    log_in(client, cast["supervisor"])
    html = client.get(f"/workbench/cases/?q={second.number[-4:]}").content.decode()
    assert second.number in html and first.number not in html and "共 1 件" in html
    whole = client.get(f"/workbench/cases/?q={first.number.lower()}").content.decode()
    assert first.number in whole and second.number not in whole
    log_in(client, cast["clerk"])
    waiting = client.get(f"/workbench/cases/waiting/?q={first.number[-3:]}").content.decode()
    assert first.number in waiting and second.number not in waiting


def test_case_list_shows_who_handles_each_case(client, cast, catalogue, person, today):
    case = accepted(cast, catalogue.bureau_item, person)
    log_in(client, cast["supervisor"])
    html = client.get("/workbench/cases/").content.decode()
    assert "待认领（审查）" in html
    claim(case, cast["reviewer"], "2026-09-24")
    html = client.get("/workbench/cases/").content.decode()
    assert f"{cast['reviewer']}（审查）" in html


# --- no risky defaults ---------------------------------------------------------------------

def test_materials_start_unchecked_and_refusal_sits_behind_a_disclosure_art_32(
        client, cast, catalogue, person, today):
    case = submit(cast, catalogue.bureau_item, person)
    log_in(client, cast["clerk"])
    html = client.get(f"/workbench/cases/{case.pk}/").content.decode()
    for material in case.materials.all():
        checked = re.search(rf'name="status-{material.pk}" value="[a-z_]+" checked', html)
        # a result recorded (营业执照 shared from the licence library at receipt) is shown;
        # a material not checked yet has no result chosen for the clerk
        assert bool(checked) == (material.status != "pending"), material.name
    assert case.materials.filter(status="pending").count() == 3
    details = re.search(r'<details class="more-actions"[^>]*>.*?</details>', html, re.S)
    assert details is not None and " open" not in details.group(0).split(">")[0]
    assert 'id="op-refuse"' in details.group(0) and 'id="op-withdraw"' in details.group(0)
    assert 'id="op-refuse"' not in html.replace(details.group(0), "")
    # a refusal without its reason (第38条) comes back with the disclosure open
    response = client.post(f"/workbench/cases/{case.pk}/do/refuse/", {"refuse-reason": ""})
    again = response.content.decode()
    assert re.search(r'<details class="more-actions" id="more-actions" open>', again)


def test_review_opinion_starts_empty_and_extension_is_behind_the_disclosure(
        client, cast, catalogue, person, today):
    case = accepted(cast, catalogue.bureau_item, person)
    claim(case, cast["reviewer"], "2026-09-24")
    log_in(client, cast["reviewer"])
    html = client.get(f"/workbench/cases/{case.pk}/").content.decode()
    assert 'name="complete_step-opinion" value="agree"' in html
    assert not re.search(r'name="complete_step-opinion" value="\w+"[^>]*checked', html)
    details = re.search(r'<details class="more-actions".*?</details>', html, re.S).group(0)
    assert 'id="op-extension_request"' in details and 'id="op-special_start"' in details
    assert 'id="op-complete_step"' not in details
    # submitting without an opinion is refused with a Chinese error, nothing completed
    response = client.post(f"/workbench/cases/{case.pk}/do/complete_step/",
                           {"complete_step-comment": ""})
    assert "这个字段是必填项" in response.content.decode()
    assert current_step(case).state == "claimed"
    assert timezone.localdate() == today
