"""Pages: the public calculator (办理时限计算器) and the system administrators' calendar
pages, refused to every other role of the cast (行政许可法 第82条)."""

from __future__ import annotations

import pytest
import time_machine

from oneseal.core.models import AuditEvent
from oneseal.core.workcalendar.models import CalendarDay, CalendarYear
from tests.conftest import CAST
from tests.login_helpers import log_in

from .conftest import SCHEDULE_2027

pytestmark = pytest.mark.django_db
TOOL = "/tools/deadline/"
ADMIN_PAGES = ["/workbench/calendar/", "/workbench/calendar/new/", "/workbench/calendar/2026/"]
REFUSED = sorted(set(CAST) - {"sysadmin"})


def _snapshot():
    return (CalendarYear.objects.count(), CalendarDay.objects.count(), AuditEvent.objects.count())


def test_art82_calculator_page_renders_in_chinese(client, seeded):
    html = client.get(TOOL).content.decode()
    assert "办理时限计算器" in html and "起算日期" in html and "期限（工作日）" in html
    assert 'type="date"' in html and "计算结果" not in html


def test_art45_calculator_page_shows_due_date_and_explanation(client, seeded):
    response = client.get(TOOL, {"start": "2026-09-28", "days": "20",
                                 "suspend": "2026-10-12:2026-10-16:听证\r\n"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-due="2026-11-06"' in html
    assert "2026年10月12日至10月16日举行听证，依法不计算在期限内" in html
    assert "国庆节" in html and "调休工作日" in html


def test_art82_calculator_page_shows_chinese_errors(client, seeded):
    html = client.get(TOOL, {"start": "2040-01-02", "days": "20"}).content.decode()
    assert "工作日历未包含2040年的放假调休安排" in html and "data-due" not in html
    html = client.get(TOOL, {"start": "2026-12-15", "days": "20"}).content.decode()
    assert 'data-due="2027-01-13"' in html and "暂定" in html
    html = client.get(TOOL, {"start": "2026-09-28", "days": "20", "extend": "12"}).content.decode()
    assert "最多延长10个工作日" in html


def test_art82_calculator_page_extends_the_portal_layout(client, seeded):
    html = client.get(TOOL).content.decode()
    assert 'class="masthead"' in html and 'aria-current="page"' in html


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_art82_calendar_pages_open_for_a_verified_sysadmin(client, seeded, cast, url):
    log_in(client, cast["sysadmin"])
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "工作日历" in html and 'class="wb-main"' in html


@pytest.mark.parametrize("url", ADMIN_PAGES)
@pytest.mark.parametrize("name", REFUSED)
def test_art82_calendar_pages_refuse_every_other_role(client, seeded, cast, url, name):
    log_in(client, cast[name])
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("name", REFUSED)
def test_art82_calendar_post_by_other_roles_is_refused_and_writes_nothing(
        client, seeded, cast, name):
    log_in(client, cast[name])
    before = _snapshot()
    response = client.post("/workbench/calendar/new/", {"text": SCHEDULE_2027})
    assert response.status_code == 403
    assert _snapshot() == before


def test_art82_calendar_pages_need_the_second_factor(client, seeded, cast):
    log_in(client, cast["sysadmin"], verified=False)
    before = _snapshot()
    response = client.post("/workbench/calendar/new/", {"text": SCHEDULE_2027})
    assert response.status_code == 302 and "/otp" in response["Location"]
    assert client.get("/workbench/calendar/").status_code == 302
    assert _snapshot() == before


def test_art82_calendar_pages_send_anonymous_visitors_to_login(client, seeded):
    response = client.get("/workbench/calendar/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_art82_sysadmin_enters_a_year_on_the_page(client, seeded, cast):
    log_in(client, cast["sysadmin"])
    response = client.post("/workbench/calendar/new/", {"text": SCHEDULE_2027}, follow=True)
    html = response.content.decode()
    assert "已保存2027年安排，第1版。" in html
    row = CalendarYear.objects.get(year=2027)
    assert row.entered_by == cast["sysadmin"] and row.entered_via == "web"
    assert AuditEvent.objects.filter(kind="calendar.year_entered").count() == 1


def test_art82_sysadmin_corrects_a_year_and_sees_the_versions(client, seeded, cast):
    log_in(client, cast["sysadmin"])
    page = client.get("/workbench/calendar/2026/").content.decode()
    assert "放假,2026-10-01,2026-10-07,国庆节" in page  # the form holds the current schedule
    corrected = (client.get("/workbench/calendar/2026/").context["form"].initial["text"]
                 .replace("来源,chinesecalendar", "来源,国办发明电〔2025〕7号 chinesecalendar")
                 .replace("放假,2026-10-01,2026-10-07,国庆节", "放假,2026-10-01,2026-10-08,国庆节"))
    html = client.post("/workbench/calendar/2026/", {"text": corrected},
                       follow=True).content.decode()
    assert "已保存2026年安排，第2版。" in html and "版本记录" in html
    assert list(CalendarYear.objects.filter(year=2026).order_by("version")
                .values_list("version", "is_current")) == [(1, False), (2, True)]
    old = client.get("/workbench/calendar/2026/", {"version": "1"}).content.decode()
    assert "历史版本" in old


def test_art82_page_errors_name_lines_and_write_nothing(client, seeded, cast):
    log_in(client, cast["sysadmin"])
    before = _snapshot()
    bad = SCHEDULE_2027.replace("上班,2027-01-09,,元旦", "上班,2027-01-08,,元旦")
    html = client.post("/workbench/calendar/new/", {"text": bad}).content.decode()
    assert "安排有错误，未保存任何内容" in html
    assert "第5行：调休上班日2027-01-08是星期五，不是星期六或星期日。" in html
    assert _snapshot() == before
    other_year = client.post("/workbench/calendar/2026/", {"text": SCHEDULE_2027})
    assert "这里只能更正2026年的安排" in other_year.content.decode()
    assert _snapshot() == before


def test_art82_page_accepts_an_uploaded_file(client, seeded, cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    log_in(client, cast["sysadmin"])
    upload = SimpleUploadedFile("2027.csv", SCHEDULE_2027.encode("gb18030"), "text/csv")
    client.post("/workbench/calendar/new/", {"text": "", "file": upload})
    assert CalendarYear.objects.filter(year=2027, is_current=True).exists()


def test_art82_november_warning_that_next_year_is_missing(client, seeded, cast):
    log_in(client, cast["sysadmin"])
    with time_machine.travel("2026-11-02 09:00 +0800", tick=False):
        html = client.get("/workbench/calendar/").content.decode()
    assert "尚未录入2027年的放假调休安排" in html
    with time_machine.travel("2026-10-30 09:00 +0800", tick=False):
        html = client.get("/workbench/calendar/").content.decode()
    assert "尚未录入" not in html
