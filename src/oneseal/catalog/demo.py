"""Demo loader `catalog`: the 21 transferred items with their memos (effective 2019-03-31)
and the in-hall items of the departments, loaded through the import service, so a second run
finds every item unchanged (see `oneseal.core.demo`)."""

from __future__ import annotations

from oneseal.core import demo
from oneseal.org.models import Unit
from oneseal.org.selectors import bureau as find_bureau

from . import demo_data
from .importing import SourceItem, import_items


def load_catalog() -> str:
    """Load (or refresh) the demo catalogue; returns the import summary."""
    units = {u.code: u for u in Unit.objects.filter(code__in=demo_data.UNIT_CODES)}
    bureau = find_bureau()
    missing = sorted(set(demo_data.UNIT_CODES) - set(units))
    if bureau is None or missing:
        raise RuntimeError(
            f"事项目录演示数据需要先载入组织机构 / load the org tree first: {missing}")
    sources = []
    for index, rec in enumerate(demo_data.records(units, bureau)):
        label = f"演示事项 {index + 1}：{rec['name']}"
        sources.append(SourceItem(rec, label, lambda path, label=label: f"{label} {path}"))
    report = import_items(actor=None, sources=sources, file_name="demo")
    if report.errors:
        raise RuntimeError("\n".join(str(e) for e in report.errors))
    return report.summary()


@demo.register("catalog", order=300)
def load(ctx: demo.DemoContext) -> None:
    ctx.log("事项目录 / catalogue: " + load_catalog())
