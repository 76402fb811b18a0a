"""Errors of the archives with a Chinese message and a stable code."""

from __future__ import annotations


class ArchiveError(Exception):
    def __init__(self, message: str, *, code: str, status: int = 409) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status
