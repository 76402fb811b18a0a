"""`oneseal archive`: build packages of closed cases, and check their fixity.

    oneseal archive build [--all | CASE_NUMBER...]
    oneseal archive verify [--all | CASE_NUMBER...]

`verify` names every missing, changed and extra file of each bad package and exits 1 when
any package is bad (0 when all are intact).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from oneseal.archives.errors import ArchiveError
from oneseal.archives.models import ArchivePackage, PackageState
from oneseal.archives.services import build_package, closed_without_package, verify_package
from oneseal.cases.models import Case


class Command(BaseCommand):
    help = ("电子档案：为已办结的办件归档，检测归档信息包的完整性"
            "（列出每个缺失、改动、多出的文件）。\n"
            "Archives: build the packages of closed cases; check every package's fixity.")

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        for name, text in (("build", "归档（默认：所有未归档的已办结办件）/ build packages"),
                           ("verify", "检测完整性 / check fixity")):
            p = sub.add_parser(name, help=text)
            p.add_argument("cases", nargs="*", metavar="CASE_NUMBER",
                           help="办件编号 / case numbers")
            p.add_argument("--all", action="store_true", help="全部 / all")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "build":
            self._build(options["cases"])
        else:
            self._verify(options["cases"], options["all"])

    def _build(self, numbers: list[str]) -> None:
        if numbers:
            ids = list(Case.objects.filter(number__in=numbers).values_list("id", flat=True))
            if len(ids) != len(set(numbers)):
                raise CommandError("办件编号不存在 / unknown case number")
        else:
            ids = closed_without_package()
        for case_id in ids:
            try:
                package = build_package(case_id)
            except ArchiveError as exc:
                self.stderr.write(f"{case_id}: {exc.message}")
                continue
            self.stdout.write(f"{package.case_number}  {package.archive_number}  "
                              f"{package.file_count} files")

    def _verify(self, numbers: list[str], every: bool) -> None:
        if not numbers and not every:
            raise CommandError("请给出办件编号或 --all / give case numbers or --all")
        packages = ArchivePackage.objects.exclude(state=PackageState.DESTROYED)
        if numbers:
            packages = packages.filter(case_number__in=numbers)
            found = set(packages.values_list("case_number", flat=True))
            missing = sorted(set(numbers) - found)
            if missing:
                raise CommandError(f"没有归档信息包 / no package: {', '.join(missing)}")
        bad = checked = 0
        for package in packages.order_by("id").iterator():
            result = verify_package(package)
            checked += 1
            if result.ok:
                self.stdout.write(f"OK    {package.archive_number}  {package.case_number}")
                continue
            bad += 1
            self.stdout.write(f"BAD   {package.archive_number}  {package.case_number}")
            report = result.report
            for label, names in (("缺失 missing", report.missing), ("改动 changed", report.changed),
                                 ("多出 extra", report.extra), ("错误 error", report.errors)):
                for name in names:
                    self.stdout.write(f"      {label}: {name}")
        self.stdout.write(f"检测 {checked} 个，完好 {checked - bad} 个，有问题 {bad} 个 / "
                          f"checked {checked}, intact {checked - bad}, bad {bad}")
        if bad:
            raise SystemExit(1)
