"""Reads of the catalogue: the version in force, search, guides, the transfer rule and the
power and responsibility list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet, Value, Window
from django.db.models.functions import StrIndex
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from oneseal.org.models import Unit, UnitKind

from .domain import search, transfer
from .exceptions import NotCompetentError
from .models import Item, ItemListing, ItemVersion, TransferMemo, Variant, VersionStatus

# --- versions in force -------------------------------------------------------------------


def versions_in_force(on: dt.datetime | None = None) -> QuerySet[ItemVersion]:
    """One row per item: the published version in force at `on` (default now), read from
    the listing periods the publish service keeps (one indexed range test, no subquery)."""
    moment = on or timezone.now()
    return ItemVersion.objects.filter(listing__valid_from__lte=moment).filter(
        Q(listing__valid_until__isnull=True) | Q(listing__valid_until__gt=moment))


def version_in_force(item: Item | int, on: dt.datetime | None = None) -> ItemVersion | None:
    """The version of `item` in force at `on` (default now), or None (not yet published, or
    lapsed). A case binds to the version in force when it was submitted."""
    item_id = item if isinstance(item, int) else item.pk
    moment = on or timezone.now()
    latest = (ItemVersion.objects.filter(item_id=item_id, status=VersionStatus.PUBLISHED,
                                         valid_from__lte=moment)
              .order_by("-valid_from", "-number").select_related("item").first())
    if latest is None or (latest.valid_to is not None and latest.valid_to <= moment):
        return None
    return latest


def effective_until(version: ItemVersion) -> dt.datetime | None:
    """When a published version stops being in force: its own end, or the start of the next
    version, whichever comes first."""
    nxt = (ItemVersion.objects.filter(item_id=version.item_id, status=VersionStatus.PUBLISHED,
                                      valid_from__gt=version.valid_from)
           .order_by("valid_from").values_list("valid_from", flat=True).first())
    ends = [d for d in (version.valid_to, nxt) if d is not None]
    return min(ends) if ends else None


# --- search ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemFilters:
    q: str = ""
    department: int | None = None  # 主管部门
    item_type: str = ""
    street: bool | None = None  # 街道可办
    online_depth: int | None = None  # at least this depth
    in_hall: bool | None = None
    transferred: bool | None = None


# What a list shows of a version (the long texts are left in the database).
LIST_FIELDS = (
    "item_id", "number", "name", "item_type", "competent_department_id",
    "statutory_limit_days", "statutory_limit_unit", "statutory_limit_start", "joint_handling",
    "promised_limit_days", "online_depth", "visits_required",
    "street_available", "fee_free", "in_hall",
    "item__implementation_code", "item__basic_code", "item__implementing_unit_id",
    "competent_department__name", "competent_department__short_name",
    "item__implementing_unit__name", "item__implementing_unit__short_name",
)


class SearchResult:
    """The versions a search found, in list order: `count()`, slicing and iteration (what
    Paginator and the API need). Counting and paging run on the narrow search index; only
    the rows of the page are then read, with their item and units."""

    def __init__(self, listing: QuerySet[ItemListing], *, full_scan: bool = False) -> None:
        self.listing = listing
        self.full_scan = full_scan  # a text query reads every row anyway
        self._count: int | None = None

    def count(self) -> int:
        if self._count is None:
            self._count = self.listing.count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[ItemVersion]:
        if not isinstance(index, slice):
            raise TypeError("SearchResult supports slices only")
        if self.full_scan:
            # The text test reads every row anyway: one scan gives the page and the total
            # (COUNT(*) OVER ()), so the API needs no second query for its count.
            rows = list(self.listing.annotate(total=Window(Count("pk")))
                        .values_list("version_id", "total")[index])
            if rows:
                self._count = rows[0][1]
            ids = [pk for pk, _total in rows]
        else:  # the ordering index serves the page without reading the other rows
            ids = list(self.listing.values_list("version_id", flat=True)[index])
        found = (ItemVersion.objects.select_related(
            "item", "competent_department", "item__implementing_unit")
            .only(*LIST_FIELDS).in_bulk(ids))
        return [found[pk] for pk in ids]

    def __iter__(self) -> Iterator[ItemVersion]:
        return iter(self[0:self.count()])


def search_items(filters: ItemFilters, *, on: dt.datetime | None = None) -> SearchResult:
    """Items in force matching the filters, by department and basic code. The text query is
    a substring of the search key (name, pinyin initials, full pinyin, codes), so 食品,
    食品经营, SPJY and shipin all find 食品经营许可, whatever the query's length: one plain
    substring test (INSTR on SQLite, STRPOS on PostgreSQL) over a small table."""
    moment = on or timezone.now()
    qs = ItemListing.objects.filter(valid_from__lte=moment).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gt=moment))
    needle = search.normalise_query(filters.q)
    if needle:
        qs = qs.alias(hit=StrIndex("search_key", Value(needle))).filter(hit__gt=0)
    if filters.department:
        qs = qs.filter(competent_department_id=filters.department)
    if filters.item_type:
        qs = qs.filter(item_type=filters.item_type)
    if filters.street is not None:
        qs = qs.filter(street_available=filters.street)
    if filters.online_depth:
        qs = qs.filter(online_depth__gte=filters.online_depth)
    if filters.in_hall is not None:
        qs = qs.filter(in_hall=filters.in_hall)
    if filters.transferred is not None:
        qs = qs.filter(transferred=filters.transferred)
    return SearchResult(qs.order_by("competent_department_id", "basic_code", "item_id"),
                        full_scan=bool(needle))


def guide(version: ItemVersion) -> ItemVersion:
    """A version with everything its service guide shows, in a handful of queries."""
    return (ItemVersion.objects.filter(pk=version.pk)
            .select_related("item", "item__implementing_unit", "competent_department",
                            "item__transfer_memo", "item__transfer_memo__from_department",
                            "item__transfer_memo__to_unit")
            .prefetch_related("legal_bases", "special_procedures", "fees", "results", "faqs",
                              Prefetch("variants", Variant.objects.prefetch_related(
                                  "materials", "steps")),
                              "item__transfer_memo__signatories")
            .get())


def published_guide(item_id: int) -> ItemVersion | None:
    version = version_in_force(item_id)
    return guide(version) if version else None


def departments_with_items() -> QuerySet[Unit]:
    ids = versions_in_force().values("competent_department_id")
    return Unit.objects.filter(pk__in=ids).order_by("sort_order", "id")


# --- the transfer rule (行政许可法 第25条) -------------------------------------------------


def legal_body(unit: Unit) -> Unit:
    """The body a unit acts for: a section (内设科室) acts for the bureau above it."""
    current = unit
    seen = set()
    while current.kind == UnitKind.SECTION and current.parent_id and current.pk not in seen:
        seen.add(current.pk)
        current = current.parent  # type: ignore[assignment]
    return current


def _memo(item: Item) -> TransferMemo | None:
    try:
        return item.transfer_memo
    except TransferMemo.DoesNotExist:
        return None


def exercise_decision(unit: Unit, item: Item, on: dt.date) -> transfer.Decision:
    memo = _memo(item)
    rule = (transfer.Transfer(memo.from_department_id, memo.to_unit_id, memo.effective_on)
            if memo else None)
    return transfer.may_exercise(legal_body(unit).pk, item.implementing_unit_id, rule, on)


def implementing_body(item: Item, on: dt.date | None = None) -> Unit:
    """The body that exercises `item` on day `on` (default today), in whose name its cases are
    accepted and decided and under whose seal (行政许可法 第25条): the bureau for a transferred
    item from the memo's effective date, otherwise the item's implementing body — e.g. a
    department that keeps its item in the hall (食品经营许可: 区市场监管局)."""
    memo = _memo(item)
    rule = (transfer.Transfer(memo.from_department_id, memo.to_unit_id, memo.effective_on)
            if memo else None)
    holder = transfer.exercising_body(item.implementing_unit_id, rule,
                                      on or timezone.localdate())
    if holder == item.implementing_unit_id:
        return item.implementing_unit
    return Unit.objects.get(pk=holder)


def units_exercising_own_items(on: dt.date | None = None) -> list[Unit]:
    """The units other than the bureau that exercise items of their own on day `on` (default
    today): the departments (and public service units) whose items stay with them in the
    hall. They accept and decide those items in their own name, under their own seals."""
    day = on or timezone.localdate()
    items = Item.objects.select_related("implementing_unit", "transfer_memo")
    ids = {implementing_body(item, day).pk for item in items}
    return list(Unit.objects.filter(pk__in=ids).exclude(kind=UnitKind.BUREAU)
                .order_by("sort_order", "id"))


def may_exercise(unit: Unit, item: Item, on: dt.date | None = None) -> bool:
    """May `unit` accept or decide `item` on day `on` (default today)? From a transfer's
    effective date only the bureau may; before it, only the department (行政许可法 第25条)."""
    return exercise_decision(unit, item, on or timezone.localdate()).allowed


def refusal_message(unit: Unit, item: Item, on: dt.date | None = None) -> str | None:
    """The Chinese reason why `unit` may not act on `item`, or None when it may."""
    day = on or timezone.localdate()
    decision = exercise_decision(unit, item, day)
    if decision.allowed:
        return None
    memo = _memo(item)
    holder = Unit.objects.get(pk=decision.holder)
    name = (version_in_force(item) or item.versions.order_by("-number").first())
    params = {"unit": legal_body(unit).name, "holder": holder.name,
              "item": name.name if name else item.implementation_code,
              "date": date_format(memo.effective_on) if memo else ""}
    if decision.refusal == transfer.Refusal.TRANSFERRED:
        return _("“%(item)s”已于 %(date)s 划转至%(holder)s，%(unit)s不再行使该项许可权"
                 "（《中华人民共和国行政许可法》第二十五条），请由%(holder)s受理、决定。") % params
    if decision.refusal == transfer.Refusal.NOT_YET_TRANSFERRED:
        return _("“%(item)s”的划转自 %(date)s 起生效，此前仍由%(holder)s实施，"
                 "%(unit)s尚不能受理、决定。") % params
    return _("“%(item)s”由%(holder)s实施，%(unit)s无权受理、决定。") % params


def ensure_may_exercise(unit: Unit, item: Item, on: dt.date | None = None) -> None:
    """Raise NotCompetentError, with the Chinese reason, unless `unit` may act on `item`."""
    message = refusal_message(unit, item, on)
    if message is not None:
        raise NotCompetentError(message)


# --- the power and responsibility list (权责清单) ------------------------------------------


@dataclass
class PowerEntry:
    version: ItemVersion
    memo: TransferMemo | None = None


@dataclass
class PowerList:
    unit: Unit
    on: dt.date
    held: list[PowerEntry] = field(default_factory=list)  # exercised by the unit on `on`
    transferred_out: list[PowerEntry] = field(default_factory=list)  # handed to the bureau
    supervised: list[PowerEntry] = field(default_factory=list)  # competent dept, not holder


def power_list(unit: Unit, on: dt.date | None = None) -> PowerList:
    """A department's 权责清单, generated from the catalogue: the items it holds on `on`, the
    items it transferred (and when), and the items it supervises as competent department."""
    day = on or timezone.localdate()
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time.max))
    result = PowerList(unit=unit, on=day)
    rows = (versions_in_force(moment)
            .filter(Q(item__implementing_unit=unit) | Q(competent_department=unit)
                    | Q(item__transfer_memo__from_department=unit))
            .select_related("item", "competent_department", "item__implementing_unit")
            .order_by("item__basic_code", "item_id"))
    memos = {m.item_id: m for m in TransferMemo.objects.filter(
        item_id__in=[r.item_id for r in rows]).select_related("from_department", "to_unit")}
    for version in rows:
        memo = memos.get(version.item_id)
        entry = PowerEntry(version, memo)
        rule = (transfer.Transfer(memo.from_department_id, memo.to_unit_id, memo.effective_on)
                if memo else None)
        holder = transfer.exercising_body(version.item.implementing_unit_id, rule, day)
        if holder == unit.pk:
            result.held.append(entry)
        elif memo is not None and memo.from_department_id == unit.pk:
            result.transferred_out.append(entry)
        elif version.competent_department_id == unit.pk:
            result.supervised.append(entry)
    return result
