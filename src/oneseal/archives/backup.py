"""`oneseal backup` / `oneseal restore`: one consistent copy of the database and the file
stores, with a manifest of checksums (docs/archives.md, "Backup and restore").

Consistency: the database is copied first, as one snapshot — SQLite's online backup API
(`sqlite3.Connection.backup`, pages copied while writers go on; the copy is the database as
of one moment) or `pg_dump -Fc` (one repeatable-read transaction). The file stores are copied
after: every store is written once and never changed (uploads, signed PDFs and archival
packages are named by content or number and written before their rows commit), so every file
a row of the snapshot names is already on disk when the files are copied; files newer than
the snapshot are harmless extras.

A backup is a folder ``oneseal-backup-<UTC time>/`` under ``ONESEAL_BACKUP_DIR`` (default
``<ONESEAL_DATA_DIR>/backups``), built as ``….partial`` and renamed when complete::

    database.sqlite3 | database.pgdump
    files/data/…      the data directory (without the database, backups, tmp and static)
    files/media/…     MEDIA_ROOT and files/seal/… ONESEAL_SEAL_DIR, when outside it
    manifest.json     format, time, vendor, the SHA-256 and size of every file, and the
                      object stores left to their own versioning (``object_stores``)
    manifest.sha256   the SHA-256 of manifest.json

It holds the seal keys and personal data: keep it 0700 and copy it off the machine
encrypted (docs/operations.md).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.db import connection, connections
from django.utils import timezone
from django.utils.translation import gettext as _

from .domain.bagit import sha256_file
from .errors import ArchiveError
from .models import BackupRecord

FORMAT = "oneseal-backup-v1"
PREFIX = "oneseal-backup-"
SKIP_NAMES = {"static", "backups", "tmp"}
logger = logging.getLogger(__name__)
SKIP_SUFFIXES = (".sqlite3", ".sqlite3-wal", ".sqlite3-shm", ".sqlite3-journal")


def backup_root() -> Path:
    value = (getattr(settings, "ONESEAL_BACKUP_DIR", "")
             or os.environ.get("ONESEAL_BACKUP_DIR", ""))
    return Path(value) if value else Path(settings.DATA_DIR) / "backups"


def keep_count() -> int:
    return int(getattr(settings, "ONESEAL_BACKUP_KEEP", 0)
               or os.environ.get("ONESEAL_BACKUP_KEEP", "") or 7)


def max_age_hours() -> int:
    return int(getattr(settings, "ONESEAL_BACKUP_MAX_AGE_HOURS", 0)
               or os.environ.get("ONESEAL_BACKUP_MAX_AGE_HOURS", "") or 36)


def stores() -> dict[str, Path]:
    """The file stores by name: the data directory, and MEDIA_ROOT and the seal directory
    when they live outside it."""
    data = Path(settings.DATA_DIR).resolve()
    found = {"data": data}
    for name, value in (("media", settings.MEDIA_ROOT),
                        ("seal", getattr(settings, "ONESEAL_SEAL_DIR", None))):
        if value is None:
            continue
        path = Path(value).resolve()
        if path != data and data not in path.parents:
            found[name] = path
    return found


OBJECT_STORAGE_ALIASES = ("default", "signed")


def object_stores() -> list[dict[str, Any]]:
    """The file stores kept in S3-compatible object storage (``ONESEAL_S3_BUCKET``): they
    are not copied into the backup — at province scale a daily copy of every file is not
    workable — but named in its manifest, with the bucket's versioning as the store
    reports it: the store's own versioning and replication keep them (docs/operations.md,
    "Files in object storage"). Files are written once, so with versioning on every file a
    row of the snapshot names can still be fetched, whatever happened after."""
    found = []
    for alias in OBJECT_STORAGE_ALIASES:
        storage = storages[alias] if alias in settings.STORAGES else None
        bucket = getattr(storage, "bucket_name", None)
        if storage is None or isinstance(storage, FileSystemStorage) or not bucket:
            continue
        try:
            reply = storage.connection.meta.client.get_bucket_versioning(Bucket=bucket)
            versioning = str(reply.get("Status") or "Disabled")
        except Exception:  # recorded as unknown: the command warns
            versioning = "unknown"
        if versioning != "Enabled":  # the scheduled backup's log says it too
            logger.warning("object store %s (bucket %s) keeps no versions: %s; files "
                           "deleted or overwritten there cannot be recovered", alias, bucket,
                           versioning)
        found.append({"storage": alias, "bucket": bucket,
                      "endpoint": getattr(storage, "endpoint_url", None) or "",
                      "prefix": getattr(storage, "location", ""), "versioning": versioning,
                      "copied": False})
    return found


def _skip(store: str, rel: Path, root: Path, backups: Path | None) -> bool:
    """Left out of the copy: the database files (copied by the snapshot), backups, static
    files, temporary and orphaned package folders, test databases."""
    if store != "data":
        return False
    top = rel.parts[0] if rel.parts else ""
    if top in SKIP_NAMES or rel.name.endswith(SKIP_SUFFIXES) or rel.name.startswith("test-"):
        return True
    if top == "archives" and len(rel.parts) > 1 and rel.parts[1] in ("tmp", "orphans"):
        return True
    return backups is not None and rel == backups  # ONESEAL_BACKUP_DIR inside the data dir


def pg_binary(name: str) -> str:
    """The PostgreSQL client program (ONESEAL_PG_BIN, else PATH), or a clear error."""
    folder = os.environ.get("ONESEAL_PG_BIN", "")
    found = shutil.which(name, path=folder) if folder else shutil.which(name)
    if not found:
        raise ArchiveError(
            _("未找到 %(name)s：请安装 PostgreSQL 客户端（如 apt install postgresql-client，"
              "版本不低于数据库服务器），或用 ONESEAL_PG_BIN 指定其所在目录。") % {"name": name},
            code="pg_client_missing", status=500)
    return found


def _pg_env(db: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = []
    for flag, key in (("-h", "HOST"), ("-p", "PORT"), ("-U", "USER")):
        if db.get(key):
            args += [flag, str(db[key])]
    return args, env


def _dump_database(target: Path) -> tuple[str, str]:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        out = target / "database.sqlite3"
        source = sqlite3.connect(str(db["NAME"]))
        dest = sqlite3.connect(str(out))
        try:
            source.backup(dest)  # one consistent snapshot while writers go on
        finally:
            dest.close()
            source.close()
        return "sqlite", out.name
    if connection.vendor == "postgresql":
        out = target / "database.pgdump"
        args, env = _pg_env(db)
        argv = [pg_binary("pg_dump"), "-Fc", "--no-owner", "-f", str(out), *args,
                str(db["NAME"])]
        done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)  # noqa: S603
        if done.returncode != 0:
            raise ArchiveError(_("pg_dump 失败：%(err)s") % {"err": done.stderr.strip()[:300]},
                               code="pg_dump_failed", status=500)
        return "postgresql", out.name
    raise ArchiveError(_("不支持的数据库：%(v)s") % {"v": connection.vendor}, code="vendor")


def _copy_stores(target: Path, backup_dir: Path) -> None:
    for name, root in stores().items():
        if not root.is_dir():
            continue
        try:
            backups: Path | None = backup_dir.resolve().relative_to(root)
        except ValueError:
            backups = None
        for dirpath, dirs, files in os.walk(root):
            here = Path(dirpath)
            rel_dir = here.relative_to(root)
            dirs[:] = [d for d in dirs if not _skip(name, rel_dir / d, root, backups)]
            for file in files:
                rel = rel_dir / file
                if _skip(name, rel, root, backups) or not (here / file).is_file():
                    continue
                dest = target / "files" / name / rel
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(here / file, dest)


def _manifest(target: Path, vendor: str, db_file: str,
              remote: list[dict[str, Any]]) -> dict[str, Any]:
    files: dict[str, dict[str, Any]] = {}
    for dirpath, _dirs, names in os.walk(target):
        for name in names:
            path = Path(dirpath) / name
            rel = path.relative_to(target).as_posix()
            files[rel] = {"sha256": sha256_file(path), "size": path.stat().st_size}
    return {"format": FORMAT, "created_at": timezone.now().isoformat(), "vendor": vendor,
            "database": db_file, "files": dict(sorted(files.items())),
            "object_stores": remote}


@dataclass
class BackupResult:
    path: Path
    ok: bool
    size: int = 0
    file_count: int = 0
    manifest_sha256: str = ""
    record_id: int | None = None
    object_stores: list[dict[str, Any]] = field(default_factory=list)


def backup(*, dest: Path | None = None, scheduled: bool = False) -> BackupResult:
    """Write one backup (see the module docstring) and record it (BackupRecord)."""
    root = dest or backup_root()
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    started = timezone.now()
    name = PREFIX + started.strftime("%Y%m%dT%H%M%S%fZ")
    final = root / name
    work = root / (name + ".partial")
    record = BackupRecord.objects.create(started_at=started, path=str(final),
                                         scheduled=scheduled)
    try:
        work.mkdir(mode=0o700)
        vendor, db_file = _dump_database(work)
        _copy_stores(work, root)
        manifest = _manifest(work, vendor, db_file, object_stores())
        text = json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")
        (work / "manifest.json").write_bytes(text)
        digest = hashlib.sha256(text).hexdigest()
        (work / "manifest.sha256").write_text(f"{digest}  manifest.json\n", encoding="utf-8")
        os.replace(work, final)
    except Exception as exc:
        shutil.rmtree(work, ignore_errors=True)
        BackupRecord.objects.filter(pk=record.pk).update(
            finished_at=timezone.now(), error=str(getattr(exc, "message", exc))[:500])
        raise
    size = sum(v["size"] for v in manifest["files"].values())
    BackupRecord.objects.filter(pk=record.pk).update(
        finished_at=timezone.now(), ok=True, size=size, file_count=len(manifest["files"]),
        manifest_sha256=digest)
    return BackupResult(final, True, size, len(manifest["files"]), digest, record.pk,
                        manifest["object_stores"])


@dataclass
class ManifestCheck:
    missing: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    manifest: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not (self.missing or self.changed or self.extra)


def check_backup(path: Path) -> ManifestCheck:
    """Every file of the backup against its manifest, and the manifest against its hash."""
    result = ManifestCheck()
    try:
        text = (path / "manifest.json").read_bytes()
        expected = (path / "manifest.sha256").read_text(encoding="utf-8").split()[0]
    except (OSError, IndexError):
        result.missing.append("manifest.json")
        return result
    if hashlib.sha256(text).hexdigest() != expected:
        result.changed.append("manifest.json")
        return result
    result.manifest = json.loads(text)
    listed = result.manifest["files"]
    for rel, meta in listed.items():
        file = path / rel
        if not file.is_file():
            result.missing.append(rel)
        elif sha256_file(file) != meta["sha256"]:
            result.changed.append(rel)
    for dirpath, _dirs, names in os.walk(path):
        for name in names:
            rel = (Path(dirpath) / name).relative_to(path).as_posix()
            if rel not in listed and rel not in ("manifest.json", "manifest.sha256"):
                result.extra.append(rel)
    return result


def _database_empty() -> bool:
    return "archives_archivepackage" not in connection.introspection.table_names()


def _restore_sqlite(source: Path) -> None:
    target = Path(str(connection.settings_dict["NAME"]))
    connections.close_all()
    target.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("-wal", "-shm", "-journal"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    src = sqlite3.connect(str(source))
    dest = sqlite3.connect(str(target))
    try:
        src.backup(dest)
    finally:
        dest.close()
        src.close()


def _restore_pg(source: Path, *, force: bool) -> None:
    db = connection.settings_dict
    connections.close_all()
    args, env = _pg_env(db)
    extra = ["--clean", "--if-exists"] if force else []
    argv = [pg_binary("pg_restore"), "--no-owner", "--exit-on-error", *extra, *args, "-d",
            str(db["NAME"]), str(source)]
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise ArchiveError(_("pg_restore 失败：%(err)s") % {"err": done.stderr.strip()[:300]},
                           code="pg_restore_failed", status=500)


def restore(path: Path, *, force: bool = False) -> ManifestCheck:
    """Bring a backup back into this installation's database and data directory. Refuses
    a damaged backup (any file missing or changed) and, without `force`, a database that
    already holds OneSeal's tables (restore on a fresh machine)."""
    check = check_backup(path)
    if not check.ok:
        raise ArchiveError(_("备份不完整或已被改动，拒绝恢复：缺失 %(m)d 个、改动 %(c)d 个文件。")
                           % {"m": len(check.missing), "c": len(check.changed)},
                           code="backup_damaged")
    manifest = check.manifest
    if manifest.get("format") != FORMAT:
        raise ArchiveError(_("无法识别的备份格式。"), code="backup_format")
    if manifest["vendor"] != connection.vendor:
        raise ArchiveError(_("备份来自 %(a)s 数据库，当前为 %(b)s，请在相同类型的数据库上恢复。")
                           % {"a": manifest["vendor"], "b": connection.vendor},
                           code="vendor_mismatch")
    if not force and not _database_empty():
        raise ArchiveError(_("目标数据库已有数据：请在新的数据库上恢复，或加 --force 覆盖。"),
                           code="target_not_empty")
    if manifest["vendor"] == "sqlite":
        _restore_sqlite(path / manifest["database"])
    else:
        _restore_pg(path / manifest["database"], force=force)
    targets = stores()
    for name in sorted({rel.split("/")[1] for rel in manifest["files"]
                        if rel.startswith("files/")}):
        target = targets.get(name, Path(settings.DATA_DIR) / name)
        shutil.copytree(path / "files" / name, target, dirs_exist_ok=True,
                        copy_function=shutil.copy2)
    return check


def rotate(root: Path | None = None, keep: int | None = None) -> list[str]:
    """Remove all but the `keep` newest complete backups, and half-written ones."""
    root = root or backup_root()
    keep = keep or keep_count()
    if not root.is_dir():
        return []
    done = sorted(p for p in root.iterdir() if p.is_dir() and p.name.startswith(PREFIX)
                  and not p.name.endswith(".partial"))
    removed = []
    for path in done[:-keep] if keep > 0 else []:
        shutil.rmtree(path, onerror=_writable)
        removed.append(path.name)
    return removed


def _writable(func: Any, path: str, exc: Any) -> None:
    os.chmod(os.path.dirname(path), 0o700)
    os.chmod(path, 0o700)
    func(path)


def last_good() -> BackupRecord | None:
    return BackupRecord.objects.filter(ok=True).order_by("-finished_at").first()


def backup_status(now: Any = None) -> dict[str, Any]:
    """What the backup page shows: the last good backup, its age and whether it is too old
    (ONESEAL_BACKUP_MAX_AGE_HOURS, default 36), and the latest failures."""
    now = now or timezone.now()
    good = last_good()
    age_hours = ((now - good.finished_at).total_seconds() / 3600) if good else None
    limit = max_age_hours()
    return {"last_good": good, "age_hours": age_hours, "max_age_hours": limit,
            "too_old": age_hours is None or age_hours > limit,
            "recent": list(BackupRecord.objects.order_by("-started_at")[:10])}
