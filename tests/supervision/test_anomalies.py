"""Anomaly rules (异常监察), one test per rule named with its article or reason. The case
services refuse these situations themselves, so each test makes the anomalous record the
way it would reach the database behind the services' back (a direct write, an import, a
manual fix), checks that the rule finds it with its evidence, and that a clean record
gives no hit. The daily scan records each hit once."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.utils import timezone

from oneseal.cases.models import Case, CaseEvent, CaseStep
from oneseal.core.models import AuditEvent
from oneseal.seal.models import SealUse
from oneseal.supervision import anomalies as rules
from oneseal.supervision.models import Anomaly, AnomalyState
from tests.cases.conftest import at
from tests.cases.helpers import accepted, decided
from tests.core.audit_helpers import behind_the_back, sql

TODAY = dt.date(2026, 10, 12)


def _event(case, kind, on, **extra):
    last = CaseEvent.objects.filter(case=case).order_by("-seq").first()
    return CaseEvent.objects.create(case=case, seq=last.seq + 1, kind=kind,
                                    on=dt.date.fromisoformat(on), at=at(on),
                                    actor=extra.pop("actor", None),
                                    actor_name=extra.pop("actor_name", ""),
                                    reason=extra.pop("reason", ""), data=extra)


def test_refusal_without_reasons_art_32_art_38(cast, catalogue, person):
    case = decided(cast, catalogue, person, outcome="refused")
    assert rules.refusal_without_reasons(TODAY) == []  # it gave its reasons
    Case.objects.filter(pk=case.pk).update(decision_reasons="")
    hits = rules.refusal_without_reasons(TODAY)
    assert [h.case_id for h in hits] == [case.pk]
    assert hits[0].evidence["number"] == case.number


def test_step_over_its_own_limit_art_42(cast, catalogue, person):
    accepted(cast, catalogue.hall_item, person, on="2026-09-01")
    assert rules.step_over_limit(TODAY) == []  # 受理 done on its day
    # through the services: the head's 批准 step (1 working day, due Fri 09-04) is only
    # completed with the decision on Mon 09-07
    case = decided(cast, catalogue, person)
    step = CaseStep.objects.get(case=case, name="批准")
    hits = rules.step_over_limit(TODAY)
    assert [h.key for h in hits] == [f"step:{step.pk}"]
    assert hits[0].evidence["due_on"] == "2026-09-04"
    assert hits[0].evidence["completed_on"] == "2026-09-07"


def test_decision_without_acceptance_art_32_art_37(cast, catalogue, person):
    case = decided(cast, catalogue, person)
    assert rules.decision_without_acceptance(TODAY) == []
    CaseEvent.objects.filter(case=case, kind="accept").update(kind="check_materials")
    hits = rules.decision_without_acceptance(TODAY)
    assert [h.case_id for h in hits] == [case.pk]


def test_event_dated_before_the_previous_one_back_dating(cast, catalogue, person):
    case = accepted(cast, catalogue.hall_item, person, on="2026-09-01")
    assert rules.events_out_of_order(TODAY) == []
    event = _event(case, "claim", "2026-08-20")  # after acceptance, dated before it
    hits = rules.events_out_of_order(TODAY)
    assert [h.key for h in hits] == [f"case:{case.pk}:seq:{event.seq}"]
    assert hits[0].evidence["previous_on"] == "2026-09-01"


def test_approval_seal_used_without_a_decided_case_art_38_art_39(cast, catalogue, person,
                                                                  seals):
    case = accepted(cast, catalogue.hall_item, person, on="2026-09-01")
    assert rules.seal_without_decision(TODAY) == []
    SealUse.objects.create(key="document:test", seal=seals["approval"], case=case,
                           title="准予行政许可决定书", authorised_by=cast["head"],
                           authorised_at=timezone.now())
    hits = rules.seal_without_decision(TODAY)
    assert [h.case_id for h in hits] == [case.pk]
    assert hits[0].evidence["title"] == "准予行政许可决定书"


def test_repeated_correction_notices_art_32_one_time_notice(cast, catalogue, person):
    case = accepted(cast, catalogue.hall_item, person, on="2026-09-01")
    _event(case, "correction_notice", "2026-09-02")
    assert rules.repeated_correction_notices(TODAY) == []  # one notice is the rule
    _event(case, "correction_notice", "2026-09-03")
    hits = rules.repeated_correction_notices(TODAY)
    assert [h.case_id for h in hits] == [case.pk]
    assert hits[0].evidence["dates"] == ["2026-09-02", "2026-09-03"]


def test_bulk_touches_outside_working_hours_internal_control(cast, catalogue, person,
                                                             monkeypatch):
    case = accepted(cast, catalogue.hall_item, person, on="2026-09-01")
    monkeypatch.setattr(rules, "BULK_TOUCHES", 2)
    now = timezone.now()
    late = timezone.localtime(now).replace(hour=23, minute=5)
    other = accepted(cast, catalogue.hall_item, person, on="2026-09-02")
    for c in (case, other):
        e = _event(c, "claim", "2026-09-03", actor=cast["reviewer"], actor_name="审查员")
        CaseEvent.objects.filter(pk=e.pk).update(at=late)
    hits = rules.bulk_outside_hours(TODAY)
    assert len(hits) == 1 and hits[0].evidence["count"] == 2
    CaseEvent.objects.filter(actor=cast["reviewer"]).update(at=late.replace(hour=10))
    if not rules.get_work_calendar().is_workday(late.date()):
        return  # a rest day is outside working hours all day: nothing more to check
    assert rules.bulk_outside_hours(TODAY) == []


def test_fee_charged_where_the_item_charges_none_art_58(cast, catalogue, person):
    case = accepted(cast, catalogue.hall_item, person, on="2026-09-01")
    assert case.version.fee_free
    _event(case, "claim", "2026-09-02", fee=0)
    assert rules.fee_where_none(TODAY) == []
    _event(case, "claim", "2026-09-03", fee=200)
    hits = rules.fee_where_none(TODAY)
    assert len(hits) == 1 and hits[0].evidence["fee"] == 200.0


def test_department_acting_on_a_transferred_item_art_25(cast, catalogue, person):
    case = accepted(cast, catalogue.bureau_item, person, on="2026-09-01")
    assert rules.acting_after_transfer(TODAY) == []  # the bureau's clerk accepted it
    _event(case, "complete_step", "2026-09-02", actor=cast["dept"], actor_name="部门人员")
    hits = rules.acting_after_transfer(TODAY)
    assert [h.case_id for h in hits] == [case.pk]
    assert hits[0].evidence["effective_on"] == "2019-03-31"


def test_verify_audit_failing_tamper_evident_record(cast, catalogue, person):
    accepted(cast, catalogue.hall_item, person, on="2026-09-01")
    assert rules.audit_chain_broken(TODAY) == []
    row = AuditEvent.objects.order_by("seq")[1]
    with behind_the_back(), connection.cursor() as cursor:
        sql(cursor, "UPDATE core_auditevent SET actor_name = %s WHERE id = %s",
            ["篡改者", row.pk])
    hits = rules.audit_chain_broken(TODAY)
    assert len(hits) == 1 and hits[0].evidence["seq"] == row.seq


def test_scan_records_each_hit_once_and_close_needs_a_note(cast, catalogue, person):
    case = accepted(cast, catalogue.hall_item, person, on="2026-09-01")
    _event(case, "correction_notice", "2026-09-02")
    _event(case, "correction_notice", "2026-09-03")
    assert rules.scan(today=TODAY, rules=["repeated_correction_notices"]) == {
        "repeated_correction_notices": 1}
    assert rules.scan(today=TODAY, rules=["repeated_correction_notices"]) == {}
    anomaly = Anomaly.objects.get()
    assert anomaly.owner == cast["supervisor"] and anomaly.evidence["notices"] == 2
    import pytest

    from oneseal.supervision.errors import SupervisionRefused
    with pytest.raises(SupervisionRefused):
        rules.close(actor=cast["supervisor"], anomaly_id=anomaly.pk, note="")
    rules.close(actor=cast["supervisor"], anomaly_id=anomaly.pk, note="系统导入重复，已核实。")
    anomaly.refresh_from_db()
    assert anomaly.state == AnomalyState.CLOSED
    assert rules.scan(today=TODAY, rules=["repeated_correction_notices"]) == {}
