"""Chinese messages for the problems the domain rules report, and labels of record fields."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .domain.problems import Path, Problem

TEMPLATES = {
    "required": gettext_lazy("必须填写"),
    "not_text": gettext_lazy("应为文字"),
    "too_long": gettext_lazy("不得超过 %(maximum)s 个字（现为 %(length)s 个）"),
    "not_integer": gettext_lazy("应为整数（现为“%(value)s”）"),
    "out_of_range": gettext_lazy("应在 %(minimum)s 至 %(maximum)s 之间（现为 %(value)s）"),
    "limit_range": gettext_lazy(
        "时限应在 %(minimum)s 至 %(maximum)s 个工作日之间（现为 %(value)s）"),
    "not_boolean": gettext_lazy("应为“是”或“否”（现为“%(value)s”）"),
    "not_a_choice": gettext_lazy("“%(value)s”不是可选的值"),
    "not_date": gettext_lazy("应为日期，格式 YYYY-MM-DD（现为“%(value)s”）"),
    "not_datetime": gettext_lazy("应为日期时间，格式 YYYY-MM-DD HH:MM（现为“%(value)s”）"),
    "not_list": gettext_lazy("格式不正确，应为列表"),
    "unknown_field": gettext_lazy("无法识别的字段"),
    "duplicate": gettext_lazy("“%(value)s”重复"),
    "uscc_missing": gettext_lazy("必须填写统一社会信用代码"),
    "uscc_length": gettext_lazy("统一社会信用代码应为 18 位（“%(value)s”为 %(length)s 位）"),
    "uscc_alphabet": gettext_lazy(
        "统一社会信用代码“%(value)s”含有不允许的字符（只可用数字和除 I、O、S、V、Z 外的大写字母）"),
    "uscc_check": gettext_lazy(
        "统一社会信用代码“%(value)s”校验位错误（应为 %(expected)s，GB 32100）"),
    "basic_code_missing": gettext_lazy("必须填写基本编码"),
    "basic_code_format": gettext_lazy("基本编码“%(value)s”应为 12 位数字或大写字母"),
    "exercise_level": gettext_lazy("行使层级应为 1 至 6 的整数（现为“%(value)s”）"),
    "implementation_code_mismatch": gettext_lazy(
        "实施编码“%(value)s”与“实施主体统一社会信用代码 + 行使层级 + 基本编码”不符，"
        "应为 %(expected)s"),
    "implementation_code_format": gettext_lazy("实施编码应为 31 位"),
    "promised_exceeds_statutory": gettext_lazy(
        "承诺办结时限（%(promised)s 个工作日）不得超过法定办结时限（%(statutory)s 个工作日）"),
    "promised_exceeds_statutory_days": gettext_lazy(
        "承诺办结时限（%(promised)s 个工作日）不得超过法定办结时限（%(statutory)s 日）"),
    "promised_exceeds_statutory_months": gettext_lazy(
        "承诺办结时限（%(promised)s 个工作日）超过了法定办结时限（%(statutory)s 个月）"
        "所含的工作日"),
    "statutory_basis_missing": gettext_lazy(
        "法定时限不是《行政许可法》第四十二条规定的自受理之日起 20 个工作日，须写明设定该时限"
        "（及其单位、起算）的法律法规条款"),
    "extension_basis_missing": gettext_lazy(
        "可延长期限不是《行政许可法》第四十二条的规定，须写明设定它的法律法规条款"),
    "joint_basis_missing": gettext_lazy(
        "事项规定了统一办理、联合办理或集中办理（《行政许可法》第二十六条），须写明规定它的"
        "法律法规条款"),
    "handling_type_mismatch": gettext_lazy(
        "办件类型“%(value)s”与承诺时限不符，应为“%(expected)s”（承诺时限为 0 即为即办件）"),
    "legal_basis_missing": gettext_lazy("至少需要一条设定依据（法律法规名称及条款）"),
    "article_format": gettext_lazy("条款“%(value)s”应写明到条，例如“第二十二条”"),
    "does_not_stop_clock": gettext_lazy(
        "只有《行政许可法》第四十五条规定的听证、招标、拍卖、检验、检测、检疫、鉴定、专家评审"
        "不计入办理时限"),
    "fee_free_with_fees": gettext_lazy("已标为不收费，却列有收费项目"),
    "fees_missing": gettext_lazy("标为收费，却未列出收费项目及依据"),
    "amount_invalid": gettext_lazy("金额应为不小于 0 的数（现为“%(value)s”）"),
    "variants_missing": gettext_lazy("至少需要一个业务办理项"),
    "steps_missing": gettext_lazy("至少需要一个审批环节"),
    "step_limit_invalid": gettext_lazy("环节时限应为不小于 0 的整数（现为“%(value)s”）"),
    "on_the_spot_step": gettext_lazy(
        "即办件当场办结：不可省略的环节时限必须为 0（现为 %(value)s）"),
    "steps_exceed_promise": gettext_lazy(
        "各审批环节时限之和（%(total)s 个工作日）超过承诺办结时限（%(promised)s 个工作日）"),
    "site_visit_first_step": gettext_lazy(
        "现场核查是对申请材料实质内容的审查（《行政许可法》第三十四条），不能设在受理环节；"
        "请标在受理之后、决定之前的审查环节"),
    "site_visit_last_step": gettext_lazy(
        "现场核查须在作出决定前的审查环节进行（《行政许可法》第三十四条），不能设在最后的决定"
        "环节；请在决定之前单设审查环节"),
    "site_visit_on_the_spot": gettext_lazy(
        "即办件当场办结，无法指派两名以上工作人员到现场核查（《行政许可法》第三十四条）："
        "现场核查环节须标为“即办件可省略”，或将承诺办结时限改为大于 0（承诺件）"),
    "share_source_missing": gettext_lazy("免提交材料须写明共享来源（如电子证照类型）"),
    "no_copies": gettext_lazy("须提交的材料原件与复印件份数不能都为 0"),
    "transfer_to_itself": gettext_lazy("划出部门不能是实施主体本身"),
    "transfer_not_to_bureau": gettext_lazy("划转事项的实施主体必须是行政审批局"),
    "unit_unknown": gettext_lazy("统一社会信用代码“%(value)s”不是系统中已登记的单位"),
    "valid_from_not_later": gettext_lazy(
        "生效时间（%(value)s）必须晚于现行版本的生效时间（%(current)s）"),
    "valid_to_before_from": gettext_lazy("失效时间必须晚于生效时间"),
    "duplicate_item": gettext_lazy("实施编码“%(value)s”在文件中出现了多次"),
    "orphan_row": gettext_lazy("实施编码“%(value)s”在“事项”工作表中不存在"),
    "orphan_variant": gettext_lazy("办理项编码“%(value)s”在“业务办理项”工作表中不存在"),
    "missing_column": gettext_lazy("缺少列“%(value)s”"),
    "missing_sheet": gettext_lazy("缺少工作表“%(value)s”"),
    "bad_file": gettext_lazy("无法读取文件：%(value)s"),
}

FIELD_LABELS = {
    "implementation_code": gettext_lazy("实施编码"),
    "basic_code": gettext_lazy("基本编码"),
    "exercise_level": gettext_lazy("行使层级"),
    "implementing_body_code": gettext_lazy("实施主体统一社会信用代码"),
    "competent_department_code": gettext_lazy("主管部门统一社会信用代码"),
    "name": gettext_lazy("名称"),
    "item_type": gettext_lazy("事项类型"),
    "acceptance_conditions": gettext_lazy("受理条件"),
    "review_standard": gettext_lazy("审查标准"),
    "statutory_limit_days": gettext_lazy("法定办结时限"),
    "statutory_limit_basis": gettext_lazy("法定时限依据"),
    "promised_limit_days": gettext_lazy("承诺办结时限"),
    "statutory_limit_unit": gettext_lazy("法定时限单位"),
    "statutory_limit_start": gettext_lazy("法定时限起算"),
    "extension_limit_days": gettext_lazy("可延长期限"),
    "extension_limit_basis": gettext_lazy("延长期限依据"),
    "joint_handling": gettext_lazy("联合办理方式"),
    "joint_handling_basis": gettext_lazy("联合办理依据"),
    "handling_type": gettext_lazy("办件类型"),
    "fee_free": gettext_lazy("不收费"),
    "online_depth": gettext_lazy("网办深度"),
    "visits_required": gettext_lazy("到现场次数"),
    "street_available": gettext_lazy("街道可办"),
    "in_hall": gettext_lazy("进驻大厅"),
    "window": gettext_lazy("办理窗口"),
    "address": gettext_lazy("办理地点"),
    "hours": gettext_lazy("办理时间"),
    "phone": gettext_lazy("咨询电话"),
    "valid_from": gettext_lazy("生效时间"),
    "valid_to": gettext_lazy("失效时间"),
    "legal_bases": gettext_lazy("设定依据"),
    "law": gettext_lazy("法律法规名称"),
    "article": gettext_lazy("条款"),
    "text": gettext_lazy("条文内容"),
    "special_procedures": gettext_lazy("特别程序"),
    "kind": gettext_lazy("种类"),
    "usual_days": gettext_lazy("一般时长"),
    "legal_basis": gettext_lazy("依据"),
    "stops_clock": gettext_lazy("不计入办理时限"),
    "fees": gettext_lazy("收费"),
    "amount": gettext_lazy("金额"),
    "basis": gettext_lazy("收费依据"),
    "results": gettext_lazy("办理结果"),
    "validity": gettext_lazy("有效期限"),
    "faqs": gettext_lazy("常见问题"),
    "question": gettext_lazy("问题"),
    "answer": gettext_lazy("解答"),
    "variants": gettext_lazy("业务办理项"),
    "code": gettext_lazy("办理项编码"),
    "materials": gettext_lazy("申请材料"),
    "originals": gettext_lazy("原件份数"),
    "copies": gettext_lazy("复印件份数"),
    "paper_size": gettext_lazy("纸张规格"),
    "required": gettext_lazy("必要材料"),
    "shareable": gettext_lazy("免提交"),
    "share_source": gettext_lazy("共享来源"),
    "note": gettext_lazy("填报说明"),
    "steps": gettext_lazy("审批环节"),
    "role": gettext_lazy("办理角色"),
    "limit_days": gettext_lazy("环节时限"),
    "skippable_on_spot": gettext_lazy("即办件可省略"),
    "site_visit": gettext_lazy("现场核查"),
    "transfer": gettext_lazy("划转备忘录"),
    "from_department_code": gettext_lazy("划出部门统一社会信用代码"),
    "effective_on": gettext_lazy("生效日期"),
    "document_no": gettext_lazy("文件文号"),
    "approval_duty": gettext_lazy("审批职责"),
    "supervision_duty": gettext_lazy("监管职责"),
    "signatories": gettext_lazy("签署人"),
    "unit": gettext_lazy("单位"),
    "title": gettext_lazy("职务"),
    "signed_on": gettext_lazy("签署日期"),
}


def message(problem: Problem) -> str:
    """The Chinese sentence for one problem, without its location."""
    template = TEMPLATES.get(problem.code)
    if template is None:
        return _("不符合规则（%(code)s）") % {"code": problem.code}
    return str(template) % problem.params if problem.params else str(template)


def field_path(path: Path) -> str:
    """A readable path: 业务办理项 1 › 申请材料 3 › 原件份数."""
    parts: list[str] = []
    for step in path:
        if isinstance(step, int):
            if parts:
                parts[-1] = f"{parts[-1]} {step + 1}"
        else:
            parts.append(str(FIELD_LABELS.get(step, step)))
    return " › ".join(parts)


def describe(problem: Problem) -> str:
    where = field_path(problem.path)
    return f"{where}：{message(problem)}" if where else message(problem)


def describe_all(problems: Iterable[Problem]) -> list[str]:
    return [describe(p) for p in problems]
