"""The cases' gauges on `/metrics` (`oneseal.core.metrics`), read at scrape time:

- `oneseal_cases_open{state}`: the cases still running (not delivered, refused, withdrawn…);
- `oneseal_cases_open_by_light{light}`: those cases by the light of their running clock, the
  promised due date if any, else the statutory one (行政许可法 第42条), as the clock pages
  show it: `red` past the due day, `yellow` when at most one working day remains (the due
  day itself counted, as `light_at` counts it), `green` otherwise, `paused` while a special
  procedure stops the clock (第45条), `unknown` without a due date (not yet accepted, or a
  clock that cannot be computed: `clock_error`).

One grouped query each, on the stored due dates (the services keep them current): no clock
is replayed at scrape time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from oneseal.core.metrics import Sample, register_collector
from oneseal.core.workcalendar.selectors import get_work_calendar

from .domain.states import ACTIVE_STATES
from .models import Case

LIGHTS = ("red", "yellow", "green", "paused", "unknown")


def _yellow_until(today: dt.date) -> dt.date:
    """The last due day that is still yellow today: at most one working day remains."""
    try:
        calendar = get_work_calendar()
        day = today
        for _ in range(30):
            nxt = day + dt.timedelta(days=1)
            if calendar.counted_working_days(today, nxt) > 1:
                return day
            day = nxt
        return day
    except Exception:  # no calendar for the coming days: today only
        return today


def _open_by_state() -> Iterable[Sample]:
    active = [s.value for s in ACTIVE_STATES]
    seen = dict(Case.objects.filter(state__in=active).values_list("state")
                .annotate(n=Count("id")).order_by())
    for state in sorted(active):
        yield "oneseal_cases_open", {"state": state}, float(seen.get(state, 0))


def _open_by_light() -> Iterable[Sample]:
    today = timezone.localdate()
    until = _yellow_until(today)
    running = Q(clock_paused=False)
    counts = (Case.objects.filter(state__in=[s.value for s in ACTIVE_STATES])
              .annotate(running_due=Coalesce("promised_due", "statutory_due"))
              .aggregate(
                  red=Count("id", filter=running & Q(running_due__lt=today)),
                  yellow=Count("id", filter=running & Q(running_due__gte=today,
                                                        running_due__lte=until)),
                  green=Count("id", filter=running & Q(running_due__gt=until)),
                  paused=Count("id", filter=Q(clock_paused=True)),
                  unknown=Count("id", filter=running & Q(running_due__isnull=True))))
    for light in LIGHTS:
        yield "oneseal_cases_open_by_light", {"light": light}, float(counts[light] or 0)


def register() -> None:
    register_collector("oneseal_cases_open", "gauge",
                       "Cases still running, by state.", _open_by_state)
    register_collector("oneseal_cases_open_by_light", "gauge",
                       "Running cases by the light of their running clock.", _open_by_light)
