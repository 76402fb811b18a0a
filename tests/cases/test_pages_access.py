"""The case pages × every member of the cast: the role pages (front desk, task lists,
delivery window, case list) allow their roles and refuse the others with the Chinese 403
page; a case page is open to whoever may see the case and is a 404 for everyone else
(outsiders and other applicants learn nothing); anonymous visitors go to the login page.
The workbench cards link to these pages; the portal links to the public progress query.

Pages call the services without `at`, so every test runs at a fixed moment (2026-09-01)."""

from __future__ import annotations

import pytest
import time_machine

from tests.conftest import CAST
from tests.login_helpers import log_in

from .conftest import at
from .helpers import accepted, submit

READERS = {"clerk", "reviewer", "chief", "head", "dept", "supervisor", "helper"}
PAGES = {
    "/workbench/cases/": READERS,
    "/workbench/cases/intake/": {"clerk"},
    "/workbench/cases/intake/person/": {"clerk"},
    "/workbench/cases/intake/organisation/": {"clerk"},
    "/workbench/cases/tasks/": {"reviewer", "chief", "head", "dept"},
    "/workbench/cases/tasks/?tab=open": {"reviewer", "chief", "head", "dept"},
    "/workbench/cases/delivery/": {"clerk"},
    "/workbench/cases/waiting/": {"clerk"},
    "/workbench/cases/waiting/?due=overdue": {"clerk"},
    "/workbench/cases/online/": {"clerk"},
    "/workbench/cases/?due=soon": READERS,
    "/workbench/cases/tasks/?due=overdue": {"reviewer", "chief", "head", "dept"},
}
MATRIX = [(url, name) for url in PAGES for name in sorted(CAST)]
# who sees a case of the bureau item applied for by the cast's applicant (张三)
CASE_SEERS = READERS | {"applicant"}


@pytest.fixture(autouse=True)
def _fixed_day():
    with time_machine.travel(at("2026-09-01"), tick=False):
        yield


@pytest.mark.parametrize(("url", "name"), MATRIX)
def test_role_page_allows_its_roles_and_refuses_the_others(client, cast, catalogue, url,
                                                            name):
    log_in(client, cast[name])
    response = client.get(url)
    if name in PAGES[url]:
        assert response.status_code == 200, (url, name)
    else:
        assert response.status_code == 403, (url, name)
        assert "您的角色无权访问此页面" in response.content.decode()


@pytest.mark.parametrize("url", sorted(PAGES))
def test_role_page_sends_anonymous_visitors_to_login(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("name", sorted(CAST))
def test_case_page_is_shown_to_who_may_see_it_and_is_404_for_the_rest(client, cast, catalogue,
                                                                      person, name):
    case = submit(cast, catalogue.bureau_item, person)
    log_in(client, cast[name])
    paths = [f"/workbench/cases/{case.pk}/"]
    for path in paths:
        response = client.get(path)
        if name in CASE_SEERS:
            assert response.status_code == 200, name
            assert case.number in response.content.decode()
        else:
            assert response.status_code == 404, name
            assert case.number not in response.content.decode()


def test_case_page_of_a_case_that_does_not_exist_is_the_same_404(client, cast, catalogue,
                                                                  person):
    case = submit(cast, catalogue.bureau_item, person)
    log_in(client, cast["company"])
    hidden = client.get(f"/workbench/cases/{case.pk}/")
    missing = client.get(f"/workbench/cases/{case.pk + 1000}/")
    assert hidden.status_code == missing.status_code == 404


def test_other_applicant_cannot_post_an_operation_or_read_a_document(client, cast,
                                                                    catalogue, person):
    case = accepted(cast, catalogue.bureau_item, person)
    document = case.documents.first()
    log_in(client, cast["company"])
    assert client.post(f"/workbench/cases/{case.pk}/do/withdraw/",
                       {"withdraw-reason": "不想办了"}).status_code == 404
    assert client.get(f"/workbench/cases/{case.pk}/documents/{document.pk}/").status_code == 404
    case.refresh_from_db()
    assert case.state == "reviewing"


def test_case_page_sends_anonymous_visitors_to_login(client, cast, catalogue, person):
    case = submit(cast, catalogue.bureau_item, person)
    response = client.get(f"/workbench/cases/{case.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next=/workbench/cases/{case.pk}/"


def test_head_without_the_second_factor_is_sent_to_the_code_step(client, cast, catalogue,
                                                                  person):
    case = submit(cast, catalogue.bureau_item, person)
    log_in(client, cast["head"], verified=False)
    response = client.get(f"/workbench/cases/{case.pk}/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/otp/")


def test_supervisor_reads_a_case_but_is_offered_no_operation(client, cast, catalogue, person):
    case = submit(cast, catalogue.bureau_item, person)
    log_in(client, cast["supervisor"])
    html = client.get(f"/workbench/cases/{case.pk}/").content.decode()
    assert "可办理的操作" not in html and "/do/" not in html


def test_applicant_sees_his_case_in_the_portal_with_only_his_operations(client, cast,
                                                                      catalogue, person):
    case = submit(cast, catalogue.bureau_item, person)
    log_in(client, cast["applicant"])
    html = client.get(f"/workbench/cases/{case.pk}/").content.decode()
    assert 'class="masthead"' in html and 'class="wb-sidenav"' not in html
    assert f"/workbench/cases/{case.pk}/do/withdraw/" in html
    assert f"/workbench/cases/{case.pk}/do/attach_file/" in html
    for op in ("accept", "refuse", "check_materials", "claim"):
        assert f"/do/{op}/" not in html, op


# --- navigation -----------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "feature", "href"), [
    ("clerk", "intake", "/workbench/cases/intake/"),
    ("clerk", "delivery", "/workbench/cases/delivery/"),
    ("clerk", "cases", "/workbench/cases/"),
    ("reviewer", "review", "/workbench/cases/tasks/"),
    ("chief", "decide", "/workbench/cases/tasks/"),
    ("head", "decide", "/workbench/cases/tasks/"),
    ("supervisor", "cases", "/workbench/cases/"),
    ("dept", "cases", "/workbench/cases/"),
])
def test_workbench_cards_link_to_the_case_pages(client, cast, name, feature, href):
    log_in(client, cast[name])
    html = client.get("/workbench/").content.decode()
    card = html.split(f'data-feature="{feature}"', 1)[1].split("</article>", 1)[0]
    assert f'href="{href}"' in card and "即将上线" not in card
    assert client.get(href).status_code == 200


@pytest.mark.parametrize("name", ["catalog_admin", "sysadmin"])
def test_case_list_card_is_not_shown_to_roles_that_read_no_case(client, cast, name):
    log_in(client, cast[name])
    html = client.get("/workbench/").content.decode()
    assert 'data-feature="cases"' not in html and 'data-nav="cases"' not in html


def test_portal_links_to_the_progress_query(client, db):
    html = client.get("/").content.decode()
    nav = html.split('class="portal-nav"', 1)[1].split("</nav>", 1)[0]
    assert 'href="/progress/"' in nav and "办件进度查询" in nav
    assert client.get("/progress/").status_code == 200
