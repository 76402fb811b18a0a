"""Resident ID numbers (GB 11643-1999) and unified social credit codes (GB 32100-2015)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from stdnum.cn import ric, uscc

from oneseal.core.identity import (
    credit_code_check_char,
    id_number_birth_date,
    is_valid_credit_code,
    is_valid_id_number,
    make_credit_code,
    normalize_credit_code,
    normalize_id_number,
    normalize_phone,
    validate_credit_code,
    validate_id_number,
    validate_phone,
)

TODAY = datetime.date(2026, 11, 27)


def _code(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return str(exc.value.error_list[0].code)


# --- resident ID numbers --------------------------------------------------------------


@pytest.mark.parametrize(
    "number",
    [
        "11010519491231002X",  # python-stdnum's own example, check character X
        "360426199101010071",  # python-stdnum's own example
        "530102199001011231",  # Kunming Wuhua, check digit 1 worked by hand below
        "530112198805169980",  # Xishan, sequence 998 (never given to a real person that age)
    ],
)
def test_good_id_numbers_are_accepted_unchanged(number):
    assert normalize_id_number(number, today=TODAY) == number
    validate_id_number(number)  # canonical: no exception


def test_id_check_digit_worked_by_hand():
    # GB 11643: weights 2^(17-i) mod 11 = 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2 over
    # 5 3 0 1 0 2 1 9 9 0 0 1 0 1 1 2 3:
    # 35+27+0+5+0+8+2+9+54+0+0+9+0+5+8+8+6 = 176; 176 mod 11 = 0; (12 - 0) mod 11 = 1.
    digits = [int(c) for c in "53010219900101123"]
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(d * w for d, w in zip(digits, weights, strict=True))
    assert total == 176
    assert (12 - total % 11) % 11 == 1
    assert is_valid_id_number("530102199001011231")
    assert not is_valid_id_number("530102199001011234")


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("530102199001011234", "id_checksum"),  # last digit should be 1
        ("11010519491231002Y", "id_format"),
        ("5301021990010112", "id_length"),  # 16
        ("5301021990010112311", "id_length"),  # 19
        ("", "id_length"),
        ("53010219900101123A", "id_format"),  # letter other than X at the end
        ("5301021990O101123" + "1", "id_format"),  # letter O for zero in the date
        ("530102199002301230", "id_birth_date"),  # 30 February, check digit right
        ("530102199013011239", "id_birth_date"),  # month 13, check digit right
        ("530102202712010010", "id_birth_date"),  # born after today, check digit right
        ("530102189912310014", "id_birth_date"),  # before 1900, check digit right
        ("990101199001011230", "id_region"),  # no province 99, check digit right
    ],
)
def test_bad_id_numbers_are_refused_with_a_reason(number, code):
    body = number[:17]
    if code in {"id_birth_date", "id_region"}:  # the test numbers carry a right check digit
        assert ric.calc_check_digit(number) == number[17], body
    with pytest.raises(ValidationError) as exc:
        normalize_id_number(number, today=TODAY)
    assert _code(exc) == code
    assert "身份证号码" in str(exc.value.messages[0])


def test_lowercase_x_spaces_and_full_width_are_normalised():
    assert normalize_id_number("11010519491231002x") == "11010519491231002X"
    assert normalize_id_number(" 110105 19491231 002X ") == "11010519491231002X"
    assert normalize_id_number("１１０１０５１９４９１２３１００２Ｘ") == "11010519491231002X"
    assert normalize_id_number("110105-19491231-002X") == "11010519491231002X"


@pytest.mark.parametrize(
    "raw", ["11010519491231002x", "110105 19491231002X", " 11010519491231002X"]
)
def test_the_model_validator_refuses_a_non_canonical_form(raw):
    with pytest.raises(ValidationError) as exc:
        validate_id_number(raw)
    assert _code(exc) == "id_not_canonical"
    assert "11010519491231002X" in exc.value.messages[0]


def test_a_county_coded_after_the_birth_year_is_accepted_where_stdnum_refuses():
    # Xishan (530112) dates from 1983; a resident born in 1975 holds a 530112 number.
    number = "530112197501011231"
    assert not ric.is_valid(number)
    assert normalize_id_number(number) == number
    assert id_number_birth_date(number) == datetime.date(1975, 1, 1)


def test_residence_permit_numbers_of_taiwan_residents_are_accepted():
    body = "83000019900101123"
    number = body + ric.calc_check_digit(body + "0")
    assert normalize_id_number(number) == number
    assert not is_valid_id_number(body + ("1" if number[-1] != "1" else "2"))


# --- unified social credit codes --------------------------------------------------------

WEIGHTS = [pow(3, i, 31) for i in range(17)]  # GB 32100: W_i = 3^(i-1) mod 31
CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def _check_by_the_standard(first17: str) -> str:
    total = sum(CHARSET.index(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def test_credit_code_check_character_follows_the_standard():
    assert WEIGHTS == [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    bodies = ["91110000600037341", "11530112MB1234567", "N2530112MA6K3T8Q1", "A1000000MB0012345"]
    for body in bodies:
        assert credit_code_check_char(body) == _check_by_the_standard(body)
    assert credit_code_check_char("91110000600037341") == "L"
    assert make_credit_code("11530112MB1234567") == "11530112MB12345678"


@pytest.mark.parametrize(
    "code",
    ["91110000600037341L", "91530112MA6K3T8Q1" + _check_by_the_standard("91530112MA6K3T8Q1")],
)
def test_good_credit_codes_are_accepted_unchanged(code):
    assert normalize_credit_code(code) == code
    validate_credit_code(code)


@pytest.mark.parametrize("first2", ["N2", "A1", "Y1", "NA"])
def test_letters_in_positions_one_and_two_are_accepted_gb32100(first2):
    code = make_credit_code(first2 + "530112MA6K3T8Q1")
    assert not uscc.is_valid(code)  # stdnum alone refuses these
    assert normalize_credit_code(code) == code
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    with pytest.raises(ValidationError) as exc:
        normalize_credit_code(wrong)
    assert _code(exc) == "uscc_checksum"


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("91110000600037341M", "uscc_checksum"),
        ("91110000600037341", "uscc_length"),
        ("91110000600037341LL", "uscc_length"),
        ("", "uscc_length"),
        ("91110000600O37341L", "uscc_charset"),  # letter O is not used
        ("I1110000600037341L", "uscc_charset"),  # letter I is not used
        ("911100006000373S1L", "uscc_charset"),  # letter S is not used
        ("91A10000600037341L", "uscc_region"),  # division code must be digits
        ("9111000060003734-L", "uscc_length"),  # hyphen dropped -> 17
    ],
)
def test_bad_credit_codes_are_refused_with_a_reason(code, reason):
    with pytest.raises(ValidationError) as exc:
        normalize_credit_code(code)
    assert _code(exc) == reason
    assert "统一社会信用代码" in exc.value.messages[0]
    assert not is_valid_credit_code(code)


def test_credit_code_lowercase_and_spaces_are_normalised_but_not_stored_that_way():
    assert normalize_credit_code("9 1 110000 600037341l") == "91110000600037341L"
    assert normalize_credit_code("９１１１００００６０００３７３４１Ｌ") == "91110000600037341L"
    for raw in ["91110000600037341l", "911100006 00037341L"]:
        with pytest.raises(ValidationError) as exc:
            validate_credit_code(raw)
        assert _code(exc) == "uscc_not_canonical"


def test_check_char_needs_seventeen_characters_from_the_charset():
    with pytest.raises(ValueError):
        credit_code_check_char("9111000060003734")
    with pytest.raises(ValueError):
        credit_code_check_char("9111000060003734O")


def test_the_default_bureau_code_is_valid(settings):
    assert is_valid_credit_code(settings.ONESEAL_BUREAU_CODE)


# --- phone numbers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("13812345678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("0871-63123456", "087163123456"),
        ("010-12345678", "01012345678"),
    ],
)
def test_phone_numbers_are_normalised(raw, canonical):
    assert normalize_phone(raw) == canonical
    validate_phone(canonical)


@pytest.mark.parametrize(
    "raw", ["12812345678", "1381234567", "138123456789", "63123456", "", "abc"]
)
def test_bad_phone_numbers_are_refused(raw):
    with pytest.raises(ValidationError) as exc:
        normalize_phone(raw)
    assert _code(exc) == "phone_format"


def test_phone_validator_refuses_a_non_canonical_form():
    with pytest.raises(ValidationError):
        validate_phone("0871-63123456")
