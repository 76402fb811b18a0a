"""Every page × every member of the cast: allowed or refused as the roles say, the side
navigation and the dashboard showing only what the person's roles allow."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from oneseal.accounts.permissions import require_roles, staff_required
from oneseal.accounts.roles import Role
from oneseal.workbench.nav import FEATURES
from tests.conftest import CAST
from tests.login_helpers import log_in

APPLICANTS = {"applicant", "company"}
STAFF = {name for name in CAST if name not in APPLICANTS and name != "outsider"}
EVERYONE = set(CAST)

# page -> the cast members who may open it (all others logged in get 403)
PAGES = {
    "/workbench/": STAFF,
    "/my/": APPLICANTS,
    "/accounts/me/": EVERYONE,
    "/accounts/password/": EVERYONE,
    "/": EVERYONE,
    "/verify/": EVERYONE,
}
PUBLIC = {"/", "/verify/"}
CASES = [(url, name) for url in PAGES for name in sorted(CAST)]


@pytest.mark.parametrize(("url", "name"), CASES)
def test_page_allows_or_refuses_each_member_of_the_cast(client, cast, url, name):
    log_in(client, cast[name])
    response = client.get(url)
    if name in PAGES[url]:
        assert response.status_code == 200, (url, name)
    else:
        assert response.status_code == 403, (url, name)
        html = response.content.decode()
        assert "无权访问" in html and "您的角色无权访问此页面" in html


@pytest.mark.parametrize("url", sorted(set(PAGES) - PUBLIC))
def test_page_sends_anonymous_visitors_to_login(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


@pytest.mark.parametrize("url", sorted(PUBLIC))
def test_public_page_is_open_to_anonymous_visitors(client, db, url):
    assert client.get(url).status_code == 200


def test_refused_applicant_sees_a_chinese_403_page_without_the_workbench(client, cast):
    log_in(client, cast["applicant"])
    response = client.get("/workbench/")
    html = response.content.decode()
    assert response.status_code == 403
    assert 'class="wb-sidenav"' not in html and "收件受理" not in html


# --- the side navigation and the dashboard ----------------------------------------------

def expected_keys(name):
    roles = set(CAST[name])
    return [f.key for f in FEATURES if f.roles & roles]


def nav_keys(html):
    nav = html.split('class="wb-sidenav"', 1)[1].split("</nav>", 1)[0]
    return [part.split('"', 1)[0] for part in nav.split('data-nav="')[1:]]


@pytest.mark.parametrize("name", sorted(STAFF))
def test_side_navigation_lists_exactly_what_the_roles_allow(client, cast, name):
    log_in(client, cast[name])
    html = client.get("/workbench/").content.decode()
    assert nav_keys(html) == expected_keys(name)


def test_navigation_differs_between_roles(client, cast):
    log_in(client, cast["clerk"])
    clerk = nav_keys(client.get("/workbench/").content.decode())
    log_in(client, cast["sysadmin"])
    admin = nav_keys(client.get("/workbench/").content.decode())
    assert "intake" in clerk and "intake" not in admin
    assert "org" in admin and "org" not in clerk


def test_features_not_built_yet_are_marked_and_not_linked(client, cast):
    log_in(client, cast["sysadmin"])
    html = client.get("/workbench/").content.decode()
    card = html.split('data-feature="org"', 1)[1].split("</article>", 1)[0]
    assert "即将上线" in card and "<a " not in card
    live = html.split('data-feature="deadline"', 1)[1].split("</article>", 1)[0]
    assert 'href="/tools/deadline/"' in live and "即将上线" not in live


def test_top_bar_shows_name_unit_and_roles(client, cast):
    chief = cast["chief"]
    chief.display_name = "王芳"
    chief.save(update_fields=["display_name"])
    log_in(client, chief)
    html = client.get("/workbench/").content.decode()
    top = html.split('class="wb-topbar"', 1)[1].split("</header>", 1)[0]
    assert "王芳" in top and "西山区行政审批局" in top
    assert "科室负责人" in top and "审查人员" in top
    assert 'action="/accounts/logout/" method="post"' in top


def test_current_page_is_marked_in_the_navigation(client, cast):
    log_in(client, cast["clerk"])
    html = client.get("/accounts/me/").content.decode()
    assert '<a href="/accounts/me/" aria-current="page">' in html
    assert html.count('aria-current="page"') == 1


def test_a_page_below_a_feature_marks_that_feature_only(rf, cast):
    from django.template import Context

    from oneseal.workbench.templatetags.workbench_tags import workbench_nav

    request = rf.get("/workbench/catalog/items/3/")
    nav = workbench_nav(Context({"request": request, "user": cast["catalog_admin"]}))
    assert [e["key"] for e in nav if e["current"]] == ["catalog"]
    request = rf.get("/workbench/")
    nav = workbench_nav(Context({"request": request, "user": cast["catalog_admin"]}))
    assert [e["key"] for e in nav if e["current"]] == ["home"]


def test_a_feature_whose_url_is_not_mounted_counts_as_not_built():
    from oneseal.workbench.nav import Feature

    feature = Feature("x", "x", "x", frozenset({Role.CLERK}), "no_such_app:index")
    assert feature.href() is None and not feature.built
    assert Feature("y", "y", "y", frozenset(), "/tools/deadline/").built


# --- the decorators on their own -----------------------------------------------------------

def _view(request):
    return HttpResponse("ok")


def test_require_roles_needs_a_role():
    with pytest.raises(ValueError):
        require_roles()


def test_require_roles_allows_any_of_its_roles(rf: RequestFactory, cast):
    view = require_roles(Role.REVIEWER, Role.SUPERVISOR)(_view)
    for name, allowed in [("reviewer", True), ("chief", True), ("supervisor", True),
                          ("clerk", False)]:
        request = rf.get("/x/")
        request.user = cast[name]
        if allowed:
            assert view(request).status_code == 200
        else:
            from django.core.exceptions import PermissionDenied

            with pytest.raises(PermissionDenied):
                view(request)


def test_staff_required_refuses_applicants_and_people_without_roles(rf, cast):
    from django.core.exceptions import PermissionDenied

    view = staff_required(_view)
    for name in ("applicant", "company", "outsider"):
        request = rf.get("/x/")
        request.user = cast[name]
        with pytest.raises(PermissionDenied):
            view(request)


def test_two_factor_check_comes_before_the_role_check(rf, cast):
    """An unverified head asking for a page of another role is sent to the code step, so an
    unverified session learns nothing about the page."""
    view = require_roles(Role.CLERK)(_view)
    request = rf.get("/x/")
    request.user = cast["head"]
    request.user.is_verified = lambda: False
    response = view(request)
    assert response.status_code == 302 and response["Location"] == "/accounts/otp/?next=/x/"


# --- the two-factor steps are only for the two-factor roles --------------------------------

@pytest.mark.parametrize("name", sorted(set(CAST) - {"head", "catalog_admin", "sysadmin"}))
@pytest.mark.parametrize("url", ["/accounts/otp/", "/accounts/otp/enrol/"])
def test_two_factor_steps_send_everyone_else_to_their_start_page(client, cast, name, url):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    log_in(client, cast[name])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] in {"/workbench/", "/my/", "/accounts/me/"}
    assert not TOTPDevice.objects.filter(user=cast[name]).exists()


# --- language -------------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["/workbench/", "/accounts/me/", "/accounts/password/"])
def test_staff_pages_are_chinese_by_default_and_english_on_request(client, cast, url):
    log_in(client, cast["clerk"])
    html = client.get(url).content.decode()
    assert '<html lang="zh-Hans">' in html and "综合受理窗口人员" in html and ">退出<" in html
    client.post("/i18n/setlang/", {"language": "en", "next": url})
    html = client.get(url).content.decode()
    assert '<html lang="en">' in html and "Window clerk" in html and ">Log out<" in html
    assert "综合受理窗口人员" not in html


# --- every workbench page, whichever app mounts it, is closed to non-staff --------------------

def _workbench_urls():
    from tests.accounts.test_two_factor import workbench_urls

    return workbench_urls()


@pytest.mark.parametrize("name", ["applicant", "company", "outsider"])
def test_no_workbench_page_opens_for_applicants_or_people_without_roles(client, cast, name):
    log_in(client, cast[name])
    for url in _workbench_urls():
        assert client.get(url).status_code == 403, url


def test_no_workbench_page_opens_for_anonymous_visitors(client, db):
    for url in _workbench_urls():
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next="), url
