"""Item codes, law.md §13: 实施编码 = implementing body's USCC + exercise level + basic code.
Worked by hand: the check character of 11530112MB1234567? under GB 32100 is 8 (also what
python-stdnum computes)."""

from __future__ import annotations

import pytest

from oneseal.catalog.domain import codes

BUREAU = "11530112MB12345678"


def test_law_13_implementation_code_is_uscc_then_level_then_basic_code():
    code = codes.implementation_code(BUREAU, 4, "000105001000")
    assert code == "11530112MB12345678" + "4" + "000105001000"
    assert len(code) == 31
    assert codes.split_implementation_code(code) == (BUREAU, 4, "000105001000")


def test_law_13_lower_case_input_is_normalised():
    assert codes.implementation_code(BUREAU.lower(), 4, "00010500100a") == (
        BUREAU + "4" + "00010500100A")


@pytest.mark.parametrize(("credit", "problem"), [
    ("11530112MB12345679", "uscc_check"),  # wrong check character
    ("11530112MB1234567", "uscc_length"),  # 17 characters
    ("11530112MI12345678", "uscc_alphabet"),  # I is not in the GB 32100 alphabet
    ("", "uscc_missing"),
])
def test_law_13_bad_credit_code_is_refused(credit, problem):
    found = codes.implementation_code_problems(None, credit, 4, "000105001000")
    assert [p.code for p in found] == [problem]
    with pytest.raises(ValueError, match=problem):
        codes.implementation_code(credit, 4, "000105001000")


@pytest.mark.parametrize("level", [0, 7, "4", True, None])
def test_law_13_exercise_level_is_1_to_6(level):
    found = codes.implementation_code_problems(None, BUREAU, level, "000105001000")
    assert [p.code for p in found] == ["exercise_level"]


@pytest.mark.parametrize("basic", ["00010500100", "0001050010000", "0001-5001000", "00010500100ä"])
def test_law_13_basic_code_is_12_digits_or_capitals(basic):
    found = codes.implementation_code_problems(None, BUREAU, 4, basic)
    assert [p.code for p in found] == ["basic_code_format"]


def test_law_13_given_implementation_code_must_match_its_parts():
    wrong = BUREAU + "3" + "000105001000"  # level 3 in the code, 4 given
    found = codes.implementation_code_problems(wrong, BUREAU, 4, "000105001000")
    assert [p.code for p in found] == ["implementation_code_mismatch"]
    assert found[0].params["expected"] == BUREAU + "4000105001000"
    assert codes.implementation_code_problems(BUREAU + "4000105001000", BUREAU, 4,
                                              "000105001000") == []


def test_letter_registration_authority_codes_are_accepted():
    # GB 32100 allows a letter in position 1 (Y: other registration authorities); the check
    # character is still computed over the 17 characters (stdnum).
    from stdnum.cn import uscc

    body = "Y1530112MB1234567"
    assert codes.uscc_problems(body + uscc.calc_check_digit(body), "f") == []
