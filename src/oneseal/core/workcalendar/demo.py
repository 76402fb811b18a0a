"""Demo data: the working-day calendar from `chinesecalendar` (idempotent)."""

from __future__ import annotations

from oneseal.core import demo

from .selectors import missing_next_year_warning
from .services import seed_calendar_from_package


@demo.register("workcalendar", order=50)
def load(ctx: demo.DemoContext) -> None:
    added = seed_calendar_from_package()
    ctx.log(f"工作日历：补充 {len(added)} 个年份" if added else "工作日历：已是最新")
    warning = missing_next_year_warning()
    if warning:
        ctx.log(warning)
