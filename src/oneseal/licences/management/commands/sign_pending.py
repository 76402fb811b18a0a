"""`oneseal manage sign_pending [--case NUMBER]`: sign now every authorised (or failed)
seal use, without the background worker — for the demo, for recovery after an outage of the
key store, and for tests. Idempotent: a signed use is never signed again."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from oneseal.cases.models import Case
from oneseal.licences.signing import sign_pending
from oneseal.seal.models import SealUse, SealUseState


class Command(BaseCommand):
    help = "签署所有已批准用印但尚未签章的文书和证照 / sign every authorised, unsigned seal use"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--case", default="", help="只签该办件编号 / only this case number")

    def handle(self, *args: Any, **options: Any) -> None:
        case = None
        if options["case"]:
            case = Case.objects.filter(number=options["case"].strip().upper()).first()
            if case is None:
                raise CommandError(f"办件不存在 / no such case: {options['case']}")
        done = sign_pending(case)
        signed = [u for u in done if u.state == SealUseState.SIGNED]
        failed = SealUse.objects.filter(state=SealUseState.FAILED)
        if case is not None:
            failed = failed.filter(case=case)
        self.stdout.write(f"已签章 / signed: {len(signed)}")
        for use in failed.order_by("id")[:20]:
            self.stdout.write(f"签章失败 / failed: {use.key} {use.title}: {use.last_error}")
        if failed.exists():
            raise CommandError("部分用印签章失败 / some seal uses failed")
