"""Fixtures of the events and data-exchange tests (issue 16): the case and licence fixtures
re-exported, and a local webhook receiver (threading http.server on 127.0.0.1) that can be
down (nothing listening on its port) and come back."""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from tests.cases.conftest import at, bureau, catalogue, company, department, org, person
from tests.licences.conftest import licence_type

__all__ = ["at", "bureau", "catalogue", "company", "department", "licence_type", "org",
           "person"]


class Receiver:
    """Records every POST (headers and JSON body). `fail_ids`: event ids answered 500 the
    first `fail_times` times they arrive."""

    def __init__(self) -> None:
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self.received: list[dict[str, Any]] = []
        self.fail_ids: dict[str, int] = {}
        self.server: ThreadingHTTPServer | None = None
        self.thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/oneseal"

    def up(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                event = json.loads(body)
                left = receiver.fail_ids.get(event["id"], 0)
                if left:
                    receiver.fail_ids[event["id"]] = left - 1
                    status = 500
                else:
                    receiver.received.append({"headers": dict(self.headers), "body": body,
                                              "event": event})
                    status = 204
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def down(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def ids(self) -> list[str]:
        return [r["event"]["id"] for r in self.received]


@pytest.fixture
def receiver():
    rec = Receiver()
    yield rec
    rec.down()
