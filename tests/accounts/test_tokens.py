"""API bearer tokens: only the digest is stored; `GET /api/v1/me`; `oneseal token ...`."""

from __future__ import annotations

import datetime as dt
import hashlib
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone

from oneseal.accounts.models import ApiToken
from oneseal.accounts.roles import Role
from oneseal.accounts.services import authenticate_token, create_token, revoke_token
from oneseal.core.models import AuditEvent

ME = "/api/v1/me"


def _get(client, token):
    return client.get(ME, headers={"Authorization": f"Bearer {token}"})


def test_only_the_sha256_of_a_token_is_stored(cast):
    raw, token = create_token(actor=cast["sysadmin"], user=cast["clerk"], name="窗口叫号系统")
    assert raw.startswith("os_") and len(raw) >= 40
    assert token.digest == hashlib.sha256(raw.encode()).hexdigest()
    assert token.prefix == raw[:11]
    stored = ApiToken.objects.filter(pk=token.pk).values()[0]
    assert raw not in {str(v) for v in stored.values()}
    event = AuditEvent.objects.get(kind="account.token.create")
    assert event.payload == {"user": cast["clerk"].pk, "name": "窗口叫号系统",
                             "prefix": token.prefix}
    assert raw not in event.payload_json


def test_me_answers_with_the_tokens_user(client, cast, bureau):
    raw, _ = create_token(actor=None, user=cast["chief"])
    response = _get(client, raw)
    assert response.status_code == 200
    assert response.json() == {
        "id": cast["chief"].pk,
        "username": "chief",
        "display_name": cast["chief"].display_name,
        "unit": {"id": bureau.pk, "code": "bureau", "name": bureau.name},
        "roles": [{"code": Role.REVIEWER, "name": "审查人员"},
                  {"code": Role.CHIEF, "name": "科室负责人"}],
        "acts_for": [],
    }


@pytest.mark.parametrize("who", ["applicant", "clerk", "dept", "sysadmin", "outsider"])
def test_every_user_with_a_token_gets_their_own_answer(client, cast, who):
    raw, _ = create_token(actor=None, user=cast[who])
    assert _get(client, raw).json()["username"] == who


@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Bearer ", "Bearer os_unknown-token-value", "Token os_x", "Basic abc",
     "Bearer " + "os_" + "a" * 300],
)
def test_missing_unknown_or_malformed_tokens_get_401(client, cast, header):
    create_token(actor=None, user=cast["clerk"])
    headers = {"Authorization": header} if header is not None else {}
    response = client.get(ME, headers=headers)
    assert response.status_code == 401
    assert "username" not in response.content.decode()


def test_a_logged_in_session_without_a_token_gets_401(client, cast):
    client.force_login(cast["clerk"])
    assert client.get(ME).status_code == 401


def test_a_revoked_token_gets_401_and_others_keep_working(client, cast):
    raw, token = create_token(actor=None, user=cast["clerk"])
    other, _ = create_token(actor=None, user=cast["clerk"])
    assert _get(client, raw).status_code == 200
    revoke_token(actor=cast["sysadmin"], token=token)
    assert _get(client, raw).status_code == 401
    assert _get(client, other).status_code == 200
    assert AuditEvent.objects.filter(kind="account.token.revoke").count() == 1
    revoke_token(actor=None, token=token)  # again: nothing more happens
    assert AuditEvent.objects.filter(kind="account.token.revoke").count() == 1


def test_a_deactivated_users_token_gets_401(client, cast):
    raw, _ = create_token(actor=None, user=cast["clerk"])
    type(cast["clerk"]).objects.filter(pk=cast["clerk"].pk).update(is_active=False)
    assert _get(client, raw).status_code == 401
    assert authenticate_token(raw) is None


def test_last_used_is_written_at_most_once_a_minute(cast):
    raw, token = create_token(actor=None, user=cast["clerk"])
    start = dt.datetime(2026, 9, 28, 1, 0, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        assert authenticate_token(raw) == cast["clerk"]
    token.refresh_from_db()
    assert token.last_used_at == start
    with time_machine.travel(start + dt.timedelta(seconds=59), tick=False):
        authenticate_token(raw)
    token.refresh_from_db()
    assert token.last_used_at == start
    later = start + dt.timedelta(seconds=61)
    with time_machine.travel(later, tick=False):
        authenticate_token(raw)
    token.refresh_from_db()
    assert token.last_used_at == later


# --- the `token` command ---------------------------------------------------------------


def _run(*args):
    out, err = StringIO(), StringIO()
    call_command("token", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_token_create_prints_the_token_once_and_it_works(client, cast):
    out, err = _run("create", "--user", "clerk", "--name", "叫号系统")
    raw = out.strip()
    assert raw.startswith("os_")
    assert "只显示这一次" in err and "shown only this once" in err
    assert _get(client, raw).json()["username"] == "clerk"
    assert ApiToken.objects.get().name == "叫号系统"


def test_token_create_for_an_unknown_user_fails(db):
    with pytest.raises(CommandError, match="不存在"):
        _run("create", "--user", "nobody")
    assert ApiToken.objects.count() == 0


def test_token_list_shows_prefixes_never_tokens(cast):
    raw1, t1 = create_token(actor=None, user=cast["clerk"], name="甲")
    raw2, t2 = create_token(actor=None, user=cast["dept"], name="乙")
    revoke_token(actor=None, token=t2)
    out, _ = _run("list")
    assert t1.prefix in out and t2.prefix not in out
    assert raw1 not in out
    out, _ = _run("list", "--all")
    assert t2.prefix in out and "已吊销" in out and raw2 not in out
    out, _ = _run("list", "--user", "dept")
    assert t1.prefix not in out and "没有令牌" in out


@pytest.mark.parametrize("by", ["prefix", "id"])
def test_token_revoke_by_prefix_or_id(client, cast, by):
    raw, token = create_token(actor=None, user=cast["clerk"])
    ref = token.prefix if by == "prefix" else str(token.pk)
    out, _ = _run("revoke", ref)
    assert "已吊销" in out
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_at <= timezone.now()
    assert _get(client, raw).status_code == 401


def test_token_revoke_refusals(cast):
    _, token = create_token(actor=None, user=cast["clerk"])
    with pytest.raises(CommandError, match="没有找到"):
        _run("revoke", "os_zzzzzzzz")
    with pytest.raises(CommandError, match="至少 6 个字符"):
        _run("revoke", "os_")
    ApiToken.objects.create(user=cast["clerk"], prefix=token.prefix, digest="0" * 64)
    with pytest.raises(CommandError, match="多个令牌"):
        _run("revoke", token.prefix)
    assert not ApiToken.objects.filter(revoked_at__isnull=False).exists()
    revoke_token(actor=None, token=token)
    with pytest.raises(CommandError, match="已于"):
        _run("revoke", str(token.pk))


def test_token_help_is_in_chinese_and_english():
    from oneseal.accounts.management.commands.token import Command

    assert "接口令牌" in Command.help and "API bearer tokens" in Command.help
