"""The pluggable SMS backend (core/sms.py): console, file, and the HTTP gateway adapter,
tested against a stub gateway on 127.0.0.1."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import threading
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from oneseal.core import sms


class _Gateway:
    """A stub provincial SMS gateway: records each request; answers `status`, or never
    answers (until released) when `hang` is set."""

    def __init__(self) -> None:
        self.requests: list[tuple[Message, bytes]] = []
        self.status = 200
        self.hang = threading.Event()
        self.release = threading.Event()
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                gateway.requests.append((self.headers, body))  # case-insensitive
                if gateway.hang.is_set():
                    gateway.release.wait(10)
                self.send_response(gateway.status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sms/send"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway():
    stub = _Gateway()
    with override_settings(ONESEAL_SMS_BACKEND="http", ONESEAL_SMS_HTTP_URL=stub.url,
                           ONESEAL_SMS_HTTP_SECRET="gateway-secret",
                           ONESEAL_SMS_HTTP_SENDER="西山区行政审批局",
                           ONESEAL_SMS_HTTP_TIMEOUT=0.5):
        yield stub
    stub.close()


def test_console_backend_logs_the_message(caplog):
    with override_settings(ONESEAL_SMS_BACKEND="console"), \
            caplog.at_level(logging.INFO, logger="oneseal.sms"):
        sms.send_sms("13812345678", "您的验证码是 123456")
    assert "13812345678" in caplog.text and "123456" in caplog.text


def test_file_backend_appends_one_json_line_per_message(tmp_path):
    target = tmp_path / "out" / "sms.jsonl"
    with override_settings(ONESEAL_SMS_BACKEND="file", ONESEAL_SMS_FILE=str(target)):
        sms.send_sms("13812345678", "第一条")
        sms.send_sms("13900001111", "第二条")
    lines = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert [(x["phone"], x["text"]) for x in lines] == [
        ("13812345678", "第一条"), ("13900001111", "第二条")]
    assert all(x["at"] for x in lines)
    assert target.stat().st_mode & 0o077 == 0


def test_file_backend_defaults_to_sms_jsonl_in_the_data_dir(tmp_path):
    with override_settings(ONESEAL_SMS_BACKEND="file", ONESEAL_SMS_FILE="", DATA_DIR=tmp_path):
        sms.send_sms("13812345678", "默认位置")
    assert json.loads((tmp_path / "sms.jsonl").read_text(encoding="utf-8"))["text"] == "默认位置"


def test_http_backend_posts_json_signed_with_hmac_of_the_exact_body(gateway):
    sms.send_sms("13812345678", "您的验证码是 654321")
    [(headers, body)] = gateway.requests
    payload = json.loads(body)
    assert payload["phone"] == "13812345678"
    assert payload["text"] == "您的验证码是 654321"
    assert payload["sender"] == "西山区行政审批局"
    assert headers["X-OneSeal-Timestamp"] == payload["at"]
    expected = hmac.new(b"gateway-secret", body, hashlib.sha256).hexdigest()
    assert headers["X-OneSeal-Signature"] == f"sha256={expected}"
    assert headers["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("status", [400, 500, 503])
def test_http_backend_raises_sms_error_when_the_gateway_refuses(gateway, status):
    gateway.status = status
    with pytest.raises(sms.SmsError, match=f"HTTP {status}"):
        sms.send_sms("13812345678", "x")


def test_http_backend_raises_sms_error_on_timeout(gateway):
    gateway.hang.set()
    with pytest.raises(sms.SmsError, match="unreachable"):
        sms.send_sms("13812345678", "x")


def test_http_backend_raises_sms_error_when_nothing_listens():
    with override_settings(ONESEAL_SMS_BACKEND="http",
                           ONESEAL_SMS_HTTP_URL="http://127.0.0.1:9/none",
                           ONESEAL_SMS_HTTP_SECRET="s", ONESEAL_SMS_HTTP_TIMEOUT=0.5):
        with pytest.raises(sms.SmsError, match="unreachable"):
            sms.send_sms("13812345678", "x")


def test_http_backend_without_url_or_secret_is_a_configuration_error():
    with override_settings(ONESEAL_SMS_BACKEND="http", ONESEAL_SMS_HTTP_URL="",
                           ONESEAL_SMS_HTTP_SECRET=""):
        with pytest.raises(ImproperlyConfigured, match="ONESEAL_SMS_HTTP_URL"):
            sms.send_sms("13812345678", "x")


def test_http_backend_refuses_a_url_that_is_not_http():
    with override_settings(ONESEAL_SMS_BACKEND="http", ONESEAL_SMS_HTTP_URL="file:///etc/passwd",
                           ONESEAL_SMS_HTTP_SECRET="s"):
        with pytest.raises(ImproperlyConfigured, match="http"):
            sms.send_sms("13812345678", "x")


def test_unknown_backend_is_a_configuration_error():
    with override_settings(ONESEAL_SMS_BACKEND="pigeon"):
        with pytest.raises(ImproperlyConfigured, match="pigeon"):
            sms.send_sms("13812345678", "x")
