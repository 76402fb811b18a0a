"""The licence pages × the cast: the library list and a licence's page for the readers
(clerk, reviewer, chief, head, department officer, supervisor), 403 for the others, the
login page for anonymous visitors; the state form for the head and chiefs only (a refused
post changes nothing); the portal's 我的电子证照 for applicants and agents, each seeing only
their own licences and renewal reminders (第50条)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from oneseal.licences import selectors, services
from oneseal.licences.models import Licence, LicenceEvent
from tests.conftest import CAST
from tests.login_helpers import log_in

from .conftest import at

READER_NAMES = {name for name, roles in CAST.items() if set(roles) & set(selectors.READERS)}
ID = "53011219800101123X"
MASKED = "5301**********123X"


@pytest.fixture(autouse=True)
def _fixed_day():
    with time_machine.travel(at("2026-09-25"), tick=False):
        yield


@pytest.mark.parametrize("name", sorted(CAST))
def test_list_and_detail_for_the_cast(client, cast, licence, name):
    log_in(client, cast[name])
    pages = [client.get("/workbench/licences/"), client.get(f"/workbench/licences/{licence.pk}/")]
    for response in pages:
        if name in READER_NAMES:
            assert response.status_code == 200, name
            assert licence.number in response.content.decode()
        else:
            assert response.status_code == 403, name
            assert licence.number not in response.content.decode()


def test_list_masks_and_detail_shows_the_full_number(client, cast, licence):
    log_in(client, cast["clerk"])
    listing = client.get("/workbench/licences/").content.decode()
    assert MASKED in listing and ID not in listing
    detail = client.get(f"/workbench/licences/{licence.pk}/").content.decode()
    assert ID in detail and licence.identifier in detail
    assert "变更证照状态" not in detail  # a clerk has no state form


@pytest.mark.parametrize("url", ["/workbench/licences/", "/workbench/licences/1/",
                                 "/licences/mine/"])
def test_anonymous_visitors_go_to_login(client, db, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_unknown_licence_is_404(client, cast, licence):
    log_in(client, cast["head"])
    assert client.get(f"/workbench/licences/{licence.pk + 100}/").status_code == 404


@pytest.mark.parametrize("name", sorted(CAST))
def test_art69_state_form_for_the_cast(client, cast, licence, name):
    log_in(client, cast[name])
    response = client.post(f"/workbench/licences/{licence.pk}/state/",
                           {"operation": "revoke", "reason": "以贿赂手段取得（第69条）。"})
    row = Licence.objects.get(pk=licence.pk)
    if name in {"head", "chief"}:
        assert response.status_code == 302, name
        assert row.state == "revoked"
        assert LicenceEvent.objects.get().legal_basis == "第69条"
    else:
        assert response.status_code == 403, name
        assert row.state == "valid" and not LicenceEvent.objects.exists()


def test_state_form_errors_are_chinese_and_change_nothing(client, cast, licence):
    log_in(client, cast["head"])
    page = client.get(f"/workbench/licences/{licence.pk}/").content.decode()
    assert "变更证照状态" in page and 'value="restore"' not in page  # not offered from 有效
    response = client.post(f"/workbench/licences/{licence.pk}/state/",
                           {"operation": "suspend", "reason": ""})
    assert response.status_code == 422 and "请填写状态变更的原因" in response.content.decode()
    response = client.post(f"/workbench/licences/{licence.pk}/state/",
                           {"operation": "restore", "reason": "恢复。"})
    assert response.status_code == 422 and "不适用于证照的当前状态" in response.content.decode()
    assert Licence.objects.get(pk=licence.pk).state == "valid"


def test_signed_pdf_is_404_until_signed(client, cast, licence):
    log_in(client, cast["clerk"])
    assert client.get(f"/workbench/licences/{licence.pk}/pdf/").status_code == 404
    log_in(client, cast["applicant"])
    assert client.get(f"/licences/mine/{licence.pk}/pdf/").status_code == 404


@pytest.mark.parametrize("name", sorted(CAST))
def test_my_licences_for_the_cast(client, cast, licence, name):
    services.remind_renewals(dt.date(2026, 9, 25))
    log_in(client, cast[name])
    response = client.get("/licences/mine/")
    if name == "applicant":
        page = response.content.decode()
        assert response.status_code == 200
        assert licence.number in page and MASKED in page and ID not in page
        assert "2026-10-08" in page  # apply by (第50条; 10-07 a rest day, 民法典 第203条)
    elif name == "company":  # an agent: the page opens, the person's licence is not there
        assert response.status_code == 200
        assert licence.number not in response.content.decode()
    else:
        assert response.status_code == 403, name


def test_list_filters(client, cast, licence, company, catalogue):
    from .conftest import granted_to_company

    other = services.issue_licence(case=granted_to_company(cast, catalogue, company),
                                   actor=cast["head"])
    log_in(client, cast["chief"])

    def numbers(**params):
        page = client.get("/workbench/licences/", params).content.decode()
        return {n for n in (licence.number, other.number) if n in page}

    assert numbers() == {licence.number, other.number}
    assert numbers(q="张") == {licence.number}
    assert numbers(q="昆明西山") == {other.number}
    assert numbers(q=other.identifier) == {other.number}
    assert numbers(q=licence.number) == {licence.number}
    services.suspend_licence(actor=cast["head"], licence=other, reason="暂扣。")
    assert numbers(state="suspended") == {other.number}
    assert numbers(renewal_due="on") == {licence.number}  # valid, ends 2026-11-06
    assert numbers(type=licence.type_id) == {licence.number, other.number}


def test_list_keyset_pages(cast, licence, company, catalogue):
    from .conftest import granted_to_company

    other = services.issue_licence(case=granted_to_company(cast, catalogue, company),
                                   actor=cast["head"])
    first = selectors.licence_list(None, None, user=cast["clerk"], limit=1)
    assert [x.pk for x in first.items] == [other.pk] and first.next_cursor
    second = selectors.licence_list(None, first.next_cursor, user=cast["clerk"], limit=1)
    assert [x.pk for x in second.items] == [licence.pk] and second.next_cursor is None


def test_detail_shows_the_state_history_in_words(client, cast, licence):
    services.suspend_licence(actor=cast["chief"], licence=licence, reason="抽查发现问题，暂扣。")
    log_in(client, cast["supervisor"])
    page = client.get(f"/workbench/licences/{licence.pk}/").content.decode()
    assert "有效 → 暂扣" in page and "抽查发现问题，暂扣。" in page
    assert "《行政处罚法》第九条" in page
