"""Independent validation (issue 6, "done means"): a document signed with our seal validates
with poppler's ``pdfsig`` and with pyHanko's command line trusting only the maker's
certificate; a flipped byte or a change appended after signing makes them say otherwise."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from oneseal.seal.keys import MAKER_CERT_FILE, signer_for
from oneseal.seal.sign import sign_pdf

from .helpers import BOX, append_page_content, make_pdf

PDFSIG = "/usr/bin/pdfsig"
PYHANKO = str(Path(sys.executable).with_name("pyhanko"))


@pytest.fixture
def files(seals, tmp_path):
    seal = seals["approval"]
    good = sign_pdf(make_pdf("许可证"), seal=seal, signer=signer_for(seal), box=BOX,
                    reason="准予行政许可", location="西山区")
    flipped = bytearray(good)
    flipped[len(good) // 4] ^= 0x01
    out = {"good": good, "flipped": bytes(flipped), "appended": append_page_content(good)}
    paths = {}
    for name, data in out.items():
        paths[name] = tmp_path / f"{name}.pdf"
        paths[name].write_bytes(data)
    return paths


def pdfsig(path: Path) -> str:
    done = subprocess.run([PDFSIG, str(path)], capture_output=True, text=True, timeout=30,
                          check=False)
    return done.stdout + done.stderr


def pyhanko_validate(path: Path, trust: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PYHANKO, "sign", "validate", "--no-revocation-check", "--trust-replace",
         "--trust", str(trust), str(path)],
        capture_output=True, text=True, timeout=60, check=False)


def test_pdfsig_reports_our_signature_valid_over_the_whole_document(files):
    report = pdfsig(files["good"])
    assert "Signature Validation: Signature is Valid." in report
    assert "CN=西山区行政审批局行政审批专用章" in report
    assert "Total document signed" in report
    assert "ETSI.CAdES.detached" in report


def test_pdfsig_reports_a_flipped_byte(files):
    report = pdfsig(files["flipped"])
    assert "Signature is Valid." not in report


def test_pdfsig_reports_content_appended_after_signing(files):
    report = pdfsig(files["appended"])
    assert "Total document signed" not in report
    assert "not total document signed" in report.lower()


def test_pyhanko_cli_trusts_our_signature_with_the_maker_certificate(files, seal_keys):
    done = pyhanko_validate(files["good"], seal_keys / MAKER_CERT_FILE)
    assert done.returncode == 0, done.stdout + done.stderr
    assert ":INTACT:TRUSTED,UNTOUCHED" in done.stdout


def test_pyhanko_cli_rejects_a_flipped_byte(files, seal_keys):
    done = pyhanko_validate(files["flipped"], seal_keys / MAKER_CERT_FILE)
    assert done.returncode != 0
    assert "INTACT:TRUSTED" not in done.stdout


def test_pyhanko_cli_reports_content_appended_after_signing(files, seal_keys):
    done = pyhanko_validate(files["appended"], seal_keys / MAKER_CERT_FILE)
    assert "UNTOUCHED" not in done.stdout, done.stdout


def test_pyhanko_cli_does_not_trust_it_without_our_maker(files, tmp_path):
    from cryptography.hazmat.primitives import serialization

    from .helpers import foreign_signer

    _signer, other_ca = foreign_signer(tmp_path)
    other = tmp_path / "other-ca.pem"
    other.write_bytes(other_ca.public_bytes(serialization.Encoding.PEM))
    done = pyhanko_validate(files["good"], other)
    assert "INTACT:TRUSTED" not in done.stdout
