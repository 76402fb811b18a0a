"""The organisation tree (组织机构): district government, the bureau and its sections,
competent departments, streets and communities."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from oneseal.core.identity import validate_credit_code


class UnitKind(models.TextChoices):
    GOVERNMENT = "government", _("区人民政府")
    BUREAU = "bureau", _("行政审批局")
    SECTION = "section", _("内设科室")
    DEPARTMENT = "department", _("行政主管部门")
    STREET = "street", _("街道办事处")
    COMMUNITY = "community", _("社区")
    PUBLIC_SERVICE = "public_service", _("公共服务单位")
    OTHER = "other", _("其他单位")


class Unit(models.Model):
    """A unit of the organisation tree (单位). Sections belong to the bureau; communities
    to streets. Legal bodies carry their unified social credit code (统一社会信用代码)."""

    code = models.SlugField(_("内部代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    kind = models.CharField(_("类型"), max_length=20, choices=UnitKind.choices)
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, null=True, blank=True, unique=True,
        validators=[validate_credit_code],
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("上级单位"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.name


class StaffTransfer(models.Model):
    """A record of a person transferred from a department to the bureau (人员划转)."""

    user = models.ForeignKey(
        "accounts.User", verbose_name=_("人员"), on_delete=models.PROTECT,
        related_name="transfers",
    )
    from_unit = models.ForeignKey(
        Unit, verbose_name=_("原单位"), on_delete=models.PROTECT, related_name="+"
    )
    to_unit = models.ForeignKey(
        Unit, verbose_name=_("划入单位"), on_delete=models.PROTECT, related_name="+"
    )
    effective_on = models.DateField(_("划转日期"))
    document_no = models.CharField(_("文件文号"), max_length=80, blank=True)
    note = models.TextField(_("备注"), blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("人员划转记录")
        verbose_name_plural = _("人员划转记录")
        ordering = ["-effective_on", "-id"]

    def __str__(self) -> str:
        return f"{self.user} {self.from_unit} → {self.to_unit} ({self.effective_on})"


SERVICE_POINT_KINDS = (UnitKind.STREET, UnitKind.COMMUNITY)


class ServicePointItem(models.Model):
    """An item a street or community service point (便民服务中心/站) may receive (就近收件,
    work plan measure 十二); the case still goes to the bureau's back office."""

    point = models.ForeignKey(Unit, verbose_name=_("便民服务中心/站"), on_delete=models.PROTECT,
                              related_name="service_items",
                              limit_choices_to={"kind__in": SERVICE_POINT_KINDS})
    item = models.ForeignKey("catalog.Item", verbose_name=_("事项"), on_delete=models.PROTECT,
                             related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("便民服务点可收件事项")
        verbose_name_plural = _("便民服务点可收件事项")
        constraints = [models.UniqueConstraint(fields=["point", "item"],
                                               name="org_service_point_item")]

    def __str__(self) -> str:
        return f"{self.point_id}:{self.item_id}"
