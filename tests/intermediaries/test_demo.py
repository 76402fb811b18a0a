"""The demo marketplace (`oneseal load-demo`, loader `intermediaries`): one case, received
online two working days before the load day and waiting for acceptance, whose material
came from the marketplace (中介超市共享获取，免提交, 国务院令第716号 第7条)."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from oneseal.cases.demo import demo_today
from oneseal.core.workcalendar.selectors import get_work_calendar
from oneseal.intermediaries.demo import SHARED_ITEM, SHARED_PROJECT
from oneseal.intermediaries.models import SuppliedReport


def test_order716_art7_demo_case_whose_material_came_from_the_marketplace(db):
    call_command("load_demo", "--no-logins", stdout=StringIO())
    supplied = SuppliedReport.objects.select_related(
        "material__case", "contract__posting").get(contract__posting__project=SHARED_PROJECT)
    case, material = supplied.material.case, supplied.material
    assert (case.item_name, case.channel, case.state) == (SHARED_ITEM, "online", "received")
    assert (material.status, material.supplied_by) == ("shared", "中介超市")
    assert supplied.report_sha256 == supplied.contract.report_sha256
    calendar = get_work_calendar()
    assert calendar.count_working_days(case.received_on, demo_today()) == 2
    assert supplied.contract.finished_on < case.received_on
    # the other demo cases of the same company and item were filed before it was accepted
    assert SuppliedReport.objects.count() == 1
