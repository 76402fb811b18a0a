"""Log line formats (LOG_FORMAT=text / json, oneseal.core.logfmt)."""

from __future__ import annotations

import json
import logging
import re
import sys

from oneseal.core.logfmt import JsonFormatter, TextFormatter


def _record(exc: bool = False) -> logging.LogRecord:
    info = None
    if exc:
        try:
            raise ValueError("坏了")
        except ValueError:
            info = sys.exc_info()
    return logging.LogRecord("oneseal.cases", logging.WARNING, __file__, 1,
                             "办件 %s 未签章", ("XS1",), info)


def test_json_line_has_time_level_logger_pid_message_and_traceback():
    line = JsonFormatter().format(_record(exc=True))
    assert "\n" not in line
    data = json.loads(line)
    assert data["level"] == "WARNING" and data["logger"] == "oneseal.cases"
    assert data["message"] == "办件 XS1 未签章"
    assert isinstance(data["pid"], int)
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d$", data["time"])
    assert "ValueError: 坏了" in data["exc"]


def test_text_line_starts_with_iso_time_and_level():
    line = TextFormatter().format(_record())
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d WARNING \[\d+\] "
                    r"oneseal\.cases: 办件 XS1 未签章$", line)
