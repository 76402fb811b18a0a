"""What /verify says about a tampered licence (issue 12, "Pages that mislead"): it said
"不是由本局的电子印章签署" while showing the bureau's own certificate, and ticked
"签署后未被改动". Now it says exactly what failed — the signature no longer matches the
bytes — ticks nothing that was not proven, and shows the certificate in Chinese with dates
in Beijing time."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from oneseal.licences.signing import sign_pending
from oneseal.seal.services import signed_pdf
from oneseal.seal.sign import verify_pdf

from .conftest import granted
from .test_verify import long_type

__all__ = ["long_type"]


@pytest.fixture(autouse=True)
def _fresh_throttle(db):
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def signed(cast, catalogue, person, long_type, seals):
    case = granted(cast, catalogue, person)
    sign_pending(case)
    licence = case.licences.get()
    licence.refresh_from_db()
    return licence, signed_pdf(licence.seal_use)


def _flip(data: bytes, at: int) -> bytes:
    out = bytearray(data)
    out[at] ^= 0x01
    return bytes(out)


def _page(client, data: bytes) -> str:
    response = client.post("/verify/", {"file": SimpleUploadedFile("l.pdf", data,
                                                                   "application/pdf")})
    assert response.status_code == 200
    return response.content.decode()


def _checks(html: str) -> str:
    return html.split('<ul class="checks">', 1)[1].split("</ul>", 1)[0]


def test_a_byte_changed_in_the_signed_range_says_the_signature_no_longer_matches(
        client, signed):
    licence, pdf = signed
    tampered = _flip(pdf, 20)  # inside the first signed byte range (a header comment)
    html = _page(client, tampered)
    checks = _checks(html)
    assert 'data-valid="false"' in html
    assert "签名与文件内容不再相符" in html
    # nothing unproven is claimed, in either direction
    assert "不是由本局的电子印章签署" not in html
    assert "✔" not in checks.split('data-check="intact"', 1)[1]
    assert "签署后未被改动" not in checks
    assert re.search(r'class="unknown" data-check="seal">？ 无法证明由哪枚印章签署', checks)
    # the certificate found in the file is shown as unproven
    assert "文件中附带的证书（未经证明）" in html
    assert "签名证书</h3>" not in html
    assert licence.seal_use.certificate.fingerprint in html


def test_the_engine_reports_only_the_mismatch_for_a_changed_signed_byte(signed):
    _licence, pdf = signed
    result = verify_pdf(_flip(pdf, 20))
    assert result.signed and not result.intact
    assert (result.our_seal, result.unmodified, result.valid_overall) == (False,) * 3
    assert result.seal_name == ""  # not proven, so not named
    assert len(result.problems) == 1 and "签名与文件内容不再相符" in result.problems[0]


def test_the_api_answer_for_a_changed_signed_byte_claims_nothing_unproven(client, signed):
    _licence, pdf = signed
    body = client.post("/api/v1/verify", {"file": SimpleUploadedFile(
        "l.pdf", _flip(pdf, 20), "application/pdf")}).json()
    assert body["valid"] is False
    assert body["details"]["intact"] is False and body["details"]["our_seal"] is False
    assert body["problems"] == [p for p in body["problems"] if "不是" not in p]
    assert any("签名与文件内容不再相符" in p for p in body["problems"])


def test_a_good_licence_shows_its_certificate_in_chinese_in_beijing_time(client, signed):
    _licence, pdf = signed
    html = _page(client, pdf)
    block = html.split("签名证书</h3>", 1)[1].split("</dl>", 1)[0]
    assert "单位：西山区行政审批局" in block and "名称：" in block and "国家或地区：CN" in block
    assert "Common Name" not in block and "Organization" not in block
    # the seals' certificates start 2024-01-01T00:00:00Z (tests/conftest.py): 08:00 in Beijing
    assert "自 2024-01-01 08:00:00（北京时间） 至" in block
    assert "+00:00" not in block and not re.search(r"\d{4}-\d\d-\d\dT\d\d", block)
    assert block.count("（北京时间）") == 3  # valid from, valid to, signed at


def test_beijing_time_of_a_utc_moment_worked_by_hand():
    from oneseal.licences.verification import beijing_time

    # 2026-09-07 16:30 UTC is 2026-09-08 00:30 in Beijing (UTC+8, no daylight saving)
    assert beijing_time("2026-09-07T16:30:00+00:00") == "2026-09-08 00:30:00（北京时间）"
    assert beijing_time("") == ""
