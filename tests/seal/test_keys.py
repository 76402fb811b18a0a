"""The seal keys (law.md §12: the private key never enters the database; the key store is
chosen by settings alone) and `init_seals` (oneseal seal init)."""

from __future__ import annotations

import stat

import pytest
from django.core.management import call_command

from oneseal.core.models import AuditEvent
from oneseal.seal import keys
from oneseal.seal.certs import maker_signature_ok
from oneseal.seal.errors import SealRuleViolation
from oneseal.seal.models import Seal, SealCertificate, SealMaker
from oneseal.seal.services import sign_use  # noqa: F401  (import check: no cycle)
from oneseal.seal.sign import sign_pdf, verify_pdf

from .helpers import BOX, make_pdf


@pytest.fixture
def fresh_dir(settings, tmp_path, bureau):
    settings.ONESEAL_SEAL_DIR = tmp_path / "seal"
    settings.ONESEAL_SEAL_PASSPHRASE = ""
    keys.clear_signer_cache()
    return settings.ONESEAL_SEAL_DIR


def _init(bureau, **kwargs):
    return keys.init_seals(bureau_name=bureau.name, bureau_code="11530112MB12345678", **kwargs)


def _mode(path):
    return stat.S_IMODE(path.stat().st_mode)


def test_init_creates_keys_files_and_rows_then_changes_nothing(fresh_dir, bureau):
    first = _init(bureau)
    assert first.changed
    assert {s.kind for s in first.seals} == {"approval", "acceptance"}
    approval = Seal.objects.get(kind="approval")
    assert approval.code == "53011200000001" and approval.unit == bureau
    assert approval.name == "西山区行政审批局行政审批专用章"
    assert Seal.objects.get(kind="acceptance").code == "53011200000002"
    files = {p.name: p.read_bytes() for p in fresh_dir.iterdir()}
    assert set(files) == {"passphrase", "maker.key.pem", "maker.pem", "approval.p12",
                          "acceptance.p12"}
    events = AuditEvent.objects.filter(kind="seal.init").count()
    second = _init(bureau)
    assert not second.changed
    assert any("没有任何改动" in line for line in second.lines())
    assert {p.name: p.read_bytes() for p in fresh_dir.iterdir()} == files
    assert Seal.objects.count() == 2 and SealCertificate.objects.count() == 2
    assert SealMaker.objects.count() == 1
    assert AuditEvent.objects.filter(kind="seal.init").count() == events == 2


def test_key_files_are_private(fresh_dir, bureau):
    _init(bureau)
    assert _mode(fresh_dir) == 0o700
    for name in ("passphrase", "maker.key.pem", "approval.p12", "acceptance.p12"):
        assert _mode(fresh_dir / name) == 0o600, name
    assert b"ENCRYPTED" in (fresh_dir / "maker.key.pem").read_bytes()


def test_private_keys_never_enter_the_database(fresh_dir, bureau):
    _init(bureau)
    for seal in Seal.objects.all():
        assert b"PRIVATE" not in bytes(seal.maker_signature)
        assert "PRIVATE" not in str(seal.seal_data)
    from cryptography import x509

    for der in SealCertificate.objects.values_list("der", flat=True):
        x509.load_der_x509_certificate(bytes(der))  # a certificate, nothing more


def test_seal_data_is_signed_by_the_maker(fresh_dir, bureau):
    _init(bureau)
    seal = Seal.objects.get(kind="approval")
    maker = SealMaker.objects.get()
    assert seal.seal_data["esID"] == seal.code
    prop = seal.seal_data["property"]
    assert prop["certList"] == [SealCertificate.objects.get(seal=seal).fingerprint]
    assert prop["name"] == seal.name and prop["type"] == 1
    assert maker_signature_ok(bytes(maker.der), seal.seal_data, bytes(seal.maker_signature))
    forged = dict(seal.seal_data, esID="53011299999999")
    assert not maker_signature_ok(bytes(maker.der), forged, bytes(seal.maker_signature))


def test_configured_passphrase_is_used_instead_of_a_file(fresh_dir, bureau, settings):
    settings.ONESEAL_SEAL_PASSPHRASE = "correct horse battery staple"
    _init(bureau)
    assert not (fresh_dir / "passphrase").exists()
    seal = Seal.objects.get(kind="approval")
    assert keys.signer_for(seal) is not None
    keys.clear_signer_cache()
    settings.ONESEAL_SEAL_PASSPHRASE = "wrong"
    with pytest.raises(SealRuleViolation) as err:
        keys.signer_for(seal)
    assert err.value.code == "bad_key_file"


def test_missing_key_file_is_a_clear_error(fresh_dir, bureau):
    _init(bureau)
    (fresh_dir / "approval.p12").unlink()
    with pytest.raises(SealRuleViolation) as err:
        keys.signer_for(Seal.objects.get(kind="approval"))
    assert err.value.code == "seal_not_initialised"


def test_signer_is_cached_per_process(seals):
    assert keys.signer_for(seals["approval"]) is keys.signer_for(seals["approval"])
    assert keys.signer_for(seals["approval"]) is not keys.signer_for(seals["acceptance"])


def test_unknown_backend_is_refused(seals, settings):
    settings.ONESEAL_SEAL_BACKEND = "usb-magic"
    with pytest.raises(SealRuleViolation) as err:
        keys.signer_for(seals["approval"])
    assert err.value.code == "bad_backend"


def test_force_makes_new_keys_and_old_documents_still_verify(fresh_dir, bureau):
    _init(bureau)
    seal = Seal.objects.get(kind="approval")
    old = sign_pdf(make_pdf(), seal=seal, signer=keys.signer_for(seal), box=BOX, reason="r",
                   location="l")
    report = _init(bureau, force=True)
    assert report.changed
    seal.refresh_from_db()
    assert seal.certificates.count() == 2
    assert len(seal.seal_data["property"]["certList"]) == 2
    new = sign_pdf(make_pdf(), seal=seal, signer=keys.signer_for(seal), box=BOX, reason="r",
                   location="l")
    assert verify_pdf(old).valid_overall and verify_pdf(new).valid_overall
    assert verify_pdf(old).certificate["fingerprint"] != \
        verify_pdf(new).certificate["fingerprint"]


def test_init_without_a_bureau_unit_is_refused(settings, tmp_path, db):
    settings.ONESEAL_SEAL_DIR = tmp_path / "seal"
    with pytest.raises(SealRuleViolation) as err:
        keys.init_seals(bureau_name="x", bureau_code="11530112MB12345678")
    assert err.value.code == "no_bureau"
    assert not Seal.objects.exists()


def test_seal_command_init_list_show(fresh_dir, bureau, capsys):
    call_command("seal", "init")
    out = capsys.readouterr().out
    assert "53011200000001" in out and "制章者证书指纹" in out
    call_command("seal", "init")
    assert "没有任何改动" in capsys.readouterr().out
    call_command("seal", "list")
    listing = capsys.readouterr().out
    assert "53011200000001" in listing and "53011200000002" in listing
    call_command("seal", "show", "53011200000001")
    shown = capsys.readouterr().out
    assert SealCertificate.objects.get(seal__code="53011200000001").fingerprint in shown
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("seal", "show", "nope")
