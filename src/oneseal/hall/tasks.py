"""Periodic jobs of the hall (`config/schedule.py`): no-shows of appointments whose slot
ended without check-in, and tomorrow's reminders. Thin and idempotent."""

from __future__ import annotations

from django_tasks import task

from .services.appointments import mark_no_shows, remind_tomorrow


@task()
def mark_appointment_no_shows() -> dict[str, int]:
    return {"no_shows": mark_no_shows()}


@task()
def remind_appointments() -> dict[str, int]:
    return {"reminded": remind_tomorrow()}
