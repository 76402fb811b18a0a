"""我的办件 and 消息中心: an applicant sees his own and his organisations' cases (an
organisation he operates for through a recorded authorisation too), with their dates, light,
clocks in words and history; downloads only signed documents; withdraws while allowed; and
everyone else is refused (another applicant 404, staff 403, anonymous to the login)."""

from __future__ import annotations

import pytest
import time_machine

from oneseal.cases.models import Case, CaseDocument, CaseEvent
from oneseal.notifications import services as outbox
from oneseal.notifications.models import Channel, Delivery
from tests.cases.conftest import at
from tests.cases.helpers import accepted, decide_and_seal, decided, seal_case, submit
from tests.conftest import CAST
from tests.licences.conftest import granted_to_company
from tests.login_helpers import log_in

STAFF = sorted(n for n in CAST if n not in ("applicant", "company", "outsider"))


@pytest.fixture
def other(db, cast, django_user_model):
    """A second applicant with a case of his own."""
    from oneseal.accounts.models import RoleGrant
    from oneseal.applicants import services as applicant_services

    user = django_user_model.objects.create_user(username="other", password="x")
    RoleGrant.objects.create(user=user, role="applicant")
    return applicant_services.register_person(
        actor=None, name="王五", id_number="530102198203159993", user=user)


def test_my_cases_lists_own_cases_with_dates_and_light(client, cast, catalogue, person):
    case = accepted(cast, catalogue.bureau_item, person)
    log_in(client, cast["applicant"])
    with time_machine.travel(at("2026-09-02"), tick=False):
        html = client.get("/my/").content.decode()
    assert case.number in html
    assert case.statutory_due.strftime("%Y-%m-%d") in html
    assert case.promised_due.strftime("%Y-%m-%d") in html
    assert "light--green" in html


def test_my_cases_shows_the_cases_of_an_organisation_operated_through_an_authorisation(
        client, cast, catalogue, firm):
    """`company` is not linked to the firm: he holds its authorisation in force."""
    case = submit(cast, catalogue.bureau_item, organisation=firm)
    log_in(client, cast["company"])
    assert case.number in client.get("/my/").content.decode()
    assert client.get(f"/my/cases/{case.pk}/").status_code == 200


def test_my_cases_search_by_number_and_pagination(client, cast, catalogue, person):
    cases = [submit(cast, catalogue.bureau_item, person) for _ in range(22)]
    log_in(client, cast["applicant"])
    first = client.get("/my/").content.decode()
    assert "第 1 页，共 2 页" in first
    html = client.get("/my/", {"q": cases[3].number}).content.decode()
    assert cases[3].number in html and cases[4].number not in html


def test_my_cases_hides_other_applicants_cases(client, cast, catalogue, person, other):
    theirs = submit(cast, catalogue.bureau_item, other)
    log_in(client, cast["applicant"])
    assert theirs.number not in client.get("/my/").content.decode()


@pytest.mark.parametrize("suffix", ["", "documents/1/"])
def test_case_page_is_404_for_another_applicant(client, cast, catalogue, person, other, suffix):
    case = submit(cast, catalogue.bureau_item, person)
    client.force_login(other.user)
    assert client.get(f"/my/cases/{case.pk}/{suffix}").status_code == 404


@pytest.mark.parametrize("name", [*STAFF, "outsider"])
def test_case_page_is_refused_to_staff_and_outsiders(client, cast, catalogue, person, name):
    case = submit(cast, catalogue.bureau_item, person)
    log_in(client, cast[name])
    assert client.get(f"/my/cases/{case.pk}/").status_code == 403
    response = client.post(f"/my/cases/{case.pk}/withdraw/", {"reason": "不办了"})
    assert response.status_code == 403
    assert Case.objects.get(pk=case.pk).state == "received"


@pytest.mark.parametrize("url", ["/my/cases/{pk}/", "/my/messages/"])
def test_my_pages_send_anonymous_visitors_to_login(client, cast, catalogue, person, url):
    case = submit(cast, catalogue.bureau_item, person)
    response = client.get(url.format(pk=case.pk))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_case_page_explains_the_clock_and_shows_the_timeline(client, cast, catalogue, person):
    case = accepted(cast, catalogue.bureau_item, person)
    log_in(client, cast["applicant"])
    with time_machine.travel(at("2026-09-02"), tick=False):
        html = client.get(f"/my/cases/{case.pk}/").content.decode()
    assert "法定办结时限（第42条）" in html
    assert "工作日" in html  # the calculator's explanation, in words
    assert "收件" in html and "受理" in html
    assert "认领" not in html  # internal steps are not the applicant's history


def test_case_page_offers_only_signed_documents(client, cast, catalogue, person, seals):
    case = decided(cast, catalogue, person)
    log_in(client, cast["applicant"])
    html = client.get(f"/my/cases/{case.pk}/").content.decode()
    unsigned = CaseDocument.objects.filter(case=case).order_by("-id").first()
    assert f"/my/cases/{case.pk}/documents/{unsigned.pk}/" not in html
    assert client.get(f"/my/cases/{case.pk}/documents/{unsigned.pk}/").status_code == 404


def test_signed_decision_and_licence_download(client, cast, catalogue, person, seals,
                                             licence_type):
    case = decide_and_seal(cast, catalogue, person)
    log_in(client, cast["applicant"])
    html = client.get(f"/my/cases/{case.pk}/").content.decode()
    decision = CaseDocument.objects.filter(case=case, kind="grant_decision").get()
    url = f"/my/cases/{case.pk}/documents/{decision.pk}/"
    assert url in html
    response = client.get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response["Content-Disposition"].startswith("attachment")
    licence = case.licences.get()
    assert f"/licences/mine/{licence.pk}/pdf/" in html
    assert client.get(f"/licences/mine/{licence.pk}/pdf/").content.startswith(b"%PDF")


def test_withdraw_from_my_case_page(client, cast, catalogue, person):
    case = submit(cast, catalogue.bureau_item, person)
    log_in(client, cast["applicant"])
    assert "撤回申请" in client.get(f"/my/cases/{case.pk}/").content.decode()
    response = client.post(f"/my/cases/{case.pk}/withdraw/", {"reason": "材料准备不全"})
    assert response.status_code == 302
    row = Case.objects.get(pk=case.pk)
    assert row.state == "withdrawn" and row.close_reason == "材料准备不全"
    assert CaseEvent.objects.filter(case=case, kind="withdraw", actor=cast["applicant"]).exists()


def test_withdraw_without_reason_is_refused_and_changes_nothing(client, cast, catalogue, person):
    case = submit(cast, catalogue.bureau_item, person)
    events = CaseEvent.objects.filter(case=case).count()
    log_in(client, cast["applicant"])
    response = client.post(f"/my/cases/{case.pk}/withdraw/", {"reason": " "})
    # the service's rule `reason_required` (RuleViolation, 422) and its message
    assert response.status_code == 422 and "请写明撤回原因" in response.content.decode()
    assert Case.objects.get(pk=case.pk).state == "received"
    assert CaseEvent.objects.filter(case=case).count() == events


def test_withdraw_of_a_decided_case_is_not_offered_and_refused(client, cast, catalogue, person):
    case = decided(cast, catalogue, person)
    log_in(client, cast["applicant"])
    assert "withdraw-reason" not in client.get(f"/my/cases/{case.pk}/").content.decode()
    response = client.post(f"/my/cases/{case.pk}/withdraw/", {"reason": "不办了"})
    assert response.status_code == 409  # IllegalState: the state table refuses it
    assert Case.objects.get(pk=case.pk).state == "decided"


def test_message_box_lists_reads_and_counts_unread(client, cast, catalogue, person):
    case = accepted(cast, catalogue.bureau_item, person)
    outbox.deliver_due()
    log_in(client, cast["applicant"])
    html = client.get("/my/").content.decode()
    assert "2 条未读" in html
    listing = client.get("/my/messages/").content.decode()
    assert case.number in listing
    mine = Delivery.objects.filter(user=cast["applicant"], channel=Channel.INBOX).first()
    page = client.get(f"/my/messages/{mine.pk}/").content.decode()
    assert mine.notification.text in page
    assert "1 条未读" in client.get("/my/").content.decode()


def test_message_of_another_account_is_404(client, cast, catalogue, person, other):
    accepted(cast, catalogue.bureau_item, person)
    outbox.deliver_due()
    mine = Delivery.objects.filter(user=cast["applicant"], channel=Channel.INBOX).first()
    client.force_login(other.user)
    assert client.get(f"/my/messages/{mine.pk}/").status_code == 404
    assert Delivery.objects.get(pk=mine.pk).read_at is None


# --- 我的证照: an organisation's licences for its operators ---------------------------------

def test_my_licences_lists_the_licences_of_an_organisation_operated_by_authorisation(
        client, cast, catalogue, firm, licence_type, seals):
    """`company` holds the firm's authorisation in force (not a linked account): he sees
    its licence and downloads the signed PDF; another applicant does neither."""
    case = seal_case(cast, granted_to_company(cast, catalogue, firm))
    licence = case.licences.get()
    log_in(client, cast["company"])
    html = client.get("/licences/mine/").content.decode()
    assert licence.number in html
    assert client.get(f"/licences/mine/{licence.pk}/pdf/").content.startswith(b"%PDF")
    log_in(client, cast["applicant"])
    assert licence.number not in client.get("/licences/mine/").content.decode()
    assert client.get(f"/licences/mine/{licence.pk}/pdf/").status_code == 404
