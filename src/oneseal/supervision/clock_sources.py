"""Clocks that other apps own and the alert sweep watches (the registry of clock sources).

Supervision sits below the apps that own some clocks (coordination's claim clock, 部门认领时限):
it must not import them (the layers of docs/adr/0003-layers.md). Such an app registers a
`ClockSource` from its `AppConfig.ready()`; the hourly sweep (`alerts.sweep`) asks every
registered source for its crossings in the same run, the same transaction and under the
same rules as its own clocks (once per clock, due date and colour; the same recipients,
outbox and audit event), and the alert pages ask the source for the page an alert of its
clock opens. Closing the alerts of a clock that ended (a claim made) is
`alerts.close_clock`, which the owning app calls in the transaction that ends the clock.

Why a registry and not the owning app's own sweep writing alerts through a service: one
sweep keeps one `SweepMark` (the first run of a day looks at everything, later runs only at
clocks due from today on), one transaction and one audit event per run, and one place that
decides colours and recipients; a second sweep would duplicate that logic and could race
the first on the same `Alert` table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# (calendar, today, threshold, widest yellow limit, lower bound or None) -> [Crossing]
Finder = Callable[[Any, dt.date, Any, dt.date, "dt.date | None"], list[Any]]


@dataclass(frozen=True)
class ClockSource:
    """A clock kind another app owns: `clock` is its `AlertClock` value, `prefix` the start
    of its alerts' `clock_key` (``claim:`` + the ticket's id), `find` returns the crossings
    not yet alerted (see `alerts.Crossing`), `link` the workbench path an alert opens."""

    clock: str
    prefix: str
    find: Finder
    link: Callable[[str], str]


_SOURCES: dict[str, ClockSource] = {}


def register(source: ClockSource) -> None:
    """Register (or replace, on a second `ready()`) the source of `source.clock`."""
    _SOURCES[source.clock] = source


def sources() -> list[ClockSource]:
    return list(_SOURCES.values())


def link_for(clock: str, clock_key: str) -> str:
    """The page an alert of a registered clock opens, '' for the sweep's own clocks."""
    source = _SOURCES.get(clock)
    if source is None or not clock_key.startswith(source.prefix):
        return ""
    return source.link(clock_key)
