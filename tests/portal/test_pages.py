"""Public pages: Chinese by default, English on request, every asset local, honest placeholders,
and the applicant's own page refused to everyone else."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from oneseal.accounts.roles import STAFF_ROLES
from tests.conftest import CAST
from tests.login_helpers import log_in

PUBLIC_PAGES = ["/", "/verify/", "/accounts/login/"]
SRC = Path(settings.BASE_DIR)


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_page_renders_in_chinese_by_default(client, db, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-Hans">' in html
    assert "西山区行政审批局" in html and "一颗印章管审批" in html
    for label in ("首页", "办事指南", "办理时限计算器", "证照核验", "登录"):
        assert f">{label}<" in html, label
    assert 'href="/tools/deadline/"' in html


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_page_loads_the_local_stylesheet_and_htmx(client, db, url):
    html = client.get(url).content.decode()
    assert '<link rel="stylesheet" href="/static/oneseal/css/oneseal.css">' in html
    assert '<script src="/static/vendor/htmx/htmx.min.js" defer></script>' in html


def test_language_switch_renders_english_and_back(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert ">Home<" in html and ">Service guides<" in html and ">Log in<" in html
    assert ">首页<" not in html
    # the switch offers the way back, labelled in the language it leads to
    assert 'value="zh-hans" lang="zh-Hans">中文</button>' in html
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert ">首页<" in client.get("/").content.decode()


def test_home_describes_the_bureau_and_cites_the_statutory_limits(client, db):
    html = client.get("/").content.decode()
    assert "前台综合受理、后台分类审批、统一窗口出件" in html
    assert "第三十二条" in html and "第四十二条" in html and "第四十四条" in html
    # the hall's details are not configured by default: shown as pending, not invented
    assert "地址待公布" in html


@override_settings(ONESEAL_HALL_ADDRESS="西山区前兴路 1 号",
                   ONESEAL_HALL_HOURS="周一至周五 9:00—17:00", ONESEAL_HALL_PHONE="0871-12345678")
def test_home_shows_the_hall_from_settings(client, db):
    html = client.get("/").content.decode()
    assert "西山区前兴路 1 号" in html and "周一至周五 9:00—17:00" in html
    assert "0871-12345678" in html and "地址待公布" not in html


def test_home_leads_to_the_working_verify_page_not_a_placeholder(client, db):
    html = client.get("/").content.decode()
    card = html.split("证照核验</h3>", 1)[1].split("</article>", 1)[0]
    assert 'href="/verify/"' in card and "即将上线" not in card


def test_verify_is_a_working_page_now_not_a_placeholder(client, db):
    html = client.get("/verify/").content.decode()
    assert "即将上线" not in html
    assert 'enctype="multipart/form-data"' in html.split('<main', 1)[1]


def test_service_guides_lead_to_the_catalogue_when_it_is_mounted(client, db):
    catalog = reverse("catalog:items")
    assert f'<a href="{catalog}">办事指南</a>' in client.get("/").content.decode()
    response = client.get("/guides/")
    assert response.status_code == 302 and response["Location"] == catalog


@override_settings(ROOT_URLCONF="tests.portal.urls_without_catalog")
def test_service_guides_are_an_honest_placeholder_without_the_catalogue(client, db):
    html = client.get("/").content.decode()
    assert '<a href="/guides/">办事指南</a>' in html
    response = client.get("/guides/")
    assert response.status_code == 200 and "即将上线" in response.content.decode()


def test_unknown_page_is_a_chinese_404(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


# --- 我的办件 (/my/): applicants and agents only -------------------------------------------

MY_CASES_ALLOWED = {"applicant", "company"}


def test_my_cases_sends_anonymous_visitors_to_login(client, db):
    response = client.get("/my/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/my/"


@pytest.mark.parametrize("name", sorted(CAST))
def test_my_cases_is_for_applicants_and_agents_only(client, cast, name):
    log_in(client, cast[name])
    response = client.get("/my/")
    if name in MY_CASES_ALLOWED:
        assert response.status_code == 200
        assert "我的办件" in response.content.decode()
    else:
        assert response.status_code == 403
        assert "您的角色无权访问此页面" in response.content.decode()


def test_the_cast_covers_every_staff_role():
    covered = {role for roles in CAST.values() for role in roles}
    assert set(STAFF_ROLES) <= covered


# --- every asset is served locally ------------------------------------------------------

URL_RE = re.compile(r"""(?:https?:)?//[A-Za-z0-9.-]+\.[A-Za-z]{2,}[^\s"'<>)]*""")
# XML namespace names are identifiers, never fetched.
ALLOWED = ("http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink")
TEXT_SUFFIXES = {".html", ".txt", ".css", ".js", ".svg", ".json", ".xml", ""}


def _asset_files():
    for folder in [*SRC.rglob("templates"), *SRC.rglob("static")]:
        if not folder.is_dir():
            continue
        for path in folder.rglob("*"):
            if path.is_file() and path.suffix in TEXT_SUFFIXES and path.name != "LICENSE":
                yield path


def test_the_asset_walk_sees_templates_and_static_files():
    names = {p.name for p in _asset_files()}
    assert {"base.html", "oneseal.css", "htmx.min.js", "home.html"} <= names


def test_no_template_or_static_file_refers_to_an_outside_host():
    found = []
    for path in _asset_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        for match in URL_RE.finditer(text):
            url = match.group(0)
            if url.startswith(ALLOWED) or url.startswith("//#"):
                continue
            found.append(f"{path.relative_to(SRC)}: {url}")
    assert found == []


def test_the_outside_host_check_would_catch_a_cdn_link():
    sample = ('<script src="https://cdn.jsdelivr.net/npm/htmx.org"></script>'
              '<link href="//fonts.x.com/a">')
    assert [m.group(0) for m in URL_RE.finditer(sample)] == [
        "https://cdn.jsdelivr.net/npm/htmx.org", "//fonts.x.com/a",
    ]


def test_vendored_htmx_carries_its_licence_and_version():
    folder = SRC / "core" / "static" / "vendor" / "htmx"
    assert "Zero-Clause BSD" in (folder / "LICENSE").read_text()
    version = (folder / "VERSION").read_text()
    assert "htmx.org 2." in version
    assert (folder / "htmx.min.js").read_text().startswith(("var htmx", "(function"))


def test_page_titles_name_the_page_then_the_bureau(client, cast):
    assert "<title>西山区行政审批局 · 一颗印章管审批</title>" in client.get("/").content.decode()
    login = client.get("/accounts/login/").content.decode()
    assert "<title>登录 · 西山区行政审批局</title>" in login
    log_in(client, cast["clerk"])
    html = client.get("/workbench/").content.decode()
    assert "<title>首页 · 工作台 · 西山区行政审批局</title>" in html
