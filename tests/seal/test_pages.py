"""The seal pages × every member of the cast: head, supervisor and system administrator
read; only the head grants and revokes delegations; everyone else gets the 403 page (and a
refused write changes nothing); anonymous visitors go to the login page."""

from __future__ import annotations

import datetime as dt

import pytest

from oneseal.core.models import AuditEvent
from oneseal.seal import services
from oneseal.seal.models import SealDelegation
from tests.conftest import CAST
from tests.login_helpers import log_in

from .helpers import BOX, make_pdf

READERS = {"head", "supervisor", "sysadmin"}
PAGES = ["/workbench/seal/", "/workbench/seal/ledger/", "/workbench/seal/ledger/?q=许可"]


@pytest.fixture
def signed_use(cast, seals):
    use = services.authorise_use(actor=cast["head"], seal=seals["approval"], key="document:1",
                                 title="准予行政许可决定书 西审许〔2026〕1号")
    return services.sign_use(use, make_pdf(), BOX, reason="准予行政许可")


@pytest.mark.parametrize("name", sorted(CAST))
@pytest.mark.parametrize("url", PAGES)
def test_seal_pages_for_the_cast(client, cast, seals, signed_use, name, url):
    log_in(client, cast[name])
    response = client.get(url)
    if name in READERS:
        assert response.status_code == 200
        text = response.content.decode()
        if url == "/workbench/seal/":
            assert seals["approval"].code in text and "<svg" in text
            assert signed_use.certificate.fingerprint in text
        else:
            assert "准予行政许可决定书" in text and signed_use.signed_sha256[:14] in text
    else:
        assert response.status_code == 403
        assert "您的角色无权访问此页面" in response.content.decode()


@pytest.mark.parametrize("name", sorted(CAST))
def test_signed_download_for_the_cast(client, cast, signed_use, name):
    log_in(client, cast[name])
    response = client.get(f"/workbench/seal/ledger/{signed_use.pk}/pdf/")
    if name in READERS:
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content == services.signed_pdf(signed_use)
    else:
        assert response.status_code == 403


def test_download_of_an_unknown_or_unsigned_use_is_404(client, cast, seals):
    use = services.authorise_use(actor=cast["head"], seal=seals["approval"], key="document:2",
                                 title="通知书")
    log_in(client, cast["head"])
    assert client.get(f"/workbench/seal/ledger/{use.pk}/pdf/").status_code == 404
    assert client.get("/workbench/seal/ledger/999999/pdf/").status_code == 404


def test_ledger_search_finds_by_title_and_misses_others(client, cast, signed_use):
    log_in(client, cast["supervisor"])
    assert "西审许" in client.get("/workbench/seal/ledger/?q=西审许").content.decode()
    missed = client.get("/workbench/seal/ledger/?q=不存在的文件").content.decode()
    assert "西审许" not in missed and "没有用印记录" in missed


@pytest.mark.parametrize("name", sorted(CAST))
def test_only_the_head_grants_a_delegation(client, cast, seals, name):
    log_in(client, cast[name])
    form = {"seal": seals["approval"].pk, "user": cast["chief"].pk,
            "valid_from": "2026-03-01", "valid_to": "2026-03-31", "note": "出差"}
    get = client.get("/workbench/seal/delegations/new/")
    response = client.post("/workbench/seal/delegations/new/", form)
    if name == "head":
        assert get.status_code == 200
        assert response.status_code == 302
        delegation = SealDelegation.objects.get()
        assert (delegation.user, delegation.valid_to) == (cast["chief"], dt.date(2026, 3, 31))
    else:
        assert get.status_code == 403 and response.status_code == 403
        assert not SealDelegation.objects.exists()
        assert not AuditEvent.objects.filter(kind="seal.delegate").exists()


def test_delegation_form_shows_chinese_errors(client, cast, seals):
    log_in(client, cast["head"])
    response = client.post("/workbench/seal/delegations/new/", {
        "seal": seals["approval"].pk, "user": cast["chief"].pk,
        "valid_from": "2026-03-31", "valid_to": "2026-03-01"})
    assert response.status_code == 200
    assert "授权截止日不能早于起始日" in response.content.decode()
    assert not SealDelegation.objects.exists()


@pytest.mark.parametrize("name", sorted(CAST))
def test_only_the_head_revokes_a_delegation(client, cast, seals, name):
    delegation = services.grant_delegation(
        actor=cast["head"], seal=seals["approval"], user=cast["chief"],
        valid_from=dt.date(2026, 3, 1), valid_to=dt.date(2026, 3, 31))
    log_in(client, cast[name])
    response = client.post(f"/workbench/seal/delegations/{delegation.pk}/revoke/")
    delegation.refresh_from_db()
    if name == "head":
        assert response.status_code == 302 and delegation.revoked_at is not None
    else:
        assert response.status_code == 403 and delegation.revoked_at is None


def test_revoke_is_post_only_and_unknown_is_404(client, cast, seals):
    log_in(client, cast["head"])
    assert client.get("/workbench/seal/delegations/1/revoke/").status_code == 405
    assert client.post("/workbench/seal/delegations/999999/revoke/").status_code == 404


@pytest.mark.parametrize("url", [*PAGES, "/workbench/seal/delegations/new/"])
def test_anonymous_visitors_go_to_login(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
