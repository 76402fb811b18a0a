"""`oneseal catalog import FILE [--good-rows-only] [--dry-run]` and
`oneseal catalog export FILE`: the item catalogue in Excel (.xlsx) or JSON (.json)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from oneseal.catalog import exporting, formats, importing


class Progress:
    """A one-line progress bar on stderr (only when it is a terminal, or when forced)."""

    def __init__(self, label: str, stream: Any, enabled: bool) -> None:
        self.label, self.stream, self.enabled = label, stream, enabled
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total == 0:
            return
        width = 30
        filled = width * done // total
        bar = "█" * filled + "·" * (width - filled)
        self.stream.write(f"\r{self.label} [{bar}] {done}/{total}")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()


def _format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix == ".json":
        return "json"
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    raise CommandError(f"不支持的文件类型 / unsupported file type: {path.suffix}（.xlsx, .json）")


class Command(BaseCommand):
    help = ("导入或导出事项目录（Excel .xlsx 或 JSON）。"
            " / Import or export the item catalogue (Excel .xlsx or JSON).")

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="导入事项 / import items")
        imp.add_argument("file", help="Excel (.xlsx) 或 JSON 文件 / file to import")
        imp.add_argument("--good-rows-only", action="store_true",
                         help="有错误时仍导入无误的事项 / import the good items even if "
                              "some are bad")
        imp.add_argument("--dry-run", action="store_true",
                         help="只检查并统计，不写入 / check and count, write nothing")
        imp.add_argument("--progress", action="store_true",
                         help="总是显示进度条 / always show the progress bar")
        exp = sub.add_parser("export", help="导出事项 / export items")
        exp.add_argument("file", help="目标文件 .xlsx 或 .json / target file")
        exp.add_argument("--progress", action="store_true",
                         help="总是显示进度条 / always show the progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        fmt = _format(path)
        show = bool(options.get("progress")) or sys.stderr.isatty()
        if options["action"] == "export":
            bar = Progress("导出 / export", self.stderr, show)
            with path.open("wb") as target:
                count = exporting.export_file(target, fmt, progress=bar)
            bar.close()
            self.stdout.write(f"已导出 {count} 个事项 / exported {count} items → {path}")
            return
        if not path.exists():
            raise CommandError(f"文件不存在 / no such file: {path}")
        with path.open("rb") as stream:
            sources = formats.read_json(stream) if fmt == "json" else formats.read_excel(stream)
        bar = Progress("导入 / import", self.stderr, show)
        report = importing.import_items(
            actor=None, sources=sources, good_rows_only=options["good_rows_only"],
            dry_run=options["dry_run"], progress=bar, file_name=path.name)
        bar.close()
        for error in report.errors:
            self.stdout.write(str(error))
        self.stdout.write(report.summary())
        if report.errors and not options["good_rows_only"]:
            raise CommandError("导入未执行：请先改正以上错误 / nothing imported: fix the errors "
                               "above, or pass --good-rows-only")
