"""Where signed documents are kept: the ``signed`` storage of ``STORAGES``, under the name
``<sha[:2]>/<sha>.pdf``, named by the SHA-256 of their bytes (content addressed) and never
overwritten with other bytes: a file's name proves its content.

Without object storage (the default) the ``signed`` storage is :class:`LocalSignedStorage`,
``DATA_DIR/signed/<sha[:2]>/<sha>.pdf``, written atomically (temporary file, fsync and
``os.replace``), 0600 files in 0700 folders. With ``ONESEAL_S3_BUCKET`` set it is
django-storages' ``S3Storage`` under the prefix ``signed/`` of the bucket (config/settings.py,
docs/deployment-province.md "Files"). Either way the bytes are read back through the storage
and checked against their name; no URL of the storage is ever handed to a browser — a
signed PDF is served by the permission-checked views only."""

from __future__ import annotations

import hashlib
import os
import secrets
from functools import cached_property
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import FileSystemStorage, Storage, storages

ALIAS = "signed"


class LocalSignedStorage(FileSystemStorage):
    """``DATA_DIR/signed`` (followed when the setting changes, as in tests), 0600 files in
    0700 folders, each file written atomically and fsynced, an existing name left as it is
    (the same name is the same bytes)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("file_permissions_mode", 0o600)
        kwargs.setdefault("directory_permissions_mode", 0o700)
        super().__init__(**kwargs)

    @cached_property
    def base_location(self) -> str:  # type: ignore[override]
        return str(self._value_or_setting(self._location, Path(settings.DATA_DIR) / ALIAS))

    def _clear_cached_properties(self, setting: str, **kwargs: Any) -> None:
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "DATA_DIR":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def get_available_name(self, name: str, max_length: int | None = None) -> str:
        return name  # content addressed: never an alternative name for the same bytes

    def _save(self, name: str, content: File) -> str:  # type: ignore[type-arg]
        path = Path(self.path(name))
        if path.is_file():
            return name
        Path(self.location).mkdir(mode=0o700, parents=True, exist_ok=True)  # signed/: 0700
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # signed/<sha[:2]>/: 0700
        tmp = path.with_name(f".{path.stem}.{secrets.token_hex(4)}.tmp")
        # 0600 whatever the process's umask: signed decisions carry personal data
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            for chunk in content.chunks():
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
        return name


def signed_storage() -> Storage:
    return storages[ALIAS]


def signed_name(sha256_hex: str) -> str:
    """The storage name of a signed document: ``<sha[:2]>/<sha>.pdf``."""
    if len(sha256_hex) != 64 or any(c not in "0123456789abcdef" for c in sha256_hex):
        raise ValueError("not a lowercase SHA-256 hex digest")
    return f"{sha256_hex[:2]}/{sha256_hex}.pdf"


def signed_path(sha256_hex: str) -> Path:
    """The file on the local disk (LocalSignedStorage only: an object store has no path;
    tools and tests that need the file itself)."""
    return Path(signed_storage().path(signed_name(sha256_hex)))


def store_signed(data: bytes) -> str:
    """Store the bytes and return their SHA-256; an existing file is left as it is."""
    digest = hashlib.sha256(data).hexdigest()
    name = signed_name(digest)
    storage = signed_storage()
    if not storage.exists(name):
        saved = storage.save(name, ContentFile(data))
        if saved != name:  # a storage that renamed it would break the content addressing
            raise RuntimeError(f"signed storage stored {name} as {saved}")
    return digest


def read_signed(sha256_hex: str) -> bytes | None:
    """The stored bytes, or None when the file is missing or no longer hashes to its
    name (altered in the store). An unreachable object store raises."""
    try:
        with signed_storage().open(signed_name(sha256_hex), "rb") as handle:
            data = handle.read()
    except (FileNotFoundError, ValueError):
        return None
    return data if hashlib.sha256(data).hexdigest() == sha256_hex else None
