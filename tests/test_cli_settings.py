"""A newcomer's command line: after `make demo` every `oneseal` subcommand works in a fresh
terminal with no environment variables (the demo's settings file in the data directory), and
without any settings the answer is one line in Chinese and English, never a traceback."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

import pytest

from oneseal.config import local_env

#: what a newcomer's terminal has: none of the project's variables
_PROJECT_VARS = ("SECRET_KEY", "ONESEAL_DEV", "DEBUG", "ONESEAL_TESTING", "DATABASE_URL",
                 "DJANGO_SETTINGS_MODULE")


def _oneseal(data_dir, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in _PROJECT_VARS}
    env["ONESEAL_DATA_DIR"] = str(data_dir)
    return subprocess.run([sys.executable, "-m", "oneseal.cli", *args], env=env,
                          capture_output=True, text=True, timeout=300, check=False)


@pytest.mark.parametrize("args", [("deadline", "2026-09-28", "20", "--json"),
                                  ("token", "create", "--user", "clerk"),
                                  ("serve", "--no-collectstatic")])
def test_without_settings_one_line_in_chinese_and_english_never_a_traceback(tmp_path, args):
    run = _oneseal(tmp_path, *args)
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and "SECRET_KEY" in lines[0]
    assert "配置缺失" in lines[0] and "settings missing" in lines[0]
    assert run.stdout == ""


def test_demo_settings_file_is_private_and_kept(tmp_path):
    path = local_env.ensure_demo_file(tmp_path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    values = local_env.read(path)
    assert values["ONESEAL_DEV"] == "1" and len(values["SECRET_KEY"]) >= 50
    assert local_env.ensure_demo_file(tmp_path) == path  # a second demo keeps the key
    assert local_env.read(path) == values
    other = local_env.read(local_env.ensure_demo_file(tmp_path / "other"))
    assert other["SECRET_KEY"] != values["SECRET_KEY"]  # each demo has its own key


def test_after_the_demo_settings_every_command_works_with_no_environment(tmp_path):
    local_env.ensure_demo_file(tmp_path)  # what `oneseal demo` writes first
    assert _oneseal(tmp_path, "manage", "migrate", "--noinput", "-v", "0").returncode == 0

    run = _oneseal(tmp_path, "deadline", "2026-09-28", "20", "--json")
    assert run.returncode == 0, run.stderr
    # 20 working days from 28 Sept 2026: 29, 30 Sept; 国庆 1–7 Oct off; 8, 9 Oct; Saturday
    # 10 Oct is a 调休 working day; then 12–16, 19–23 and 26–30 Oct: the 20th is 30 Oct.
    assert json.loads(run.stdout)["due"] == "2026-10-30"

    made = _oneseal(tmp_path, "manage", "shell", "-c",
                    "from oneseal.accounts.models import User; "
                    "User.objects.create_user('clerk', password='oneseal-demo')")
    assert made.returncode == 0, made.stderr
    run = _oneseal(tmp_path, "token", "create", "--user", "clerk")
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
