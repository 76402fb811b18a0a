"""The electronic licence identifier (law.md §11, GB/T 36903) and its ISO 7064 MOD 37,36
check character, worked by hand and against python-stdnum as an independent oracle."""

from __future__ import annotations

import pytest
from stdnum.iso7064 import mod_37_36

from oneseal.licences.domain.identifier import (
    ALPHABET,
    ROOT,
    InvalidIdentifier,
    build_identifier,
    check_char,
    is_valid,
    parse_identifier,
)

ISSUER = "11530112MB12345678"
GOOD = build_identifier("11100000000000042", ISSUER, "2026000001", 1)


def test_check_char_of_0_is_2():
    """Worked by hand. p = 36.
    '0' (value 0): s = (36 + 0) mod 36 = 0 → s = 36; p = 72 mod 37 = 35.
    check v: (35 + v) mod 36 = 1 → v = (1 − 35) mod 36 = 2 → '2'."""
    assert check_char("0") == "2"


def test_check_char_of_z_is_4():
    """Worked by hand. p = 36.
    'Z' (value 35): s = (36 + 35) mod 36 = 35; p = 70 mod 37 = 33.
    v = (1 − 33) mod 36 = 4 → '4'."""
    assert check_char("Z") == "4"


def test_check_char_of_a1_is_w():
    """Worked by hand. p = 36.
    'A' (10): s = (36 + 10) mod 36 = 10; p = 20 mod 37 = 20.
    '1' (1):  s = (20 + 1) mod 36 = 21; p = 42 mod 37 = 5.
    v = (1 − 5) mod 36 = 32 → 'W' (A=10 … W=32)."""
    assert check_char("A1") == "W"
    assert check_char("a1") == "W"  # lower case is read as upper case


@pytest.mark.parametrize("payload", ["0", "Z", "A1", "11100000000000042", GOOD.split(".", 5)[-1]
                                     .replace(".", "")[:-1], "ZZZZZZZZ", "9" * 40])
def test_check_char_agrees_with_python_stdnum(payload):
    assert check_char(payload) == mod_37_36.calc_check_digit(payload)


def test_build_identifier_has_the_shape_of_law_md_section_11():
    parts = GOOD.split(".")
    assert GOOD.startswith(ROOT + ".")
    assert parts[5:9] == ["11100000000000042", ISSUER, "2026000001", "001"]
    assert parts[9] == check_char("11100000000000042" + ISSUER + "2026000001" + "001")
    assert mod_37_36.is_valid("".join(parts[5:]))  # the whole payload + check validates


def test_parse_identifier_gives_the_parts():
    parsed = parse_identifier("  " + GOOD.lower() + " ")
    assert (parsed.type_code, parsed.issuer_code, parsed.serial, parsed.version) == (
        "11100000000000042", ISSUER, "2026000001", 1)
    assert parsed.text == GOOD
    assert is_valid(GOOD)


def test_tampered_identifier_every_single_character_change_is_caught():
    """Every substitution of one character of the payload (type, issuer, serial, version) or of
    the check character is detected (ISO 7064 catches all single errors)."""
    head = ROOT + "."
    body = GOOD[len(head):]
    for index, char in enumerate(body):
        if char == ".":
            continue
        for other in ALPHABET:
            if other == char:
                continue
            tampered = head + body[:index] + other + body[index + 1:]
            assert not is_valid(tampered), tampered


def test_tampered_identifier_most_neighbour_swaps_are_caught():
    """A hybrid ISO 7064 system catches most, not all, swaps of neighbours: here the swap of
    '7' and '8' at the end of the issuer code (positions 33/34) keeps the check character.
    Worked out: before the pair p = 11. "78": '7' s = 18, p = 36; '8' s = (36 + 8) mod 36 = 8,
    p = 16. "87": '8' s = 19, p = 38 mod 37 = 1; '7' s = 8, p = 16. The same p, so the same
    check character: the test pins the one miss instead of claiming none."""
    payload = "11100000000000042" + ISSUER + "2026000001" + "001"
    check = check_char(payload)
    missed = []
    for index in range(len(payload) - 1):
        a, b = payload[index], payload[index + 1]
        if a == b:
            continue
        swapped = payload[:index] + b + a + payload[index + 2:]
        if check_char(swapped) == check:
            missed.append(index)
    assert missed == [33]


def test_wrong_check_character_message_is_chinese():
    tampered = GOOD[:-1] + ("0" if GOOD[-1] != "0" else "1")
    with pytest.raises(InvalidIdentifier) as info:
        parse_identifier(tampered)
    assert info.value.code == "bad_check_character"
    assert "校验码不正确" in info.value.message()


@pytest.mark.parametrize("text", [
    "", "1.2.156.3005.1.111.11530112MB12345678.1.001.X",  # wrong root
    ROOT + ".111.11530112MB12345678.1.001",  # no check character
    ROOT + ".111.SHORT.1.001.X",  # issuer not 18 characters
    ROOT + ".111.11530112MB12345678.1.01.X",  # version not 3 digits
    ROOT + ".111.11530112MB12345678.1.000.X",  # version 000
    ROOT + ".1-1.11530112MB12345678.1.001.X",  # illegal character
    ROOT + ".111.11530112MB12345678.1.001.XY",  # two check characters
])
def test_malformed_identifiers_are_refused_with_a_chinese_message(text):
    assert not is_valid(text)
    with pytest.raises(InvalidIdentifier) as info:
        parse_identifier(text)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in info.value.message())


def test_build_identifier_refuses_bad_parts():
    with pytest.raises(InvalidIdentifier):
        build_identifier("111", "TOO-SHORT", "1", 1)
    with pytest.raises(InvalidIdentifier):
        build_identifier("111", ISSUER, "1", 1000)
