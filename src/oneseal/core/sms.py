"""Text messages (短信) to mainland mobile numbers, through a backend chosen by settings alone
(docs/settings.md, "Text messages"):

* ``console``: the message goes to the log (logger ``oneseal.sms``), nothing leaves the
  machine;
* ``file``: one JSON object per line appended to ``ONESEAL_SMS_FILE`` (default
  ``<ONESEAL_DATA_DIR>/sms.jsonl``): ``{"at": "<ISO time>", "phone": "...", "text": "..."}``.
  The demo's default, so that a tester reads the verification codes there;
* ``http``: the provincial SMS gateway (政务短信平台). One POST of the JSON body
  ``{"phone": "...", "text": "...", "sender": "<ONESEAL_SMS_HTTP_SENDER>", "at": "..."}``
  to ``ONESEAL_SMS_HTTP_URL``, with the header ``X-OneSeal-Signature: sha256=<hex>``: the
  HMAC-SHA256 of the exact body bytes under ``ONESEAL_SMS_HTTP_SECRET``, and
  ``X-OneSeal-Timestamp`` (the same ``at``), so the gateway can refuse forged or replayed
  calls. Any 2xx answer is success; anything else, a timeout (``ONESEAL_SMS_HTTP_TIMEOUT``
  seconds) or a refused connection raises `SmsError`, which callers (the notification
  outbox) treat as "try again later".

`send_sms` is a side effect: services call it from `transaction.on_commit`, never inside a
transaction that may still roll back.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import threading
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

logger = logging.getLogger("oneseal.sms")
_file_lock = threading.Lock()

BACKENDS = ("console", "file", "http")
SIGNATURE_HEADER = "X-OneSeal-Signature"
TIMESTAMP_HEADER = "X-OneSeal-Timestamp"


class SmsError(Exception):
    """The message could not be handed to the gateway (try again later)."""


def signature(secret: str, body: bytes) -> str:
    """The value of the signature header for `body`: ``sha256=`` and the HMAC's hex."""
    digest = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def send_sms(phone: str, text: str) -> None:
    """Send `text` to `phone` through the configured backend; raise `SmsError` on failure."""
    backend = getattr(settings, "ONESEAL_SMS_BACKEND", "console")
    at = timezone.now().isoformat(timespec="seconds")
    if backend == "console":
        logger.info("SMS to %s: %s", phone, text)
    elif backend == "file":
        _send_file(phone, text, at)
    elif backend == "http":
        _send_http(phone, text, at)
    else:
        raise ImproperlyConfigured(
            f"ONESEAL_SMS_BACKEND 无法识别：{backend!r}（可用 console、file、http）。 "
            f"Unknown ONESEAL_SMS_BACKEND: use console, file or http.")


def sms_file() -> Path:
    configured = getattr(settings, "ONESEAL_SMS_FILE", "")
    return Path(configured) if configured else Path(settings.DATA_DIR) / "sms.jsonl"


def _send_file(phone: str, text: str, at: str) -> None:
    path = sms_file()
    line = json.dumps({"at": at, "phone": phone, "text": text}, ensure_ascii=False) + "\n"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with _file_lock:
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            with os.fdopen(fd, "a", encoding="utf-8") as handle:
                handle.write(line)
    except OSError as exc:
        raise SmsError(f"cannot append to {path}: {exc}") from exc


def _send_http(phone: str, text: str, at: str) -> None:
    url = getattr(settings, "ONESEAL_SMS_HTTP_URL", "")
    secret = getattr(settings, "ONESEAL_SMS_HTTP_SECRET", "")
    if not url or not secret:
        raise ImproperlyConfigured(
            "ONESEAL_SMS_BACKEND=http 需要 ONESEAL_SMS_HTTP_URL 和 ONESEAL_SMS_HTTP_SECRET。 "
            "The http SMS backend needs ONESEAL_SMS_HTTP_URL and ONESEAL_SMS_HTTP_SECRET.")
    if not url.startswith(("http://", "https://")):
        raise ImproperlyConfigured(
            f"ONESEAL_SMS_HTTP_URL 须以 http:// 或 https:// 开头：{url!r}。 "
            f"ONESEAL_SMS_HTTP_URL must be an http(s) address.")
    body = json.dumps({"phone": phone, "text": text, "at": at,
                       "sender": getattr(settings, "ONESEAL_SMS_HTTP_SENDER", "")},
                      ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(  # noqa: S310 (the scheme is checked above)
        url, data=body, method="POST", headers={
            "Content-Type": "application/json; charset=utf-8",
            SIGNATURE_HEADER: signature(secret, body),
            TIMESTAMP_HEADER: at,
        })
    timeout = float(getattr(settings, "ONESEAL_SMS_HTTP_TIMEOUT", 5.0))
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            status = response.status
    except urllib.error.HTTPError as exc:
        raise SmsError(f"SMS gateway answered HTTP {exc.code}") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise SmsError(f"SMS gateway unreachable: {exc}") from exc
    if not 200 <= status < 300:
        raise SmsError(f"SMS gateway answered HTTP {status}")
