"""`oneseal verify-audit`: rows checked and speed, exit 0 when intact, non-zero naming the
first bad row (seq, id, reason in Chinese and English) when the chain was tampered with."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from oneseal.core.management.commands.verify_audit import Command

from .audit_helpers import (
    behind_the_back,
    behind_the_back_committed,
    database_url,
    fill,
    row,
    sql,
)

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("verify_audit", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    return code, out.getvalue(), err.getvalue()


def test_help_text_is_in_chinese_and_english():
    assert "审计链" in Command.help and "audit chain" in Command.help
    parser = Command().create_parser("oneseal", "verify_audit")
    text = parser.format_help()
    assert "此前记录的链头" in text and "a head recorded earlier" in text


@pytest.mark.django_db
def test_intact_chain_exits_zero_and_reports_rows_and_speed():
    fill(7)
    code, out, err = _run()
    assert code == 0, err
    assert "已检查 7 条记录" in out and "checked 7 rows" in out
    assert "条）" in out and "rows/s" in out
    assert "审计链完好" in out and "audit chain intact" in out
    assert f"7:{row(7)['hash']}" in out  # the head to record elsewhere
    assert err == ""


@pytest.mark.django_db
def test_empty_chain_is_intact():
    code, out, _ = _run()
    assert code == 0
    assert "checked 0 rows" in out


@pytest.mark.django_db
@pytest.mark.parametrize(("tamper", "seq", "zh", "en"), [
    ("UPDATE core_auditevent SET payload = '{\"i\":0}' WHERE seq = 4", 4, "记录被修改", "edited"),
    ("DELETE FROM core_auditevent WHERE seq = 4", 5, "记录被删除", "deleted"),
    ("UPDATE core_auditevent SET seq = 99 WHERE seq = 6", 7, "记录被删除", "deleted"),
])
def test_tampered_chain_exits_non_zero_naming_the_first_bad_row(tamper, seq, zh, en):
    fill(8)
    with behind_the_back() as cursor:
        sql(cursor, tamper)
    bad_id = row(seq)["id"]
    code, out, err = _run()
    assert code == 1
    assert "审计链完好" not in out and "intact" not in out
    assert f"序号 {seq}（id {bad_id}）" in err and zh in err
    assert f"seq {seq} (id {bad_id})" in err and f"reason: {en}" in err


@pytest.mark.django_db
def test_deleted_row_message_names_the_missing_seq():
    fill(6)
    with behind_the_back() as cursor:
        sql(cursor, "DELETE FROM core_auditevent WHERE seq = 3")
    code, _, err = _run()
    assert code == 1
    assert "缺少序号 3–3" in err and "seq 3..3 missing" in err


@pytest.mark.django_db
def test_reordered_and_inserted_rows_are_named_in_both_languages():
    fill(6)
    with behind_the_back() as cursor:
        sql(cursor, "UPDATE core_auditevent SET seq = 99 WHERE seq = 2")
        sql(cursor, "UPDATE core_auditevent SET seq = 2 WHERE seq = 5")
        sql(cursor, "UPDATE core_auditevent SET seq = 5 WHERE seq = 99")
    code, _, err = _run()
    assert code == 1
    assert "记录顺序被调换" in err and "reason: reordered" in err


@pytest.mark.django_db
def test_forged_row_at_the_end_is_named_as_inserted():
    fill(3)
    with behind_the_back() as cursor:
        sql(cursor, "INSERT INTO core_auditevent (seq, prev_hash, hash, at, actor_id, "
                    "actor_name, kind, subject, payload) VALUES (4, %s, %s, "
                    "'2026-01-01 00:00:00', NULL, '', 'case.accept', 'case:x', '{}')",
            [row(3)["hash"], "e" * 64])
    code, _, err = _run()
    assert code == 1
    assert f"序号 4（id {row(4)['id']}）" in err and "记录被插入" in err and "inserted" in err


@pytest.mark.django_db
def test_anchor_option_checks_a_recorded_head():
    fill(4)
    good = f"4:{row(4)['hash']}"
    assert _run("--anchor", good)[0] == 0
    code, _, err = _run("--anchor", "4:" + "0" * 64)
    assert code == 1 and "reason: edited" in err
    code, _, err = _run("--anchor", "9:" + "0" * 64)  # the chain once reached seq 9
    assert code == 1 and "reason: deleted" in err
    with pytest.raises(CommandError):
        call_command("verify_audit", "--anchor", "not-an-anchor", stdout=StringIO())


@pytest.mark.django_db
def test_progress_is_reported_on_stderr(monkeypatch):
    monkeypatch.setattr("oneseal.core.management.commands.verify_audit._PROGRESS_EVERY", 5)
    fill(12)
    code, _, err = _run("--progress", "--batch-size", "4")
    assert code == 0
    reported = [int(line.removeprefix("… ")) for line in err.splitlines()]
    assert len(reported) >= 2  # at least every 5 rows, in batches of at most 4
    assert reported == sorted(set(reported)) and reported[-1] <= 12


@pytest.mark.django_db(transaction=True)
def test_oneseal_verify_audit_exit_codes_end_to_end():
    """The console script against the (committed) test database: 0, then 1 after an edit."""
    fill(5)
    env = {**os.environ, "DATABASE_URL": database_url(), "ONESEAL_DEV": "1"}
    command = [str(Path(sys.executable).parent / "oneseal"), "verify-audit"]
    ok = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    assert "checked 5 rows" in ok.stdout and "audit chain intact" in ok.stdout
    bad_id = row(3)["id"]
    with behind_the_back_committed() as cursor:
        sql(cursor, "UPDATE core_auditevent SET actor_name = 'someone' WHERE seq = 3")
    broken = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    assert broken.returncode == 1
    assert f"序号 3（id {bad_id}）" in broken.stderr and "记录被修改" in broken.stderr
    assert f"seq 3 (id {bad_id})" in broken.stderr and "edited" in broken.stderr
