"""Licence state transitions (law.md §7 and §11): 暂扣/恢复, 撤回 第8条, 撤销 第69条, 注销 第70条,
吊销 — each through its service with a reason, one LicenceEvent and one audit event, only
from the states that make sense, and only by the head or a section chief."""

from __future__ import annotations

import pytest

from oneseal.core.audit_verify import verify_chain
from oneseal.core.models import AuditEvent
from oneseal.licences import services
from oneseal.licences.errors import IllegalLicenceState, LicenceForbidden, LicenceRuleViolation
from oneseal.licences.models import Licence, LicenceEvent
from tests.conftest import CAST


def _changed(licence, op, service, actor, reason="依法处理。"):
    events, audit = LicenceEvent.objects.count(), AuditEvent.objects.count()
    result = service(actor=actor, licence=licence, reason=reason)
    assert LicenceEvent.objects.count() == events + 1
    assert AuditEvent.objects.count() == audit + 1
    event = LicenceEvent.objects.order_by("-id").first()
    row = AuditEvent.objects.order_by("-seq").first()
    assert row.kind == f"licence.{op}" and row.subject == f"licence:{licence.pk}"
    assert event.audit_seq == row.seq and event.actor == actor and event.reason == reason
    return result, event


def _snapshot(licence):
    row = Licence.objects.get(pk=licence.pk)
    return (row.state, row.state_reason, LicenceEvent.objects.count(),
            AuditEvent.objects.count())


def test_suspend_and_restore(cast, licence):
    row, event = _changed(licence, "suspend", services.suspend_licence, cast["chief"])
    assert row.state == "suspended" and (event.from_state, event.to_state) == (
        "valid", "suspended")
    row, event = _changed(licence, "restore", services.restore_licence, cast["head"])
    assert row.state == "valid" and event.operation == "restore"


def test_art8_withdrawal_cancels_with_article_8(cast, licence):
    row, event = _changed(licence, "withdraw", services.withdraw_licence, cast["head"],
                          reason="所依据的规划已修改（第8条）。")
    assert row.state == "cancelled" and event.legal_basis == "第8条"


def test_art69_revocation_from_suspended(cast, licence):
    services.suspend_licence(actor=cast["head"], licence=licence, reason="调查期间暂扣。")
    row, event = _changed(licence, "revoke", services.revoke_licence, cast["head"],
                          reason="以欺骗手段取得许可。")
    assert row.state == "revoked" and event.legal_basis == "第69条"
    assert event.from_state == "suspended"


@pytest.mark.parametrize("before", ["valid", "suspended", "expired", "revoked", "penalty"])
def test_art70_cancellation_from_every_state_but_cancelled(cast, licence, before):
    Licence.objects.filter(pk=licence.pk).update(state=before)
    row, event = _changed(licence, "cancel", services.cancel_licence, cast["head"],
                          reason="持证单位已注销。")
    assert row.state == "cancelled" and event.legal_basis == "第70条"
    assert event.from_state == before


def test_penalty_withdrawal_cites_administrative_penalty_law_article_9(cast, licence):
    """吊销 is a penalty: 《行政处罚法》第九条第（三）项, never 行政许可法 第70条."""
    row, event = _changed(licence, "penalise", services.penalise_licence, cast["chief"],
                          reason="行政处罚决定书 西环罚〔2026〕3号。")
    assert row.state == "penalty"
    assert event.legal_basis == "《行政处罚法》第九条第（三）项"
    audit = AuditEvent.objects.order_by("-seq").first()
    assert audit.payload["legal_basis"] == "《行政处罚法》第九条第（三）项"


def test_penalty_suspension_cites_administrative_penalty_law_article_9(cast, licence):
    """暂扣 is the same kind of penalty (《行政处罚法》第九条第（三）项)."""
    _row, event = _changed(licence, "suspend", services.suspend_licence, cast["chief"],
                           reason="行政处罚决定书 西环罚〔2026〕4号。")
    assert event.legal_basis == "《行政处罚法》第九条第（三）项"


@pytest.mark.parametrize(("before", "service", "label"), [
    ("valid", services.restore_licence, "恢复"),
    ("suspended", services.suspend_licence, "暂扣"),
    ("cancelled", services.cancel_licence, "注销"),
    ("revoked", services.revoke_licence, "撤销"),
    ("expired", services.withdraw_licence, "撤回"),
    ("penalty", services.suspend_licence, "暂扣"),
    ("expired", services.restore_licence, "恢复"),
])
def test_transitions_not_in_the_table_are_refused_naming_the_state(cast, licence, before,
                                                                    service, label):
    Licence.objects.filter(pk=licence.pk).update(state=before)
    before_snapshot = _snapshot(licence)
    with pytest.raises(IllegalLicenceState) as info:
        service(actor=cast["head"], licence=licence, reason="理由。")
    assert services.state_label(before) in info.value.message
    assert label in info.value.message and info.value.status == 409
    assert _snapshot(licence) == before_snapshot


def test_a_reason_is_required(cast, licence):
    before = _snapshot(licence)
    with pytest.raises(LicenceRuleViolation) as info:
        services.suspend_licence(actor=cast["head"], licence=licence, reason="  ")
    assert "原因" in info.value.message and info.value.code == "reason_required"
    assert _snapshot(licence) == before


@pytest.mark.parametrize("name", sorted(set(CAST) - {"head", "chief"}))
def test_only_head_and_chief_change_states(cast, licence, name):
    before = _snapshot(licence)
    with pytest.raises(LicenceForbidden):
        services.revoke_licence(actor=cast[name], licence=licence, reason="理由。")
    assert _snapshot(licence) == before


def test_change_state_by_name_and_the_chain_stays_intact(cast, licence):
    services.change_state(actor=cast["head"], licence=licence.pk, operation="suspend",
                          reason="暂扣。")
    assert Licence.objects.get(pk=licence.pk).state == "suspended"
    with pytest.raises(LicenceRuleViolation) as info:
        services.change_state(actor=cast["head"], licence=licence, operation="expire",
                              reason="x")
    assert info.value.code == "unknown_operation"
    assert verify_chain().ok
