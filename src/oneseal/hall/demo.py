"""Demo loader `hall` (order 600, after the cases and ratings): Xishan's service hall —
settings and weekly hours, five queue categories, seven windows by category; `clerk` signed
in to window 1, `helper` to the 帮办 window 6, `market-clerk` to the market department's
window 7; today's tickets in every state (done, no-show, transferred, serving, called,
waiting, a checked-in appointment when the hall is open now); 一次一评 ratings of the
finished visits at windows 1, 6 and 7; appointments of `applicant` and `company` on the next
open days. Idempotent: looks everything up first."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from oneseal.accounts.models import User
from oneseal.core import demo
from oneseal.org.models import Unit

from .errors import HallError
from .models import Appointment, Hall, QueueCategory, Ticket, TicketState, Window, WindowKind
from .selectors import day_hours
from .services import evaluator, queue
from .services.appointments import appointment_book
from .services.setup import hall_update, window_sign_in

T = dt.time
CATEGORIES = (
    ("comprehensive", "A", "综合受理", WindowKind.COMPREHENSIVE, None),
    ("delivery", "B", "统一出件", WindowKind.DELIVERY, None),
    ("consultation", "C", "咨询导办", WindowKind.CONSULTATION, None),
    ("assistance", "D", "帮办代办", WindowKind.ASSISTANCE, None),
    ("market", "E", "市场监管窗口", WindowKind.DEPARTMENT, "dept-market"),
)
WINDOWS = (
    ("1", WindowKind.COMPREHENSIVE, ("comprehensive",)),
    ("2", WindowKind.COMPREHENSIVE, ("comprehensive",)),
    ("3", WindowKind.COMPREHENSIVE, ("comprehensive", "assistance")),
    ("4", WindowKind.DELIVERY, ("delivery",)),
    ("5", WindowKind.CONSULTATION, ("consultation",)),
    ("6", WindowKind.ASSISTANCE, ("assistance",)),
    ("7", WindowKind.DEPARTMENT, ("market",)),
)


def _hall(admin: User) -> Hall:
    hall = Hall.objects.order_by("id").first()
    if hall is not None:
        return hall
    hours: dict[int, Any] = {w: (T(9), T(12), T(13, 30), T(17)) for w in range(5)}
    hours.update({5: None, 6: None})
    return hall_update(actor=admin, values={
        "name": "西山区政务服务大厅", "address": "昆明市西山区前兴路 688 号 1 楼",
        "phone": "0871-68188000", "slot_minutes": 30, "slot_capacity": 4, "noshow_limit": 3,
        "noshow_window_days": 90, "noshow_block_days": 30}, hours=hours)


def _layout(hall: Hall) -> tuple[dict[str, QueueCategory], dict[str, Window]]:
    cats = {}
    for i, (code, letter, name, kind, unit_code) in enumerate(CATEGORIES):
        unit = Unit.objects.filter(code=unit_code).first() if unit_code else None
        cats[code], _created = QueueCategory.objects.get_or_create(
            hall=hall, code=code, defaults={"letter": letter, "name": name, "kind": kind,
                                            "unit": unit, "sort_order": i})
    windows = {}
    for number, kind, served in WINDOWS:
        unit = cats[served[0]].unit
        window, created = Window.objects.get_or_create(
            hall=hall, number=number, defaults={"kind": kind, "unit": unit})
        if created:
            window.categories.add(*(cats[c] for c in served))
        windows[number] = window
    return cats, windows


def _tickets(cats: dict[str, QueueCategory], windows: dict[str, Window],
             staff: dict[str, User]) -> int:
    now = timezone.now()
    since_midnight = (timezone.localtime(now) - timezone.localtime(now).replace(
        hour=0, minute=0, second=0, microsecond=0)).total_seconds() / 60
    span = max(1.0, min(120.0, since_midnight - 1))

    def at(fraction: float) -> dt.datetime:
        return now - dt.timedelta(minutes=span * (1 - fraction))

    clerk, helper, market = staff["clerk"], staff["helper"], staff["market-clerk"]
    take = queue.ticket_take
    a1 = take(category_id=cats["comprehensive"].pk, now=at(0.0))
    a2 = take(category_id=cats["comprehensive"].pk, now=at(0.05))
    c1 = take(category_id=cats["consultation"].pk, now=at(0.1))
    take(category_id=cats["market"].pk, now=at(0.15))
    take(category_id=cats["market"].pk, now=at(0.16))
    w1, w5, w6, w7 = (windows[n].pk for n in ("1", "5", "6", "7"))
    window_sign_in(actor=clerk, window_id=w1, now=at(0.0))
    queue.call_next(actor=clerk, window_id=w1, now=at(0.2))                       # A001
    queue.start_serving(actor=clerk, window_id=w1, ticket_id=a1.pk, now=at(0.22))
    queue.finish(actor=clerk, window_id=w1, ticket_id=a1.pk, now=at(0.35))        # done
    queue.call_next(actor=clerk, window_id=w1, now=at(0.4))                       # A002
    queue.skip(actor=clerk, window_id=w1, ticket_id=a2.pk, now=at(0.45))          # no-show
    window_sign_in(actor=helper, window_id=w5, now=at(0.1))
    queue.call_next(actor=helper, window_id=w5, now=at(0.5))                      # C001, 首问
    queue.transfer(actor=helper, window_id=w5, ticket_id=c1.pk,
                   to_category_id=cats["comprehensive"].pk, now=at(0.6))          # transferred
    window_sign_in(actor=helper, window_id=w6, now=at(0.61))
    d1 = take(category_id=cats["assistance"].pk, now=at(0.62))
    queue.call_next(actor=helper, window_id=w6, now=at(0.63))                     # D001
    queue.start_serving(actor=helper, window_id=w6, ticket_id=d1.pk, now=at(0.64))
    queue.finish(actor=helper, window_id=w6, ticket_id=d1.pk, now=at(0.68))       # done
    nxt = queue.call_next(actor=clerk, window_id=w1, now=at(0.7))                 # C001 again
    if nxt is not None:
        queue.start_serving(actor=clerk, window_id=w1, ticket_id=nxt.pk, now=at(0.72))
    window_sign_in(actor=market, window_id=w7, now=at(0.1))
    e1 = queue.call_next(actor=market, window_id=w7, now=at(0.8))                 # E001
    if e1 is not None:
        queue.start_serving(actor=market, window_id=w7, ticket_id=e1.pk, now=at(0.81))
        queue.finish(actor=market, window_id=w7, ticket_id=e1.pk, now=at(0.88))   # done
    queue.call_next(actor=market, window_id=w7, now=at(0.9))                      # E002 called
    for i, code in enumerate(("comprehensive", "comprehensive", "delivery", "assistance")):
        take(category_id=cats[code].pk, now=at(0.75 + i * 0.05))                  # waiting
    return Ticket.objects.filter(day=timezone.localdate(now)).count()


#: 一次一评 at the evaluator tablets: the level and reasons the demo's visitors chose, by window.
RATINGS = {
    "1": ("satisfied", ["courteous"]),
    "6": ("very_satisfied", ["fast", "one_visit"]),
    "7": ("basic", []),
}


def _ratings(hall: Hall) -> int:
    """Rate today's finished tickets at windows 1, 6 and 7 that nobody rated yet, through the
    evaluator service (its case's window rating through supervision.rate_window_visit),
    recorded by the clerk still signed in to the window; a second load finds them rated."""
    now = timezone.now()
    done = (Ticket.objects.filter(hall=hall, day=timezone.localdate(now), state=TicketState.DONE,
                                  window__number__in=RATINGS, visit_rating__isnull=True,
                                  clerk__isnull=False)
            .select_related("window", "clerk").order_by("id"))
    made = 0
    for ticket in done:
        assert ticket.window is not None and ticket.clerk is not None
        level, reasons = RATINGS[ticket.window.number]
        try:
            evaluator.rate_visit(actor=ticket.clerk, window_id=ticket.window_id,
                                 ticket_id=ticket.pk, level=level, reasons=reasons, now=now)
        except HallError:  # the clerk has left the window since: his visit stays unrated
            continue
        made += 1
    return made


def _appointments(hall: Hall, cats: dict[str, QueueCategory], users: list[User]) -> int:
    now = timezone.now()
    today = timezone.localdate(now)
    made = 0
    open_days = [d for d in (today + dt.timedelta(days=i) for i in range(1, 15))
                 if day_hours(hall, d) is not None][:2]
    for n, user in enumerate(users):
        if Appointment.objects.filter(user=user).exists():
            continue
        for i, day in enumerate(open_days):
            try:
                appointment_book(actor=user, category_id=cats["comprehensive"].pk, day=day,
                                 slot_start=T(9 + n, 30 * (i % 2)), now=now)
                made += 1
            except HallError:
                continue
    # a checked-in appointment today, when the hall is open now with a slot still to come
    hours = day_hours(hall, today)
    applicant = users[0] if users else None
    if hours is not None and applicant is not None and not Appointment.objects.filter(
            user=applicant, day=today).exists():
        local = timezone.localtime(now).time()
        booked = None
        for start, end in _slots(hall, hours):
            if end > local:
                try:
                    booked = appointment_book(
                        actor=applicant, category_id=cats["comprehensive"].pk, day=today,
                        slot_start=start, now=min(now, timezone.make_aware(
                            dt.datetime.combine(today, start)) - dt.timedelta(minutes=1)))
                except HallError:
                    booked = None
                break
        if booked is not None:
            try:
                queue.ticket_take(category_id=None, appointment_code=booked.code, now=now)
                made += 1
            except HallError:
                pass
    return made


def _slots(hall: Hall, hours: Any) -> list[tuple[dt.time, dt.time]]:
    from .domain.hours import slots

    return slots(hours, hall.slot_minutes)


@demo.register("hall", order=600)
def load(ctx: demo.DemoContext) -> None:
    names = ("admin", "clerk", "helper", "market-clerk", "applicant", "company")
    staff = {u.username: u for u in User.objects.filter(username__in=names)}
    if any(n not in staff for n in names):
        ctx.log("政务服务大厅：缺少演示账户，跳过")
        return
    hall = _hall(staff["admin"])
    cats, windows = _layout(hall)
    tickets = Ticket.objects.filter(hall=hall, day=timezone.localdate()).count()
    if tickets == 0:
        tickets = _tickets(cats, windows, staff)
    made = _appointments(hall, cats, [staff["applicant"], staff["company"]])
    rated = _ratings(hall)
    ctx.log(f"政务服务大厅：{len(windows)} 个窗口，今日 {tickets} 个号，新预约 {made} 个，"
            f"新评价 {rated} 个")
