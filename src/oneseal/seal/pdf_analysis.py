"""The CPU-heavy half of verifying a signed PDF (验章): parse the file with pyHanko and check
its last signature against given trust roots. No Django and no database here, so that it
can run in a helper process with a deadline (`oneseal.core.isolate`); `sign.verify_pdf`
adds what our database knows (which seal a certificate belongs to) and the Chinese words.

`precheck` is the cheap refusal before any parsing: a file that is too large, does not start
like a PDF, or has no end-of-file marker (``%%EOF``) in its last kilobyte is not worth
parsing — pyHanko reads a file without that marker backwards line by line, which costs
seconds on a crafted 20 MB upload.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

HEAD_BYTES = 1024
TAIL_BYTES = 1024

# precheck answers
OK = ""
TOO_LARGE = "too_large"
NOT_PDF = "not_pdf"
NO_EOF = "no_eof"

# analyse answers ("status")
UNPARSEABLE = "unparseable"
UNSIGNED = "unsigned"
BROKEN = "broken"
CHECKED = "checked"


def precheck(*, size: int, head: bytes, tail: bytes, max_bytes: int) -> str:
    """Refuse cheaply: `head` and `tail` are the file's first and last kilobyte."""
    if size > max_bytes:
        return TOO_LARGE
    if b"%PDF-" not in head[:HEAD_BYTES]:
        return NOT_PDF
    if b"%%EOF" not in tail[-TAIL_BYTES:]:
        return NO_EOF
    return OK


def _name(name: Any) -> list[list[str]]:
    """An X.509 name as [attribute, value] pairs, in the certificate's order."""
    pairs = []
    for rdn in name.chosen:
        for attribute in rdn:
            pairs.append([str(attribute["type"].native), str(attribute["value"].native)])
    return pairs


def _certificate(cert: Any) -> dict[str, Any]:
    return {
        "subject": cert.subject.human_friendly,
        "issuer": cert.issuer.human_friendly,
        "subject_parts": _name(cert.subject),
        "issuer_parts": _name(cert.issuer),
        "serial": format(cert.serial_number, "x"),
        "fingerprint": cert.sha256.hex(),
        "not_before": cert.not_valid_before.isoformat(),
        "not_after": cert.not_valid_after.isoformat(),
    }


def analyse(data: bytes, roots_der: list[bytes], moment_iso: str) -> dict[str, Any]:
    """Check the last signature of `data` against the trust roots (DER certificates) at
    the moment given. Returns plain values only; never raises on bad input."""
    if b"%PDF-" not in data[:HEAD_BYTES]:
        return {"status": NOT_PDF}
    try:
        return _analyse(data, roots_der, moment_iso)
    except Exception as exc:  # a malformed file is an answer, not a crash
        return {"status": UNPARSEABLE, "error": repr(exc)[:200]}


def _analyse(data: bytes, roots_der: list[bytes], moment_iso: str) -> dict[str, Any]:
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except Exception as exc:
        return {"status": UNPARSEABLE, "error": repr(exc)[:200]}
    if not signatures:
        return {"status": UNSIGNED}
    embedded = signatures[-1]
    context = ValidationContext(
        trust_roots=[asn1_x509.Certificate.load(der) for der in roots_der],
        allow_fetching=False, revocation_mode="soft-fail",
        moment=dt.datetime.fromisoformat(moment_iso))
    try:
        status = validate_pdf_signature(embedded, context)
    except Exception as exc:
        return {"status": BROKEN, "signatures": len(signatures), "error": repr(exc)[:200]}
    signing_time = getattr(status, "signer_reported_dt", None)
    coverage = status.coverage
    modification = status.modification_level
    return {
        "status": CHECKED,
        "signatures": len(signatures),
        "intact": bool(status.intact),
        "valid": bool(status.valid),
        "trusted": bool(status.trusted),
        "coverage": coverage.name.lower() if coverage is not None else "",
        "modification_level": modification.name.lower() if modification is not None else "",
        "signing_time": signing_time.isoformat() if signing_time else "",
        "certificate": _certificate(embedded.signer_cert),
        "byte_range": [int(n) for n in embedded.byte_range],
    }
