"""The outbox's part of the demo (`oneseal load-demo`): the demo cases' events wrote their
notifications as they were loaded; deliver them now (SMS to the demo's file backend, the
message box), so that `applicant` and `company` find messages in 消息中心 without waiting
for the worker. Idempotent: a second run finds nothing due."""

from __future__ import annotations

from oneseal.accounts.models import User
from oneseal.core import demo

from .selectors import unread_count
from .services import deliver_due


@demo.register("notifications", order=800)
def load(ctx: demo.DemoContext) -> None:
    counts: dict[str, int] = {}
    while True:  # in batches, until nothing is due
        done = deliver_due()
        if not done:
            break
        for state, n in done.items():
            counts[state] = counts.get(state, 0) + n
        if set(done) <= {"pending", "failed"}:
            break  # a channel is down: the worker retries later
    boxes = {u.username: unread_count(u)
             for u in User.objects.filter(username__in=["applicant", "company"])}
    ctx.log("消息通知 / notifications: " + "，".join(
        f"{name} {n} 条未读" for name, n in sorted(boxes.items())) + f"（{counts}）")
