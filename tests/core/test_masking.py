"""Masking of ID and phone numbers in lists (脱敏显示)."""

from __future__ import annotations

import pytest
from django.template import Context, Template

from oneseal.core.masking import mask_id_number, mask_name, mask_phone


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("530102199001011234", "5301**********1234"),
        ("11010519491231002X", "1101**********002X"),
        ("530102900101123", "530*********123"),  # 15-digit first-generation number: 3 + 3
        ("12345678", "12****78"),
        ("12345", "1***5"),
        ("123", "***"),
        ("1", "*"),
        ("", ""),
        (None, ""),
        (" 530102 199001011234 ", "5301**********1234"),
        (530102199001011234, "5301**********1234"),
    ],
)
def test_mask_id_number(value, masked):
    assert mask_id_number(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("13812345678", "138****5678"),
        ("+8613812345678", "+86138****5678"),
        ("087163123456", "087*****3456"),
        ("12345678", "****5678"),  # a landline without its area code
        ("0871631234", "******1234"),
        ("1234567", "*****67"),
        ("12345", "***45"),
        ("1234", "****"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_phone(value, masked):
    assert mask_phone(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [("张三丰", "张**"), ("李娜", "李*"), ("欧阳", "欧*"), ("王", "*"), ("", "")],
)
def test_mask_name(value, masked):
    assert mask_name(value) == masked


def test_no_value_is_ever_shown_whole_and_at_least_a_third_is_masked():
    for length in range(1, 25):
        value = "9" * length
        for masked in (mask_id_number(value), mask_phone(value)):
            assert len(masked) == length
            assert masked.count("*") >= max(1, length / 3), masked


def test_template_filters():
    out = Template(
        "{% load masking %}{{ p.id|mask_id }} {{ p.phone|mask_phone }} {{ p.name|mask_name }}"
    ).render(Context({"p": {"id": "530102199001011234", "phone": "13812345678", "name": "张三"}}))
    assert out == "5301**********1234 138****5678 张*"
