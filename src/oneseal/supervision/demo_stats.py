"""Demo statistics (统计分析): once every other loader has made its cases, decisions and
ratings through the services (which already counted them), the rollups are rebuilt from the
history, so the statistics page shows exactly the demo's cases whatever order or partial
run produced them. Idempotent: a rebuild gives the same rows each time."""

from __future__ import annotations

from oneseal.core import demo

from . import stats_rollup


@demo.register("statistics", order=950)
def load(ctx: demo.DemoContext) -> None:
    written = stats_rollup.rebuild()
    ctx.log(f"统计分析 / statistics: 汇总 {written['days']} 行日统计、{written['months']} 行月统计")
