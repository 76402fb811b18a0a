"""What each role can do in the workbench (工作台功能): one list that feeds the side navigation
and the dashboard cards. A feature without ``url``, or whose URL name is not mounted (yet),
belongs to a later issue and is shown as "即将上线" (coming soon), never as a working link."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from oneseal.accounts.roles import STAFF_ROLES, Role

ALL_STAFF = frozenset(STAFF_ROLES)


@dataclass(frozen=True)
class Feature:
    key: str
    label: str | Promise
    description: str | Promise
    roles: frozenset[str]
    url: str | None = None  # "namespace:name", or a path starting with "/"; None: not built
    group: str = "work"  # work | tools | account

    @property
    def built(self) -> bool:
        return self.href() is not None

    def href(self) -> str | None:
        if self.url is None:
            return None
        if self.url.startswith("/"):
            return self.url
        try:
            return reverse(self.url)
        except NoReverseMatch:
            return None


FEATURES: tuple[Feature, ...] = (
    Feature("home", _("工作台首页"), _("我的角色可以使用的功能。"), ALL_STAFF,
            "workbench:home", group="main"),
    Feature("intake", _("收件受理"),
            _("综合受理窗口：核验材料，当场作出受理、不予受理或一次性告知补正的决定。"),
            frozenset({Role.CLERK}), "cases:intake"),
    Feature("review", _("审查"),
            _("后台分类审批：审查材料，组织现场勘查、专家评审、听证等特别程序。"),
            frozenset({Role.REVIEWER, Role.CHIEF}), "cases:tasks"),
    Feature("decide", _("审批决定"),
            _("签发准予或不予许可决定；局长审批延长办理期限。"),
            frozenset({Role.CHIEF, Role.HEAD}), "cases:tasks"),
    Feature("online_review", _("网上预审"),
            _("网上提交的申请：五个工作日内受理、一次性告知补正或不予受理。"),
            frozenset({Role.CLERK}), "cases:online_queue"),
    Feature("delivery", _("统一出件"), _("统一窗口送达许可证件和决定书。"),
            frozenset({Role.CLERK}), "cases:delivery"),
    Feature("hall_window", _("窗口叫号"),
            _("大厅窗口签到，叫号、重呼、过号、转移，从排队号受理。"),
            frozenset({Role.CLERK, Role.HELPER, Role.DEPT_OFFICER}), "hall_window:windows"),
    Feature("hall_settings", _("大厅设置"),
            _("政务服务大厅的地址、开放时间、电话、位置图和预约规则。"),
            frozenset({Role.SYSADMIN}), "hall_window:settings"),
    Feature("hall_stats", _("大厅统计"),
            _("按日期、窗口、类别和办理人统计取号、办结、过号、等候和办理时长、"
              "预约和评价，导出 Excel。"),
            frozenset({Role.SUPERVISOR, Role.SYSADMIN}), "hall_stats:page"),
    Feature("cases", _("办件查询"),
            _("按状态、事项、办件编号或申请人查找办件，查看办理过程和时限。"),
            frozenset({Role.CLERK, Role.REVIEWER, Role.CHIEF, Role.HEAD, Role.DEPT_OFFICER,
                       Role.SUPERVISOR, Role.HELPER}), "cases:list"),
    Feature("seal_queue", _("用印审批"),
            _("批准在已决定的办件上加盖行政审批专用章，查看待签章和签章失败的文书。"),
            frozenset({Role.HEAD, Role.CHIEF, Role.CLERK}), "licences:seal_queue"),
    Feature("seal", _("电子印章"), _("印章、证书和用印授权，以及用印登记。"),
            frozenset({Role.HEAD, Role.SUPERVISOR, Role.SYSADMIN}), "seal:index"),
    Feature("licences", _("电子证照库"),
            _("查询本局签发的电子证照，办理暂扣、撤销、注销等状态变更。"),
            frozenset({Role.CLERK, Role.REVIEWER, Role.CHIEF, Role.HEAD, Role.DEPT_OFFICER,
                       Role.SUPERVISOR}), "licences:list"),
    Feature("assist", _("帮办代办"), _("为申请人免费代为填报申请、跟踪办理进度。"),
            frozenset({Role.HELPER}), "assist:workbench"),
    Feature("coordination", _("部门协同"),
            _("接收审批结果用于事中事后监管，反馈监管中发现的问题。"),
            frozenset({Role.DEPT_OFFICER, Role.CHIEF, Role.HEAD, Role.SUPERVISOR}),
            "coordination_workbench:inbox"),
    Feature("coordination_items", _("事项协同设置"),
            _("联合审查等待哪些部门的意见，专项联合审查须会签的部门，审核转报的上级机关。"),
            frozenset({Role.CATALOG_ADMIN, Role.HEAD}), "coordination_workbench:item_policies"),
    Feature("exchange", _("数据交换"),
            _("事件订阅与推送、死信重放、部门接口密钥和调用日志。"),
            frozenset({Role.SYSADMIN, Role.SUPERVISOR, Role.DEPT_OFFICER}),
            "coordination_workbench:exchange"),
    Feature("supervision", _("时限监督"), _("查看办件时限红黄绿灯、超期预警和差评整改。"),
            frozenset({Role.SUPERVISOR, Role.HEAD}), "supervision:board"),
    Feature("my_alerts", _("我的预警"),
            _("发给我的临近期限和超期预警：确认，写明处理情况后关闭。"), ALL_STAFF,
            "supervision:my_alerts"),
    Feature("stats", _("统计分析"),
            _("按事项、部门、渠道、街道和周期统计收件、受理、办结、按期办结率、网上办理占比和"
              "满意率，图表展示，导出 Excel。"),
            frozenset({Role.SUPERVISOR, Role.HEAD}), "case_stats:page"),
    Feature("audit", _("审计记录"), _("查阅不可篡改的操作记录，核验哈希链是否完整。"),
            frozenset({Role.SUPERVISOR, Role.HEAD}), "supervision:audit"),
    Feature("archives", _("电子档案"),
            _("按办件编号、申请人、事项、年度和保管期限检索归档信息包，检测完整性，"
              "编制移交清单和销毁清单。"),
            frozenset({Role.HEAD, Role.CHIEF, Role.SUPERVISOR, Role.SYSADMIN}),
            "archives_workbench:index"),
    Feature("retention", _("保管期限"), _("按事项和办理结果设定办件档案的保管期限及其依据。"),
            frozenset({Role.CATALOG_ADMIN, Role.SYSADMIN}), "archives_workbench:retention"),
    Feature("backups", _("数据备份"), _("最近一次成功备份的时间和位置，备份过期告警。"),
            frozenset({Role.SUPERVISOR, Role.SYSADMIN}), "archives_workbench:backups"),
    Feature("intermediaries", _("中介超市监管"),
            _("审核中介机构资质，处理对中介机构的投诉；信用处理和服务统计公开。"),
            frozenset({Role.CATALOG_ADMIN, Role.SUPERVISOR}), "intermediaries_workbench:index"),
    Feature("catalog", _("事项目录"),
            _("维护审批事项、办事指南、申请材料和划转备忘录。"),
            frozenset({Role.CATALOG_ADMIN}), "catalog_admin:index"),
    Feature("calendar", _("工作日历"), _("维护法定节假日和调休安排。"),
            frozenset({Role.SYSADMIN}), "workcalendar:admin"),
    Feature("org", _("组织与人员"), _("维护单位、人员、角色授权和人员划转记录。"),
            frozenset({Role.SYSADMIN})),
    Feature("deadline", _("办理时限计算器"),
            _("按法定工作日计算受理、补正、决定和送达的截止日期。"), ALL_STAFF,
            "/tools/deadline/", group="tools"),
    Feature("profile", _("我的角色"), _("姓名、单位、角色和划转记录。"), ALL_STAFF,
            "accounts:profile", group="account"),
    Feature("password", _("修改密码"), _("定期更换登录密码。"), ALL_STAFF,
            "accounts:password_change", group="account"),
)


def features_for(user: Any) -> list[Feature]:
    """The features any of ``user``'s roles allows, in display order."""
    if not user.is_authenticated:
        return []
    return [f for f in FEATURES if f.roles & user.role_codes]


def role_labels(user: Any) -> list[str]:
    """The labels of ``user``'s roles in the order of ``Role``."""
    codes = user.role_codes if user.is_authenticated else frozenset()
    return [str(label) for value, label in Role.choices if value in codes]
