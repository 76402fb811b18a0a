# ruff: noqa: E501  (data)
"""The online forms of the demo items (申请表字段、情形引导), by item name. 食品经营许可's
`business_scope` (经营项目) is the scope its licence prints (`licences.services.issue_licence`)."""

from __future__ import annotations

from typing import Any

PHONE = {"key": "contact_phone", "label": "联系电话", "kind": "text", "required": True,
         "pattern": r"1\d{10}|0\d{2,3}-?\d{7,8}", "help_text": "手机号码或带区号的固定电话"}

FORMS: dict[str, dict[str, list[dict[str, Any]]]] = {
    "食品经营许可": {
        "questions": [
            {"text": "您是否已持有食品经营许可证？", "options": [
                {"label": "没有，首次申请", "variant": "01"},
                {"label": "已持有，需要办理其他业务", "variant": ""}]},
            {"text": "已持有许可证的，您要办理什么业务？", "help_text": "首次申请的，本题不用回答。",
             "options": [{"label": "许可事项发生变化（变更）", "variant": "02"},
                         {"label": "有效期届满需要继续经营（延续）", "variant": "03"},
                         {"label": "不再经营（注销）", "variant": "04"}]},
        ],
        "fields": [
            {"key": "operator_name", "label": "经营者名称", "kind": "text", "required": True,
             "help_text": "与营业执照上的名称一致"},
            {"key": "premises", "label": "经营场所", "kind": "text", "required": True,
             "min_value": 5, "max_value": 200},
            {"key": "business_scope", "label": "经营项目（经营范围）", "kind": "choice",
             "required": True, "choices": ["预包装食品销售（含冷藏冷冻食品）", "散装食品销售",
                                           "热食类食品制售", "冷食类食品制售", "糕点类食品制售",
                                           "自制饮品制售"],
             "help_text": "将载入食品经营许可证的“经营项目”栏"},
            {"key": "area", "label": "经营场所面积（平方米）", "kind": "number", "required": True,
             "min_value": 1, "max_value": 100000},
            {"key": "online_sales", "label": "是否通过网络经营", "kind": "yesno", "required": True},
            {"key": "safety_manager", "label": "食品安全管理人员", "kind": "text", "required": True},
            PHONE,
            {"key": "change_items", "label": "变更事项及理由", "kind": "textarea", "required": True,
             "variant": "02", "max_value": 500},
            {"key": "licence_number", "label": "原许可证编号", "kind": "text", "required": True,
             "variant": "03", "pattern": r"[A-Z]{2}\d{14}"},
            {"key": "cancel_reason", "label": "注销原因", "kind": "textarea", "required": True,
             "variant": "04", "max_value": 500},
        ],
    },
}
