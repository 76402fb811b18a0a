"""The base of every refusal by a service (cases, seal, licences): a machine `code`, an
HTTP `status` for the API and a Chinese `message` (translated) that pages and the API show
as is, plus any details the refusal names (e.g. the current state)."""

from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    code = "error"
    status = 400

    def __init__(self, message: str, *, code: str | None = None, status: int | None = None,
                 **detail: Any) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status
        self.detail = detail
