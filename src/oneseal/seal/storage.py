"""Where signed documents are kept: ``DATA_DIR/signed/<sha[:2]>/<sha>.pdf``, named by the
SHA-256 of their bytes (content addressed), written atomically (temporary file and
``os.replace``) and never overwritten: a file's name proves its content."""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path

from django.conf import settings


def signed_path(sha256_hex: str) -> Path:
    if len(sha256_hex) != 64 or any(c not in "0123456789abcdef" for c in sha256_hex):
        raise ValueError("not a lowercase SHA-256 hex digest")
    return Path(settings.DATA_DIR) / "signed" / sha256_hex[:2] / f"{sha256_hex}.pdf"


def store_signed(data: bytes) -> str:
    """Store the bytes and return their SHA-256; an existing file is left as it is."""
    digest = hashlib.sha256(data).hexdigest()
    path = signed_path(digest)
    if path.is_file():
        return digest
    for folder in (path.parent.parent, path.parent):  # signed/ and signed/<sha[:2]>/: 0700
        folder.mkdir(mode=0o700, exist_ok=True, parents=True)
    tmp = path.with_name(f".{digest}.{secrets.token_hex(4)}.tmp")
    # 0600 whatever the process's umask: signed decisions carry personal data
    with os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    return digest


def read_signed(sha256_hex: str) -> bytes | None:
    """The stored bytes, or None when the file is missing or no longer hashes to its
    name (altered on disk)."""
    try:
        data = signed_path(sha256_hex).read_bytes()
    except (FileNotFoundError, ValueError):
        return None
    return data if hashlib.sha256(data).hexdigest() == sha256_hex else None
