"""The hall of the queue and appointment tests, made through the settings service:
Monday–Friday 9:00–12:00 and 13:30–17:00 (Monday's hours also on 调休 Saturdays), four
categories and five windows."""

from __future__ import annotations

import datetime as dt
from typing import Any

from oneseal.hall.models import Hall, QueueCategory, Window, WindowKind
from oneseal.hall.services.setup import hall_update

T = dt.time


def weekday_hours() -> dict[int, Any]:
    hours: dict[int, Any] = {w: (T(9), T(12), T(13, 30), T(17)) for w in range(5)}
    hours.update({5: None, 6: None})
    return hours


def make_hall(sysadmin: Any) -> dict[str, Any]:
    hall: Hall = hall_update(actor=sysadmin, values={
        "name": "西山区政务服务大厅", "address": "西山区前兴路 1 号", "phone": "0871-68000000",
        "slot_minutes": 30, "slot_capacity": 2, "noshow_limit": 3, "noshow_window_days": 30,
        "noshow_block_days": 14}, hours=weekday_hours())
    cats = {}
    for i, (code, letter, name, kind) in enumerate([
            ("comprehensive", "A", "综合受理", WindowKind.COMPREHENSIVE),
            ("delivery", "C", "出件", WindowKind.DELIVERY),
            ("consultation", "D", "咨询", WindowKind.CONSULTATION),
            ("assistance", "E", "帮办", WindowKind.ASSISTANCE)]):
        cats[code] = QueueCategory.objects.create(hall=hall, code=code, letter=letter,
                                                  name=name, kind=kind, sort_order=i)
    windows = {}
    for number, kind, served in [("1", WindowKind.COMPREHENSIVE, "comprehensive"),
                                 ("2", WindowKind.COMPREHENSIVE, "comprehensive"),
                                 ("5", WindowKind.DELIVERY, "delivery"),
                                 ("8", WindowKind.CONSULTATION, "consultation"),
                                 ("9", WindowKind.ASSISTANCE, "assistance")]:
        window = Window.objects.create(hall=hall, number=number, kind=kind)
        window.categories.add(cats[served])
        windows[number] = window
    return {"hall": hall, "cats": cats, "windows": windows}
