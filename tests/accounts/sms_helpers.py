"""Reading the verification codes the file SMS backend wrote, as a demo tester does."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import override_settings


class Outbox:
    def __init__(self, path: Path) -> None:
        self.path = path

    def messages(self) -> list[dict[str, str]]:
        if not self.path.exists():
            return []
        return [json.loads(line) for line in self.path.read_text(encoding="utf-8").splitlines()]

    def last_code(self, phone: str) -> str:
        texts = [m["text"] for m in self.messages() if m["phone"] == phone]
        assert texts, f"no SMS to {phone}"
        found = re.search(r"验证码 (\d{6})", texts[-1])
        assert found, texts[-1]
        return found.group(1)


@pytest.fixture
def sms_outbox(tmp_path, db):
    """The file SMS backend writing to a fresh file; the send limits (in the shared cache)
    start with nothing counted."""
    path = tmp_path / "sms.jsonl"
    cache.clear()
    with override_settings(ONESEAL_SMS_BACKEND="file", ONESEAL_SMS_FILE=str(path)):
        yield Outbox(path)
    cache.clear()
