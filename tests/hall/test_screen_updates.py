"""Every write the screens show gives them a new version (ETag) once committed: taking a
ticket, calling, recalling, starting, finishing, skipping, transferring."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from oneseal.hall.models import WindowSignIn
from oneseal.hall.services import queue

from .display_helpers import make_hall

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def hall(cast):
    h = make_hall()
    WindowSignIn.objects.create(window=h["w3"], user=cast["clerk"], started_at=timezone.now())
    return h


def _etag(client, h):
    return client.get(reverse("hall_screen:state", args=[h["hall"].pk]))["ETag"]


def test_each_queue_write_changes_the_screens_etag(client, cast, hall):
    clerk, window = cast["clerk"], hall["w3"].pk
    etags = [_etag(client, hall)]

    def changed():
        etags.append(_etag(client, hall))
        assert etags[-1] != etags[-2]

    first = queue.ticket_take(category_id=hall["a"].pk)
    changed()
    second = queue.ticket_take(category_id=hall["a"].pk)
    changed()
    assert queue.call_next(actor=clerk, window_id=window).pk == first.pk
    changed()
    data = client.get(reverse("hall_screen:state", args=[hall["hall"].pk])).json()
    assert data["current"][0]["text"] == f"请{first.number}号到3号窗口办理"
    queue.recall(actor=clerk, window_id=window, ticket_id=first.pk)
    changed()
    queue.start_serving(actor=clerk, window_id=window, ticket_id=first.pk)
    changed()
    queue.finish(actor=clerk, window_id=window, ticket_id=first.pk)
    changed()
    queue.call_next(actor=clerk, window_id=window)
    changed()
    queue.skip(actor=clerk, window_id=window, ticket_id=second.pk)
    changed()
    assert _etag(client, hall) == etags[-1]  # nothing happened: the same version
