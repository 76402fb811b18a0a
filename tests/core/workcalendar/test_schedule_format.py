"""The schedule file format (docs/calendar.md): read, errors by line, written back
(行政许可法 第82条: the calendar comes from the official yearly schedule)."""

from __future__ import annotations

import pytest

from oneseal.core.workcalendar.schedule_format import (
    Schedule,
    ScheduleFormatError,
    decode,
    format_schedule,
    parse_schedule,
)

from .conftest import SCHEDULE_2027, d


def test_art82_schedule_file_is_read_with_ranges_and_names():
    s = parse_schedule(SCHEDULE_2027)
    assert s.year == 2027 and s.source == "国办发明电〔2026〕99号"
    assert len(s.holidays) == 3 + 9 + 7
    assert s.holidays[d("2027-02-10")] == "春节"
    assert s.workdays == {d("2027-01-09"): "元旦", d("2027-02-20"): "春节"}


def test_art82_english_keywords_fullwidth_commas_and_chinese_dates_are_accepted():
    s = parse_schedule("year,2027\nsource，国办发明电〔2026〕99号\n"
                       "holiday,2027年1月1日,2027/1/3,元旦\nworkday，2027-01-09\n")
    assert len(s.holidays) == 3 and d("2027-01-09") in s.workdays


def test_art82_every_error_is_reported_with_its_line_number():
    text = (
        "年份,2027\n"            # 1
        "放假,2027-02-30\n"      # 2 invalid date
        "休息,2027-03-01\n"      # 3 unknown kind
        "上班,2027-03-03\n"      # 4 a Wednesday
        "放假,2027-05-05,2027-05-01\n"  # 5 reversed
        "放假,2028-01-01\n"      # 6 other year
        "放假,2027-10-01,2027-10-03\n"  # 7
        "上班,2027-10-02\n"      # 8 duplicate of line 7
    )
    with pytest.raises(ScheduleFormatError) as err:
        parse_schedule(text)
    messages = err.value.messages()
    assert messages[0] == "文件中缺少“来源”一行（例如：来源,国办发明电〔2026〕12号）。"
    assert "第2行：日期“2027-02-30”无效，请写成 2027-01-01 的形式。" in messages
    assert any(m.startswith("第3行：无法识别的类型“休息”") for m in messages)
    assert "第4行：调休上班日2027-03-03是星期三，不是星期六或星期日。" in messages
    assert "第5行：结束日期2027-05-01早于开始日期2027-05-05。" in messages
    assert any(m.startswith("第6行：2028-01-01不在2027年内") for m in messages)
    assert "第8行：2027-10-02已在第7行出现过。" in messages


def test_art82_missing_year_and_empty_schedule_are_refused():
    with pytest.raises(ScheduleFormatError, match="缺少“年份”"):
        parse_schedule("来源,x\n放假,2027-01-01\n")
    with pytest.raises(ScheduleFormatError, match="没有任何放假日期"):
        parse_schedule("年份,2027\n来源,x\n")


def test_art82_gb18030_files_from_spreadsheets_are_decoded():
    assert parse_schedule(decode(SCHEDULE_2027.encode("gb18030"))).year == 2027
    assert decode(("\ufeff" + SCHEDULE_2027).encode()).startswith("# 假设")


def test_art82_format_round_trip():
    s = parse_schedule(SCHEDULE_2027)
    text = format_schedule(s, comment="2027")
    assert "放假,2027-02-06,2027-02-14,春节" in text
    assert "上班,2027-01-09,,元旦" in text
    again = parse_schedule(text)
    assert again == s and again.digest() == s.digest()
    other = Schedule(2027, s.source, {**s.holidays, d("2027-03-01"): ""}, s.workdays)
    assert other.digest() != s.digest()
