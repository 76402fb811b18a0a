"""Certificate helpers shared by keys.py, sign.py and the pages: fingerprints, readable
names, the maker's signature over a seal's data (GB/T 38540 签章者/制章者签名)."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec


def fingerprint(der: bytes) -> str:
    """Lowercase hex SHA-256 of a certificate's DER bytes."""
    return hashlib.sha256(der).hexdigest()


def name_text(name: x509.Name) -> str:
    """A distinguished name as RFC 4514 text, with Chinese left as is."""
    return name.rfc4514_string()


def cert_fields(der: bytes) -> dict[str, Any]:
    """The fields a SealCertificate row keeps of a certificate."""
    cert = x509.load_der_x509_certificate(der)
    return {
        "der": der,
        "fingerprint": fingerprint(der),
        "subject": name_text(cert.subject)[:300],
        "issuer": name_text(cert.issuer)[:300],
        "serial": format(cert.serial_number, "x"),
        "not_before": cert.not_valid_before_utc,
        "not_after": cert.not_valid_after_utc,
    }


def canonical_seal_json(data: dict[str, Any]) -> bytes:
    """The bytes the maker signs: JSON with sorted keys, no whitespace, UTF-8."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      default=_json_default).encode("utf-8")


def _json_default(value: Any) -> str:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def maker_sign(private_key: ec.EllipticCurvePrivateKey, data: dict[str, Any]) -> bytes:
    """ECDSA-SHA256 signature (DER) of the maker over the canonical seal data."""
    return private_key.sign(canonical_seal_json(data), ec.ECDSA(hashes.SHA256()))


def maker_signature_ok(maker_der: bytes, data: dict[str, Any], signature: bytes) -> bool:
    """True when `signature` is the maker's signature over `data` (tamper check of a
    seal's stored structure)."""
    try:
        public_key = x509.load_der_x509_certificate(maker_der).public_key()
        if not isinstance(public_key, ec.EllipticCurvePublicKey):
            return False
        public_key.verify(bytes(signature), canonical_seal_json(data),
                          ec.ECDSA(hashes.SHA256()))
    except (InvalidSignature, ValueError):
        return False
    return True
