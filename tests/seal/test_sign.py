"""Signing and verifying PDFs (签章与验章, law.md §12): a signature binds the document's
hash, the seal's certificate and the time; any change after signing shows."""

from __future__ import annotations

import hashlib
import io
from datetime import UTC, datetime

import pytest
from django.utils import timezone

from oneseal.seal.keys import signer_for
from oneseal.seal.models import SealCertificate
from oneseal.seal.sign import sign_pdf as _sign_pdf
from oneseal.seal.sign import verify_pdf

from .helpers import BOX, append_page_content, foreign_signer, make_pdf


def sign(seal, pdf=None, **kwargs):
    return _sign_pdf(pdf or make_pdf(), seal=seal, signer=kwargs.pop("signer", None)
                     or signer_for(seal), box=BOX, reason="准予行政许可", location="西山区",
                     **kwargs)


@pytest.fixture
def signed(seals):
    return sign(seals["approval"])


def test_law12_sign_verify_round_trip(seals, signed):
    result = verify_pdf(signed)
    assert result.valid_overall, result.problems
    assert (result.is_pdf, result.signed, result.intact, result.valid, result.trusted,
            result.our_seal, result.unmodified) == (True,) * 7
    assert result.seal_code == seals["approval"].code
    assert result.seal_name == "西山区行政审批局行政审批专用章"
    cert = SealCertificate.objects.get(seal=seals["approval"])
    assert result.certificate["fingerprint"] == cert.fingerprint
    assert result.coverage == "entire_file" and result.modification_level == "none"
    assert result.signed_revision_sha256 == hashlib.sha256(signed).hexdigest()
    assert result.problems == ()
    data = result.as_dict()
    assert data["valid"] is True and data["signatures"] == 1


def test_signing_is_an_incremental_update_keeping_the_original_bytes(seals):
    original = make_pdf("keep me", pages=2)
    signed = sign(seals["acceptance"], original)
    assert signed.startswith(original)
    assert verify_pdf(signed).seal_code == seals["acceptance"].code


def test_signing_time_is_the_one_given(seals):
    at = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    result = verify_pdf(sign(seals["approval"], signing_time=at))
    assert result.signing_time.startswith("2026-03-02T09:30:00")
    assert result.valid_overall


@pytest.mark.parametrize("where", ["start", "first_range_end", "second_range"])
def test_law12_flipping_a_byte_of_the_signed_range_breaks_intact(signed, where):
    from pyhanko.pdf_utils.reader import PdfFileReader

    _start, len_a, off_b, _len_b = PdfFileReader(io.BytesIO(signed)).embedded_signatures[0] \
        .byte_range
    position = {"start": 20, "first_range_end": len_a - 30, "second_range": off_b + 40}[where]
    tampered = bytearray(signed)
    tampered[position] ^= 0x01
    result = verify_pdf(bytes(tampered))
    assert not result.valid_overall
    assert not result.intact or not result.is_pdf
    assert result.problems


def test_law12_content_appended_after_signing_is_reported(signed):
    changed = append_page_content(signed)
    result = verify_pdf(changed)
    assert result.signed and result.intact and result.our_seal
    assert result.unmodified is False
    assert result.valid_overall is False
    assert result.coverage != "entire_file"
    assert any("追加" in problem for problem in result.problems)


def test_trailing_bytes_after_signing_are_reported(signed):
    result = verify_pdf(signed + b"\n% appended\n")
    assert result.unmodified is False and not result.valid_overall


def test_a_pdf_signed_by_a_foreign_ca_is_not_ours(seals, tmp_path):
    signer, _ca = foreign_signer(tmp_path)
    result = verify_pdf(sign(seals["approval"], signer=signer))
    assert result.intact and result.valid
    assert result.trusted is False and result.our_seal is False
    assert result.seal_code == "" and not result.valid_overall


def test_a_trusted_certificate_not_listed_for_a_seal_is_not_our_seal(seals, signed):
    SealCertificate.objects.filter(seal=seals["approval"]).delete()
    result = verify_pdf(signed)
    assert result.trusted and not result.our_seal and not result.valid_overall


def test_a_revoked_seal_certificate_is_not_our_seal(seals, signed):
    SealCertificate.objects.filter(seal=seals["approval"]).update(revoked_at=timezone.now())
    result = verify_pdf(signed)
    assert result.trusted and not result.our_seal
    assert any("停用" in problem for problem in result.problems)


@pytest.mark.parametrize("data", [b"", b"hello world", b"%PDF-1.7\ngarbage", b"\x00" * 500,
                                  b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF"])
def test_garbage_is_not_a_pdf_and_never_raises(db, data):
    result = verify_pdf(data)
    assert result.valid_overall is False
    assert result.problems
    if not data.startswith(b"%PDF"):
        assert result.is_pdf is False


def test_truncated_signed_pdf_never_raises(signed):
    result = verify_pdf(signed[: len(signed) // 2])
    assert not result.valid_overall and result.problems


def test_unsigned_pdf_is_not_signed(db):
    result = verify_pdf(make_pdf())
    assert result.is_pdf and not result.signed and not result.valid_overall


def test_several_signatures_judge_the_last(seals, signed):
    twice = sign(seals["acceptance"], signed)
    result = verify_pdf(twice)
    assert result.signatures == 2 and result.seal_code == seals["acceptance"].code
    assert result.valid_overall


def test_verify_reads_the_database_at_most_twice(signed, django_assert_max_num_queries):
    verify_pdf(signed)  # warm the per-process cache of trust roots
    with django_assert_max_num_queries(2):
        assert verify_pdf(signed).valid_overall


def test_repeated_signing_does_not_carry_over_stamp_resources(seals):
    """Each signing gets a fresh stamp appearance: the output does not grow from one
    signing to the next (a shared appearance object would accumulate resources)."""
    sizes = [len(sign(seals["approval"])) for _ in range(4)]
    assert max(sizes) - min(sizes) < 16, sizes


def test_sign_and_verify_work_inside_a_running_event_loop(seals):
    import asyncio

    async def inside():
        signed = sign(seals["approval"])
        return signed

    signed = asyncio.run(inside())
    assert verify_pdf(signed).valid_overall


def test_signing_reserves_room_up_front_instead_of_a_trial_signature(seals, monkeypatch):
    """pyHanko is told how much room the signature needs (no trial signature: one CMS
    signature per document), and the result verifies."""
    from pyhanko.sign.signers import pdf_signer

    seen = []
    original = pdf_signer.PdfSigner.sign_pdf

    def spy(self, *args, **kwargs):
        seen.append(kwargs.get("bytes_reserved"))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(pdf_signer.PdfSigner, "sign_pdf", spy)
    data = sign(seals["approval"])
    assert len(seen) == 1 and seen[0] is not None and seen[0] % 2 == 0
    assert verify_pdf(data).valid_overall


def test_a_too_small_reservation_falls_back_to_pyhankos_measure(seals, monkeypatch):
    from oneseal.seal import sign as sign_module

    monkeypatch.setattr(sign_module, "_reserved_bytes", lambda signer: 512)
    data = sign(seals["approval"])
    assert verify_pdf(data).valid_overall
