"""The archives' part of the demo (`oneseal load-demo`): retention rules with their basis
for the demo's items, an archival package for every closed demo case (built here, at once,
as the worker would), the current year's transfer list (移交清单, receipt not yet recorded)
and a destruction list proposed in an appraisal drill (鉴定演练).

The demo's cases are all recent, so none has reached the end of its retention: the drill's
list is proposed as of the day the 10-year packages fall due, says so in its appraisal
opinion, and can be approved but not executed (execution checks the real date).
Idempotent: a second run builds nothing and makes no second list."""

from __future__ import annotations

from oneseal.accounts.models import User
from oneseal.catalog.models import Item
from oneseal.core import demo

from . import appraisal
from .domain.retention import Retention, expires_on
from .models import ArchivePackage, DestructionList, RetentionRule, TransferList
from .services import build_package, closed_without_package

RULES = (  # (result, retention, basis) for every demo item
    ("granted", "30y",
     "《机关文件材料归档范围和文书档案保管期限规定》第八条；本局档案分类方案：准予许可"),
    ("refused", "30y", "同上：不予许可决定"),
    ("not_accepted", "10y", "同上：不予受理"),
    ("withdrawn", "10y", "同上：申请人撤回"),
    ("terminated", "10y", "同上：终止办理"),
)
DRILL = "演示数据：鉴定演练。保管期限按到期日计算，实际到期前不能执行销毁。"


@demo.register("archives", order=850)
def load(ctx: demo.DemoContext) -> None:
    for item in Item.objects.all():
        for result, retention, basis in RULES:
            RetentionRule.objects.get_or_create(item=item, result=result,
                                                defaults={"retention": retention,
                                                          "basis": basis})
    built = 0
    for case_id in closed_without_package():
        build_package(case_id)
        built += 1
    admin = User.objects.filter(username="admin").first()
    head = User.objects.filter(username="head").first()
    lists = []
    year_row = ArchivePackage.objects.order_by("-year").values_list("year", flat=True).first()
    if admin is not None and year_row and not TransferList.objects.exists():
        lists.append(appraisal.create_transfer(actor=admin, year=year_row).number)
    ten = list(ArchivePackage.objects.filter(retention=Retention.Y10).order_by("id")[:3])
    if admin is not None and head is not None and ten and not DestructionList.objects.exists():
        due = expires_on(ten[-1].year, Retention.Y10)
        lists.append(appraisal.propose_destruction(actor=admin, reason=DRILL, today=due,
                                                   package_ids=[p.pk for p in ten]).number)
    ctx.log(f"电子档案 / archives: 新归档 {built} 件，共 {ArchivePackage.objects.count()} 件"
            + (f"；{'、'.join(lists)}" if lists else ""))
