"""The electronic licence identifier (电子证照标识, GB/T 36903; law.md §11).

Shape::

    1.2.156.3005.2.<type code>.<issuer code>.<serial>.<version>.<check>

* ``1.2.156.3005.2`` — the root (the national OID arc of electronic licences);
* type code (证照类型代码) — 1 to 20 characters ``0-9A-Z``;
* issuer code (颁发机构代码) — the issuing body's 18-character unified social credit code;
* serial (流水号) — 1 to 30 characters ``0-9A-Z`` chosen by the issuer (we use the year and
  a six-digit counter, e.g. ``2026000001``);
* version (版本号) — three digits, ``001`` for a first issue;
* check (校验码) — one character computed by ISO 7064 MOD 37,36 over type + issuer + serial
  + version, written without the dots.

ISO 7064 MOD 37,36 is the *hybrid* system over the 36 characters ``0-9A-Z`` (value of
``0``–``9`` is 0–9, of ``A``–``Z`` is 10–35), with M = 36 and M + 1 = 37:

    p = 36
    for each character c:  s = (p + value(c)) mod 36;  if s == 0: s = 36;  p = (2·s) mod 37
    check = the character whose value v makes (p + v) mod 36 == 1, i.e. v = (1 − p) mod 36

It catches every single-character error and most swaps of neighbours (not all: a hybrid
system misses a few, see the tests). Pure Python: this module imports no Django.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from oneseal.core.workcalendar.domain.i18n import Translate, gettext_noop, identity

ROOT = "1.2.156.3005.2"
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_M = 36
_TYPE = re.compile(r"[0-9A-Z]{1,20}")
_ISSUER = re.compile(r"[0-9A-Z]{18}")
_SERIAL = re.compile(r"[0-9A-Z]{1,30}")
_VERSION = re.compile(r"[0-9]{3}")


class InvalidIdentifier(ValueError):
    """Not an electronic licence identifier: wrong shape or wrong check character.
    `message()` is the Chinese text (msgid % params), `code` a machine name."""

    def __init__(self, msgid: str, *, code: str = "invalid_identifier", **params: object) -> None:
        self.msgid, self.code, self.params = msgid, code, params
        super().__init__(self.message())

    def message(self, translate: Translate = identity) -> str:
        text = translate(self.msgid)
        return text % self.params if self.params else text


@dataclass(frozen=True)
class Identifier:
    """A parsed, checked identifier."""

    type_code: str
    issuer_code: str
    serial: str
    version: int
    check: str

    @property
    def text(self) -> str:
        return f"{ROOT}.{self.type_code}.{self.issuer_code}.{self.serial}.{self.version:03d}." \
               f"{self.check}"

    def __str__(self) -> str:
        return self.text


def check_char(payload: str) -> str:
    """The ISO 7064 MOD 37,36 check character of `payload` (characters ``0-9A-Z``; lower
    case is read as upper case). Raises `InvalidIdentifier` for any other character."""
    p = _M
    for char in payload.upper():
        value = ALPHABET.find(char)
        if value < 0:
            raise InvalidIdentifier(gettext_noop("电子证照标识含有非法字符“%(char)s”。"),
                                    char=char)
        s = (p + value) % _M
        if s == 0:
            s = _M
        p = (s * 2) % (_M + 1)
    return ALPHABET[(1 - p) % _M]


def _check_parts(type_code: str, issuer_code: str, serial: str, version: int) -> None:
    if not _TYPE.fullmatch(type_code):
        raise InvalidIdentifier(gettext_noop("证照类型代码应为1至20位数字或大写字母。"))
    if not _ISSUER.fullmatch(issuer_code):
        raise InvalidIdentifier(gettext_noop("颁发机构代码应为18位统一社会信用代码。"))
    if not _SERIAL.fullmatch(serial):
        raise InvalidIdentifier(gettext_noop("证照流水号应为1至30位数字或大写字母。"))
    if not 1 <= version <= 999:
        raise InvalidIdentifier(gettext_noop("证照版本号应为001至999。"))


def build_identifier(type_code: str, issuer_code: str, serial: str, version: int) -> str:
    """The identifier of a licence, with its check character."""
    _check_parts(type_code, issuer_code, serial, version)
    payload = f"{type_code}{issuer_code}{serial}{version:03d}"
    return f"{ROOT}.{type_code}.{issuer_code}.{serial}.{version:03d}.{check_char(payload)}"


def parse_identifier(text: str) -> Identifier:
    """Split and check an identifier (surrounding blanks ignored, lower case read as upper
    case). Raises `InvalidIdentifier` with a Chinese message for a wrong shape or a wrong
    check character."""
    value = (text or "").strip().upper()
    prefix = ROOT + "."
    if not value.startswith(prefix):
        raise InvalidIdentifier(gettext_noop("电子证照标识应以 %(root)s 开头。"), root=ROOT)
    parts = value[len(prefix):].split(".")
    if len(parts) != 5:
        raise InvalidIdentifier(gettext_noop(
            "电子证照标识应由根、证照类型代码、颁发机构代码、流水号、版本号和校验码组成。"))
    type_code, issuer_code, serial, version, check = parts
    if not _VERSION.fullmatch(version):
        raise InvalidIdentifier(gettext_noop("证照版本号应为3位数字。"))
    _check_parts(type_code, issuer_code, serial, int(version))
    if len(check) != 1 or check not in ALPHABET:
        raise InvalidIdentifier(gettext_noop("电子证照标识的校验码应为1位数字或大写字母。"))
    expected = check_char(f"{type_code}{issuer_code}{serial}{version}")
    if check != expected:
        raise InvalidIdentifier(gettext_noop("电子证照标识校验码不正确，标识可能输错或被篡改。"),
                                code="bad_check_character")
    return Identifier(type_code, issuer_code, serial, int(version), check)


def is_valid(text: str) -> bool:
    """Whether `text` is a well-formed identifier with the right check character."""
    try:
        parse_identifier(text)
    except InvalidIdentifier:
        return False
    return True
