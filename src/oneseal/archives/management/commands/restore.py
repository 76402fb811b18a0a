"""`oneseal restore BACKUP_DIR [--force]`: bring a backup back on a fresh machine, then
verify the audit chain and every archival package (exit 1 when either fails)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from oneseal.archives.backup import restore
from oneseal.archives.errors import ArchiveError
from oneseal.archives.models import ArchivePackage, PackageState
from oneseal.archives.services import check_package
from oneseal.core.audit_verify import verify_chain


class Command(BaseCommand):
    help = ("从备份恢复数据库和文件存储（先核对校验清单），恢复后核验审计链和全部归档信息包。\n"
            "Restore the database and file stores from a backup (manifest checked first), "
            "then verify the audit chain and every archival package.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("backup", type=Path, help="备份目录 / backup folder")
        parser.add_argument("--force", action="store_true",
                            help="覆盖已有数据 / overwrite existing data")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            check = restore(options["backup"], force=options["force"])
        except ArchiveError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"已恢复 / restored: {len(check.manifest['files'])} files")
        chain = verify_chain(jobs=1)
        self.stdout.write(f"审计链 / audit chain: {'完好 OK' if chain.ok else '有问题 BAD'} "
                          f"({chain.rows_checked} rows)")
        bad = []
        packages = ArchivePackage.objects.exclude(state=PackageState.DESTROYED)
        for package in packages.order_by("id").iterator():
            if not check_package(package).ok:
                bad.append(package.archive_number)
        self.stdout.write(f"归档信息包 / packages: {packages.count() - len(bad)} 完好 OK, "
                          f"{len(bad)} 有问题 BAD {' '.join(bad)}")
        if not chain.ok or bad:
            raise SystemExit(1)
