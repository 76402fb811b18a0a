"""The item catalogue (事项目录): items, their versions and every element of law.md §13.

An `Item` (事项) is identified by its implementation code (实施编码). What the item says —
name, legal basis, limits, materials, review chain ... — lives in an `ItemVersion` (版本):
edited as a draft, then published; a published version is never changed, a new one is.
Services (`services.py`) are the only writers.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from oneseal.accounts.roles import Role
from oneseal.core.workcalendar.domain.civil import LimitUnit
from oneseal.core.workcalendar.domain.item_limits import ItemLimit, LimitStart

from .domain.enums import OnlineDepth

ITEM_TYPE_CHOICES = [
    ("licensing", _("行政许可")), ("confirmation", _("行政确认")),
    ("adjudication", _("行政裁决")), ("payment", _("行政给付")), ("reward", _("行政奖励")),
    ("filing", _("行政备案")), ("other_power", _("其他行政权力")),
    ("public_service", _("公共服务")), ("review_forward", _("审核转报")),
]
SPECIAL_KIND_CHOICES = [
    ("hearing", _("听证")), ("tender", _("招标")), ("auction", _("拍卖")),
    ("inspection", _("检验")), ("testing", _("检测")), ("quarantine", _("检疫")),
    ("appraisal", _("鉴定")), ("expert_review", _("专家评审")), ("site_survey", _("现场勘查")),
]
ONLINE_DEPTH_CHOICES = [
    (OnlineDepth.GUIDE, _("一级：网上办事指南")),
    (OnlineDepth.FORMS, _("二级：在线预约、表格下载")),
    (OnlineDepth.APPLY, _("三级：在线申请、预审")), (OnlineDepth.FULL, _("四级：全程网办")),
]
EXERCISE_LEVEL_CHOICES = [
    (1, _("国家级")), (2, _("省级")), (3, _("市级")),
    (4, _("县级")), (5, _("乡级")), (6, _("村级")),
]
PAPER_SIZE_CHOICES = [("A4", "A4"), ("A3", "A3"), ("other", _("其他"))]
RESULT_KIND_CHOICES = [("licence", _("证照")), ("approval", _("批文")), ("other", _("其他"))]
# The unit and start of the statutory limit (行政许可法 第42条, 第82条; 民法典 第201–203条).
LIMIT_UNIT_CHOICES = [("working_days", _("工作日")), ("days", _("日（自然日）")),
                      ("months", _("月"))]
LIMIT_START_CHOICES = [("acceptance", _("自受理之日起")), ("receipt", _("自收到申请之日起"))]
# Joint handling an item's law prescribes (第26条, 第42条第二款); the values of
# cases.models.JointKind (catalog may not import cases: domain.enums.JointHandling).
JOINT_HANDLING_CHOICES = [("", _("无")), ("unified", _("统一办理")), ("joint", _("联合办理")),
                          ("centralised", _("集中办理"))]


class Item(models.Model):
    """An item (事项) of the catalogue, identified by its implementation code."""

    implementation_code = models.CharField(_("实施编码"), max_length=31, unique=True)
    basic_code = models.CharField(_("基本编码"), max_length=12, db_index=True)
    exercise_level = models.PositiveSmallIntegerField(_("行使层级"),
                                                      choices=EXERCISE_LEVEL_CHOICES)
    implementing_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("实施主体"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("事项")
        verbose_name_plural = _("事项")
        ordering = ["implementation_code"]

    def __str__(self) -> str:
        return self.implementation_code


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")


class ItemVersion(models.Model):
    """One version of an item's elements (事项版本, law.md §13). Published versions are
    read-only; a case is bound to the version in force when it was submitted."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("版本号"))
    status = models.CharField(_("状态"), max_length=10, choices=VersionStatus.choices,
                              default=VersionStatus.DRAFT)
    name = models.CharField(_("事项名称"), max_length=200)
    item_type = models.CharField(_("事项类型"), max_length=20, choices=ITEM_TYPE_CHOICES)
    competent_department = models.ForeignKey(
        "org.Unit", verbose_name=_("主管部门"), on_delete=models.PROTECT, related_name="+")
    acceptance_conditions = models.TextField(_("受理条件"), blank=True)
    review_standard = models.TextField(_("审查标准"), blank=True)
    statutory_limit_days = models.PositiveSmallIntegerField(_("法定办结时限"), default=20)
    statutory_limit_basis = models.CharField(_("法定时限依据"), max_length=500, blank=True)
    # The law that sets an item's own limit also sets its unit, start and extension
    # (第42条 "法律、法规另有规定的，依照其规定"; core/workcalendar/domain/item_limits.py);
    # their basis is `statutory_limit_basis`, the extension's `extension_limit_basis`.
    statutory_limit_unit = models.CharField(_("法定时限单位"), max_length=12,
                                            choices=LIMIT_UNIT_CHOICES, default="working_days")
    statutory_limit_start = models.CharField(_("法定时限起算"), max_length=12,
                                             choices=LIMIT_START_CHOICES, default="acceptance")
    extension_limit_days = models.PositiveSmallIntegerField(
        _("可延长期限"), null=True, blank=True,
        help_text=_("空：《行政许可法》第四十二条（10个工作日，联合办理15个）；0：不得延长"))
    extension_limit_basis = models.CharField(_("延长期限依据"), max_length=500, blank=True)
    # Where the item's law prescribes 统一办理、联合办理 or 集中办理 (行政许可法 第26条), every
    # case of it is handled jointly from intake and has 45 working days (第42条第二款).
    joint_handling = models.CharField(_("联合办理方式"), max_length=12, blank=True, default="",
                                      choices=JOINT_HANDLING_CHOICES)
    joint_handling_basis = models.CharField(_("联合办理依据"), max_length=500, blank=True)
    promised_limit_days = models.PositiveSmallIntegerField(_("承诺办结时限（工作日）"),
                                                           default=20)
    fee_free = models.BooleanField(_("不收费"), default=True)
    online_depth = models.PositiveSmallIntegerField(_("网办深度"), choices=ONLINE_DEPTH_CHOICES,
                                                    default=OnlineDepth.GUIDE)
    visits_required = models.PositiveSmallIntegerField(_("到现场次数"), default=1)
    street_available = models.BooleanField(_("街道可办"), default=False)
    in_hall = models.BooleanField(_("进驻大厅"), default=True)
    window = models.CharField(_("办理窗口"), max_length=200, blank=True)
    address = models.CharField(_("办理地点"), max_length=200, blank=True)
    hours = models.CharField(_("办理时间"), max_length=200, blank=True)
    phone = models.CharField(_("咨询电话"), max_length=200, blank=True)
    valid_from = models.DateTimeField(_("生效时间"), null=True, blank=True)
    valid_to = models.DateTimeField(_("失效时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    content_hash = models.CharField(_("内容摘要"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("事项版本")
        verbose_name_plural = _("事项版本")
        ordering = ["item_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="catalog_version_number"),
            models.UniqueConstraint(fields=["item"], condition=models.Q(status="draft"),
                                    name="catalog_one_draft_per_item"),
            models.CheckConstraint(
                condition=models.Q(promised_limit_days__lte=models.F("statutory_limit_days"))
                | ~models.Q(statutory_limit_unit="working_days"),
                name="catalog_promise_within_statute"),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(valid_from__isnull=False),
                name="catalog_published_has_valid_from"),
        ]
        indexes = [models.Index(fields=["item", "status", "valid_from"],
                                name="catalog_version_in_force")]

    def __str__(self) -> str:
        return f"{self.name} v{self.number}"

    @property
    def is_draft(self) -> bool:
        return self.status == VersionStatus.DRAFT

    def statutory_limit_text(self) -> str:
        """The statutory limit in words, e.g. "7 日（自收到申请之日起，不得延长）" or
        "20 个工作日"; for an item handled jointly by its law, "45 个工作日（统一办理，…）"
        (行政许可法 第26条, 第42条第二款), whatever its own limit."""
        if self.joint_handling:
            return gettext("45 个工作日（%(kind)s，《行政许可法》第四十二条第二款）") % {
                "kind": self.get_joint_handling_display()}
        amount = self.statutory_limit_days
        if self.statutory_limit_unit == "days":
            text = gettext("%(n)d 日") % {"n": amount}
        elif self.statutory_limit_unit == "months":
            text = gettext("%(n)d 个月") % {"n": amount}
        else:
            text = gettext("%(n)d 个工作日") % {"n": amount}
        notes = []
        if self.statutory_limit_start == "receipt":
            notes.append(gettext("自收到申请之日起"))
        if self.extension_limit_days == 0:
            notes.append(gettext("不得延长"))
        elif self.extension_limit_days is not None:
            notes.append((gettext("可延长 %(n)d 日") if self.statutory_limit_unit != "working_days"
                          else gettext("可延长 %(n)d 个工作日")) % {"n": self.extension_limit_days})
        return text + (gettext("（%(notes)s）") % {"notes": gettext("，").join(notes)}
                       if notes else "")

    @property
    def item_limit(self) -> ItemLimit:
        """The statutory limit as the clock counts it (unit, start, extension cap)."""
        return ItemLimit(self.statutory_limit_days, LimitUnit(self.statutory_limit_unit),
                         LimitStart(self.statutory_limit_start), self.extension_limit_days)

    @property
    def is_on_the_spot(self) -> bool:
        """即办件: the promised limit is 0 (law.md §13)."""
        return self.promised_limit_days == 0


class ItemListing(models.Model):
    """The search index of the catalogue (检索索引): one narrow row per published version, with
    when it is in force (from its valid_from until the next version starts or its own
    valid_to ends) and the fields the public list searches, filters and sorts on, copied from
    the version. Written only by the publish service; the versions themselves never change.
    A search is then one scan of a small table, the same on SQLite and PostgreSQL."""

    version = models.OneToOneField(ItemVersion, on_delete=models.CASCADE, primary_key=True,
                                   related_name="listing")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="+")
    valid_from = models.DateTimeField()
    valid_until = models.DateTimeField(null=True, blank=True)
    # Name, pinyin initials, full pinyin and codes, upper case, between separators.
    search_key = models.TextField()
    competent_department = models.ForeignKey("org.Unit", on_delete=models.CASCADE,
                                             related_name="+")
    basic_code = models.CharField(max_length=12)
    item_type = models.CharField(max_length=20)
    street_available = models.BooleanField()
    online_depth = models.PositiveSmallIntegerField()
    in_hall = models.BooleanField()
    transferred = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("事项检索索引")
        verbose_name_plural = _("事项检索索引")
        indexes = [
            models.Index(fields=["valid_from", "valid_until"], name="catalog_listing_period"),
            models.Index(fields=["competent_department", "basic_code", "item"],
                         name="catalog_listing_order"),
        ]

    def __str__(self) -> str:
        return f"{self.version_id}: {self.valid_from} – {self.valid_until}"


class LegalBasis(models.Model):
    """设定依据: a law and its article."""

    version = models.ForeignKey(ItemVersion, on_delete=models.CASCADE,
                                related_name="legal_bases")
    law = models.CharField(_("法律法规名称"), max_length=200)
    article = models.CharField(_("条款"), max_length=100)
    text = models.TextField(_("条文内容"), blank=True)
    sort = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("设定依据")
        verbose_name_plural = _("设定依据")
        ordering = ["sort", "id"]

    def __str__(self) -> str:
        return f"{self.law}{self.article}"


class SpecialProcedure(models.Model):
    """特别程序 an item may use (行政许可法 第45条) with its usual length."""

    version = models.ForeignKey(ItemVersion, on_delete=models.CASCADE,
                                related_name="special_procedures")
    kind = models.CharField(_("程序种类"), max_length=20, choices=SPECIAL_KIND_CHOICES)
    usual_days = models.PositiveSmallIntegerField(_("一般时长（工作日）"))
    legal_basis = models.CharField(_("依据"), max_length=500, blank=True)
    stops_clock = models.BooleanField(_("不计入办理时限"), default=True)
    sort = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("特别程序")
        verbose_name_plural = _("特别程序")
        ordering = ["sort", "id"]

    def __str__(self) -> str:
        return self.get_kind_display()


class Fee(models.Model):
    """收费项目 with its basis."""

    version = models.ForeignKey(ItemVersion, on_delete=models.CASCADE, related_name="fees")
    name = models.CharField(_("收费项目"), max_length=200)
    amount = models.DecimalField(_("金额（元）"), max_digits=12, decimal_places=2)
    basis = models.CharField(_("收费依据"), max_length=500)
    sort = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("收费")
        verbose_name_plural = _("收费")
        ordering = ["sort", "id"]

    def __str__(self) -> str:
        return self.name


class Result(models.Model):
    """办理结果: licence name, type and validity."""

    version = models.ForeignKey(ItemVersion, on_delete=models.CASCADE, related_name="results")
    name = models.CharField(_("结果名称"), max_length=200)
    kind = models.CharField(_("结果类型"), max_length=10, choices=RESULT_KIND_CHOICES)
    validity = models.CharField(_("有效期限"), max_length=200, blank=True)
    sort = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("办理结果")
        verbose_name_plural = _("办理结果")
        ordering = ["sort", "id"]

    def __str__(self) -> str:
        return self.name


class Faq(models.Model):
    """常见问题."""

    version = models.ForeignKey(ItemVersion, on_delete=models.CASCADE, related_name="faqs")
    question = models.CharField(_("问题"), max_length=500)
    answer = models.TextField(_("解答"))
    sort = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("常见问题")
        verbose_name_plural = _("常见问题")
        ordering = ["sort", "id"]

    def __str__(self) -> str:
        return self.question


class Variant(models.Model):
    """业务办理项: 新设 / 变更 / 延续 / 注销 ..., each with its materials and review chain."""

    version = models.ForeignKey(ItemVersion, on_delete=models.CASCADE, related_name="variants")
    code = models.CharField(_("办理项编码"), max_length=20)
    name = models.CharField(_("办理项名称"), max_length=100)
    sort = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("业务办理项")
        verbose_name_plural = _("业务办理项")
        ordering = ["sort", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "code"],
                                               name="catalog_variant_code")]

    def __str__(self) -> str:
        return self.name


def _material_upload(instance: Material, filename: str) -> str:
    return f"catalog/materials/{filename}"


class Material(models.Model):
    """申请材料 of a variant (law.md §13)."""

    variant = models.ForeignKey(Variant, on_delete=models.CASCADE, related_name="materials")
    name = models.CharField(_("材料名称"), max_length=200)
    originals = models.PositiveSmallIntegerField(_("原件份数"), default=1)
    copies = models.PositiveSmallIntegerField(_("复印件份数"), default=0)
    paper_size = models.CharField(_("纸张规格"), max_length=10, choices=PAPER_SIZE_CHOICES,
                                  default="A4")
    required = models.BooleanField(_("必要材料"), default=True)
    shareable = models.BooleanField(_("免提交（共享获取）"), default=False)
    share_source = models.CharField(_("共享来源"), max_length=500, blank=True)
    legal_basis = models.CharField(_("材料依据"), max_length=500, blank=True)
    note = models.CharField(_("填报说明"), max_length=500, blank=True)
    blank_form = models.FileField(_("空白表格"), upload_to=_material_upload, blank=True)
    example = models.FileField(_("示例样表"), upload_to=_material_upload, blank=True)
    sort = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")
        ordering = ["sort", "id"]

    def __str__(self) -> str:
        return self.name


class ChainStep(models.Model):
    """A step of a variant's review chain (审批环节), e.g. 受理 → 审查 → 审核 → 批准.

    `site_visit` (现场核查) marks a step that verifies the substance of the application on
    site: 行政许可法 第34条 requires two or more staff for it, which the cases app enforces
    when such a step is completed (each case step copies the flag).
    """

    variant = models.ForeignKey(Variant, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("顺序"))
    name = models.CharField(_("环节名称"), max_length=50)
    role = models.CharField(_("办理角色"), max_length=20, choices=Role.choices)
    limit_days = models.PositiveSmallIntegerField(_("环节时限（工作日）"))
    skippable_on_spot = models.BooleanField(_("即办件可省略"), default=False)
    site_visit = models.BooleanField(
        _("现场核查"), default=False,
        help_text=_("本环节须到现场核查申请材料的实质内容，依《行政许可法》第三十四条应当指派"
                    "两名以上工作人员进行核查。"))

    class Meta:
        verbose_name = _("审批环节")
        verbose_name_plural = _("审批环节")
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["variant", "order"],
                                               name="catalog_step_order")]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class TransferMemo(models.Model):
    """划转备忘录: the item's transfer from a department to the bureau (行政许可法 第25条).
    From `effective_on` only the bureau may accept or decide the item."""

    item = models.OneToOneField(Item, on_delete=models.CASCADE, related_name="transfer_memo")
    from_department = models.ForeignKey("org.Unit", verbose_name=_("划出部门"),
                                        on_delete=models.PROTECT, related_name="+")
    to_unit = models.ForeignKey("org.Unit", verbose_name=_("划入单位"),
                                on_delete=models.PROTECT, related_name="+")
    effective_on = models.DateField(_("生效日期"))
    document_no = models.CharField(_("文件文号"), max_length=80, blank=True)
    approval_duty = models.TextField(_("审批职责（划入单位）"))
    supervision_duty = models.TextField(_("监管职责（主管部门）"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("划转备忘录")
        verbose_name_plural = _("划转备忘录")
        ordering = ["effective_on", "id"]

    def __str__(self) -> str:
        return f"{self.item} {self.effective_on}"


class Signatory(models.Model):
    """A person who signed off a transfer memo (签署人)."""

    memo = models.ForeignKey(TransferMemo, on_delete=models.CASCADE, related_name="signatories")
    name = models.CharField(_("姓名"), max_length=50)
    unit = models.CharField(_("单位"), max_length=100)
    title = models.CharField(_("职务"), max_length=50, blank=True)
    signed_on = models.DateField(_("签署日期"), null=True, blank=True)
    sort = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("签署人")
        verbose_name_plural = _("签署人")
        ordering = ["sort", "id"]

    def __str__(self) -> str:
        return self.name


class FieldKind(models.TextChoices):
    """The kinds of an application form's field (申请表字段类型)."""

    TEXT = "text", _("单行文本")
    TEXTAREA = "textarea", _("多行文本")
    NUMBER = "number", _("数字")
    DATE = "date", _("日期")
    CHOICE = "choice", _("选择")
    YESNO = "yesno", _("是/否")


class FormField(models.Model):
    """A field of the online application form (申请表字段), defined per item version and, when
    `variant` is set, for that business variant only. The values the applicant enters are
    kept on the case (`Case.form_data`) under `key`."""

    version = models.ForeignKey(ItemVersion, on_delete=models.CASCADE,
                                related_name="form_fields")
    variant = models.ForeignKey(Variant, verbose_name=_("仅适用于办理项"), null=True, blank=True,
                                on_delete=models.CASCADE, related_name="form_fields")
    key = models.SlugField(_("字段标识"), max_length=40)
    label = models.CharField(_("字段名称"), max_length=100)
    kind = models.CharField(_("字段类型"), max_length=10, choices=FieldKind.choices,
                            default=FieldKind.TEXT)
    required = models.BooleanField(_("必填"), default=True)
    pattern = models.CharField(_("格式（正则表达式）"), max_length=200, blank=True)
    min_value = models.DecimalField(_("最小值（长度）"), max_digits=14, decimal_places=2,
                                    null=True, blank=True)
    max_value = models.DecimalField(_("最大值（长度）"), max_digits=14, decimal_places=2,
                                    null=True, blank=True)
    choices = models.JSONField(_("选项"), default=list, blank=True)
    help_text = models.CharField(_("填写说明"), max_length=300, blank=True)
    sort = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("申请表字段")
        verbose_name_plural = _("申请表字段")
        ordering = ["sort", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "key"],
                                               name="catalog_form_field_key")]

    def __str__(self) -> str:
        return self.label


class GuideQuestion(models.Model):
    """A guided question (情形引导): its options, each of which may choose the business variant
    (`options`: [{"label": ..., "variant": variant code or ""}])."""

    version = models.ForeignKey(ItemVersion, on_delete=models.CASCADE,
                                related_name="guide_questions")
    text = models.CharField(_("问题"), max_length=200)
    help_text = models.CharField(_("说明"), max_length=300, blank=True)
    options = models.JSONField(_("选项"), default=list)
    sort = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("情形引导问题")
        verbose_name_plural = _("情形引导问题")
        ordering = ["sort", "id"]

    def __str__(self) -> str:
        return self.text
