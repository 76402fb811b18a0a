"""Refusals of the hall's services: a machine `code` and a Chinese message."""

from __future__ import annotations

from typing import Any

from oneseal.core.errors import ServiceError


class HallError(ServiceError):
    """A refused hall operation; `code` names the rule that refused it."""

    code = "hall"
    status = 409

    def __init__(self, message: Any, *, code: str, status: int | None = None,
                 **detail: Any) -> None:
        super().__init__(str(message), code=code, status=status, **detail)
