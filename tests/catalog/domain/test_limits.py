"""Time limits: 行政许可法 第42条 (20 working days unless a law sets its own), the promise
within the statutory limit, 0 = 即办件 (law.md §3, §13)."""

from __future__ import annotations

import pytest

from oneseal.catalog.domain import limits, records


def codes_of(problems):
    return [p.code for p in problems]


def test_article_42_default_statutory_limit_is_20_working_days():
    assert limits.statutory_or_default(None) == 20
    assert limits.statutory_or_default(7) == 7  # 《建筑法》第8条 sets its own
    rec = records.normalise({"promised_limit_days": 10})
    assert rec["statutory_limit_days"] == 20
    assert "第四十二条" in rec["statutory_limit_basis"]


@pytest.mark.parametrize(("statutory", "promised", "expected"), [
    (20, 10, []),
    (20, 20, []),  # the promise may equal the statutory limit
    (7, 3, []),
    (20, 21, ["promised_exceeds_statutory"]),
    (7, 8, ["promised_exceeds_statutory"]),
    (20, 0, []),  # 即办件
    (0, 0, ["limit_range"]),  # the statutory limit is at least one day
    (20, -1, ["limit_range"]),
    (20, 2.5, ["not_integer"]),
    ("20", 5, ["not_integer"]),
])
def test_article_42_promise_within_statutory_limit(statutory, promised, expected):
    assert codes_of(limits.limit_problems(statutory, promised)) == expected


def test_law_13_promise_zero_is_on_the_spot_item():
    assert limits.handling_type(0) is limits.HandlingType.ON_THE_SPOT
    assert limits.handling_type(0).value == "即办件"
    assert limits.handling_type(3).value == "承诺件"


def test_chain_limits_add_up_to_at_most_the_promise():
    assert limits.chain_limit_problems(10, [(1, False), (7, False), (1, False), (1, False)]) == []
    found = limits.chain_limit_problems(10, [(1, False), (8, False), (1, False), (1, False)])
    assert codes_of(found) == ["steps_exceed_promise"]
    assert found[0].params == {"total": 11, "promised": 10}


def test_on_the_spot_item_steps_take_no_time_unless_skipped():
    assert limits.chain_limit_problems(0, [(0, False), (2, True)]) == []
    found = limits.chain_limit_problems(0, [(0, False), (1, False)])
    assert codes_of(found) == ["on_the_spot_step"]
    assert found[0].path == ("steps", 1, "limit_days")
