"""Demo loader `org`: the organisation tree and one staff member per role (see
`oneseal.core.demo` for how loaders are found and run)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django_otp.plugins.otp_totp.models import TOTPDevice

from oneseal.accounts.models import User
from oneseal.accounts.roles import TWO_FACTOR_ROLES, Role
from oneseal.accounts.services import create_staff, grant_role, install_totp_device
from oneseal.core import demo

from .seed import load_org_tree
from .services import transfer_staff

TRANSFER_DATE = datetime.date(2019, 3, 31)
TRANSFER_DOCUMENT = "西编〔2019〕12号"
TRANSFER_NOTE = "相对集中行政许可权改革，随审批事项划入区行政审批局"


@dataclass(frozen=True)
class DemoStaff:
    username: str
    display_name: str
    unit: str
    roles: tuple[str, ...]
    transferred_from: str | None = None  # unit code: 人员划转 on TRANSFER_DATE
    superuser: bool = False


DEMO_STAFF: tuple[DemoStaff, ...] = (
    DemoStaff("clerk", "王丽娟", "bureau-intake", (Role.CLERK,)),
    DemoStaff("reviewer", "张建华", "bureau-review-1", (Role.REVIEWER,),
              transferred_from="dept-env"),
    DemoStaff("chief", "李国强", "bureau-review-1", (Role.CHIEF, Role.REVIEWER),
              transferred_from="dept-housing"),
    DemoStaff("head", "陈志明", "bureau", (Role.HEAD,)),
    DemoStaff("dept", "赵晓燕", "dept-env", (Role.DEPT_OFFICER,)),
    DemoStaff("supervisor", "刘秀英", "bureau-legal", (Role.SUPERVISOR,)),
    DemoStaff("catalog-admin", "杨帆", "bureau-legal", (Role.CATALOG_ADMIN,)),
    DemoStaff("admin", "周海涛", "bureau-office", (Role.SYSADMIN,), superuser=True),
    DemoStaff("helper", "孙佳", "bureau-intake", (Role.HELPER,)),
    # A department's clerk stationed at the hall window (进驻窗口): decides that department's
    # on-the-spot items (即办件) at the window, e.g. 个体工商户登记.
    DemoStaff("market-clerk", "何敏", "dept-market", (Role.CLERK,)),
)


def _role_label(roles: tuple[str, ...]) -> str:
    return "、".join(str(Role(r).label) for r in roles)


@demo.register("org", order=100)
def load(ctx: demo.DemoContext) -> None:
    units = load_org_tree(actor=None)
    ctx.log(f"组织机构 / organisation: {len(units)} 个单位 units")
    created = 0
    for spec in DEMO_STAFF:
        user = User.objects.filter(username=spec.username).first()
        if user is None:
            created += 1
            start = units[spec.transferred_from or spec.unit]
            user = create_staff(
                actor=None, username=spec.username, display_name=spec.display_name,
                unit=start, roles=spec.roles, password_hash=ctx.password_hash,
                superuser=spec.superuser,
            )
            if spec.transferred_from:
                transfer_staff(actor=None, user=user, to_unit=units[spec.unit],
                               effective_on=TRANSFER_DATE, document_no=TRANSFER_DOCUMENT,
                               note=TRANSFER_NOTE)
        else:
            for role in spec.roles:
                grant_role(actor=None, user=user, role=role)  # no-op when held
        two_factor = bool(set(spec.roles) & TWO_FACTOR_ROLES)
        if two_factor and not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            install_totp_device(actor=None, user=user, key=demo.demo_totp_key(user.username),
                                name=demo.DEMO_TOTP_DEVICE_NAME)
        ctx.add_login(spec.username, _role_label(spec.roles), two_factor=two_factor)
    ctx.log(f"工作人员 / staff: {len(DEMO_STAFF)} 人（新建 {created} / created）")
