"""Value sets of the item elements (law.md §13), with the Chinese labels the exchange formats
use (a provincial spreadsheet says 行政许可, not `licensing`)."""

from __future__ import annotations

import enum


class ItemType(enum.StrEnum):
    LICENSING = "licensing"
    CONFIRMATION = "confirmation"
    ADJUDICATION = "adjudication"
    PAYMENT = "payment"
    REWARD = "reward"
    FILING = "filing"
    OTHER_POWER = "other_power"
    PUBLIC_SERVICE = "public_service"
    REVIEW_FORWARD = "review_forward"


ITEM_TYPE_LABELS: dict[str, str] = {
    ItemType.LICENSING: "行政许可",
    ItemType.CONFIRMATION: "行政确认",
    ItemType.ADJUDICATION: "行政裁决",
    ItemType.PAYMENT: "行政给付",
    ItemType.REWARD: "行政奖励",
    ItemType.FILING: "行政备案",
    ItemType.OTHER_POWER: "其他行政权力",
    ItemType.PUBLIC_SERVICE: "公共服务",
    ItemType.REVIEW_FORWARD: "审核转报",
}


class SpecialKind(enum.StrEnum):
    """Special procedures (特别程序). The first eight are those of 行政许可法 第45条, whose
    time is not counted in the limits; a site survey (现场勘查) is part of the review and does
    not stop the clock."""

    HEARING = "hearing"
    TENDER = "tender"
    AUCTION = "auction"
    INSPECTION = "inspection"
    TESTING = "testing"
    QUARANTINE = "quarantine"
    APPRAISAL = "appraisal"
    EXPERT_REVIEW = "expert_review"
    SITE_SURVEY = "site_survey"


SPECIAL_KIND_LABELS: dict[str, str] = {
    SpecialKind.HEARING: "听证",
    SpecialKind.TENDER: "招标",
    SpecialKind.AUCTION: "拍卖",
    SpecialKind.INSPECTION: "检验",
    SpecialKind.TESTING: "检测",
    SpecialKind.QUARANTINE: "检疫",
    SpecialKind.APPRAISAL: "鉴定",
    SpecialKind.EXPERT_REVIEW: "专家评审",
    SpecialKind.SITE_SURVEY: "现场勘查",
}
CLOCK_STOPPING_KINDS = frozenset(set(SpecialKind) - {SpecialKind.SITE_SURVEY})  # 第45条


class OnlineDepth(enum.IntEnum):
    """网上办理深度."""

    GUIDE = 1  # 一级：网上提供办事指南
    FORMS = 2  # 二级：在线预约、表格下载
    APPLY = 3  # 三级：在线申请、在线预审
    FULL = 4  # 四级：全程网办


ONLINE_DEPTH_LABELS: dict[int, str] = {1: "一级", 2: "二级", 3: "三级", 4: "四级"}


class PaperSize(enum.StrEnum):
    A4 = "A4"
    A3 = "A3"
    OTHER = "other"


PAPER_SIZE_LABELS: dict[str, str] = {"A4": "A4", "A3": "A3", "other": "其他"}


class ResultKind(enum.StrEnum):
    LICENCE = "licence"
    APPROVAL = "approval"
    OTHER = "other"


RESULT_KIND_LABELS: dict[str, str] = {"licence": "证照", "approval": "批文", "other": "其他"}


class JointHandling(enum.StrEnum):
    """Joint handling an item's law prescribes (行政许可法 第26条, 第42条第二款): its cases
    are handled 统一办理, 联合办理 or 集中办理 from the start, and have 45 working days. The
    values are those of `cases.models.JointKind`; empty (`NONE`) for an item handled alone."""

    NONE = ""
    UNIFIED = "unified"  # 统一办理
    JOINT = "joint"  # 联合办理
    CENTRALISED = "centralised"  # 集中办理


JOINT_HANDLING_LABELS: dict[str, str] = {
    JointHandling.UNIFIED: "统一办理",
    JointHandling.JOINT: "联合办理",
    JointHandling.CENTRALISED: "集中办理",
}
