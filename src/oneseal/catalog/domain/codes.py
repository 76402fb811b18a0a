"""Item codes (事项编码), law.md §13.

The implementation code (实施编码) of an item is the implementing body's unified social
credit code (统一社会信用代码, 18 characters, GB 32100), followed by the exercise level
(行使层级, one digit) and the basic code (基本编码, 12 characters) of the item in the
general catalogue: 18 + 1 + 12 = 31 characters.
"""

from __future__ import annotations

import enum
import re

from stdnum.cn import uscc as _uscc

from .problems import Problem

USCC_LENGTH = 18
BASIC_CODE_LENGTH = 12
IMPLEMENTATION_CODE_LENGTH = USCC_LENGTH + 1 + BASIC_CODE_LENGTH

# GB 32100: the alphabet of the code has no I, O, S, V, Z.
_USCC_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{18}$")
_BASIC_RE = re.compile(r"^[0-9A-Z]{12}$")


class ExerciseLevel(enum.IntEnum):
    """行使层级: the level of government that exercises the item."""

    NATIONAL = 1  # 国家级
    PROVINCIAL = 2  # 省级
    MUNICIPAL = 3  # 市级
    COUNTY = 4  # 县级 (a district is at this level)
    TOWNSHIP = 5  # 乡级 (streets, towns)
    VILLAGE = 6  # 村级 (communities)


def uscc_problems(code: str, field: str) -> list[Problem]:
    """Problems with a unified social credit code (GB 32100): length, alphabet, check
    character (computed by python-stdnum)."""
    value = (code or "").strip().upper()
    if not value:
        return [Problem("uscc_missing", (field,))]
    if len(value) != USCC_LENGTH:
        return [Problem("uscc_length", (field,), {"value": value, "length": len(value)})]
    if not _USCC_RE.match(value):
        return [Problem("uscc_alphabet", (field,), {"value": value})]
    expected = _uscc.calc_check_digit(value[:-1])
    if value[-1] != expected:
        return [Problem("uscc_check", (field,), {"value": value, "expected": expected})]
    return []


def basic_code_problems(code: str, field: str = "basic_code") -> list[Problem]:
    """The basic code is 12 characters, digits or capital letters (law.md §13)."""
    value = (code or "").strip().upper()
    if not value:
        return [Problem("basic_code_missing", (field,))]
    if not _BASIC_RE.match(value):
        return [Problem("basic_code_format", (field,), {"value": value})]
    return []


def level_problems(level: object, field: str = "exercise_level") -> list[Problem]:
    if isinstance(level, bool) or not isinstance(level, int) or level not in set(ExerciseLevel):
        return [Problem("exercise_level", (field,), {"value": level})]
    return []


def implementation_code(credit_code: str, level: int, basic_code: str) -> str:
    """实施编码 = implementing body's USCC + exercise level + basic code (law.md §13).

    Raises ValueError when a part is invalid; use `implementation_code_problems` to report.
    """
    problems = [
        *uscc_problems(credit_code, "implementing_body_code"),
        *level_problems(level),
        *basic_code_problems(basic_code),
    ]
    if problems:
        raise ValueError(", ".join(p.code for p in problems))
    return f"{credit_code.strip().upper()}{int(level)}{basic_code.strip().upper()}"


def implementation_code_problems(
    given: str | None, credit_code: str, level: object, basic_code: str
) -> list[Problem]:
    """Check the parts of an implementation code and, when a code is given, that it equals
    the one composed from its parts (law.md §13)."""
    problems = [
        *uscc_problems(credit_code, "implementing_body_code"),
        *level_problems(level),
        *basic_code_problems(basic_code),
    ]
    if problems or not given:
        return problems
    assert isinstance(level, int)
    expected = implementation_code(credit_code, level, basic_code)
    if given.strip().upper() != expected:
        return [Problem("implementation_code_mismatch", ("implementation_code",),
                        {"value": given, "expected": expected})]
    return []


def split_implementation_code(code: str) -> tuple[str, int, str]:
    """The three parts of a 31-character implementation code."""
    value = code.strip().upper()
    if len(value) != IMPLEMENTATION_CODE_LENGTH or not value[USCC_LENGTH].isdigit():
        raise ValueError("implementation_code_format")
    return value[:USCC_LENGTH], int(value[USCC_LENGTH]), value[USCC_LENGTH + 1:]
