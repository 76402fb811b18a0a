"""Login through the provincial unified identity platform (applicants/oidc.py), against a
stub OpenID provider on 127.0.0.1: code flow with state and nonce, an HS256 ID token, the
user-info claims; accounts matched by the verified ID number; off unless configured."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest
from django.test import override_settings

from oneseal.accounts.models import User
from oneseal.accounts.roles import Role
from oneseal.applicants.models import Person
from oneseal.applicants.services import register_person
from oneseal.core.models import AuditEvent
from tests.factories import UserFactory

CLIENT_ID = "oneseal-xishan"
SECRET = "stub-client-secret"
ISSUER = "https://uip.example.yn.gov.cn"
ID_NUMBER = "530112199001010012"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _jwt(claims: dict, secret: str = SECRET) -> str:
    head = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    body = _b64(json.dumps(claims).encode())
    mac = hmac.new(secret.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{_b64(mac)}"


class StubProvider:
    """A tiny OpenID provider: /token answers an ID token carrying `nonce`, /userinfo
    answers `claims` to the bearer of the access token it issued."""

    def __init__(self) -> None:
        self.nonce = ""
        self.claims: dict = {}
        self.issuer = ISSUER
        self.token_requests: list[dict] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def _json(self, status: int, payload: dict) -> None:
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self) -> None:
                form = parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
                stub.token_requests.append({k: v[0] for k, v in form.items()})
                now = int(time.time())
                self._json(200, {"access_token": "stub-access", "token_type": "Bearer",
                                 "id_token": _jwt({"iss": stub.issuer, "sub": "uip-1",
                                                   "aud": CLIENT_ID, "iat": now,
                                                   "exp": now + 300, "nonce": stub.nonce})})

            def do_GET(self) -> None:
                if self.headers.get("Authorization") != "Bearer stub-access":
                    self._json(401, {"error": "invalid_token"})
                else:
                    self._json(200, stub.claims)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def provider(db, monkeypatch):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    stub = StubProvider()
    with override_settings(
        ONESEAL_OIDC_ENABLED=True, ONESEAL_OIDC_ISSUER=ISSUER,
        ONESEAL_OIDC_VERIFIED_CLAIM="id_number_verified",
        OIDC_RP_CLIENT_ID=CLIENT_ID, OIDC_RP_CLIENT_SECRET=SECRET, OIDC_RP_SIGN_ALGO="HS256",
        OIDC_OP_AUTHORIZATION_ENDPOINT="https://uip.example.yn.gov.cn/authorize",
        OIDC_OP_TOKEN_ENDPOINT=f"{stub.base}/token",
        OIDC_OP_USER_ENDPOINT=f"{stub.base}/userinfo", OIDC_OP_JWKS_ENDPOINT=None,
    ):
        yield stub
    stub.close()


def _login(client, stub, claims):
    """Start at /oidc/authenticate/, come back to /oidc/callback/ as the platform would."""
    stub.claims = claims
    start = client.get("/oidc/authenticate/")
    assert start.status_code == 302
    target = urlparse(start["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == \
        "https://uip.example.yn.gov.cn/authorize"
    query = {k: v[0] for k, v in parse_qs(target.query).items()}
    assert query["client_id"] == CLIENT_ID and query["response_type"] == "code"
    stub.nonce = query["nonce"]
    return client.get("/oidc/callback/", {"code": "stub-code", "state": query["state"]})


def _claims(**changes):
    claims = {"sub": "uip-1", "name": "李文华", "id_number": ID_NUMBER,
              "id_number_verified": True, "phone_number": "13912345678"}
    claims.update(changes)
    return claims


def test_first_login_creates_the_account_and_the_person(client, provider):
    response = _login(client, provider, _claims())
    assert response.status_code == 302 and "oidc=failed" not in response["Location"]
    user = User.objects.get(id_number=ID_NUMBER)
    assert client.session["_auth_user_id"] == str(user.pk)
    assert user.has_role(Role.APPLICANT) and not user.has_usable_password()
    assert Person.objects.get(id_number=ID_NUMBER).user == user
    assert provider.token_requests[0]["code"] == "stub-code"
    assert AuditEvent.objects.filter(kind="applicant.identity_platform_register").count() == 1


def test_a_later_login_finds_the_same_account_by_id_number(client, provider):
    owner = UserFactory(username="li", roles=[Role.APPLICANT])
    register_person(actor=None, name="李文华", id_number=ID_NUMBER, user=owner)
    _login(client, provider, _claims(name="别的名字", phone_number="13700000000"))
    assert client.session["_auth_user_id"] == str(owner.pk)
    assert User.objects.count() == 1 and Person.objects.count() == 1


def test_a_person_on_record_without_account_is_linked(client, provider):
    person = register_person(actor=None, name="李文华", id_number=ID_NUMBER)
    _login(client, provider, _claims())
    person.refresh_from_db()
    assert person.user is not None
    assert client.session["_auth_user_id"] == str(person.user.pk)


@pytest.mark.parametrize("claims", [
    _claims(id_number_verified=False),
    _claims(id_number="530112199001010013"),  # wrong check digit
    {k: v for k, v in _claims().items() if k != "id_number"},
])
def test_no_verified_id_number_no_login_and_nothing_created(client, provider, claims):
    response = _login(client, provider, claims)
    assert response.status_code == 302 and "oidc=failed" in response["Location"]
    assert "_auth_user_id" not in client.session
    assert User.objects.count() == 0 and Person.objects.count() == 0


def test_a_token_from_another_issuer_is_refused(client, provider):
    provider.issuer = "https://evil.example"
    response = _login(client, provider, _claims())
    assert "oidc=failed" in response["Location"]
    assert User.objects.count() == 0


@pytest.mark.parametrize("name", ["clerk", "head", "sysadmin"])
def test_a_staff_account_never_logs_in_through_the_platform(client, provider, cast, name):
    staff = cast[name]
    register_person(actor=None, name="工作人员", id_number=ID_NUMBER, user=staff)
    response = _login(client, provider, _claims())
    assert "oidc=failed" in response["Location"]
    assert "_auth_user_id" not in client.session
    assert User.objects.filter(id_number=ID_NUMBER).count() == 0


def test_the_custom_claim_name_is_used(client, provider):
    with override_settings(ONESEAL_OIDC_ID_NUMBER_CLAIM="sfzh"):
        claims = _claims()
        claims["sfzh"] = claims.pop("id_number")
        _login(client, provider, claims)
    assert User.objects.filter(id_number=ID_NUMBER).exists()


def test_the_login_page_shows_the_button_only_when_enabled(client, provider):
    assert 'href="/oidc/authenticate/' in client.get("/accounts/login/").content.decode()
    with override_settings(ONESEAL_OIDC_ENABLED=False):
        assert "/oidc/authenticate/" not in client.get("/accounts/login/").content.decode()


def test_off_by_default_both_urls_answer_404(client, db):
    with override_settings(ONESEAL_OIDC_ENABLED=False):
        assert client.get("/oidc/authenticate/").status_code == 404
        assert client.get("/oidc/callback/", {"code": "x", "state": "y"}).status_code == 404


def test_a_session_from_the_platform_survives_the_platform_being_switched_off(client, provider):
    _login(client, provider, _claims())
    with override_settings(ONESEAL_OIDC_ENABLED=False):
        response = client.get("/accounts/me/")
    assert response.status_code == 200
