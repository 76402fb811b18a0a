"""Refusals of the data-exchange services (Chinese messages for the pages)."""

from __future__ import annotations


class ExchangeRefused(Exception):
    def __init__(self, message: str, code: str = "refused") -> None:
        super().__init__(message)
        self.message = message
        self.code = code
