"""Statistics pages (统计分析) from the rollups: the supervisor's and the head's page with its
filters, periods, charts and Excel export; the public monthly figures without login; every
other role refused."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from oneseal.supervision import stats_rollup
from tests.conftest import CAST
from tests.login_helpers import log_in

pytestmark = pytest.mark.django_db

D = dt.date.fromisoformat


@pytest.fixture
def figures(catalogue, org):
    """November 2026: 4 received (1 online), 4 accepted, 4 decided (1 不予许可; 3 within
    the promise, 4 within the statute; 22 working days used), 4 ratings (3 satisfied); and
    2 received in October. 金碧街道 received one of November's."""
    item = catalogue.bureau_item.pk
    dept = org["dept-env"].pk
    street = org["street-jinbi"].pk
    stats_rollup.add(D("2026-11-03"), (item, dept, "window", 0), {"received": 2, "accepted": 3})
    stats_rollup.add(D("2026-11-03"), (item, dept, "window", street), {"received": 1})
    stats_rollup.add(D("2026-11-04"), (item, dept, "online", 0),
                     {"received": 1, "online": 1, "accepted": 1})
    stats_rollup.add(D("2026-11-20"), (item, dept, "window", 0), {
        "decided": 4, "refused": 1, "on_time_promise": 3, "on_time_statute": 4,
        "days_used": 22, "ratings": 4, "satisfied": 3})
    stats_rollup.add(D("2026-10-10"), (item, dept, "window", 0), {"received": 2})
    return {"item": item, "dept": dept, "street": street}


def page(client, **query):
    return client.get(reverse("case_stats:page"), query)


@pytest.mark.parametrize("who", ["supervisor", "head"])
def test_month_statistics_for_supervisor_and_head(client, cast, figures, who):
    log_in(client, cast[who])
    response = page(client, period="month", month="2026-11")
    assert response.status_code == 200
    html = response.content.decode()
    totals = dict(response.context["totals"])
    assert (totals["收件"], totals["受理"], totals["办结"], totals["其中不予许可"]) == (
        "4", "4", "4", "1")
    assert (totals["承诺时限内办结率"], totals["法定时限内办结率"]) == ("75.0%", "100.0%")
    assert totals["平均办理用时（工作日）"] == "5.5"  # 22 / 4
    assert (totals["网上办理占比"], totals["满意率"]) == ("25.0%", "75.0%")
    # two inline SVG charts, named and described, no script
    assert html.count('<svg class="chart"') == 2 and "<script>" not in html
    assert 'role="img"' in html and "<desc" in html and "收件 4" in html
    # the monthly chart of a month shows the 12 months up to it
    assert [label for label, _c in response.context["trend"]][-2:] == ["2026-10", "2026-11"]
    assert len(response.context["trend"]) == 12
    tables = {t["label"]: t["rows"] for t in response.context["tables"]}
    streets = dict((name, dict(cells)) for name, cells in tables["按街道"])
    assert streets["金碧街道"]["收件"] == "1"
    assert streets["区行政审批局（非街道收件）"]["收件"] == "3"
    channels = dict((name, dict(cells)) for name, cells in tables["按渠道"])
    assert channels["网上申请"]["收件"] == "1" and channels["窗口收件"]["收件"] == "3"


def test_filters_quarter_and_custom_range(client, cast, figures):
    log_in(client, cast["supervisor"])
    quarter = dict(page(client, period="quarter", quarter="2026-Q4").context["totals"])
    assert quarter["收件"] == "6"
    online = dict(page(client, period="quarter", quarter="2026-Q4",
                       channel="online").context["totals"])
    assert (online["收件"], online["网上办理占比"], online["办结"]) == ("1", "100.0%", "0")
    street = dict(page(client, period="month", month="2026-11",
                       street=str(figures["street"])).context["totals"])
    assert street["收件"] == "1"
    # a custom range is read from the daily rollup: 11-04 .. 11-20
    custom = page(client, period="custom", start="2026-11-04", end="2026-11-20")
    totals = dict(custom.context["totals"])
    assert (totals["收件"], totals["办结"]) == ("1", "4")
    # whole November from the monthly rollup, 10-10..10-31 and 12-01..12-02 from the daily
    spanning = dict(page(client, period="custom", start="2026-10-10",
                         end="2026-12-02").context["totals"])
    assert (spanning["收件"], spanning["办结"]) == ("6", "4")
    assert dict(page(client, period="custom", start="2026-10-11",
                     end="2026-12-02").context["totals"])["收件"] == "4"
    year = dict(page(client, period="year", year="2026").context["totals"])
    assert year["收件"] == "6"


def test_bad_period_is_refused_in_chinese(client, cast, figures):
    log_in(client, cast["supervisor"])
    response = page(client, period="custom", start="2026-11-20", end="2026-11-04")
    assert response.status_code == 400
    assert "开始日期不能晚于结束日期" in response.content.decode()
    assert client.get(reverse("case_stats:export"),
                      {"period": "custom", "start": "2026-11-20",
                       "end": "2026-11-04"}).status_code == 400


def test_excel_export(client, cast, figures):
    log_in(client, cast["head"])
    response = client.get(reverse("case_stats:export"), {"period": "month", "month": "2026-11"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "case-stats-2026-11-01-2026-11-30.xlsx" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["汇总", "按月", "按事项", "按部门", "按渠道", "按街道"]
    rows = list(book["汇总"].iter_rows(values_only=True))
    assert rows[0][:2] == ("办件统计", "2026-11")
    assert rows[2][:6] == ("合计", 4, 4, 0, 4, 1)
    assert rows[2][6:] == (75.0, 100.0, 5.5, 25.0, 4, 75.0)


@pytest.mark.parametrize("who", [m for m in CAST if m not in ("supervisor", "head")])
def test_statistics_refused_to_every_other_role(client, cast, who):
    log_in(client, cast[who])
    assert client.get(reverse("case_stats:page")).status_code in (403, 404)
    assert client.get(reverse("case_stats:export")).status_code in (403, 404)


def test_statistics_need_login(client, db):
    for name in ("case_stats:page", "case_stats:export"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "login" in response["Location"]


def test_navigation_offers_statistics_to_supervisor_and_head_only(client, cast):
    for who in ("supervisor", "head"):
        log_in(client, cast[who])
        assert reverse("case_stats:page") in client.get(reverse("workbench:home")).content.decode()
    log_in(client, cast["clerk"])
    assert reverse("case_stats:page") not in client.get(
        reverse("workbench:home")).content.decode()


def test_public_monthly_figures_without_login(client, figures):
    response = client.get(reverse("public_stats:monthly"), {"year": "2026"})
    assert response.status_code == 200
    rows = dict((month, dict(cells)) for month, cells in response.context["rows"])
    assert rows["2026-11"] == {"收件": "4", "受理": "4", "办结": "4", "按期办结率": "75.0%",
                               "网上办理占比": "25.0%", "满意率": "75.0%"}
    assert rows["2026-10"]["收件"] == "2" and rows["2026-10"]["按期办结率"] == "—"
    assert dict(response.context["total"])["收件"] == "6"
    html = response.content.decode()
    assert '<svg class="chart"' in html and "<script>" not in html
    # a year that has no figures falls back to the current one
    assert client.get(reverse("public_stats:monthly"), {"year": "1999"}).status_code == 200
    assert client.get(reverse("public_stats:monthly"), {"year": "x"}).status_code == 200
