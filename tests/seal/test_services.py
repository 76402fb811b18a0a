"""The seal services: who may use the seal (law.md §12: only the head or a delegate), the
seal ledger (用印登记) and its audit events, idempotent signing."""

from __future__ import annotations

import datetime as dt
import hashlib
from types import SimpleNamespace

import pytest

from oneseal.core.audit_verify import verify_chain
from oneseal.core.models import AuditEvent
from oneseal.seal import services
from oneseal.seal.errors import SealForbidden, SealRuleViolation, SealSigningFailed
from oneseal.seal.models import SealDelegation, SealUse, SealUseState
from oneseal.seal.sign import verify_pdf
from oneseal.seal.storage import signed_path

from .helpers import BOX, make_pdf

D = dt.date


MARCH_1, MARCH_31 = D(2026, 3, 1), D(2026, 3, 31)


def _delegate(cast, seals, user="chief", start=MARCH_1, end=MARCH_31):
    return services.grant_delegation(actor=cast["head"], seal=seals["approval"],
                                     user=cast[user], valid_from=start, valid_to=end,
                                     note="局长出差期间")


def test_seal_for_returns_the_active_seal_of_the_kind(seals):
    assert services.seal_for("approval", D(2026, 5, 1)) == seals["approval"]
    assert services.seal_for("acceptance", D(2026, 5, 1)) == seals["acceptance"]


def test_seal_for_refuses_a_day_outside_the_seals_validity(seals):
    with pytest.raises(SealRuleViolation) as err:
        services.seal_for("approval", D(2023, 12, 31))
    assert err.value.code == "seal_not_initialised"


def test_law12_only_the_head_may_use_the_seal_without_a_delegation(cast, seals):
    seal = seals["approval"]
    allowed = {name for name, user in cast.items() if services.may_use(user, seal, D(2026, 3, 2))}
    assert allowed == {"head"}
    assert services.may_use(None, seal, D(2026, 3, 2)) is False


def test_law12_delegation_covers_its_first_and_last_day_only(cast, seals):
    _delegate(cast, seals)
    seal, chief = seals["approval"], cast["chief"]
    assert not services.may_use(chief, seal, D(2026, 2, 28))
    assert services.may_use(chief, seal, D(2026, 3, 1))
    assert services.may_use(chief, seal, D(2026, 3, 31))
    assert not services.may_use(chief, seal, D(2026, 4, 1))
    # a delegation of the approval seal does not cover the acceptance seal
    assert not services.may_use(chief, seals["acceptance"], D(2026, 3, 15))


def test_law12_revoked_delegation_no_longer_covers_any_day(cast, seals):
    delegation = _delegate(cast, seals)
    services.revoke_delegation(actor=cast["head"], delegation=delegation)
    assert not services.may_use(cast["chief"], seals["approval"], D(2026, 3, 15))
    kinds = list(AuditEvent.objects.filter(kind__startswith="seal.delegate")
                 .order_by("seq").values_list("kind", flat=True))
    assert kinds == ["seal.delegate", "seal.delegate_revoke"]
    with pytest.raises(SealRuleViolation) as err:
        services.revoke_delegation(actor=cast["head"], delegation=delegation)
    assert err.value.code == "already_revoked"


@pytest.mark.parametrize("who", ["chief", "sysadmin", "supervisor", "clerk", "outsider"])
def test_only_the_head_grants_or_revokes_delegations(cast, seals, who):
    with pytest.raises(SealForbidden):
        services.grant_delegation(actor=cast[who], seal=seals["approval"], user=cast["clerk"],
                                  valid_from=D(2026, 3, 1), valid_to=D(2026, 3, 2))
    assert not SealDelegation.objects.exists()
    delegation = _delegate(cast, seals)
    with pytest.raises(SealForbidden):
        services.revoke_delegation(actor=cast[who], delegation=delegation)
    delegation.refresh_from_db()
    assert delegation.revoked_at is None


def test_delegation_refuses_reversed_dates_and_non_staff(cast, seals):
    with pytest.raises(SealRuleViolation) as err:
        _delegate(cast, seals, start=D(2026, 3, 2), end=D(2026, 3, 1))
    assert err.value.code == "bad_dates"
    with pytest.raises(SealRuleViolation) as err:
        _delegate(cast, seals, user="applicant")
    assert err.value.code == "not_staff"
    assert not SealDelegation.objects.exists()


def test_authorise_use_by_a_delegate_on_a_covered_day(cast, seals):
    _delegate(cast, seals)
    use = services.authorise_use(actor=cast["chief"], seal=seals["approval"], key="document:1",
                                 title="准予行政许可决定书", on=D(2026, 3, 31))
    assert use.state == SealUseState.AUTHORISED and use.authorised_by == cast["chief"]
    event = AuditEvent.objects.get(kind="seal.authorise")
    assert event.subject == f"seal_use:{use.pk}"


def test_law12_authorise_use_refused_for_unauthorised_users(cast, seals):
    for name in ("chief", "clerk", "sysadmin", "applicant", "outsider"):
        with pytest.raises(SealForbidden):
            services.authorise_use(actor=cast[name], seal=seals["approval"], key="doc:1",
                                   title="x", on=D(2026, 3, 2))
    assert not SealUse.objects.exists()
    assert not AuditEvent.objects.filter(kind="seal.authorise").exists()


@pytest.mark.parametrize("state,outcome", [
    ("submitted", ""), ("accepted", ""), ("in_review", ""), ("decided", ""),
    ("refused", "refused_intake"),
])
def test_law12_seal_use_refused_for_an_undecided_case(cast, seals, state, outcome):
    case = SimpleNamespace(state=state, outcome=outcome, number="X-1")
    with pytest.raises(SealRuleViolation) as err:
        services.authorise_use(actor=cast["head"], seal=seals["approval"], key="licence:1",
                               case=case, title="许可证", require_decided=True,
                               on=D(2026, 3, 2))
    assert err.value.code == "case_not_decided"
    assert not SealUse.objects.exists()


def test_authorise_use_is_idempotent_by_key_whoever_asks(cast, seals):
    first = services.authorise_use(actor=cast["head"], seal=seals["approval"], key="licence:7",
                                   title="许可证", on=D(2026, 3, 2))
    again = services.authorise_use(actor=cast["outsider"], seal=seals["approval"],
                                   key="licence:7", title="别的", on=D(2026, 3, 2))
    assert again.pk == first.pk and again.title == "许可证"
    assert AuditEvent.objects.filter(kind="seal.authorise").count() == 1


def _signed_use(cast, seals, key="document:9"):
    use = services.authorise_use(actor=cast["head"], seal=seals["approval"], key=key,
                                 title="准予行政许可决定书 西审许〔2026〕12号")
    return services.sign_use(use, make_pdf(key), BOX, reason="准予行政许可")


def test_sign_use_records_the_ledger_and_the_audit_chain(cast, seals):
    source = make_pdf("document:9")
    use = _signed_use(cast, seals)
    assert use.state == SealUseState.SIGNED
    data = services.signed_pdf(use)
    assert hashlib.sha256(data).hexdigest() == use.signed_sha256
    assert use.source_sha256 == hashlib.sha256(source).hexdigest()
    assert use.signed_size == len(data) and use.certificate.seal == seals["approval"]
    event = AuditEvent.objects.get(kind="seal.use")
    assert event.seq == use.audit_seq and event.subject == f"seal_use:{use.pk}"
    payload = event.payload
    assert payload["signed_sha256"] == use.signed_sha256
    assert payload["seal_code"] == seals["approval"].code
    assert payload["authorised_by"] == "head"
    assert payload["certificate"] == use.certificate.fingerprint
    assert verify_chain().ok
    assert services.use_for_signed_hash(use.signed_sha256.upper()) == use
    assert verify_pdf(data).valid_overall


def test_sign_use_is_idempotent(cast, seals):
    use = _signed_use(cast, seals)
    again = services.sign_use(use, make_pdf("something else"), BOX, reason="x")
    assert again.signed_sha256 == use.signed_sha256
    assert AuditEvent.objects.filter(kind="seal.use").count() == 1
    assert SealUse.objects.count() == 1


def test_sign_use_failure_leaves_the_use_failed_and_retryable(cast, seals, settings, tmp_path,
                                                             seal_keys):
    use = services.authorise_use(actor=cast["head"], seal=seals["approval"], key="document:5",
                                 title="通知书")
    settings.ONESEAL_SEAL_DIR = tmp_path  # no key files there
    with pytest.raises(SealSigningFailed):
        services.sign_use(use, make_pdf(), BOX, reason="x")
    use.refresh_from_db()
    assert use.state == SealUseState.FAILED and use.attempts == 1 and use.last_error
    assert not AuditEvent.objects.filter(kind="seal.use").exists()
    settings.ONESEAL_SEAL_DIR = seal_keys
    retried = services.sign_use(use, make_pdf(), BOX, reason="x")
    assert retried.state == SealUseState.SIGNED and retried.attempts == 1


def test_signed_pdf_refuses_an_altered_file(cast, seals):
    use = _signed_use(cast, seals, key="document:11")
    path = signed_path(use.signed_sha256)
    original = path.read_bytes()
    try:
        altered = bytearray(original)
        altered[100] ^= 0x01
        path.write_bytes(bytes(altered))
        with pytest.raises(SealRuleViolation) as err:
            services.signed_pdf(use)
        assert err.value.code == "signed_file_missing"
    finally:
        path.write_bytes(original)


def test_signed_pdf_refuses_an_unsigned_use(cast, seals):
    use = services.authorise_use(actor=cast["head"], seal=seals["approval"], key="document:3",
                                 title="通知书")
    with pytest.raises(SealRuleViolation) as err:
        services.signed_pdf(use)
    assert err.value.code == "not_signed"


def test_sign_use_race_two_workers_sign_one_recorded(cast, seals, monkeypatch):
    """Signing runs before the row is locked, so two workers may both sign the same use;
    the one that locks second finds it signed and drops its bytes: one stored file, one
    ledger entry, one audit event, and the first worker's signature kept."""
    use = services.authorise_use(actor=cast["head"], seal=seals["approval"],
                                 key="document:77", title="准予行政许可决定书")
    real_sign = services.sign_pdf
    winner = {}

    def sign_while_another_worker_finishes(pdf, **kwargs):
        if not winner:  # the other worker signs and records the use meanwhile
            winner["use"] = "running"
            winner["use"] = services.sign_use(use, make_pdf("other"), BOX, reason="x")
        return real_sign(pdf, **kwargs)

    monkeypatch.setattr(services, "sign_pdf", sign_while_another_worker_finishes)
    result = services.sign_use(use, make_pdf("mine"), BOX, reason="x")
    assert result.signed_sha256 == winner["use"].signed_sha256
    assert AuditEvent.objects.filter(kind="seal.use").count() == 1
    assert result.source_sha256 == hashlib.sha256(make_pdf("other")).hexdigest()
    stored = list(signed_path(result.signed_sha256).parent.parent.rglob("*.pdf"))
    assert stored == [signed_path(result.signed_sha256)]
