"""Log line formats (settings.LOGGING, env `LOG_FORMAT`).

- unset: the message alone, as before (systemd's journal adds the time, the unit and pid);
- `text`: `2026-12-05T01:02:03.456+08:00 WARNING [pid] logger: message`;
- `json`: one JSON object per line — `time` (ISO 8601 with offset), `level`, `logger`,
  `pid`, `message`, and `exc` with the traceback when there is one — for a log shipper
  (Loki, Elasticsearch…). Never a password, a token or an ID number: the code logs none.
"""

from __future__ import annotations

import datetime as dt
import json
import logging

TEXT_FORMAT = "%(asctime)s %(levelname)s [%(process)d] %(name)s: %(message)s"


def _iso(record: logging.LogRecord) -> str:
    return dt.datetime.fromtimestamp(record.created).astimezone().isoformat(
        timespec="milliseconds")


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__(TEXT_FORMAT)

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return _iso(record)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        data = {"time": _iso(record), "level": record.levelname, "logger": record.name,
                "pid": record.process, "message": record.getMessage()}
        if record.exc_info:
            data["exc"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False)
