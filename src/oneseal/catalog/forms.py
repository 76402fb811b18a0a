"""Forms of the catalogue pages. They parse and check input; services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from oneseal.accounts.roles import Role
from oneseal.org.models import Unit, UnitKind

from . import selectors
from .domain import limits
from .models import (
    EXERCISE_LEVEL_CHOICES,
    ITEM_TYPE_CHOICES,
    JOINT_HANDLING_CHOICES,
    LIMIT_START_CHOICES,
    LIMIT_UNIT_CHOICES,
    ONLINE_DEPTH_CHOICES,
    PAPER_SIZE_CHOICES,
    RESULT_KIND_CHOICES,
    SPECIAL_KIND_CHOICES,
)

YES_NO_ANY = [("", _("不限")), ("1", _("是")), ("0", _("否"))]
BODY_KINDS = (UnitKind.BUREAU, UnitKind.DEPARTMENT, UnitKind.PUBLIC_SERVICE, UnitKind.STREET,
              UnitKind.OTHER)


def _bool(value: str) -> bool | None:
    return {"1": True, "0": False}.get(value)


class ItemFilterForm(forms.Form):
    """The filters of the public list and of GET /api/v1/items (same meaning)."""

    q = forms.CharField(label=_("事项名称或拼音首字母"), required=False, max_length=60,
                        widget=forms.TextInput(attrs={"type": "search",
                                                      "placeholder": _("如：食品、SPJY")}))
    department = forms.ModelChoiceField(label=_("主管部门"), required=False,
                                        queryset=Unit.objects.none(), empty_label=_("全部部门"))
    type = forms.ChoiceField(label=_("事项类型"), required=False,
                             choices=[("", _("全部类型")), *ITEM_TYPE_CHOICES])
    street = forms.ChoiceField(label=_("街道可办"), required=False, choices=YES_NO_ANY)
    depth = forms.TypedChoiceField(label=_("网办深度（至少）"), required=False, coerce=int,
                                   empty_value=None,
                                   choices=[("", _("不限")), *ONLINE_DEPTH_CHOICES])
    transferred = forms.ChoiceField(label=_("已划转行政审批局"), required=False,
                                    choices=YES_NO_ANY)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = selectors.departments_with_items()  # type: ignore[attr-defined]

    def filters(self, *, in_hall: bool | None = True) -> selectors.ItemFilters:
        data = self.cleaned_data if self.is_valid() else {}
        department = data.get("department")
        return selectors.ItemFilters(
            q=data.get("q", ""), department=department.pk if department else None,
            item_type=data.get("type", ""), street=_bool(data.get("street", "")),
            online_depth=data.get("depth"), in_hall=in_hall,
            transferred=_bool(data.get("transferred", "")))


# --- workbench ---------------------------------------------------------------------------


def _units() -> Any:
    return Unit.objects.filter(kind__in=BODY_KINDS, is_active=True).exclude(credit_code=None)


class ItemCreateForm(forms.Form):
    name = forms.CharField(label=_("事项名称"), max_length=200,
                           widget=forms.TextInput(attrs={"autofocus": True}))
    item_type = forms.ChoiceField(label=_("事项类型"), choices=ITEM_TYPE_CHOICES)
    implementing_unit = forms.ModelChoiceField(label=_("实施主体"), queryset=Unit.objects.none(),
                                               help_text=_("划转事项的实施主体为行政审批局。"))
    competent_department = forms.ModelChoiceField(label=_("主管部门"),
                                                  queryset=Unit.objects.none())
    exercise_level = forms.TypedChoiceField(label=_("行使层级"), coerce=int, initial=4,
                                            choices=EXERCISE_LEVEL_CHOICES)
    basic_code = forms.RegexField(label=_("基本编码"), regex=r"^[0-9A-Za-z]{12}$",
                                  help_text=_("12 位，取自政务服务事项基本目录。"),
                                  error_messages={
                                      "invalid": _("基本编码应为 12 位数字或大写字母。")})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["implementing_unit"].queryset = _units()  # type: ignore[attr-defined]
        self.fields["competent_department"].queryset = _units()  # type: ignore[attr-defined]


class ElementsForm(forms.Form):
    """The scalar elements of a draft (law.md §13)."""

    name = forms.CharField(label=_("事项名称"), max_length=200)
    item_type = forms.ChoiceField(label=_("事项类型"), choices=ITEM_TYPE_CHOICES)
    competent_department = forms.ModelChoiceField(label=_("主管部门"),
                                                  queryset=Unit.objects.none())
    acceptance_conditions = forms.CharField(label=_("受理条件"), required=False,
                                            widget=forms.Textarea(attrs={"rows": 3}))
    review_standard = forms.CharField(label=_("审查标准"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 3}))
    statutory_limit_days = forms.IntegerField(
        label=_("法定办结时限"), min_value=1, max_value=365,
        help_text=_("法律法规未另行规定的，为《行政许可法》第四十二条规定的自受理之日起 20 个"
                    "工作日。"))
    statutory_limit_unit = forms.ChoiceField(
        label=_("法定时限单位"), choices=LIMIT_UNIT_CHOICES, required=False,
        help_text=_("按设定该时限的法律法规的表述：“工作日”；“日”“月”按《民法典》第二百零一条至"
                    "第二百零三条计算（期间最后一日是法定休假日的，顺延至休假日结束的次日）。"))
    statutory_limit_start = forms.ChoiceField(label=_("法定时限起算"), required=False,
                                              choices=LIMIT_START_CHOICES)
    statutory_limit_basis = forms.CharField(label=_("法定时限依据"), required=False,
                                            max_length=500)
    extension_limit_days = forms.IntegerField(
        label=_("可延长期限"), required=False, min_value=0, max_value=365,
        help_text=_("留空：按《行政许可法》第四十二条（10 个工作日，联合办理 15 个）；法律法规另有"
                    "规定的填其规定（0 表示不得延长），单位同法定时限。"))
    extension_limit_basis = forms.CharField(label=_("延长期限依据"), required=False,
                                            max_length=500)
    joint_handling = forms.ChoiceField(
        label=_("联合办理方式"), choices=JOINT_HANDLING_CHOICES, required=False,
        help_text=_("法律法规规定本事项统一办理、联合办理或集中办理的（《行政许可法》第二十六条），"
                    "每一办件自收件起即按联合办理，法定时限为 45 个工作日（第四十二条第二款）。"))
    joint_handling_basis = forms.CharField(label=_("联合办理依据"), required=False,
                                           max_length=500)
    promised_limit_days = forms.IntegerField(label=_("承诺办结时限（工作日）"), min_value=0,
                                             max_value=365, help_text=_("0 表示即办件。"))
    fee_free = forms.BooleanField(label=_("不收费"), required=False)
    online_depth = forms.TypedChoiceField(label=_("网办深度"), coerce=int,
                                          choices=ONLINE_DEPTH_CHOICES)
    visits_required = forms.IntegerField(label=_("到现场次数"), min_value=0, max_value=5)
    street_available = forms.BooleanField(label=_("街道可办"), required=False)
    in_hall = forms.BooleanField(label=_("进驻大厅"), required=False)
    window = forms.CharField(label=_("办理窗口"), required=False, max_length=200)
    address = forms.CharField(label=_("办理地点"), required=False, max_length=200)
    hours = forms.CharField(label=_("办理时间"), required=False, max_length=200)
    phone = forms.CharField(label=_("咨询电话"), required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["competent_department"].queryset = _units()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # not given: as 行政许可法 第42条 counts (working days from acceptance)
        data["statutory_limit_unit"] = data.get("statutory_limit_unit") or limits.DEFAULT_UNIT
        data["statutory_limit_start"] = (data.get("statutory_limit_start")
                                         or limits.DEFAULT_START)
        statutory, promised = data.get("statutory_limit_days"), data.get("promised_limit_days")
        unit = data["statutory_limit_unit"]
        if statutory is not None and promised is not None and any(
                p.code.startswith("promised_exceeds")
                for p in limits.limit_problems(statutory, promised, unit)):
            self.add_error("promised_limit_days", _(
                "承诺办结时限不得超过法定办结时限（《行政许可法》第四十二条）。"))
        if data.get("extension_limit_days") is not None and not (
                data.get("extension_limit_basis") or "").strip():
            self.add_error("extension_limit_basis", _(
                "可延长期限不是《行政许可法》第四十二条的规定，须写明设定它的法律法规条款。"))
        if data.get("joint_handling") and not (data.get("joint_handling_basis") or "").strip():
            self.add_error("joint_handling_basis", _(
                "事项规定了统一办理、联合办理或集中办理，须写明规定它的法律法规条款。"))
        return data


class LegalBasisForm(forms.Form):
    law = forms.CharField(label=_("法律法规名称"), max_length=200)
    article = forms.CharField(label=_("条款"), max_length=100,
                              help_text=_("写明到条，如“第二十二条”。"))
    text = forms.CharField(label=_("条文内容"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class SpecialProcedureForm(forms.Form):
    kind = forms.ChoiceField(label=_("程序种类"), choices=SPECIAL_KIND_CHOICES)
    usual_days = forms.IntegerField(label=_("一般时长（工作日）"), min_value=1, max_value=365)
    legal_basis = forms.CharField(label=_("依据"), required=False, max_length=500)
    stops_clock = forms.BooleanField(label=_("不计入办理时限"), required=False, initial=True)


class FeeForm(forms.Form):
    name = forms.CharField(label=_("收费项目"), max_length=200)
    amount = forms.DecimalField(label=_("金额（元）"), min_value=0, decimal_places=2,
                                max_digits=12)
    basis = forms.CharField(label=_("收费依据"), max_length=500)


class ResultForm(forms.Form):
    name = forms.CharField(label=_("结果名称"), max_length=200)
    kind = forms.ChoiceField(label=_("结果类型"), choices=RESULT_KIND_CHOICES)
    validity = forms.CharField(label=_("有效期限"), required=False, max_length=200)


class FaqForm(forms.Form):
    question = forms.CharField(label=_("问题"), max_length=500)
    answer = forms.CharField(label=_("解答"), widget=forms.Textarea(attrs={"rows": 2}))


ROW_FORMS: dict[str, tuple[type[forms.Form], Any]] = {
    "legal_bases": (LegalBasisForm, _("设定依据")),
    "special_procedures": (SpecialProcedureForm, _("特别程序")),
    "fees": (FeeForm, _("收费")),
    "results": (ResultForm, _("办理结果")),
    "faqs": (FaqForm, _("常见问题")),
}


def row_formset(kind: str, **kwargs: Any) -> Any:
    form, _label = ROW_FORMS[kind]
    return forms.formset_factory(form, extra=2, can_delete=True, can_order=False)(
        prefix=kind, **kwargs)


class VariantForm(forms.Form):
    code = forms.CharField(label=_("办理项编码"), max_length=20)
    name = forms.CharField(label=_("办理项名称"), max_length=100,
                           help_text=_("如：新设、变更、延续、注销。"))


class MaterialForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("材料名称"), max_length=200)
    originals = forms.IntegerField(label=_("原件"), min_value=0, max_value=20, initial=1)
    copies = forms.IntegerField(label=_("复印件"), min_value=0, max_value=20, initial=0)
    paper_size = forms.ChoiceField(label=_("纸张规格"), choices=PAPER_SIZE_CHOICES)
    required = forms.BooleanField(label=_("必要"), required=False, initial=True)
    shareable = forms.BooleanField(label=_("免提交"), required=False)
    share_source = forms.CharField(label=_("共享来源"), required=False, max_length=500)
    legal_basis = forms.CharField(label=_("材料依据"), required=False, max_length=500)
    note = forms.CharField(label=_("填报说明"), required=False, max_length=500)
    blank_form = forms.FileField(label=_("空白表格"), required=False)
    example = forms.FileField(label=_("示例样表"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("shareable") and not data.get("share_source"):
            self.add_error("share_source", _("免提交材料须写明共享来源（如电子证照类型）。"))
        return data


class StepForm(forms.Form):
    name = forms.CharField(label=_("环节名称"), max_length=50)
    role = forms.ChoiceField(label=_("办理角色"), choices=Role.choices)
    limit_days = forms.IntegerField(label=_("环节时限（工作日）"), min_value=0, max_value=365)
    skippable_on_spot = forms.BooleanField(label=_("即办件可省略"), required=False)
    site_visit = forms.BooleanField(
        label=_("现场核查"), required=False,
        help_text=_("本环节到现场核查申请材料的实质内容，须指派两名以上工作人员"
                    "（《行政许可法》第三十四条）。"))


def material_formset(**kwargs: Any) -> Any:
    return forms.formset_factory(MaterialForm, extra=1, can_delete=True)(prefix="materials",
                                                                        **kwargs)


def step_formset(**kwargs: Any) -> Any:
    return forms.formset_factory(StepForm, extra=1, can_delete=True)(prefix="steps", **kwargs)


class PublishForm(forms.Form):
    valid_from = forms.DateTimeField(label=_("生效时间"), required=False,
                                     help_text=_("留空则立即生效；不得早于现行版本的生效时间。"),
                                     widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    valid_to = forms.DateTimeField(label=_("失效时间"), required=False,
                                   widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))


class MemoForm(forms.Form):
    from_department = forms.ModelChoiceField(
        label=_("划出部门"), queryset=Unit.objects.filter(kind=UnitKind.DEPARTMENT))
    effective_on = forms.DateField(label=_("生效日期"),
                                   widget=forms.DateInput(attrs={"type": "date"}),
                                   help_text=_("自该日起只有行政审批局可以受理、决定该事项"
                                               "（《行政许可法》第二十五条）。"))
    document_no = forms.CharField(label=_("文件文号"), required=False, max_length=80)
    approval_duty = forms.CharField(label=_("审批职责（行政审批局）"),
                                    widget=forms.Textarea(attrs={"rows": 3}))
    supervision_duty = forms.CharField(label=_("监管职责（主管部门）"),
                                       widget=forms.Textarea(attrs={"rows": 3}))


class SignatoryForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    unit = forms.CharField(label=_("单位"), max_length=100)
    title = forms.CharField(label=_("职务"), required=False, max_length=50)
    signed_on = forms.DateField(label=_("签署日期"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))


def signatory_formset(**kwargs: Any) -> Any:
    return forms.formset_factory(SignatoryForm, extra=2, can_delete=True)(prefix="signatories",
                                                                         **kwargs)


def rows_of(formset: Any) -> list[dict[str, Any]]:
    """The kept rows of a valid formset, in order, without the formset's own keys."""
    rows = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None)
        if not data or data.get("DELETE"):
            continue
        rows.append({k: v for k, v in data.items() if k not in ("DELETE", "ORDER")})
    return rows
