"""`oneseal verify-audit`: re-compute the audit chain and name the first bad row."""

from __future__ import annotations

import re
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from oneseal.core.audit_anchor import AnchorCheck, anchor_dir, read_anchors
from oneseal.core.audit_deep import Finding, run_deep_checks
from oneseal.core.audit_verify import DEFAULT_BATCH, ChainBreak, VerifyResult, verify_chain

_ANCHOR = re.compile(r"^(\d+):([0-9a-f]{64})$")
_PROGRESS_EVERY = 200_000
_SHOW_FINDINGS = 100


def _anchor(value: str) -> tuple[int, str]:
    match = _ANCHOR.match(value.strip().lower())
    if not match:
        raise CommandError(
            "锚点格式应为 序号:哈希（64 位十六进制）/ anchor must be SEQ:HASH (64 hex digits)"
        )
    return int(match.group(1)), match.group(2)


class Command(BaseCommand):
    help = (
        "重新计算审计链的每一条哈希：链完好时以 0 退出；发现记录被修改、删除、插入或调换顺序时，"
        "以非零状态退出并指出第一条错误记录（序号、id 与原因）。\n"
        "Re-compute every hash of the audit chain: exit 0 when intact; exit non-zero naming "
        "the first bad row (seq, id and reason) when a row was edited, deleted, inserted or "
        "reordered."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--anchor", action="append", default=[], metavar="SEQ:HASH", type=_anchor,
            help="此前记录的链头（可多次给出），该序号的记录哈希必须不变 / a head recorded "
                 "earlier (repeatable): the row with that seq must still have that hash",
        )
        parser.add_argument(
            "--batch-size", type=int, default=DEFAULT_BATCH,
            help="每批读取的行数 / rows read per batch",
        )
        parser.add_argument(
            "--jobs", type=int, default=None,
            help="长审计链分给几个工作进程校验（默认每个 CPU 一个，最多 4 个；1 表示不分）"
                 " / worker processes for a long chain (default: one per CPU, at most 4; "
                 "1: none)",
        )
        parser.add_argument(
            "--deep", action="store_true",
            help="深度核对：每条办件记录与其审计事件、每份签章文件与用印登记、每个办件与其记录"
                 "是否一致 / deep audit: every case event against its chain event, every "
                 "signed document against the seal ledger, every case row against its events",
        )
        parser.add_argument(
            "--no-anchor-files", dest="anchor_files", action="store_false",
            help="不读取锚点文件目录 / do not read the anchor files",
        )
        parser.add_argument(
            "--progress", action="store_true",
            help="在标准错误输出上报告进度 / report progress on stderr",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        show = options["progress"] or (options["verbosity"] >= 2)
        next_report = [_PROGRESS_EVERY]

        def progress(checked: int) -> None:
            if show and checked >= next_report[0]:
                self.stderr.write(f"… {checked:,}")
                next_report[0] = (checked // _PROGRESS_EVERY + 1) * _PROGRESS_EVERY

        files = read_anchors() if options["anchor_files"] else None
        anchors = list(options["anchor"])
        if files is not None:
            anchors += [(a.seq, a.hash) for a in files.anchors]
        result = verify_chain(
            batch_size=max(1, options["batch_size"]), progress=progress,
            anchors=anchors,
            jobs=None if options["jobs"] is None else max(1, options["jobs"]),
        )
        self._summary(result)
        failed = False
        if files is not None:
            failed = self._anchors(files)
        for warning in result.warnings:
            self.stderr.write(self.style.WARNING(
                _("警告：审计链头记录缺失，无法核对链尾") + f" / warning: {warning}"
            ))
        if result.first_bad is not None:
            self._broken(result.first_bad)
            sys.exit(1)
        if options["deep"]:
            failed = self._deep(run_deep_checks()) or failed
        if failed:
            sys.exit(1)
        self.stdout.write(self.style.SUCCESS(_("审计链完好") + " / audit chain intact"))
        if result.head_seq is not None:
            self.stdout.write(
                _("链头（请另行记录，日后以 --anchor 核对）") + " / head (record it elsewhere; "
                f"check later with --anchor): {result.head_seq}:{result.head_hash}"
            )

    def _anchors(self, files: AnchorCheck) -> bool:
        """Report the anchor files; True when one of them is bad."""
        previous = files.previous_check or _("从未")
        newest = files.newest
        if newest is None:
            self.stdout.write(_("没有锚点文件（%(dir)s）") % {"dir": anchor_dir()}
                              + f" / no anchor files ({anchor_dir()}); "
                              f"anchors last checked: {files.previous_check or 'never'}")
        else:
            self.stdout.write(
                _("已核对 %(n)s 个锚点，最新为序号 %(seq)s（%(at)s 写入，%(method)s 签名）；"
                  "上次核对锚点：%(previous)s")
                % {"n": len(files.anchors), "seq": newest.seq, "at": newest.at,
                   "method": newest.method, "previous": previous}
                + f" / checked {len(files.anchors)} anchor(s), newest seq {newest.seq} "
                  f"(written {newest.at}, signed by {newest.method}); anchors last checked: "
                  f"{files.previous_check or 'never'}")
        for name in files.bad_files:
            self.stderr.write(self.style.ERROR(
                _("锚点文件签名无效或无法读取：%(name)s") % {"name": name}
                + f" / anchor file unreadable or its signature fails: {name}"))
        return bool(files.bad_files)

    def _deep(self, findings: list[Finding]) -> bool:
        """Report the deep audit's findings; True when there is one."""
        for finding in findings[:_SHOW_FINDINGS]:
            self.stderr.write(self.style.ERROR(
                f"[{finding.check}] {finding.subject}: {finding.detail}"))
        if findings:
            self.stderr.write(self.style.ERROR(
                _("深度核对发现 %(n)s 处不一致") % {"n": len(findings)}
                + f" / deep audit: {len(findings)} disagreement(s)"))
            return True
        self.stdout.write(_("深度核对一致") + " / deep audit: tables agree with the chain")
        return False

    def _summary(self, result: VerifyResult) -> None:
        rate = result.rows_per_second
        self.stdout.write(
            _("已检查 %(rows)s 条记录，用时 %(seconds).2f 秒（每秒 %(rate)s 条）")
            % {"rows": f"{result.rows_checked:,}", "seconds": result.seconds,
               "rate": f"{rate:,.0f}"}
            + f" / checked {result.rows_checked:,} rows in {result.seconds:.2f} s "
              f"({rate:,.0f} rows/s)"
        )

    def _broken(self, bad: ChainBreak) -> None:
        where_id = "-" if bad.id is None else str(bad.id)
        zh = _("审计链被破坏：第一条错误记录 序号 %(seq)s（id %(id)s），原因：%(reason)s") % {
            "seq": bad.seq, "id": where_id, "reason": bad.reason.label_zh,
        }
        if bad.missing:
            zh += _("；缺少序号 %(first)s–%(last)s") % {
                "first": bad.missing[0], "last": bad.missing[1],
            }
        en = (f"audit chain broken: first bad row seq {bad.seq} (id {where_id}), "
              f"reason: {bad.reason.value} ({bad.detail})")
        self.stderr.write(self.style.ERROR(zh))
        self.stderr.write(self.style.ERROR(en))
