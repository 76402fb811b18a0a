"""Shared-kernel models: the tamper-evident audit chain (审计链).

`AuditEvent` rows are written only by `oneseal.core.audit.append_event` and are never
changed or removed by the application: `save()` on an existing row, `delete()`, and the
queryset's `update()` / `delete()` / `bulk_create()` / `bulk_update()` raise
`AuditImmutableError`. The database refuses UPDATE and DELETE as well (triggers created in
migration 0002). The hash format is described in `oneseal.core.audit`.
"""

from __future__ import annotations

import json
from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

HASH_LENGTH = 64  # hex SHA-256


class AuditImmutableError(Exception):
    """An attempt to change or remove an audit event, or to add one outside append_event."""


def _refuse(what: str) -> NoReturn:
    raise AuditImmutableError(
        f"审计记录只能追加，不能{what} / audit events are append-only: {what} refused"
    )


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    """Reads only: every bulk write is refused."""

    def update(self, **kwargs: Any) -> NoReturn:
        _refuse("修改 (update)")

    def delete(self) -> NoReturn:  # type: ignore[override]
        _refuse("删除 (delete)")

    def bulk_update(self, *args: Any, **kwargs: Any) -> NoReturn:
        _refuse("批量修改 (bulk_update)")

    def bulk_create(self, *args: Any, **kwargs: Any) -> NoReturn:
        _refuse("绕过 append_event 批量写入 (bulk_create)")

    def update_or_create(self, *args: Any, **kwargs: Any) -> NoReturn:
        _refuse("修改 (update_or_create)")

    def _raw_delete(self, using: Any) -> NoReturn:
        _refuse("删除 (raw delete)")


class AuditEvent(models.Model):
    """One event of the audit chain (审计事件): a case event, a use of the seal, a change
    to the catalogue, a privileged login. Each row holds the hash of the row before it
    and its own hash; see `oneseal.core.audit` for the exact format."""

    seq = models.PositiveBigIntegerField(_("序号"), unique=True)
    # Not unique: two rows with the same predecessor would need the same seq, which the unique
    # seq refuses; one index fewer keeps appends cheap.
    prev_hash = models.CharField(_("上一条记录的哈希"), max_length=HASH_LENGTH)
    hash = models.CharField(_("本条记录的哈希"), max_length=HASH_LENGTH, unique=True)
    at = models.DateTimeField(_("时间"))
    # No database constraint and DO_NOTHING: removing a user must never touch the record;
    # the actor's id and name at the time are kept (and hashed) here.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True,
        on_delete=models.DO_NOTHING, db_constraint=False, related_name="+",
    )
    actor_name = models.CharField(_("操作人姓名"), max_length=150, blank=True)
    kind = models.CharField(_("事件类型"), max_length=64)
    subject = models.CharField(_("对象"), max_length=128)
    payload_json = models.TextField(
        _("内容（规范 JSON）"), db_column="payload", default="{}",
        help_text=_("按哈希时的原文保存"),
    )

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["subject", "seq"], name="core_audit_subject_seq"),
            models.Index(fields=["kind", "seq"], name="core_audit_kind_seq"),
        ]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"#{self.seq} {self.kind} {self.subject}"

    def save(self, *args: Any, **kwargs: Any) -> NoReturn:
        if self._state.adding:
            _refuse("绕过 append_event 写入 (save)")
        _refuse("修改 (save)")

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        _refuse("删除 (delete)")

    @cached_property
    def payload(self) -> dict[str, Any]:
        """The payload as a dict (parsed from the stored canonical JSON)."""
        value = json.loads(self.payload_json)
        return value if isinstance(value, dict) else {"value": value}


class AuditChainHead(models.Model):
    """The head of the chain (链头): one row holding the last appended seq and hash.

    Appending locks this row (SELECT ... FOR UPDATE on PostgreSQL; on SQLite the IMMEDIATE
    transaction already holds the database write lock), so two appenders never fork the
    chain. Verification also compares the last row with it, which reveals rows removed
    from, or forged onto, the end of the chain."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(_("最后序号"), default=0)
    hash = models.CharField(_("最后哈希"), max_length=HASH_LENGTH)

    class Meta:
        verbose_name = _("审计链头")
        verbose_name_plural = _("审计链头")
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash[:12]}"


class WorkerLease(models.Model):
    """A running `oneseal worker` (后台任务进程) and its lease: the worker renews `beat_at`
    while it lives. A task left RUNNING by a worker whose lease expired, or whose process is
    gone from this host, is queued again (`oneseal.core.worker.recover_orphaned_tasks`)."""

    worker_id = models.CharField(_("进程标识"), max_length=64, unique=True)
    host = models.CharField(_("主机"), max_length=255)
    pid = models.PositiveIntegerField(_("进程号"))
    started_at = models.DateTimeField(_("启动时间"))
    beat_at = models.DateTimeField(_("最近心跳"))

    class Meta:
        verbose_name = _("后台任务进程")
        verbose_name_plural = _("后台任务进程")
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.host}:{self.pid})"


class PeriodicJob(models.Model):
    """One periodic job of the worker's schedule (定时任务) and its last run: `period` is the
    period it last ran for (e.g. the day ``2026-12-04``), claimed by one conditional update so
    that two workers never run it twice in one period (`oneseal.core.schedule`)."""

    name = models.CharField(_("任务"), max_length=64, unique=True)
    period = models.CharField(_("最近运行的周期"), max_length=32, blank=True)
    started_at = models.DateTimeField(_("最近开始"), null=True, blank=True)
    task_id = models.CharField(_("任务结果标识"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("定时任务")
        verbose_name_plural = _("定时任务")
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.name} @ {self.period or '-'}"
