"""Identity numbers: the resident ID number (居民身份证号码, GB 11643-1999) and the unified
social credit code (统一社会信用代码, GB 32100-2015), plus mainland phone numbers.

The checksums come from python-stdnum (`stdnum.cn.ric`, `stdnum.cn.uscc`); this module is the
thin wrapper the architecture asks for. It adds three things stdnum does not do:

* Input clean-up. Numbers typed with a Chinese input method often arrive in full-width
  characters (`５３０１…`) or with spaces; `normalize_*` folds them (Unicode NFKC), removes
  whitespace and hyphens and upper-cases the check character (`x` -> `X`).
* Resident ID, region part. `stdnum.cn.ric.validate` also requires that the county of
  digits 1-6 existed in the year of birth. The address code is the one of the household
  registration when the number was first assigned, often years after birth (cards were first
  issued in 1984/85) and counties are re-coded: stdnum rejects, for example, a Xishan resident
  born in 1975, because 530112 (西山区) dates from 1983. We accept any number whose
  province (digits 1-2) is known, including 83 (Taiwan residents' residence permits, which use
  the same 18-digit layout but are missing from stdnum's table). The birth date must be a real
  date between 1900-01-01 and today.
* Credit code, letters in positions 1-2. GB 32100-2015 §4 lets the registration authority
  code (登记管理部门代码, position 1) and the entity category code (机构类别代码, position 2) be
  a digit or an upper-case letter from the code's character set (no I, O, Z, S, V): e.g. `A`
  (中央军委改革和编制办公室, military units), `N` (农业农村部门, rural collective economic
  organisations), `Y` (other registration authorities). `stdnum.cn.uscc.validate` requires
  positions 1-8 to be digits and so rejects these codes; we accept them when positions 3-8
  (the administrative division code) are digits and the check character, computed by stdnum,
  is right.

`validate_id_number` and `validate_credit_code` are Django validators for model fields: they
accept only the canonical form (what `normalize_*` returns), so a stored value never holds a
space or a lower-case `x`. Forms and services call `normalize_*` first.
"""

from __future__ import annotations

import datetime
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum import numdb
from stdnum.cn import ric, uscc
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength

# GB 32100-2015: digits and upper-case letters except I, O, Z, S, V (31 characters).
CREDIT_CODE_CHARSET = frozenset("0123456789ABCDEFGHJKLMNPQRTUWXY")
# Residence permits of Hong Kong (81), Macao (82) and Taiwan (83) residents share the layout.
_PERMIT_PROVINCES = frozenset({"81", "82", "83"})
_EARLIEST_BIRTH = datetime.date(1900, 1, 1)
_DIGITS = re.compile(r"[0-9]+\Z")


def _fold(raw: object) -> str:
    """Full-width to half-width, drop whitespace and hyphens, upper-case."""
    text = unicodedata.normalize("NFKC", "" if raw is None else str(raw))
    return "".join(text.split()).replace("-", "").upper()


# --- resident ID number (居民身份证号码) --------------------------------------------------


def normalize_id_number(raw: object, *, today: datetime.date | None = None) -> str:
    """Return the canonical 18-character resident ID number, or raise ValidationError."""
    number = _fold(raw)
    if len(number) != 18:
        raise ValidationError(
            _("身份证号码应为18位（当前为%(length)d位）。"),
            code="id_length", params={"length": len(number)},
        )
    if not _DIGITS.match(number[:17]) or number[17] not in "0123456789X":
        raise ValidationError(
            _("身份证号码前17位应为数字，最后一位为数字或 X。"), code="id_format"
        )
    if ric.calc_check_digit(number) != number[17]:
        raise ValidationError(_("身份证号码校验码错误，请核对后重新输入。"), code="id_checksum")
    try:
        born = ric.get_birth_date(number)
    except InvalidComponent:
        born = None
    if born is None or not _EARLIEST_BIRTH <= born <= (today or timezone.localdate()):
        raise ValidationError(_("身份证号码中的出生日期无效。"), code="id_birth_date")
    if not _region_known(number):
        raise ValidationError(_("身份证号码中的地址码无效。"), code="id_region")
    return number


def _region_known(number: str) -> bool:
    try:
        ric.get_birth_place(number)
        return True
    except InvalidComponent:
        pass
    if number[:2] in _PERMIT_PROVINCES:
        return True
    parts = numdb.get("cn/loc").info(number[:6])
    return bool(parts) and "province" in parts[0][1]


def is_valid_id_number(raw: object) -> bool:
    try:
        normalize_id_number(raw)
    except ValidationError:
        return False
    return True


def id_number_birth_date(number: str) -> datetime.date:
    """The date of birth encoded in a (valid) resident ID number."""
    return ric.get_birth_date(normalize_id_number(number))


def validate_id_number(value: str) -> None:
    """Django validator: a valid resident ID number in canonical form."""
    canonical = normalize_id_number(value)
    if canonical != value:
        raise ValidationError(
            _("身份证号码格式不规范：应为18位，不含空格，末位 X 大写（%(canonical)s）。"),
            code="id_not_canonical", params={"canonical": canonical},
        )


# --- unified social credit code (统一社会信用代码) -------------------------------------


def credit_code_check_char(first17: str) -> str:
    """The check character (position 18) for the first 17 characters of a credit code."""
    body = _fold(first17)
    if len(body) != 17 or any(c not in CREDIT_CODE_CHARSET for c in body):
        raise ValueError(f"need 17 characters from the GB 32100 character set: {first17!r}")
    return str(uscc.calc_check_digit(body))


def make_credit_code(first17: str) -> str:
    """Complete 17 characters into a valid credit code by appending its check character."""
    body = _fold(first17)
    return body + credit_code_check_char(body)


def normalize_credit_code(raw: object) -> str:
    """Return the canonical 18-character credit code, or raise ValidationError."""
    number = str(uscc.compact(_fold(raw)))
    try:
        return str(uscc.validate(number))
    except InvalidLength:
        raise ValidationError(
            _("统一社会信用代码应为18位（当前为%(length)d位）。"),
            code="uscc_length", params={"length": len(number)},
        ) from None
    except InvalidFormat:
        # stdnum wants digits in positions 1-8; GB 32100 allows letters in positions 1-2.
        if any(c not in CREDIT_CODE_CHARSET for c in number):
            raise ValidationError(
                _("统一社会信用代码只能包含数字和大写字母（不使用 I、O、Z、S、V）。"),
                code="uscc_charset",
            ) from None
        if not _DIGITS.match(number[2:8]):
            raise ValidationError(
                _("统一社会信用代码第3至8位（登记管理机关行政区划码）应为数字。"),
                code="uscc_region",
            ) from None
    except InvalidChecksum:
        pass  # reported below, in our words
    if number[-1] != credit_code_check_char(number[:17]):
        raise ValidationError(
            _("统一社会信用代码校验码错误，请核对后重新输入。"), code="uscc_checksum"
        )
    return number


def is_valid_credit_code(raw: object) -> bool:
    try:
        normalize_credit_code(raw)
    except ValidationError:
        return False
    return True


def validate_credit_code(value: str) -> None:
    """Django validator: a valid unified social credit code in canonical form."""
    canonical = normalize_credit_code(value)
    if canonical != value:
        raise ValidationError(
            _("统一社会信用代码格式不规范：应为18位大写字母或数字，不含空格（%(canonical)s）。"),
            code="uscc_not_canonical", params={"canonical": canonical},
        )


# --- phone numbers (联系电话) ------------------------------------------------------------

_MOBILE = re.compile(r"1[3-9][0-9]{9}\Z")
_LANDLINE = re.compile(r"0[1-9][0-9]{1,2}[0-9]{7,8}\Z")


def normalize_phone(raw: object) -> str:
    """A mainland mobile number (11 digits, `+86` dropped) or a landline with its area code
    (`0871-63123456` -> `087163123456`)."""
    number = _fold(raw)
    if number.startswith("+86"):
        number = number[3:]
    elif number.startswith("0086"):
        number = number[4:]
    if _MOBILE.match(number) or _LANDLINE.match(number):
        return number
    raise ValidationError(
        _("请输入11位手机号码，或带区号的固定电话号码。"), code="phone_format"
    )


def validate_phone(value: str) -> None:
    """Django validator: a phone number in the canonical form of `normalize_phone`."""
    if normalize_phone(value) != value:
        raise ValidationError(
            _("电话号码格式不规范：只填数字，不含空格、横线或 +86。"), code="phone_not_canonical"
        )
