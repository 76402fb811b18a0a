"""The supervision pages (电子监察): 时限监督, 超期预警, 异常监察, 差评整改, 审计记录, 监管日志.
The supervisor acts, the bureau head views, every other role is refused (403), anonymous
visitors go to the login page."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from oneseal.supervision import alerts as alert_service
from oneseal.supervision.models import Alert, AlertState, LogEntry
from tests.cases.helpers import accepted
from tests.login_helpers import log_in

VIEW_PAGES = ["supervision:board", "supervision:board_export", "supervision:alerts",
              "supervision:anomalies", "supervision:audit", "supervision:log"]
REFUSED = ["applicant", "company", "clerk", "reviewer", "chief", "dept", "catalog_admin",
           "sysadmin", "helper", "outsider"]


@pytest.mark.parametrize("who", REFUSED)
def test_supervision_pages_refused_to_other_roles(client, cast, who):
    log_in(client, cast[who])
    for name in VIEW_PAGES:
        assert client.get(reverse(name)).status_code == 403, name
    for name in ("supervision:anomaly_scan", "supervision:audit_check"):
        assert client.post(reverse(name)).status_code == 403, name
    assert client.post(reverse("supervision:log"), {"finding": "x"}).status_code == 403


def test_supervision_pages_need_login(client, db):
    for name in VIEW_PAGES:
        response = client.get(reverse(name))
        assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("who", ["supervisor", "head"])
def test_supervisor_and_head_see_every_page(client, cast, who):
    log_in(client, cast[who])
    for name in VIEW_PAGES:
        assert client.get(reverse(name)).status_code == 200, name


def test_head_may_view_but_not_write_the_log(client, cast):
    log_in(client, cast["head"])
    response = client.post(reverse("supervision:log"), {
        "found_on": "2026-09-01", "finding": "f", "told": "t", "action": "a"})
    assert response.status_code == 403
    assert not LogEntry.objects.exists()


def test_board_lights_counts_filters_and_excel(client, cast, catalogue, person,
                                               monkeypatch):
    overdue = accepted(cast, catalogue.hall_item, person, on="2026-09-01")  # due 09-15
    fresh = accepted(cast, catalogue.hall_item, person, on="2026-09-14")  # due 09-28
    monkeypatch.setattr("oneseal.supervision.board.today", lambda: dt.date(2026, 9, 16))
    log_in(client, cast["supervisor"])
    page = client.get(reverse("supervision:board"))
    assert page.context["counts"]["red"] == 1 and page.context["counts"]["green"] == 1
    rows = page.context["rows"]
    assert [r["case"].pk for r in rows] == [overdue.pk, fresh.pk]  # most urgent first
    assert rows[0]["light"] == "red" and rows[0]["left"] == "超期 1 个工作日"
    only_red = client.get(reverse("supervision:board"), {"light": "red"})
    assert [r["case"].pk for r in only_red.context["rows"]] == [overdue.pk]
    by_due = client.get(reverse("supervision:board"), {"due_from": "2026-09-20"})
    assert [r["case"].pk for r in by_due.context["rows"]] == [fresh.pk]
    by_number = client.get(reverse("supervision:board"), {"number": fresh.number[-4:]})
    assert fresh.pk in [r["case"].pk for r in by_number.context["rows"]]
    export = client.get(reverse("supervision:board_export"), {"light": "red"})
    sheet = load_workbook(io.BytesIO(export.content)).active
    values = [row for row in sheet.iter_rows(values_only=True)]
    assert values[2][0] == overdue.number and len(values) == 3


def test_alert_acknowledged_and_closed_from_my_alerts(client, cast, catalogue, person):
    accepted(cast, catalogue.hall_item, person, on="2026-09-01")
    alert_service.sweep(today=dt.date(2026, 9, 16))
    alert = Alert.objects.get(clock="case")
    clerk = cast["clerk"]  # he received it: nobody claimed the review step
    log_in(client, clerk)
    mine = client.get(reverse("supervision:my_alerts"))
    assert alert in mine.context["alerts"]
    client.post(reverse("supervision:alert_ack", args=[alert.pk]))
    alert.refresh_from_db()
    assert alert.state == AlertState.ACKNOWLEDGED
    client.post(reverse("supervision:alert_close", args=[alert.pk]), {"note": ""})
    alert.refresh_from_db()
    assert alert.state == AlertState.ACKNOWLEDGED  # a note is required
    client.post(reverse("supervision:alert_close", args=[alert.pk]), {"note": "已办结。"})
    alert.refresh_from_db()
    assert alert.state == AlertState.CLOSED and alert.closed_by == clerk


def test_alert_of_someone_else_is_not_found(client, cast, catalogue, person):
    accepted(cast, catalogue.hall_item, person, on="2026-09-01")
    alert_service.sweep(today=dt.date(2026, 9, 16))
    alert = Alert.objects.get(clock="case")
    log_in(client, cast["reviewer"])
    assert client.post(reverse("supervision:alert_ack", args=[alert.pk])).status_code == 404
    log_in(client, cast["applicant"])
    assert client.post(reverse("supervision:alert_ack", args=[alert.pk])).status_code == 403


def test_audit_page_filters_and_runs_the_check(client, cast, catalogue, person, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    case = accepted(cast, catalogue.hall_item, person, on="2026-09-01")
    log_in(client, cast["supervisor"])
    page = client.get(reverse("supervision:audit"), {"case": case.number})
    assert page.context["events"] and all(e.subject == f"case:{case.pk}"
                                          for e in page.context["events"])
    response = client.post(reverse("supervision:audit_check"), {"deep": "0"})
    assert response.status_code == 302 and "check=" in response["Location"]
    result = client.get(response["Location"])
    assert result.context["check"]["value"]["ok"] is True
    assert "核验通过" in result.content.decode()


def test_log_entry_written_once_and_chained(client, cast):
    log_in(client, cast["supervisor"])
    response = client.post(reverse("supervision:log"), {
        "found_on": "2026-09-01", "finding": "受理窗口超时未告知补正", "told": "综合受理科科长",
        "action": "约谈窗口人员并整改", "accountability": "remind", "responsible": "王五"})
    assert response.status_code == 302
    entry = LogEntry.objects.get()
    assert entry.audit_seq and entry.get_accountability_display() == "提醒谈话"
    bad = client.post(reverse("supervision:log"), {"found_on": "2026-09-01", "finding": ""})
    assert bad.status_code == 400 and LogEntry.objects.count() == 1
