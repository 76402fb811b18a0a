"""The project boots: settings load, the home page answers in Chinese, --help explains."""

import subprocess
import sys


def test_portal_home_answers_in_chinese(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert "一颗印章管审批" in response.content.decode()


def test_cli_help_explains_each_command_in_chinese_and_english():
    out = subprocess.run(
        [sys.executable, "-m", "oneseal.cli", "--help"], capture_output=True, text=True, check=True
    ).stdout
    assert "子命令" in out and "commands" in out
    assert "demo" in out and "serve" in out and "worker" in out and "manage" in out
