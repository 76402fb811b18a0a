"""Files and headers (issue 12, "Files and headers"): what the system writes is for its
own user only (0600 files, 0700 folders); every page carries a Content-Security-Policy
that allows no inline script, and a Permissions-Policy; HSTS comes with HTTPS; the
templates hold no inline script or event handler for the policy to break."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from pathlib import Path

from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

from oneseal.seal.storage import signed_path, store_signed

SRC = Path(django_settings.BASE_DIR)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_uploaded_files_are_0600_in_0700_folders(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    name = default_storage.save("cases/2026/x/material.pdf", ContentFile(b"%PDF-1.7 test"))
    path = Path(default_storage.path(name))
    assert _mode(path) == 0o600
    for folder in (path.parent, path.parent.parent, path.parent.parent.parent):
        assert _mode(folder) == 0o700


def test_signed_documents_are_0600_in_0700_folders(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    digest = store_signed(b"%PDF-1.7 signed bytes")
    path = signed_path(digest)
    assert _mode(path) == 0o600
    assert _mode(path.parent) == 0o700 and _mode(path.parent.parent) == 0o700


def test_the_sqlite_database_file_is_0600(db):
    if connection.vendor != "sqlite":  # PostgreSQL keeps its own files
        assert connection.vendor == "postgresql"
        return
    path = Path(connection.settings_dict["NAME"])
    assert path.is_file() and _mode(path) == 0o600


def test_the_process_umask_keeps_new_files_private(tmp_path):
    path = tmp_path / "log.txt"
    path.write_text("x")
    assert _mode(path) & 0o077 == 0


def test_pages_carry_csp_without_inline_script_and_permissions_policy(client, db):
    for url in ("/", "/verify/", "/accounts/login/"):
        response = client.get(url)
        csp = response.headers["Content-Security-Policy"]
        directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
        assert directives["script-src"] == "'self'"
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert directives["object-src"] == "'none'"
        assert directives["frame-ancestors"] == "'none'"
        policy = response.headers["Permissions-Policy"]
        assert "camera=()" in policy and "geolocation=()" in policy
    api = client.get("/api/v1/calendar/deadline?start=2026-09-28&days=1")
    assert "Content-Security-Policy" in api.headers


def test_hsts_is_sent_over_https_when_https_is_on(client, db, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get("/verify/", secure=True)
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def _settings_value(name: str, env: dict[str, str]) -> str:
    clean = {k: v for k, v in os.environ.items()
             if k not in {"HTTPS", "SECURE_HSTS_SECONDS", "DEBUG"}}
    clean.update(env)
    out = subprocess.run(
        [sys.executable, "-c",
         f"import oneseal.config.settings as s; print(s.{name})"],
        env=clean, capture_output=True, text=True, check=True)
    return out.stdout.strip()


def test_https_turns_hsts_on_by_default_and_plain_http_does_not(tmp_path):
    base = {"ONESEAL_DATA_DIR": str(tmp_path)}
    assert _settings_value("SECURE_HSTS_SECONDS", {**base, "HTTPS": "1"}) == "31536000"
    assert _settings_value("SECURE_HSTS_SECONDS", base) == "0"
    assert _settings_value("SECURE_HSTS_SECONDS",
                           {**base, "HTTPS": "1", "SECURE_HSTS_SECONDS": "600"}) == "600"


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.IGNORECASE)


def test_no_template_holds_inline_script_handler_or_style():
    """Every template of the project: the CSP allows scripts and styles from our static
    files only, so any of these would silently stop working."""
    templates = [p for p in SRC.rglob("templates/**/*.html")]
    assert len(templates) > 20
    offenders = []
    for path in templates:
        text = path.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, HANDLER, INLINE_STYLE):
            for match in pattern.finditer(text):
                offenders.append(f"{path.relative_to(SRC)}: {match.group(0)}")
        if "javascript:" in text:
            offenders.append(f"{path.relative_to(SRC)}: javascript: URL")
    assert offenders == []
