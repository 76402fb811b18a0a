"""The PKCS#11 backend against a real software token (SoftHSM 2): the key store is chosen by
settings alone (law.md §12: a hardware device replaces the key file without code changes).

The session's approval key is imported into a fresh SoftHSM token with its certificate;
with ONESEAL_SEAL_BACKEND="pkcs11" and no key file in reach, signing goes through the token
and the result verifies as made with our seal."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from oneseal.core.models import AuditEvent
from oneseal.seal import keys, services
from oneseal.seal.errors import SealRuleViolation, SealSigningFailed
from oneseal.seal.models import SealUseState
from oneseal.seal.sign import verify_pdf

from .helpers import BOX, make_pdf

MODULE = "/usr/lib/softhsm/libsofthsm2.so"
TOKEN, PIN, SO_PIN = "oneseal-test", "246810", "13579111"


@pytest.fixture(scope="session")
def softhsm(tmp_path_factory, seal_keys):
    """A SoftHSM token holding the approval seal's key and certificate (label "approval").
    SOFTHSM2_CONF must be set before the module is first loaded in this process."""
    base = tmp_path_factory.mktemp("softhsm")
    (base / "tokens").mkdir()
    conf = base / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {base / 'tokens'}\nobjectstore.backend = file\n"
                    "log.level = ERROR\n")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    util = shutil.which("softhsm2-util")
    assert util, "softhsm2 is not installed (scripts/ensure-system-deps)"
    subprocess.run([util, "--init-token", "--free", "--label", TOKEN, "--pin", PIN,
                    "--so-pin", SO_PIN], check=True, capture_output=True)
    secret = (seal_keys / "passphrase").read_bytes().strip()
    loaded = pkcs12.load_pkcs12((seal_keys / "approval.p12").read_bytes(), secret)
    key_pem = base / "approval.key.pem"
    key_pem.write_bytes(loaded.key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    subprocess.run([util, "--import", str(key_pem), "--token", TOKEN, "--label", "approval",
                    "--id", "01", "--pin", PIN], check=True, capture_output=True)
    key_pem.unlink()
    import pkcs11
    from pkcs11 import Attribute, CertificateType, ObjectClass

    cert = loaded.cert.certificate
    token = pkcs11.lib(MODULE).get_token(token_label=TOKEN)
    with token.open(rw=True, user_pin=PIN) as session:
        session.create_object({
            Attribute.CLASS: ObjectClass.CERTIFICATE,
            Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
            Attribute.TOKEN: True, Attribute.LABEL: "approval", Attribute.ID: b"\x01",
            Attribute.SUBJECT: cert.subject.public_bytes(),
            Attribute.ISSUER: cert.issuer.public_bytes(),
            Attribute.VALUE: cert.public_bytes(serialization.Encoding.DER),
        })
    return base


@pytest.fixture
def pkcs11_settings(settings, seals, softhsm, tmp_path):
    settings.ONESEAL_SEAL_BACKEND = "pkcs11"
    settings.ONESEAL_SEAL_PKCS11_MODULE = MODULE
    settings.ONESEAL_SEAL_PKCS11_TOKEN = TOKEN
    settings.ONESEAL_SEAL_PKCS11_PIN = PIN
    settings.ONESEAL_SEAL_DIR = tmp_path / "no-key-files-here"
    keys.clear_signer_cache()
    yield settings
    keys.clear_signer_cache()


def test_law12_pkcs11_token_signs_by_settings_alone(cast, seals, pkcs11_settings):
    use = services.authorise_use(actor=cast["head"], seal=seals["approval"],
                                 key="licence:1", title="许可证")
    use = services.sign_use(use, make_pdf("许可证"), BOX, reason="准予行政许可")
    assert use.state == SealUseState.SIGNED
    result = verify_pdf(services.signed_pdf(use))
    assert result.valid_overall, result.problems
    assert result.certificate["fingerprint"] == use.certificate.fingerprint
    assert AuditEvent.objects.filter(kind="seal.use").count() == 1


def test_pkcs11_seal_without_a_key_on_the_token_fails_cleanly(cast, seals, pkcs11_settings):
    use = services.authorise_use(actor=cast["head"], seal=seals["acceptance"],
                                 key="document:1", title="受理通知书")
    with pytest.raises(SealSigningFailed):
        services.sign_use(use, make_pdf(), BOX, reason="受理")
    use.refresh_from_db()
    assert use.state == SealUseState.FAILED and use.attempts == 1


def test_pkcs11_wrong_pin_is_a_clear_error(seals, pkcs11_settings):
    pkcs11_settings.ONESEAL_SEAL_PKCS11_PIN = "000000"
    with pytest.raises(SealRuleViolation) as err:
        keys.signer_for(seals["approval"])
    assert err.value.code == "pkcs11_unavailable"
