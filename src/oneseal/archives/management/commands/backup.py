"""`oneseal backup [--dest DIR] [--rotate]`: one consistent backup of the database and the
file stores with a manifest of checksums (oneseal.archives.backup)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from oneseal.archives.backup import backup, rotate
from oneseal.archives.errors import ArchiveError


class Command(BaseCommand):
    help = ("备份数据库（SQLite 在线备份 / pg_dump）和文件存储，附校验清单。\n"
            "Back up the database (SQLite online backup / pg_dump) and the file stores, "
            "with a manifest of checksums.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dest", type=Path, default=None,
                            help="备份目录（默认 ONESEAL_BACKUP_DIR）/ backup folder")
        parser.add_argument("--rotate", action="store_true",
                            help="只保留最近 ONESEAL_BACKUP_KEEP 份 / keep the newest N only")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = backup(dest=options["dest"])
        except ArchiveError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"备份完成 / backup written: {result.path}\n"
                          f"  {result.file_count} files, {result.size} bytes, "
                          f"manifest sha256 {result.manifest_sha256}")
        for store in result.object_stores:  # not copied: the bucket's versioning keeps them
            self.stdout.write(_("  对象存储 %(bucket)s/%(prefix)s 中的文件未复制进备份，由存储桶"
                                "的版本控制和复制保存（版本控制：%(versioning)s）。")
                              % store)
            if store["versioning"] != "Enabled":
                self.stderr.write(_("警告：存储桶 %(bucket)s 未开启版本控制，被删除或覆盖的文件"
                                    "无法找回；请开启版本控制（见运维文档）。") % store)
        if options["rotate"]:
            for name in rotate(options["dest"]):
                self.stdout.write(f"  已删除旧备份 / removed: {name}")
