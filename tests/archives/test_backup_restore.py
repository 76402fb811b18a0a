"""The restore drill: `oneseal backup` of a live installation, `oneseal restore` on a fresh
data directory and database (another process, as on a new machine), after which the audit
chain and every archival package verify. Runs on SQLite, and on PostgreSQL when the suite
does (a scratch database next to the test database)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.utils import translation

from oneseal.archives import backup as backups
from oneseal.archives import services
from oneseal.archives.errors import ArchiveError
from oneseal.archives.models import BackupRecord

from .conftest import withdrawn_case

pytestmark = pytest.mark.django_db(transaction=True)


def _scratch_url(tmp_path: Path) -> tuple[str, object]:
    """A fresh, empty database of the same kind as the test database."""
    if connection.vendor == "sqlite":
        return f"sqlite:///{tmp_path / 'restored' / 'oneseal.sqlite3'}", None
    import psycopg

    db = connection.settings_dict
    name = f"{db['NAME']}_restore"[:60]
    base = f"postgresql://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return f"{base}/{name}", drop


def _oneseal(url: str, data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "MEDIA_ROOT", "ONESEAL_SEAL_DIR", "ONESEAL_TESTING")}
    env.update(DATABASE_URL=url, ONESEAL_DATA_DIR=str(data_dir), ONESEAL_DEV="1")
    return subprocess.run([sys.executable, "-m", "oneseal.cli", *args], env=env,
                          capture_output=True, text=True, timeout=300, check=False)


def test_restore_drill_audit_chain_and_every_package_verify_after_restore(
        cast, catalogue, person, media, tmp_path, settings):
    settings.ONESEAL_BACKUP_DIR = str(tmp_path / "backups")
    first = services.build_package(withdrawn_case(cast, catalogue, person).pk)
    second = services.build_package(withdrawn_case(cast, catalogue, person).pk)
    made = backups.backup()
    assert made.ok and made.path.parent == tmp_path / "backups"
    record = BackupRecord.objects.get(pk=made.record_id)
    assert record.ok and record.manifest_sha256 == made.manifest_sha256
    manifest = backups.check_backup(made.path)
    assert manifest.ok
    names = set(manifest.manifest["files"])
    assert any(n.endswith(f"{first.archive_number}/tagmanifest-sha256.txt") for n in names)
    assert any(n.startswith("files/media/cases/") for n in names)  # the uploads

    url, drop = _scratch_url(tmp_path)
    target = tmp_path / "restored"
    try:
        done = _oneseal(url, target, "restore", str(made.path))
        assert done.returncode == 0, done.stdout + done.stderr
        assert "审计链 / audit chain: 完好 OK" in done.stdout
        assert "归档信息包 / packages: 2 完好 OK, 0 有问题 BAD" in done.stdout
        verified = _oneseal(url, target, "archive", "verify", "--all")
        assert verified.returncode == 0, verified.stdout + verified.stderr
        assert f"OK    {second.archive_number}" in verified.stdout
        assert _oneseal(url, target, "verify-audit").returncode == 0
        # a second restore onto the now filled database is refused without --force
        again = _oneseal(url, target, "restore", str(made.path))
        assert again.returncode != 0 and "目标数据库已有数据" in again.stderr
    finally:
        if drop:
            drop()


def test_a_damaged_backup_is_refused_before_anything_is_restored(cast, catalogue, person,
                                                                 media, tmp_path):
    services.build_package(withdrawn_case(cast, catalogue, person).pk)
    made = backups.backup(dest=tmp_path / "b")
    victim = next(p for p in (made.path / "files").rglob("*.json") if p.is_file())
    victim.chmod(0o600)
    victim.write_bytes(victim.read_bytes() + b"!")
    check = backups.check_backup(made.path)
    assert check.changed == [victim.relative_to(made.path).as_posix()]
    with pytest.raises(ArchiveError) as caught:
        backups.restore(made.path)
    assert caught.value.code == "backup_damaged"


def test_rotation_keeps_the_newest_backups(cast, tmp_path):
    paths = [backups.backup(dest=tmp_path / "r").path for _ in range(3)]
    assert backups.rotate(tmp_path / "r", keep=2) == [paths[0].name]
    assert sorted(p.name for p in (tmp_path / "r").iterdir()) == sorted(p.name
                                                                       for p in paths[1:])


def test_missing_pg_client_is_a_clear_chinese_error(monkeypatch):
    monkeypatch.setenv("ONESEAL_PG_BIN", "/nonexistent")
    # in Chinese whatever language an earlier test in this process left active
    with translation.override("zh-hans"), pytest.raises(ArchiveError) as caught:
        backups.pg_binary("pg_dump")
    assert caught.value.code == "pg_client_missing"
    assert "未找到 pg_dump" in caught.value.message
