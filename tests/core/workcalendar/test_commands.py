"""`oneseal deadline` and `oneseal calendar`: output, JSON, exit codes and Chinese errors
(行政许可法 第82条, 第45条, 第42条; 民法典 第201条)."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from oneseal.core.management.commands.deadline import Command as DeadlineCommand
from oneseal.core.models import AuditEvent
from oneseal.core.workcalendar.models import CalendarDay, CalendarYear

from .conftest import SCHEDULE_2027

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def exit_code(capsys, *argv):
    """Run the command the way `oneseal` does (run_from_argv) and return its exit status."""
    with pytest.raises(SystemExit) as stop:
        DeadlineCommand().run_from_argv(["oneseal", "deadline", *argv])
        raise SystemExit(0)
    captured = capsys.readouterr()
    return stop.value.code, captured.out, captured.err


def test_art82_deadline_command_prints_the_due_date(seeded):
    out, _ = run("deadline", "2026-09-28", "20")
    assert out == "2026-10-30\n"


def test_art45_deadline_command_explains_in_chinese(seeded):
    out, _ = run("deadline", "2026-09-28", "20", "--suspend", "2026-10-12:2026-10-16:听证",
                 "--explain")
    lines = out.splitlines()
    assert lines[0] == "2026-11-06"
    assert lines[1].startswith("自2026年9月28日的次日起计算20个工作日；")
    assert "2026年10月12日至10月16日举行听证，依法不计算在期限内" in lines[1]
    assert "工作日历版本：wc-" in lines[2]


def test_art42_deadline_command_json_with_extension_and_two_suspensions(seeded):
    out, _ = run("deadline", "2026-09-28", "20", "--suspend", "2026-10-12:2026-10-13",
                 "--suspend", "2026-10-14:2026-10-16:expert_review", "--extend", "10", "--json")
    data = json.loads(out)
    assert data["due"] == "2026-11-20"  # 11-06 plus 10 working days
    assert data["total_days"] == 30 and data["extension_days"] == 10
    assert data["calendar_version"].startswith("wc-")
    assert data["calendar_years"] == {"2026": "1"}
    assert [s["kind"] for s in data["explanation"]["suspensions"]] == ["", "expert_review"]
    assert "经批准延长10个工作日" in data["explanation_text"]


def test_art82_deadline_command_provisional_year_prints_the_provisional_date(seeded, capsys):
    code, out, err = exit_code(capsys, "2026-12-15", "20")
    assert code == 0 and err == ""
    assert out.strip() == "2027-01-13（暂定：2027年的放假安排尚未公布）"


def test_art82_deadline_command_provisional_json_names_the_year(seeded, capsys):
    code, out, _ = exit_code(capsys, "2026-12-15", "20", "--json")
    assert code == 0
    body = json.loads(out)
    assert body["due"] == "2027-01-13"
    assert body["provisional"] is True and body["provisional_years"] == [2027]


def test_art82_deadline_command_strict_refuses_provisional_exits_3(seeded, capsys):
    code, out, err = exit_code(capsys, "2026-12-15", "20", "--strict")
    assert code == 3 and out == "" and "Traceback" not in err
    assert "跨入2027年" in err and "2027-01-13（暂定）" in err


def test_art82_deadline_command_strict_json_says_provisional_refused(seeded, capsys):
    code, out, _ = exit_code(capsys, "2026-12-15", "20", "--strict", "--json")
    assert code == 3 and json.loads(out)["code"] == "provisional_refused"


@pytest.mark.parametrize(("argv", "message"), [
    (["2026-02-30", "20"], "起算日期“2026-02-30”不是有效日期"),
    (["2026-09-28", "0"], "期限“0”无效，应为1到999之间的整数"),
    (["2026-09-28", "20", "--extend", "11"], "最多延长10个工作日"),
    (["2026-09-28", "20", "--suspend", "2026-10-16:2026-10-12"], "结束日期早于开始日期"),
    (["2026-09-28", "20", "--suspend", "2026-10-12:2026-10-16:开会"], "未知的特别程序“开会”"),
])
def test_art42_art45_deadline_command_bad_input_exits_1(seeded, capsys, argv, message):
    code, out, err = exit_code(capsys, *argv)
    assert code == 1 and out == ""
    assert message in err


def test_art42_joint_extension_of_15(seeded):
    out, _ = run("deadline", "2025-03-03", "45", "--extend", "15", "--joint")
    assert out == "2025-05-29\n"


# --- oneseal calendar ------------------------------------------------------------------------

def _snapshot():
    return (CalendarYear.objects.count(), CalendarDay.objects.count(), AuditEvent.objects.count())


def test_art82_calendar_import_enters_a_year_and_deadline_then_reaches_it(seeded, tmp_path):
    path = tmp_path / "2027.csv"
    path.write_text(SCHEDULE_2027, encoding="utf-8")
    out, _ = run("calendar", "import", str(path))
    assert out.splitlines()[0] == "已录入2027年安排，第1版（放假19天，调休上班2天）。"
    assert "在办件期限：已重新计算0件，0个期限发生变化。" in out
    row = CalendarYear.objects.get(year=2027)
    assert row.entered_via == "command" and row.entered_by is None
    assert row.entered_by_name.startswith("命令行：")
    assert run("deadline", "2026-12-31", "1")[0] == "2027-01-04\n"
    out, _ = run("calendar", "import", str(path))
    assert "未作更改" in out and CalendarYear.objects.filter(year=2027).count() == 1


def test_art82_calendar_import_by_a_named_sysadmin(seeded, cast, tmp_path):
    path = tmp_path / "2027.csv"
    path.write_text(SCHEDULE_2027, encoding="utf-8")
    run("calendar", "import", str(path), "--by", "sysadmin")
    assert CalendarYear.objects.get(year=2027).entered_by == cast["sysadmin"]
    before = _snapshot()
    corrected = path.with_name("2027b.csv")
    corrected.write_text(SCHEDULE_2027.replace("2027-10-07", "2027-10-08"), encoding="utf-8")
    with pytest.raises(CommandError, match="只有系统管理员"):
        run("calendar", "import", str(corrected), "--by", "clerk")
    assert _snapshot() == before


def test_art82_calendar_import_errors_name_lines_and_write_nothing(seeded, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("年份,2027\n来源,国办发明电〔2026〕99号\n放假,2027-13-01\n"
                    "上班,2027-01-05\n", encoding="utf-8")
    before = _snapshot()
    with pytest.raises(CommandError) as err:
        run("calendar", "import", str(path))
    text = str(err.value)
    assert "有错误，未写入任何数据" in text
    assert "第3行：日期“2027-13-01”无效" in text
    assert "第4行：调休上班日2027-01-05是星期二，不是星期六或星期日。" in text
    assert _snapshot() == before


def test_art82_calendar_import_missing_file(seeded, tmp_path):
    with pytest.raises(CommandError, match="无法读取文件"):
        run("calendar", "import", str(tmp_path / "none.csv"))


def test_art82_calendar_list_and_show_round_trip(seeded, tmp_path):
    out, _ = run("calendar", "list")
    lines = out.splitlines()
    assert lines[0].startswith("年份\t版本")
    assert lines[1].startswith("2026\tv1/1\t33\t6\t")
    out, _ = run("calendar", "show", "2026")
    assert "放假,2026-10-01,2026-10-07,国庆节" in out and "上班,2026-10-10,,国庆节" in out
    path = tmp_path / "2026.csv"
    path.write_text(out, encoding="utf-8")
    assert "未作更改" in run("calendar", "import", str(path))[0]
    with pytest.raises(CommandError, match="没有2031年的安排"):
        run("calendar", "show", "2031")


def test_art82_calendar_seed_reports_nothing_to_add(seeded):
    out, _ = run("calendar", "seed")
    assert "均已在工作日历中" in out
