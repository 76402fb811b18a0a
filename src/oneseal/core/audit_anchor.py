"""Anchors of the audit chain (审计链锚点): its head, written daily to a signed file outside
the database.

The chain proves that no row changed *provided the end of the chain is known* (see
`oneseal.core.audit`): someone who can write to the database could rewrite the whole chain
from some row on, head included. Once a day the worker's schedule (`core.schedule`) verifies
the chain and writes its head (seq and hash) to ``<ONESEAL_AUDIT_ANCHOR_DIR>/anchor-<seq>.json``
(default ``<ONESEAL_DATA_DIR>/audit-anchors``; copy the directory off the machine as well).
`oneseal verify-audit` reads every anchor there: a file whose signature fails, or an
anchored head the chain no longer contains, fails verification; it reports the newest anchor
and when anchors were last checked (``last-check.json`` in the same directory).

Each file is signed. With the bureau's approval seal set up, by the seal's own key (method
``seal``: the signer is supplied by the seal app, `oneseal.seal.audit_hooks`, found through
`autodiscover_modules`, so the core imports nothing above it); otherwise by an HMAC-SHA256
with a random key kept in ``<ONESEAL_DATA_DIR>/audit-anchor.key`` (mode 0600; method
``hmac-sha256``). The signed text is the canonical JSON of ``format``, ``seq``, ``hash`` and
``at``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from .models import AuditChainHead

logger = logging.getLogger(__name__)

FORMAT = "oneseal-audit-anchor-v1"
HMAC = "hmac-sha256"
LAST_CHECK = "last-check.json"


class AnchorSigner(Protocol):
    def sign(self, message: bytes) -> dict[str, str] | None:
        """The signature of `message` (with "method"), or None when it cannot sign."""

    def verify(self, message: bytes, signature: dict[str, str]) -> bool: ...


_signers: dict[str, AnchorSigner] = {}
_discovered = False


def register_signer(method: str, signer: AnchorSigner) -> None:
    """Called by an app's ``audit_hooks`` module (the seal app registers ``"seal"``)."""
    _signers[method] = signer


def _discover() -> None:
    global _discovered
    if not _discovered:
        autodiscover_modules("audit_hooks")
        _discovered = True


def anchor_dir() -> Path:
    configured = getattr(settings, "ONESEAL_AUDIT_ANCHOR_DIR", "")
    return Path(configured) if configured else Path(settings.DATA_DIR) / "audit-anchors"


def _hmac_key() -> bytes:
    path = Path(settings.DATA_DIR) / "audit-anchor.key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(secrets.token_hex(32))
    return _hmac_key()


class HmacSigner:
    def sign(self, message: bytes) -> dict[str, str]:
        mac = hmac.new(_hmac_key(), message, hashlib.sha256).digest()
        return {"method": HMAC, "value": base64.b64encode(mac).decode()}

    def verify(self, message: bytes, signature: dict[str, str]) -> bool:
        expected = hmac.new(_hmac_key(), message, hashlib.sha256).digest()
        try:
            given = base64.b64decode(signature.get("value", ""), validate=True)
        except ValueError:
            return False
        return hmac.compare_digest(expected, given)


def _message(seq: int, head_hash: str, at: str) -> bytes:
    body = {"format": FORMAT, "seq": seq, "hash": head_hash, "at": at}
    return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()


@dataclass(frozen=True)
class Anchor:
    seq: int
    hash: str
    at: str
    method: str
    file_name: str


def anchor_head(*, directory: Path | None = None) -> Anchor | None:
    """Write the current head to a signed anchor file (None: the chain is empty). Call it
    after a successful verification (the daily task does)."""
    _discover()
    head = AuditChainHead.objects.filter(pk=1).values_list("seq", "hash").first()
    if head is None or head[0] == 0:
        return None
    seq, head_hash = int(head[0]), str(head[1])
    at = timezone.now().isoformat()
    message = _message(seq, head_hash, at)
    signature: dict[str, str] | None = None
    seal = _signers.get("seal")
    if seal is not None:
        signature = seal.sign(message)
    if signature is None:
        signature = HmacSigner().sign(message)
    folder = directory or anchor_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    name = f"anchor-{seq:012d}.json"
    data = {"format": FORMAT, "seq": seq, "hash": head_hash, "at": at, "signature": signature}
    path = folder / name
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(path)
    logger.info("审计链锚点已写入 / audit chain anchored: %s:%s -> %s", seq, head_hash, path)
    return Anchor(seq, head_hash, at, signature["method"], name)


@dataclass(frozen=True)
class AnchorCheck:
    anchors: tuple[Anchor, ...]  # the files whose signature holds, oldest first
    bad_files: tuple[str, ...]  # unreadable, or the signature fails
    previous_check: str | None  # when anchors were last checked before this run

    @property
    def newest(self) -> Anchor | None:
        return self.anchors[-1] if self.anchors else None


def _verify_file(path: Path) -> Anchor | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        seq, head_hash, at = int(data["seq"]), str(data["hash"]), str(data["at"])
        signature: dict[str, str] = dict(data["signature"])
        if data.get("format") != FORMAT:
            return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    method = signature.get("method", "")
    verifier: AnchorSigner | None = HmacSigner() if method == HMAC else _signers.get(method)
    if verifier is None or not verifier.verify(_message(seq, head_hash, at), signature):
        return None
    return Anchor(seq, head_hash, at, method, path.name)


def read_anchors(*, directory: Path | None = None, record: bool = True) -> AnchorCheck:
    """Every anchor file, its signature checked; records the time of this check."""
    _discover()
    folder = directory or anchor_dir()
    good: list[Anchor] = []
    bad: list[str] = []
    for path in sorted(folder.glob("anchor-*.json")) if folder.is_dir() else []:
        anchor = _verify_file(path)
        if anchor is None:
            bad.append(path.name)
        else:
            good.append(anchor)
    previous: str | None = None
    marker = folder / LAST_CHECK
    try:
        previous = str(json.loads(marker.read_text(encoding="utf-8"))["at"])
    except (OSError, ValueError, KeyError, TypeError):
        previous = None
    if record and folder.is_dir():
        marker.write_text(json.dumps({"at": timezone.now().isoformat()}), encoding="utf-8")
    return AnchorCheck(tuple(sorted(good, key=lambda a: a.seq)), tuple(bad), previous)

