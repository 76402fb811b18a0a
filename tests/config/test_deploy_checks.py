"""`check --deploy` refuses the public development secret key (issue 12, "Files and
headers"): a production started with DEBUG or ONESEAL_DEV and no SECRET_KEY would sign
sessions and CSRF tokens with a key anyone can read in the source."""

from __future__ import annotations

from oneseal.config.env import DEV_SECRET_KEY

from .test_settings import PRODUCTION, _check


def test_check_deploy_flags_the_development_secret_key(tmp_path):
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = _check({**env, "ONESEAL_DEV": "1", "ONESEAL_DATA_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "oneseal.E001" in result.stdout + result.stderr
    assert "开发/演示密钥" in result.stdout + result.stderr


def test_check_deploy_flags_the_development_key_given_explicitly(tmp_path):
    result = _check({**PRODUCTION, "SECRET_KEY": DEV_SECRET_KEY,
                     "ONESEAL_DATA_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "oneseal.E001" in result.stdout + result.stderr


def test_check_deploy_flags_a_data_directory_others_can_read(tmp_path):
    tmp_path.chmod(0o755)
    result = _check({**PRODUCTION, "ONESEAL_DATA_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "oneseal.W002" in result.stdout + result.stderr
