"""Settings come from the environment; production values pass `check --deploy`."""

import os
import subprocess
import sys

PRODUCTION = {
    "SECRET_KEY": "x8#Kq2!vLm9@Zr4$Tn7^Wp1&Yc6*Hd3(Jf5)Gb0-Ns8+Qe2=Ua4_Ri7?Ok1",
    "DEBUG": "0",
    "ALLOWED_HOSTS": "approval.xishan.gov.cn",
    "HTTPS": "1",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
    "SECURE_HSTS_PRELOAD": "1",
}


def _check(env_extra: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items()
           if k not in {"ONESEAL_DEV", "ONESEAL_TESTING", "DEBUG", "SECRET_KEY",
                         "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL"}}
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "-m", "oneseal.cli", "manage", "check", "--deploy",
         "--fail-level", "WARNING"],
        env=env, capture_output=True, text=True,
    )


def test_production_values_pass_check_deploy(tmp_path):
    result = _check({**PRODUCTION, "ONESEAL_DATA_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_fails_with_debug_on(tmp_path):
    result = _check({**PRODUCTION, "DEBUG": "1", "ONESEAL_DATA_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "DEBUG" in result.stdout + result.stderr


def test_missing_secret_key_in_production_refuses_to_start(tmp_path):
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = _check({**env, "ONESEAL_DATA_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_sqlite_runs_in_wal_mode_with_busy_timeout(db):
    from django.db import connection

    if connection.vendor != "sqlite":
        assert connection.vendor == "postgresql"
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0].lower() == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 5000
