"""The online form's rules (申请表校验) and the guided questions (情形引导), without a database."""

from __future__ import annotations

from decimal import Decimal

from oneseal.catalog.domain.application_form import (
    FORM_ERRORS,
    FieldSpec,
    QuestionSpec,
    check_field,
    choose_variant,
    validate_form,
)

AREA = FieldSpec("area", "经营面积（平方米）", "number", min_value=Decimal(1),
                 max_value=Decimal(10000))
PHONE = FieldSpec("phone", "联系电话", pattern=r"1\d{10}")
SCOPE = FieldSpec("scope", "经营项目", "choice", choices=("预包装食品销售", "热食类食品制售"))
OPENING = FieldSpec("opening", "开业日期", "date", required=False)
NOTE = FieldSpec("note", "备注", "textarea", required=False, max_value=Decimal(5))
ALCOHOL = FieldSpec("alcohol", "是否销售散装酒", "yesno")


def test_required_field_left_empty_is_an_error_and_optional_is_not():
    assert check_field(PHONE, "  ") == ("required", {"label": "联系电话"})
    assert check_field(OPENING, "") is None


def test_number_range_and_non_numbers():
    assert check_field(AREA, "120.5") is None
    assert check_field(AREA, "0") == ("min", {"label": AREA.label, "limit": "1"})
    assert check_field(AREA, "10001") == ("max", {"label": AREA.label, "limit": "10000"})
    assert check_field(AREA, "一百")[0] == "number"
    assert check_field(AREA, "NaN")[0] == "number"


def test_pattern_must_match_the_whole_value():
    assert check_field(PHONE, "13800138000") is None
    assert check_field(PHONE, "138001380001")[0] == "pattern"


def test_choice_date_yesno_and_text_length():
    assert check_field(SCOPE, "热食类食品制售") is None
    assert check_field(SCOPE, "烟草")[0] == "choice"
    assert check_field(OPENING, "2026-02-30")[0] == "date"
    assert check_field(OPENING, "2026-02-28") is None
    assert check_field(ALCOHOL, "yes") is None and check_field(ALCOHOL, "maybe")[0] == "choice"
    assert check_field(NOTE, "一二三四五六") == ("max_length", {"label": "备注", "limit": "5"})


def test_validate_form_keeps_every_value_and_reports_each_wrong_field():
    values, errors = validate_form([AREA, PHONE, SCOPE], {
        "area": " 80 ", "phone": "123", "extra": "ignored"})
    assert values == {"area": "80", "phone": "123", "scope": ""}
    assert set(errors) == {"phone", "scope"}
    assert errors["scope"][0] == "required"
    assert all(code in FORM_ERRORS for code, _params in errors.values())


def test_choose_variant_later_answer_overrides_and_unanswered_is_skipped():
    first = QuestionSpec("您是首次申请吗？", (("是，首次申请", "01"), ("否，已持有许可证", "")))
    second = QuestionSpec("您要办理什么？", (("变更", "02"), ("延续", "03"), ("注销", "04")))
    assert choose_variant([first, second], [0]) == "01"
    assert choose_variant([first, second], [1, 1]) == "03"
    assert choose_variant([first, second], [1]) is None
    assert choose_variant([first, second], [0, 7]) is None
    assert choose_variant([first, second], [None, 2]) == "04"
