"""Public verification under attack (issue 12, "CPU exhaustion"): a crafted upload is
refused before pyHanko parses it (size, no %%EOF in the last kilobyte), a parse that runs
too long is killed at its deadline in a helper process, at most N verifications run at
once, and every refusal is a quick 413/422/503 with a Chinese message. Request bodies above
the limit are refused everywhere by their Content-Length, before they are read.

How long the answers take is measured by bench/bench_verify_guard.py, not here."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from oneseal.core.isolate import IsolatedPool
from oneseal.licences import verification
from oneseal.seal import pdf_analysis
from oneseal.seal import services as seal_services
from tests.seal.helpers import BOX, make_pdf

MB = 1024 * 1024
# What costs pyHanko ~10 s when parsed: a PDF header, megabytes of zeros, and no %%EOF in
# the last kilobyte (it reads such a file backwards looking for the marker).
NO_EOF = b"%PDF-1.7\n" + b"\0" * (20 * MB - 100)
# The same with a %%EOF at its very end: passes the cheap check, costs ~8 s to parse.
SLOW_WITH_EOF = b"%PDF-1.7\n" + b"\0" * (20 * MB - 100) + b"\n%%EOF\n"


@pytest.fixture(autouse=True)
def _fresh_throttle(db):
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def no_parsing(monkeypatch):
    """Fail the test if anything starts parsing the upload."""
    def refuse(*args, **kwargs):
        raise AssertionError("the upload was parsed")

    monkeypatch.setattr(verification, "verify_pdf", refuse)
    monkeypatch.setattr(pdf_analysis, "analyse", refuse)


@pytest.fixture
def own_pool(monkeypatch):
    """A pool of one helper for this test only (closed afterwards)."""
    pool = IsolatedPool(1, preload=("oneseal.seal.pdf_analysis",))
    monkeypatch.setattr(verification, "_pool", pool)
    yield pool
    pool.close()


@pytest.fixture
def signed_pdf(cast, seals):
    use = seal_services.authorise_use(actor=cast["head"], seal=seals["approval"],
                                      key="document:1", title="测试文书")
    use = seal_services.sign_use(use, make_pdf("guard"), BOX, reason="测试")
    return seal_services.signed_pdf(use)


def _page(client, data: bytes):
    return client.post("/verify/", {"file": SimpleUploadedFile("x.pdf", data,
                                                               "application/pdf")})


def _api(client, data: bytes):
    return client.post("/api/v1/verify", {"file": SimpleUploadedFile("x.pdf", data,
                                                                     "application/pdf")})


# ------------------------------------------------------------------ cheap refusals


def test_precheck_refuses_large_headerless_and_unterminated_files():
    ok = b"%PDF-1.7\n...\n%%EOF\n"
    assert pdf_analysis.precheck(size=len(ok), head=ok, tail=ok, max_bytes=MB) == ""
    assert pdf_analysis.precheck(size=MB + 1, head=ok, tail=ok, max_bytes=MB) == "too_large"
    assert pdf_analysis.precheck(size=9, head=b"GIF89a...", tail=ok, max_bytes=MB) == "not_pdf"
    no_eof = b"%PDF-1.7\n" + b"x" * 2000
    assert pdf_analysis.precheck(size=len(no_eof), head=no_eof[:1024], tail=no_eof[-1024:],
                                 max_bytes=MB) == "no_eof"
    # a %%EOF further than one kilobyte from the end does not count
    far = b"%PDF-1.7\n%%EOF\n" + b" " * 1100
    assert pdf_analysis.precheck(size=len(far), head=far[:1024], tail=far[-1024:],
                                 max_bytes=MB) == "no_eof"


def test_page_refuses_20mb_upload_without_eof_before_parsing(client, db, no_parsing):
    response = _page(client, NO_EOF)
    assert response.status_code == 422
    html = response.content.decode()
    assert "%%EOF" in html and "未予核验" in html
    assert 'data-valid=' not in html  # no verdict drawn


def test_api_refuses_20mb_upload_without_eof_before_parsing(client, db, no_parsing):
    response = _api(client, NO_EOF)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "not_a_complete_pdf" and "未予核验" in body["detail"]


def test_page_and_api_answer_413_above_the_size_limit(client, db, settings, no_parsing):
    settings.ONESEAL_VERIFY_MAX_BYTES = MB
    data = b"%PDF-1.7\n" + b"\0" * MB + b"\n%%EOF\n"
    page = _page(client, data)
    assert page.status_code == 413 and "文件超过 1 MB，无法核验" in page.content.decode()
    api = _api(client, data)
    assert api.status_code == 413 and api.json()["code"] == "too_large"
    assert "无法核验" in api.json()["detail"]


# ------------------------------------------------------------------ the bounded pool


def test_a_parse_past_its_deadline_is_killed_and_answered_422(client, db, settings,
                                                               own_pool, signed_pdf):
    settings.ONESEAL_VERIFY_TIMEOUT = 0.2  # the crafted file needs seconds
    response = _api(client, SLOW_WITH_EOF)
    assert response.status_code == 422
    assert response.json()["code"] == "verify_timeout"
    assert "未能完成核验" in response.json()["detail"]
    assert own_pool.helpers_alive() == 0  # the helper was killed, its CPU freed
    page = _page(client, SLOW_WITH_EOF)
    assert page.status_code == 422 and "未能完成核验" in page.content.decode()
    # the next verification gets a fresh helper and a true answer
    settings.ONESEAL_VERIFY_TIMEOUT = 60
    body = _api(client, signed_pdf).json()
    assert body["valid"] is True
    assert own_pool.helpers_alive() == 1


def test_when_every_helper_is_busy_the_answer_is_503(client, db, settings, own_pool,
                                                     signed_pdf):
    settings.ONESEAL_VERIFY_WAIT = 0
    slot = own_pool.acquire(0)  # another request holds the only helper
    try:
        api = _api(client, signed_pdf)
        page = _page(client, signed_pdf)
    finally:
        own_pool.release(slot)
    assert api.status_code == 503 and api.json()["code"] == "busy"
    assert "繁忙" in api.json()["detail"]
    assert page.status_code == 503 and "繁忙" in page.content.decode()
    assert _api(client, signed_pdf).json()["valid"] is True  # free again


def test_verification_runs_in_a_helper_process_not_in_the_web_worker(client, db, own_pool,
                                                                     signed_pdf, monkeypatch):
    def in_process(*args, **kwargs):
        raise AssertionError("parsed inside the web worker")

    monkeypatch.setattr(pdf_analysis, "analyse", in_process)  # the helper has its own copy
    assert _api(client, signed_pdf).json()["valid"] is True
    assert own_pool.helpers_alive() == 1


# ------------------------------------------------------------------ request bodies


@pytest.mark.parametrize("path", ["/verify/", "/progress/", "/accounts/login/"])
def test_a_page_body_above_the_limit_is_refused_413_in_chinese(client, db, settings, path):
    settings.ONESEAL_REQUEST_MAX_BYTES = 1000
    response = client.post(path, data=b"x", content_type="application/octet-stream",
                           CONTENT_LENGTH=str(50 * MB))
    assert response.status_code == 413
    assert "请求内容过大" in response.content.decode()


def test_an_api_body_above_the_limit_is_refused_413_as_json(client, db, settings):
    settings.ONESEAL_REQUEST_MAX_BYTES = 1000
    response = client.post("/api/v1/verify", data=b"x", content_type="application/pdf",
                           CONTENT_LENGTH=str(50 * MB))
    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"
    assert "请求内容过大" in response.json()["detail"]


def test_django_upload_limits_are_set(settings):
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 2_621_440
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 2_621_440
    assert settings.ONESEAL_REQUEST_MAX_BYTES <= 2 * settings.ONESEAL_UPLOAD_MAX_BYTES


def test_a_real_wsgi_server_answers_413_before_the_body_arrives(live_server, settings):
    """Through a real WSGI server (Django's own, wsgiref-based: it refuses hop-by-hop
    headers from the application): only the headers of a 50 MB body are sent."""
    import socket
    from urllib.parse import urlsplit

    settings.ONESEAL_REQUEST_MAX_BYTES = 1000
    url = urlsplit(live_server.url)
    with socket.create_connection((url.hostname, url.port), timeout=30) as sock:
        sock.sendall(b"POST /api/v1/verify HTTP/1.1\r\nHost: localhost\r\n"
                     b"Content-Type: application/pdf\r\n"
                     + f"Content-Length: {50 * MB}\r\n\r\n".encode() + b"\0" * 4096)
        answer = b""
        while b"request_too_large" not in answer:
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 413")
    assert "请求内容过大（超过 1000 字节）".encode() in answer
