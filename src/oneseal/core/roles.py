"""Roles (角色) a person may hold; one person may hold several. The vocabulary of every
layer (access checks, services, pages), so it lives in the kernel."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CLERK = "clerk", _("综合受理窗口人员")
    REVIEWER = "reviewer", _("审查人员")
    CHIEF = "chief", _("科室负责人")
    HEAD = "head", _("局长")
    DEPT_OFFICER = "dept_officer", _("主管部门人员")
    SUPERVISOR = "supervisor", _("监督人员")
    CATALOG_ADMIN = "catalog_admin", _("事项目录管理员")
    SYSADMIN = "sysadmin", _("系统管理员")
    HELPER = "helper", _("帮办员")
    APPLICANT = "applicant", _("申请人")
    AGENT = "agent", _("代理人")


STAFF_ROLES = frozenset(
    {Role.CLERK, Role.REVIEWER, Role.CHIEF, Role.HEAD, Role.DEPT_OFFICER, Role.SUPERVISOR,
     Role.CATALOG_ADMIN, Role.SYSADMIN, Role.HELPER}
)
# The bureau head and the administrators must log in with a second factor (TOTP).
TWO_FACTOR_ROLES = frozenset({Role.HEAD, Role.CATALOG_ADMIN, Role.SYSADMIN})
