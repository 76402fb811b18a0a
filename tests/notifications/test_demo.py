"""The outbox's demo loader delivers what the demo cases' events wrote, once."""

from __future__ import annotations

from oneseal.core.demo import DemoContext
from oneseal.notifications import demo
from oneseal.notifications.models import Channel, Delivery, DeliveryState
from oneseal.notifications.selectors import unread_count
from tests.cases.helpers import accepted


def test_demo_loader_fills_the_message_box_once(cast, catalogue, person):
    accepted(cast, catalogue.bureau_item, person)
    lines: list[str] = []
    demo.load(DemoContext(write=lines.append))
    assert unread_count(cast["applicant"]) == 2
    assert not Delivery.objects.filter(state=DeliveryState.PENDING,
                                       channel=Channel.INBOX).exists()
    sent = Delivery.objects.filter(state=DeliveryState.SENT).count()
    demo.load(DemoContext(write=lines.append))
    assert Delivery.objects.filter(state=DeliveryState.SENT).count() == sent
    assert "消息通知" in lines[0]
