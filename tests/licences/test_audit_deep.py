"""`oneseal verify-audit --deep` and the daily anchors: the tables the pages show must agree
with the audit chain, and a head anchored in a signed file outside the database must stay in
the chain. Each tampering below is done behind the application's back (plain SQL updates)
and must be named by the check that catches it; an intact history reports nothing."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from oneseal.cases.models import Case, CaseEvent
from oneseal.core.audit_anchor import anchor_head, read_anchors
from oneseal.core.audit_deep import run_deep_checks
from oneseal.core.models import AuditChainHead
from oneseal.licences.signing import sign_pending
from oneseal.seal.models import SealUse
from oneseal.seal.storage import signed_path
from tests.core.audit_helpers import behind_the_back

from .conftest import granted


def _verify(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("verify_audit", "--jobs", "1", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def sealed_case(cast, catalogue, person, licence_type, seals):
    case = granted(cast, catalogue, person)
    assert sign_pending(case)
    case.refresh_from_db()
    assert case.state == "ready"
    return case


def _checks(findings) -> set[tuple[str, str]]:
    return {(f.check, f.subject) for f in findings}


def test_deep_audit_of_an_intact_history_finds_nothing(sealed_case):
    assert run_deep_checks() == []
    code, out, _err = _verify("--deep")
    assert code == 0 and "深度核对一致" in out and "audit chain intact" in out


def test_deep_audit_names_a_case_event_edited_behind_the_back(sealed_case):
    event = sealed_case.events.order_by("seq").first()
    CaseEvent.objects.filter(pk=event.pk).update(reason="改过的理由")
    findings = run_deep_checks()
    assert _checks(findings) == {("case_events", f"case:{sealed_case.pk}#{event.seq}")}
    assert "reason" in findings[0].detail
    code, _out, err = _verify("--deep")
    assert code == 1 and "[case_events]" in err and "1 disagreement" in err


def test_deep_audit_names_a_deleted_case_event_and_the_case_row_it_leaves(sealed_case):
    last = sealed_case.events.order_by("-seq").first()
    CaseEvent.objects.filter(pk=last.pk).delete()
    found = _checks(run_deep_checks())
    assert ("case_events", f"case:{sealed_case.pk}") in found  # its chain event is orphaned
    assert ("case_rows", f"case:{sealed_case.pk}") in found  # revision counts one more


def test_deep_audit_names_a_case_row_that_disagrees_with_its_events(sealed_case):
    Case.objects.filter(pk=sealed_case.pk).update(state="delivered")
    findings = run_deep_checks()
    assert _checks(findings) == {("case_rows", f"case:{sealed_case.pk}")}
    assert "delivered" in findings[0].detail and "ready" in findings[0].detail


def test_deep_audit_names_a_signed_document_that_disagrees_with_the_ledger(sealed_case):
    first, second = SealUse.objects.filter(case=sealed_case).order_by("pk")
    SealUse.objects.filter(pk=first.pk).update(signed_sha256=second.signed_sha256)
    signed_path(second.signed_sha256).write_bytes(b"%PDF-1.7 not what was signed")
    found = _checks(run_deep_checks())
    assert found == {("seal_ledger", f"seal_use:{first.pk}"),
                     ("seal_ledger", f"seal_use:{second.pk}")}


def test_deep_audit_names_a_ledger_row_reset_after_signing(sealed_case):
    use = SealUse.objects.filter(case=sealed_case).first()
    SealUse.objects.filter(pk=use.pk).update(state="authorised")
    findings = run_deep_checks()
    assert _checks(findings) == {("seal_ledger", f"seal_use:{use.pk}")}
    assert "no signed ledger row" in findings[0].detail


# --- anchors -----------------------------------------------------------------------------


def test_anchor_is_signed_with_the_approval_seal_and_checked_by_verify_audit(sealed_case):
    anchor = anchor_head()
    head = AuditChainHead.objects.get(pk=1)
    assert anchor is not None and anchor.method == "seal"
    assert (anchor.seq, anchor.hash) == (head.seq, head.hash)
    code, out, _err = _verify()
    assert code == 0
    assert f"newest seq {head.seq}" in out and "anchors last checked: never" in out
    code, out, _err = _verify()  # the second run says when anchors were last checked
    assert code == 0 and "anchors last checked: never" not in out


def test_anchor_file_edited_fails_its_signature(sealed_case, settings):
    anchor = anchor_head()
    path = settings.DATA_DIR / "audit-anchors" / anchor.file_name
    data = json.loads(path.read_text())
    data["seq"] -= 1
    path.write_text(json.dumps(data))
    assert read_anchors().bad_files == (anchor.file_name,)
    code, _out, err = _verify()
    assert code == 1 and anchor.file_name in err


def test_hmac_anchor_without_a_seal(db, settings):
    from tests.core.audit_helpers import fill

    fill(3)
    anchor = anchor_head()
    assert anchor is not None and anchor.method == "hmac-sha256" and anchor.seq == 3
    key = settings.DATA_DIR / "audit-anchor.key"
    assert key.stat().st_mode & 0o777 == 0o600
    assert [a.seq for a in read_anchors().anchors] == [3]


def test_chain_cut_below_an_anchored_head_fails_although_the_head_row_was_moved(db):
    """Rows cut from the end with the head row rewritten to match pass the chain's own check;
    the anchor written before still names the head they removed."""
    from tests.core.audit_helpers import fill, row

    fill(5)
    anchor_head()
    assert _verify()[0] == 0
    with behind_the_back() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE seq > 3")
        cursor.execute("UPDATE core_auditchainhead SET seq = 3, hash = %s WHERE id = 1",
                       [row(3)["hash"]])
    assert _verify("--no-anchor-files")[0] == 0  # the chain alone cannot tell
    code, _out, err = _verify()
    assert code == 1 and "seq 4" in err
