"""`oneseal seal`: the electronic seals (电子印章) of the bureau and of the departments that
keep their own items in the hall.

    oneseal seal init [--force]   make the demo maker (CA), the seal keys and the seal rows
    oneseal seal list             the seals, their validity and certificates
    oneseal seal show CODE        one seal: data, certificates, the maker's signature check
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from oneseal.seal.certs import maker_signature_ok
from oneseal.seal.errors import SealError
from oneseal.seal.keys import init_seals
from oneseal.seal.models import Seal


class Command(BaseCommand):
    help = ("电子印章：初始化（演示 CA）、列出、查看印章。 / "
            "Seals: init (demo CA), list, show.")

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{init,list,show}")
        init = sub.add_parser("init", help="生成演示制章者、印章密钥与印章 / make the demo "
                                           "maker, seal keys and seals (idempotent)")
        init.add_argument("--force", action="store_true",
                          help="重新生成印章密钥（旧证书保留） / make new seal keys "
                               "(old certificates stay listed)")
        sub.add_parser("list", help="列出印章 / list the seals")
        show = sub.add_parser("show", help="查看一枚印章 / show one seal")
        show.add_argument("code", help="印章编码 / seal code")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            if action == "init":
                self._init(force=options["force"])
            elif action == "list":
                self._list()
            else:
                self._show(options["code"])
        except SealError as exc:
            raise CommandError(exc.message) from exc

    def _init(self, *, force: bool) -> None:
        from oneseal.catalog.selectors import units_exercising_own_items
        from oneseal.org.selectors import bureau

        unit = bureau()
        name = unit.name if unit is not None else "西山区行政审批局"
        # the bureau's two seals, and those of each department that keeps its own items in
        # the hall (it accepts and decides them in its own name, 行政许可法 第25条)
        report = init_seals(bureau_name=name, bureau_code=settings.ONESEAL_BUREAU_CODE,
                            force=force, units=units_exercising_own_items())
        for line in report.lines():
            self.stdout.write(line)

    def _list(self) -> None:
        seals = list(Seal.objects.select_related("unit").prefetch_related("certificates"))
        if not seals:
            self.stdout.write("尚无印章，请运行 oneseal seal init。 / no seals yet")
            return
        for seal in seals:
            state = "启用" if seal.active else "停用"
            self.stdout.write(f"{seal.code}  {seal.get_kind_display()}  {seal.name}  "
                              f"{seal.valid_from}–{seal.valid_to}  {state}  "
                              f"证书 {seal.certificates.count()} 张")

    def _show(self, code: str) -> None:
        seal = Seal.objects.select_related("maker", "unit").filter(code=code).first()
        if seal is None:
            raise CommandError(f"印章 {code} 不存在。 / no seal {code}")
        self.stdout.write(json.dumps(seal.seal_data, ensure_ascii=False, indent=2))
        for cert in seal.certificates.all():
            revoked = f"  停用于 {cert.revoked_at}" if cert.revoked_at else ""
            self.stdout.write(f"证书 {cert.serial}  {cert.subject}  {cert.not_before:%Y-%m-%d}–"
                              f"{cert.not_after:%Y-%m-%d}  SHA-256 {cert.fingerprint}{revoked}")
        ok = seal.maker is not None and maker_signature_ok(
            bytes(seal.maker.der), seal.seal_data, bytes(seal.maker_signature))
        self.stdout.write(f"制章者签名 / maker signature: {'有效 valid' if ok else '无效 INVALID'}")
