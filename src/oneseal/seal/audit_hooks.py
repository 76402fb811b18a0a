"""What the seal adds to the audit chain's verification (`core.audit_deep`,
`core.audit_anchor`):

- ``seal_ledger`` (``oneseal verify-audit --deep``): every signed use of a seal (用印登记) has
  its ``seal.use`` chain event with the same document hashes, seal, case and title, and its
  signed file is stored and still hashes to the ledger's value; every ``seal.use`` chain event
  has its signed ledger row (none deleted or reset);
- the signer of the audit anchors: the daily anchor file is signed with the key of the
  bureau's approval seal (行政审批专用章), verified with the certificate it carries, which
  must be registered as one of the bureau's seal certificates.
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Iterator

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from oneseal.core.audit_anchor import register_signer
from oneseal.core.audit_deep import Finding, chain_events, register_check

from .errors import SealError
from .keys import signer_for
from .models import SealCertificate, SealKind, SealUse, SealUseState
from .services import seal_for
from .sign import outside_event_loop
from .storage import read_signed

METHOD = "seal"
LEDGER_FIELDS = ("seal_code", "case", "title", "source_sha256", "signed_sha256")


def check_seal_ledger() -> Iterator[Finding]:
    chain = {seq: (subject, payload) for seq, kind, subject, payload
             in chain_events(kind_prefix="seal.use") if kind == "seal.use"}
    seen: set[int] = set()
    signed = (SealUse.objects.filter(state=SealUseState.SIGNED)
              .select_related("seal", "case").order_by("pk"))
    for use in signed.iterator(chunk_size=2_000):
        where = f"seal_use:{use.pk}"
        if use.audit_seq is None or use.audit_seq not in chain:
            yield Finding("seal_ledger", where, f"{use.key}: signed, but no chain event "
                          f"(audit_seq {use.audit_seq})")
        else:
            seen.add(use.audit_seq)
            subject, payload = chain[use.audit_seq]
            ours = {"seal_code": use.seal.code, "case": use.case.number if use.case else "",
                    "title": use.title, "source_sha256": use.source_sha256,
                    "signed_sha256": use.signed_sha256}
            wrong = [f for f in LEDGER_FIELDS if ours[f] != payload.get(f)]
            if subject != where:
                wrong.insert(0, "subject")
            if wrong:
                yield Finding("seal_ledger", where, f"{use.key}: differs from chain event "
                              f"{use.audit_seq} in {', '.join(wrong)}")
        if not use.signed_sha256 or read_signed(use.signed_sha256) is None:
            yield Finding("seal_ledger", where, f"{use.key}: signed file missing or altered "
                          f"({use.signed_sha256 or '-'})")
    for seq in sorted(chain.keys() - seen):
        subject, payload = chain[seq]
        yield Finding("seal_ledger", subject, f"chain event {seq} (signed "
                      f"{payload.get('signed_sha256', '')}) has no signed ledger row")


class SealAnchorSigner:
    """Signs audit anchors with the approval seal's key (PKCS#12 file or PKCS#11 device)."""

    def sign(self, message: bytes) -> dict[str, str] | None:
        try:
            seal = seal_for(SealKind.APPROVAL)
            signer = signer_for(seal)
        except SealError:
            return None  # no seal set up: the caller falls back to the HMAC
        raw = outside_event_loop(
            lambda: asyncio.run(signer.async_sign_raw(message, "sha256")))
        return {"method": METHOD, "seal": seal.code,
                "certificate": base64.b64encode(signer.signing_cert.dump()).decode(),
                "value": base64.b64encode(raw).decode()}

    def verify(self, message: bytes, signature: dict[str, str]) -> bool:
        try:
            cert = x509.load_der_x509_certificate(base64.b64decode(signature["certificate"]))
            value = base64.b64decode(signature["value"])
        except (KeyError, ValueError):
            return False
        fingerprint = cert.fingerprint(hashes.SHA256()).hex()
        if not SealCertificate.objects.filter(fingerprint=fingerprint).exists():
            return False
        key = cert.public_key()
        try:
            if isinstance(key, ec.EllipticCurvePublicKey):
                key.verify(value, message, ec.ECDSA(hashes.SHA256()))
            elif isinstance(key, rsa.RSAPublicKey):
                key.verify(value, message, padding.PKCS1v15(), hashes.SHA256())
            else:
                return False
        except InvalidSignature:
            return False
        return True


register_check("seal_ledger", check_seal_ledger)
register_signer(METHOD, SealAnchorSigner())
