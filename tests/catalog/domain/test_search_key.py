"""The search key: Chinese name, pinyin initials, full pinyin, codes."""

from oneseal.catalog.domain import search


def test_initials_of_food_business_licence():
    assert search.initials("食品经营许可") == "SPJYXK"
    assert search.full_pinyin("食品") == "SHIPIN"


def test_key_holds_name_initials_pinyin_and_codes_between_separators():
    key = search.search_key("食品经营许可", "CODE1")
    assert key == "|食品经营许可|SPJYXK|SHIPINJINGYINGXUKE|CODE1|"
    for needle in ("食品", "食品经营", "经营许可", "SPJY", "JYXK", "SHIPIN", "CODE1"):
        assert search.normalise_query(needle) in key
    # a query cannot straddle two parts of the key
    assert search.normalise_query("可|S") not in key and "可S" not in key


def test_query_is_normalised():
    assert search.normalise_query(" sp jy ") == "SPJY"
    assert search.normalise_query("a|b") == "AB"
