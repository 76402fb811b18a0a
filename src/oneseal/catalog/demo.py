"""Demo loader `catalog`: the 21 transferred items with their memos (effective 2019-03-31)
and the in-hall items of the departments, loaded through the import service, so a second run
finds every item unchanged (see `oneseal.core.demo`). An item already in the database whose
demo content has changed since (e.g. a review step newly marked 现场核查) gets a new version
in force from the time of the refresh: a new version must start after the current one."""

from __future__ import annotations

from django.db import transaction

from oneseal.core import demo
from oneseal.org.models import Unit
from oneseal.org.selectors import bureau as find_bureau

from . import demo_data
from .demo_data.forms import FORMS
from .domain import records
from .importing import SourceItem, import_items
from .models import Item, ItemVersion
from .online_form import form_definition_save
from .selectors import version_in_force
from .services import draft_create, version_publish


def load_catalog() -> str:
    """Load (or refresh) the demo catalogue; returns the import summary."""
    units = {u.code: u for u in Unit.objects.filter(code__in=demo_data.UNIT_CODES)}
    bureau = find_bureau()
    missing = sorted(set(demo_data.UNIT_CODES) - set(units))
    if bureau is None or missing:
        raise RuntimeError(
            f"事项目录演示数据需要先载入组织机构 / load the org tree first: {missing}")
    sources = []
    existing = set(Item.objects.values_list("implementation_code", flat=True))
    for index, rec in enumerate(demo_data.records(units, bureau)):
        if records.normalise(rec)["implementation_code"] in existing:
            rec.pop("valid_from", None)  # unchanged: nothing happens; changed: from now on
        label = f"演示事项 {index + 1}：{rec['name']}"
        sources.append(SourceItem(rec, label, lambda path, label=label: f"{label} {path}"))
    report = import_items(actor=None, sources=sources, file_name="demo")
    if report.errors:
        raise RuntimeError("\n".join(str(e) for e in report.errors))
    return report.summary()


@demo.register("catalog", order=300)
def load(ctx: demo.DemoContext) -> None:
    ctx.log("事项目录 / catalogue: " + load_catalog())


def load_forms() -> int:
    """Give the demo items their online forms (`demo_data/forms.py`): an item whose version in
    force has none gets a new version with them, in force from now (a published version never
    changes). Returns how many items got one; a second run finds them and does nothing."""
    done = 0
    for version in ItemVersion.objects.filter(name__in=list(FORMS), status="published"):
        current = version_in_force(version.item_id)
        if current is None or current.pk != version.pk or current.form_fields.exists():
            continue
        spec = FORMS[version.name]
        with transaction.atomic():
            draft = draft_create(actor=None, item=version.item)
            form_definition_save(actor=None, version=draft, fields=spec["fields"],
                                 questions=spec["questions"])
            version_publish(actor=None, version=draft)
        done += 1
    return done


@demo.register("catalog-forms", order=310)
def load_online_forms(ctx: demo.DemoContext) -> None:
    ctx.log(f"网上申请表 / online forms: {load_forms()}")
