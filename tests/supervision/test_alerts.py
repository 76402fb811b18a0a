"""Lights and alerts (电子监察): the yellow limit counted in working days (行政许可法 第82条,
民法典 第201条) with holidays and 调休 of the real 2026 schedule, and the sweep raising each
threshold crossing once, to the handler, the section chief and the supervisor.

The hall item's case accepted on Tuesday 2026-09-01 (promised limit 10 working days) is due
Tuesday 09-15; its review step (8 working days from 09-01) is due Friday 09-11."""

from __future__ import annotations

import datetime as dt

import pytest

from oneseal.core.workcalendar.selectors import get_work_calendar
from oneseal.supervision import alerts as svc
from oneseal.supervision.domain import alerts as rules
from oneseal.supervision.errors import SupervisionRefused
from oneseal.supervision.models import Alert, AlertDelivery, AlertState
from tests.cases.helpers import accepted

D = dt.date.fromisoformat


@pytest.fixture
def calendar(db):
    return get_work_calendar()


def test_yellow_limit_skips_the_national_day_holiday_art_82(calendar):
    # Wed 09-30, 1 day of warning: 10-01..10-07 are holidays, Thu 10-08 is the next
    # working day, so a case due 10-08 is already yellow; one due Fri 10-09 is green
    assert rules.yellow_until(calendar, D("2026-09-30"), 1) == D("2026-10-08")
    assert rules.light(calendar, D("2026-10-08"), D("2026-09-30"), 1) == rules.YELLOW
    assert rules.light(calendar, D("2026-10-09"), D("2026-09-30"), 1) == rules.GREEN


def test_yellow_limit_counts_the_make_up_sunday_art_82(calendar):
    # Fri 09-18: Sunday 09-20 is a make-up working day (调休), so it is the one working
    # day left before a case due 09-20; a case due Mon 09-21 has two left
    assert rules.yellow_until(calendar, D("2026-09-18"), 1) == D("2026-09-20")
    assert rules.light(calendar, D("2026-09-21"), D("2026-09-18"), 1) == rules.GREEN


def test_red_the_day_after_the_due_date_even_on_a_holiday_art_42(calendar):
    assert rules.light(calendar, D("2026-09-30"), D("2026-09-30"), 1) == rules.YELLOW
    assert rules.light(calendar, D("2026-09-30"), D("2026-10-01"), 1) == rules.RED


def test_share_of_the_limit_when_longer_than_the_days():
    limit = rules.Threshold(days=1, share=0.2)
    assert limit.warn_days(20) == 4  # 20 % of a 20-day limit
    assert limit.warn_days(3) == 1  # ceil(0.6) = 1: the days win
    assert rules.Threshold(days=2).warn_days(20) == 2
    with pytest.raises(ValueError):
        rules.Threshold(share=1.5)


def _case_alerts():
    return Alert.objects.filter(clock="case").order_by("id")


def test_sweep_raises_yellow_then_red_once_each_art_42(cast, catalogue, person):
    case = accepted(cast, catalogue.hall_item, person, on="2026-09-01")
    assert svc.sweep(today=D("2026-09-11")).raised == 1  # only the review step (due today)
    assert not _case_alerts().exists()
    first = svc.sweep(today=D("2026-09-14"))  # Mon: 1 working day left before Tue 09-15
    assert [(a.light, a.due) for a in _case_alerts()] == [("yellow", D("2026-09-15"))]
    assert first.by_light == {"yellow": 1, "red": 1}  # the step went red on Monday
    assert svc.sweep(today=D("2026-09-14")).raised == 0  # the same day again: nothing
    assert svc.sweep(today=D("2026-09-15")).raised == 0  # still yellow: nothing new
    assert svc.sweep(today=D("2026-09-16")).raised == 1  # overdue: red, once
    assert svc.sweep(today=D("2026-09-17")).raised == 0
    assert [(a.light, a.case_id) for a in _case_alerts()] == [("yellow", case.pk),
                                                              ("red", case.pk)]


def test_alert_told_to_handler_chief_and_supervisor(cast, catalogue, person):
    case = accepted(cast, catalogue.bureau_item, person, on="2026-09-01")
    case.refresh_from_db()
    svc.sweep(today=case.promised_due + dt.timedelta(days=1))
    alert = _case_alerts().get()
    told = set(AlertDelivery.objects.filter(alert=alert, channel="inbox")
               .values_list("user__username", "role"))
    # nobody claimed the review step: the clerk who accepted it handles it; the chief of
    # his section (the bureau) is told, and every supervisor
    assert told == {("clerk", "handler"), ("chief", "chief"), ("supervisor", "supervisor")}
    assert not AlertDelivery.objects.filter(user__username="outsider").exists()


def test_no_alert_for_a_paused_or_ended_case(cast, catalogue, person):
    case = accepted(cast, catalogue.hall_item, person, on="2026-09-01")
    from oneseal.cases.models import Case
    Case.objects.filter(pk=case.pk).update(clock_paused=True)
    assert svc.sweep(today=D("2026-09-30")).raised == 0
    Case.objects.filter(pk=case.pk).update(clock_paused=False, state="withdrawn")
    assert svc.sweep(today=D("2026-09-30")).raised == 0


def test_a_moved_due_date_is_a_new_crossing_art_42(cast, catalogue, person):
    case = accepted(cast, catalogue.hall_item, person, on="2026-09-01")
    from oneseal.cases.models import Case
    assert svc.sweep(today=D("2026-09-16")).by_light.get("red") == 2
    Case.objects.filter(pk=case.pk).update(promised_due=D("2026-09-29"))  # an extension
    assert svc.sweep(today=D("2026-09-16")).raised == 0  # green again
    assert svc.sweep(today=D("2026-09-30")).raised == 1  # red at the new due date
    assert _case_alerts().count() == 2


def test_acknowledge_then_close_with_a_note(cast, catalogue, person):
    accepted(cast, catalogue.hall_item, person, on="2026-09-01")
    svc.sweep(today=D("2026-09-16"))
    alert = _case_alerts().get()
    with pytest.raises(SupervisionRefused):
        svc.acknowledge(actor=cast["outsider"], alert_id=alert.pk)
    svc.acknowledge(actor=cast["supervisor"], alert_id=alert.pk)
    with pytest.raises(SupervisionRefused):
        svc.acknowledge(actor=cast["supervisor"], alert_id=alert.pk)
    with pytest.raises(SupervisionRefused):
        svc.close(actor=cast["supervisor"], alert_id=alert.pk, note="  ")
    svc.close(actor=cast["supervisor"], alert_id=alert.pk, note="已督促办理人当日办结。")
    alert.refresh_from_db()
    assert alert.state == AlertState.CLOSED and alert.note == "已督促办理人当日办结。"
    assert svc.sweep(today=D("2026-09-17")).raised == 0  # closed stays closed


def test_outbox_sends_sms_once_and_retries_when_down(cast, catalogue, person, monkeypatch):
    cast["supervisor"].phone = "13900000008"
    cast["supervisor"].save()
    accepted(cast, catalogue.hall_item, person, on="2026-09-01")
    svc.sweep(today=D("2026-09-16"))
    sent: list[str] = []

    def down(phone, text):
        raise svc.SmsError("gateway down")

    monkeypatch.setattr(svc, "send_sms", down)
    assert svc.deliver_alerts() == {"pending": 2}  # the case's and the step's
    monkeypatch.setattr(svc, "send_sms", lambda phone, text: sent.append(text))
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)
    assert svc.deliver_alerts(now=later) == {"sent": 2}
    assert svc.deliver_alerts(now=later) == {}
    assert any("超期" in text for text in sent)


def test_later_runs_of_a_day_look_only_at_due_dates_from_today_on(cast, catalogue, person):
    from oneseal.cases.models import Case
    case = accepted(cast, catalogue.hall_item, person, on="2026-09-01")
    first = svc.sweep(today=D("2026-09-14"))
    assert first.full and first.raised == 2  # the case's yellow, the step's red
    Case.objects.filter(pk=case.pk).update(promised_due=D("2026-09-14"))  # due today
    later = svc.sweep(today=D("2026-09-14"))
    assert not later.full and later.raised == 1  # a new due date: a new yellow
    Case.objects.filter(pk=case.pk).update(promised_due=D("2026-09-10"))  # into the past
    assert svc.sweep(today=D("2026-09-14")).raised == 0  # not looked at today...
    assert svc.sweep(today=D("2026-09-14"), full=True).by_light == {"red": 1}  # ...but fully
