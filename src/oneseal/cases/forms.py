"""Forms of the case pages (办件页面): they parse and check what people type, in Chinese;
the services (`services.py`) decide and write. One form per operation, named after it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from oneseal.accounts.models import User
from oneseal.accounts.roles import STAFF_ROLES
from oneseal.applicants.models import Person
from oneseal.core.identity import normalize_credit_code, normalize_id_number

from .domain.states import STATE_LABELS
from .models import CheckStatus, DeliveryMethod, JointKind, Outcome, SpecialKind


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _reason(label: Any, *, required: bool = True, rows: int = 3) -> forms.CharField:
    return forms.CharField(label=label, required=required, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": rows}))


# --- front desk (综合受理) ----------------------------------------------------------------


class ApplicantSearchForm(forms.Form):
    q = forms.CharField(label=_("姓名、名称、身份证号码或统一社会信用代码"), max_length=60,
                        required=False,
                        widget=forms.TextInput(attrs={"type": "search", "autofocus": True,
                                                      "autocomplete": "off"}))


class PersonForm(forms.Form):
    """登记自然人: the ID number is checked (checksum, birth date) in Chinese."""

    name = forms.CharField(label=_("姓名"), max_length=50,
                           widget=forms.TextInput(attrs={"autofocus": True}))
    id_number = forms.CharField(label=_("身份证号码"), max_length=30,
                                help_text=_("18位，最后一位可为 X；全角数字会自动转换。"))
    phone = forms.CharField(label=_("手机号码"), max_length=20, required=False)

    def clean_id_number(self) -> str:
        return normalize_id_number(self.cleaned_data["id_number"])


class OrganisationForm(forms.Form):
    """登记法人和其他组织 by its unified social credit code."""

    name = forms.CharField(label=_("名称"), max_length=200,
                           widget=forms.TextInput(attrs={"autofocus": True}))
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=30,
                                  help_text=_("18位，见营业执照或登记证书。"))
    legal_representative = forms.CharField(label=_("法定代表人（负责人）"), max_length=50)
    address = forms.CharField(label=_("住所"), max_length=200, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)

    def clean_credit_code(self) -> str:
        return normalize_credit_code(self.cleaned_data["credit_code"])


class ItemSearchForm(forms.Form):
    q = forms.CharField(label=_("事项名称、拼音首字母或编码"), max_length=60, required=False,
                        widget=forms.TextInput(attrs={"type": "search", "autofocus": True,
                                                      "autocomplete": "off"}))


class SubmitForm(forms.Form):
    """创建办件: the business variant of the chosen item; the token makes a double click
    create one case (the service's idempotency key)."""

    variant = forms.ChoiceField(label=_("业务办理项"), widget=forms.RadioSelect)
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)

    agent_id_number = forms.CharField(
        label=_("代理人身份证号码"), max_length=30, required=False,
        help_text=_("由代理人代为申请时填写；代理人须已登记，并持有申请人在有效期内的授权委托。"))
    service_point = forms.TypedChoiceField(label=_("收件地点"), required=False, coerce=int,
                                           empty_value=None)
    deliver_at_point = forms.BooleanField(label=_("在收件的便民服务点领取办理结果"),
                                          required=False)

    def __init__(self, *args: Any, variants: list[tuple[str, str]],
                 points: list[tuple[int, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["variant"].choices = variants
        if len(variants) == 1:
            self.fields["variant"].initial = variants[0][0]
        self.fields["service_point"].choices = [("", _("审批局政务服务大厅")), *points]

    def clean_agent_id_number(self) -> int | None:
        """The agent (代理人), an existing person found by ID number: their id, or None."""
        raw = self.cleaned_data["agent_id_number"].strip()
        if not raw:
            return None
        number = normalize_id_number(raw)
        agent = Person.objects.filter(id_number=number).first()
        if agent is None:
            raise ValidationError(_("未找到该身份证号码的代理人，请先登记代理人。"),
                                  code="agent_not_found")
        return agent.pk


# --- acceptance (受理) ---------------------------------------------------------------------

MATERIAL_CHOICES = [(s.value, s.label) for s in CheckStatus if s != CheckStatus.PENDING]


def parse_material_checks(data: Any, materials: list[Any]) -> tuple[list[dict], dict[int, str]]:
    """The material check table (one row per material, 材料核验): the results for
    `case_check_materials` and the errors per material id (需补正 needs a reason)."""
    results: list[dict] = []
    errors: dict[int, str] = {}
    valid = {value for value, _label in MATERIAL_CHOICES}
    for material in materials:
        status = (data.get(f"status-{material.pk}") or "").strip()
        reason = (data.get(f"reason-{material.pk}") or "").strip()[:500]
        if not status:
            continue
        if status not in valid:
            errors[material.pk] = str(_("请选择核验结果。"))
            continue
        if status == CheckStatus.DEFECTIVE and not reason:
            errors[material.pk] = str(_("需补正的材料请写明补正原因。"))
            continue
        results.append({"material": material.pk, "status": status,
                        "reason": reason if status == CheckStatus.DEFECTIVE else ""})
    if not results and not errors:
        errors[0] = str(_("请至少核验一项材料。"))
    return results, errors


class UploadForm(forms.Form):
    material = forms.TypedChoiceField(label=_("材料"), coerce=int, required=False,
                                      empty_value=None)
    upload = forms.FileField(label=_("文件（PDF、JPEG、PNG 或 OFD）"))

    def __init__(self, *args: Any, materials: list[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["material"].choices = [("", _("（其他材料）"))] + [
            (m.pk, m.name) for m in materials]


class RefuseForm(forms.Form):
    reason = _reason(_("不予受理理由"))
    competent_agency = forms.CharField(
        label=_("告知申请人向其申请的有权机关"), max_length=200, required=False,
        help_text=_("申请事项不属于本机关职权范围的，应当告知申请人向有关行政机关申请（第32条）。"))


class OnSpotForm(forms.Form):
    # no choice made beforehand: the decider picks 准予 or 不予许可 himself (no risky default)
    outcome = forms.ChoiceField(label=_("决定"), choices=Outcome.choices,
                                widget=forms.RadioSelect)
    reasons = _reason(_("理由（不予许可时必填）"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("outcome") == Outcome.REFUSED and not data.get("reasons", "").strip():
            self.add_error("reasons", _("不予许可的，应当说明理由（第38条）。"))
        return data


class DecideForm(OnSpotForm):
    """准予 / 不予许可 (第37–38条)."""


# --- review (后台审批) --------------------------------------------------------------------

OPINION_CHOICES = [("agree", _("同意")), ("disagree", _("不同意")), ("return", _("退回"))]


class CompleteStepForm(forms.Form):
    # starts empty: 同意 is never pre-selected (no risky default)
    opinion = forms.ChoiceField(label=_("审查意见"), choices=OPINION_CHOICES,
                                widget=forms.RadioSelect)
    comment = _reason(_("意见说明（不同意或退回时必填）"), required=False)
    return_to = forms.TypedChoiceField(label=_("退回至环节"), coerce=int, required=False,
                                       empty_value=None)
    site_staff = forms.TypedMultipleChoiceField(
        label=_("现场核查人员（至少两名，第34条）"), coerce=int, required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}))

    def __init__(self, *args: Any, earlier: list[tuple[int, str]] = (),
                 staff: list[tuple[int, str]] = (), site_visit: bool = False,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.site_visit = site_visit
        self.fields["return_to"].choices = [("", _("（不退回）")), *list(earlier)]
        self.fields["site_staff"].choices = list(staff)
        if not site_visit:
            del self.fields["site_staff"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("opinion") == "disagree" and not data.get("comment", "").strip():
            self.add_error("comment", _("不同意须写明理由。"))
        if data.get("opinion") == "return":
            if data.get("return_to") is None:
                self.add_error("return_to", _("请选择退回至哪个环节。"))
            if not data.get("comment", "").strip():
                self.add_error("comment", _("退回时请写明理由。"))
        if self.site_visit and len(set(data.get("site_staff") or [])) < 2:
            self.add_error("site_staff", _("现场核查应当指派两名以上工作人员（第34条）。"))
        return data


class SpecialStartForm(forms.Form):
    """特别程序 (第45条); the hearing particulars (第47–48条) when the kind is 听证."""

    kind = forms.ChoiceField(label=_("特别程序种类"))
    reason = _reason(_("理由"))
    expected_days = forms.IntegerField(label=_("预计所需时间（工作日）"), min_value=1,
                                       max_value=365)
    rights_notified_on = forms.DateField(label=_("告知听证权利日期"), required=False,
                                         widget=_date_input())
    requested_on = forms.DateField(label=_("申请人申请听证日期"), required=False,
                                   widget=_date_input())
    hearing_on = forms.DateField(label=_("举行听证日期"), required=False, widget=_date_input())
    place = forms.CharField(label=_("听证地点"), max_length=200, required=False)
    chair = forms.TypedChoiceField(label=_("听证主持人（非本案审查人员，第48条）"), coerce=int,
                                   required=False, empty_value=None)

    called_by_bureau = forms.BooleanField(
        label=_("依职权举行听证（第46条，无需申请）"), required=False)
    parties = forms.CharField(
        label=_("利害关系人（每行一个，各送听证告知书）"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}))

    HEARING_FIELDS = ("rights_notified_on", "requested_on", "hearing_on", "place", "chair")
    REQUEST_FIELDS = ("rights_notified_on", "requested_on")  # not for a 第46条 hearing

    def __init__(self, *args: Any, kinds: list[tuple[str, str]] = (),
                 staff: list[tuple[int, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("请选择")), *(list(kinds) or SpecialKind.choices)]
        self.fields["chair"].choices = [("", _("请选择")), *list(staff)]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("kind") == SpecialKind.HEARING:
            for name in self.HEARING_FIELDS:
                if data.get("called_by_bureau") and name in self.REQUEST_FIELDS:
                    continue
                if data.get(name) in (None, ""):
                    self.add_error(name, _("听证须填写此项。"))
        return data

    def hearing(self) -> dict[str, Any] | None:
        data = self.cleaned_data
        if data.get("kind") != SpecialKind.HEARING:
            return None
        return {"rights_notified_on": data["rights_notified_on"],
                "requested_on": data["requested_on"], "hearing_on": data["hearing_on"],
                "place": data["place"], "chair_id": data["chair"],
                "called_by_bureau": bool(data.get("called_by_bureau")),
                "parties": lines(data.get("parties", ""))}


def lines(text: str) -> list[str]:
    """The non-empty lines of a textarea, trimmed."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class SpotCorrectionForm(forms.Form):
    """当场更正 (第32条第一款第（三）项): which material, and what was corrected."""

    material = forms.TypedChoiceField(label=_("当场更正的材料"), coerce=int)
    what = forms.CharField(label=_("更正内容"), max_length=500,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, materials: list[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["material"].choices = [(m.pk, m.name) for m in materials]


class MarkJointForm(forms.Form):
    """统一办理、联合办理、集中办理 (第26条, 第42条第二款: 45 working days)."""

    kind = forms.ChoiceField(label=_("办理方式"), choices=JointKind.choices)
    reason = _reason(_("理由"))


class ExtensionGovernmentForm(forms.Form):
    """本级人民政府负责人对联合办理延期的批准 (第42条第二款), as the bureau received it."""

    approve = forms.TypedChoiceField(label=_("批准结果"), coerce=lambda v: v == "1",
                                     choices=[("1", _("批准")), ("0", _("不批准"))],
                                     widget=forms.RadioSelect)
    approver = forms.CharField(label=_("批准人（本级人民政府负责人）"), max_length=100)
    document_number = forms.CharField(label=_("批准文号"), max_length=100)
    approved_on = forms.DateField(label=_("批准日期"), widget=_date_input())


class HearingNoticeForm(forms.Form):
    """告知听证权利 (第36条, 第47条): to the applicant and every interested party."""

    reason = _reason(_("涉及的重大利益（将告知申请人和利害关系人）"))
    parties = forms.CharField(label=_("利害关系人（每行一个）"),
                              widget=forms.Textarea(attrs={"rows": 3}))

    def clean_parties(self) -> list[str]:
        names = lines(self.cleaned_data.get("parties", ""))
        if not names:
            raise ValidationError(_("请至少填写一个利害关系人。"))
        return names


class SpecialEndForm(forms.Form):
    result = _reason(_("结果"))
    minutes = _reason(_("听证笔录（听证必填，第48条）"), required=False, rows=5)


class ExtensionRequestForm(forms.Form):
    days = forms.IntegerField(label=_("延长工作日数"), min_value=1, max_value=15, initial=10,
                              help_text=_("经本机关负责人批准，可延长十个工作日；联合办理的可延长十五个"
                                          "工作日（第42条）。"))
    reason = _reason(_("延期理由（将告知申请人）"))


class ExtensionApproveForm(forms.Form):
    approve = forms.TypedChoiceField(label=_("批示"), coerce=lambda v: v == "1",
                                     choices=[("1", _("批准延期")), ("0", _("不批准"))],
                                     widget=forms.RadioSelect)
    note = _reason(_("批示意见"), required=False)


class ReasonForm(forms.Form):
    reason = _reason(_("理由"))


# --- delivery (统一出件) -------------------------------------------------------------------


class DeliverForm(forms.Form):
    """送达 (第44条): who collected it, or how it was sent."""

    method = forms.ChoiceField(label=_("送达方式"), choices=DeliveryMethod.choices,
                               widget=forms.RadioSelect, initial=DeliveryMethod.PICKUP)
    collector_name = forms.CharField(label=_("领取人姓名"), max_length=50, required=False)
    collector_id_number = forms.CharField(label=_("领取人身份证号码"), max_length=30,
                                          required=False)
    carrier = forms.CharField(label=_("寄递企业"), max_length=50, required=False)
    tracking_number = forms.CharField(label=_("邮件号"), max_length=50, required=False)
    address = forms.CharField(label=_("电子送达地址"), max_length=200, required=False,
                              help_text=_("申请人同意的电子邮箱或其他电子送达地址。"))
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    NEEDED = {DeliveryMethod.PICKUP: ("collector_name", "collector_id_number"),
              DeliveryMethod.POST: ("carrier", "tracking_number"),
              DeliveryMethod.ELECTRONIC: ("address",)}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        method = data.get("method")
        for name in self.NEEDED.get(method, ()):
            if not (data.get(name) or "").strip():
                self.add_error(name, _("请填写此项。"))
        if method == DeliveryMethod.PICKUP and data.get("collector_id_number"):
            try:
                data["collector_id_number"] = normalize_id_number(data["collector_id_number"])
            except ValidationError as exc:
                self.add_error("collector_id_number", exc)
        for method_, names in self.NEEDED.items():  # keep only the chosen method's fields
            if method_ != method:
                for name in names:
                    data[name] = ""
        return data


# --- lists and the public progress page -----------------------------------------------------


class CaseFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("状态"), required=False)
    item = forms.TypedChoiceField(label=_("事项"), coerce=int, required=False,
                                  empty_value=None)
    due = forms.ChoiceField(label=_("期限"), required=False, choices=[
        ("", _("全部")), ("open", _("在办")), ("soon", _("即将超期")), ("overdue", _("已超期"))])
    q = forms.CharField(label=_("办件编号或申请人"), max_length=100, required=False,
                        help_text=_("办件编号的全部或一部分（如末几位），或申请人名称的开头。"),
                        widget=forms.TextInput(attrs={"type": "search"}))

    def __init__(self, *args: Any, items: list[tuple[int, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("全部状态"))] + [
            (str(s), _(label)) for s, label in STATE_LABELS.items()]
        self.fields["item"].choices = [("", _("全部事项")), *list(items)]


class ProgressForm(forms.Form):
    """办件进度查询: the case number and the query code printed on the receipt."""

    number = forms.CharField(label=_("办件编号"), max_length=40,
                             widget=forms.TextInput(attrs={"autofocus": True,
                                                           "autocomplete": "off"}))
    query_code = forms.CharField(label=_("查询码"), max_length=12,
                                 help_text=_("见受理通知书或收件凭证。"),
                                 widget=forms.TextInput(attrs={"autocomplete": "off"}))

    def clean_number(self) -> str:
        return "".join(self.cleaned_data["number"].split()).upper()

    def clean_query_code(self) -> str:
        return "".join(self.cleaned_data["query_code"].split())


def focus_first_error(form: forms.Form) -> None:
    """Move the autofocus to the first field with an error (keyboard users land on it)."""
    if not form.is_bound or not form.errors:
        return
    for field in form.fields.values():
        field.widget.attrs.pop("autofocus", None)
    for name in form.fields:
        if name in form.errors:
            form.fields[name].widget.attrs["autofocus"] = True
            return


def staff_choices(unit_id: int | None = None) -> list[tuple[int, str]]:
    """Staff to pick for a site visit or to chair a hearing: the unit's staff (all staff when
    the unit has none)."""
    users = (User.objects.filter(is_active=True, role_grants__role__in=STAFF_ROLES)
             .distinct().order_by("display_name", "username"))
    if unit_id is not None and users.filter(unit_id=unit_id).exists():
        users = users.filter(unit_id=unit_id)
    return [(u.pk, str(u)) for u in users[:200]]
