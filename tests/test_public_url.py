"""Links printed into signed documents use the address the server really serves (issue
12, "The API contract"): `PORT=18080 make demo` printed http://127.0.0.1:8000 links into
every licence's QR code. `oneseal serve` and `oneseal demo` set ONESEAL_PUBLIC_URL from the
address they bind unless it is given, before anything is signed."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from oneseal import cli


@pytest.fixture
def no_public_url(monkeypatch):
    monkeypatch.setenv("ONESEAL_PUBLIC_URL", "")  # recorded, so restored after the test
    monkeypatch.delenv("ONESEAL_PUBLIC_URL")


def test_serve_sets_the_public_url_from_the_port_it_binds(no_public_url):
    cli._serve_command(["--port", "18080", "--no-collectstatic"])
    assert os.environ["ONESEAL_PUBLIC_URL"] == "http://127.0.0.1:18080"


def test_serve_on_a_named_host_and_on_every_interface(no_public_url, monkeypatch):
    cli._serve_command(["--host", "approval.local", "--port", "9000", "--no-collectstatic"])
    assert os.environ["ONESEAL_PUBLIC_URL"] == "http://approval.local:9000"
    monkeypatch.delenv("ONESEAL_PUBLIC_URL")
    cli._serve_command(["--host", "0.0.0.0", "--port", "9001", "--no-collectstatic"])  # noqa: S104
    assert os.environ["ONESEAL_PUBLIC_URL"] == "http://127.0.0.1:9001"


def test_a_given_public_url_is_kept(monkeypatch):
    monkeypatch.setenv("ONESEAL_PUBLIC_URL", "https://approval.xishan.gov.cn")
    cli._serve_command(["--port", "18080", "--no-collectstatic"])
    assert os.environ["ONESEAL_PUBLIC_URL"] == "https://approval.xishan.gov.cn"


def test_demo_sets_the_public_url_before_it_loads_and_signs_the_demo(no_public_url,
                                                                     monkeypatch, tmp_path):
    monkeypatch.setenv("PORT", "18080")
    monkeypatch.setenv("ONESEAL_DATA_DIR", str(tmp_path))
    seen: list[tuple[list[str], str | None]] = []

    def run_django(argv):
        seen.append((argv, os.environ.get("ONESEAL_PUBLIC_URL")))
        if argv[0] == "load_demo":
            raise SystemExit(0)  # stop before serving

    monkeypatch.setattr(cli, "_run_django", run_django)
    from oneseal.config import local_env

    # the demo's settings file would leak SECRET_KEY into this process's environment
    monkeypatch.setattr(local_env, "ensure_demo_file", lambda *a, **k: tmp_path)
    monkeypatch.setattr(local_env, "load", lambda *a, **k: None)
    with pytest.raises(SystemExit):
        cli._demo([])
    assert [argv[0] for argv, _url in seen] == ["migrate", "load_demo"]
    assert all(url == "http://127.0.0.1:18080" for _argv, url in seen)


def test_the_licence_qr_link_follows_the_public_url(tmp_path):
    """The chain from the environment the CLI sets to the link rendered into a licence."""
    code = ("import django, os; os.environ['DJANGO_SETTINGS_MODULE']='oneseal.config.settings';"
            "django.setup(); from oneseal.licences.render import verify_url;"
            "print(verify_url('1.2.156.3005.2.X'))")
    env = {**os.environ, "ONESEAL_PUBLIC_URL": "http://127.0.0.1:18080",
           "ONESEAL_DATA_DIR": str(tmp_path), "ONESEAL_DEV": "1"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, check=True)
    assert out.stdout.strip() == "http://127.0.0.1:18080/verify/l/1.2.156.3005.2.X/"
