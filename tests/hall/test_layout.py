"""The hall's layout (windows and queue categories) is saved only by a system administrator,
with an audit event; anyone else is refused and nothing changes."""

from __future__ import annotations

import pytest

from oneseal.core.models import AuditEvent
from oneseal.hall.errors import HallError
from oneseal.hall.models import Window, WindowKind
from oneseal.hall.services.setup import layout_save

from .hall_setup import make_hall


def test_sysadmin_saves_a_window_with_its_audit_event(cast):
    hall = make_hall(cast["sysadmin"])
    window = Window(hall=hall["hall"], number="10", kind=WindowKind.DEPARTMENT)
    layout_save(actor=cast["sysadmin"], instance=window)
    assert Window.objects.filter(number="10").exists()
    assert AuditEvent.objects.filter(kind="hall.window", subject=f"window:{window.pk}").exists()


@pytest.mark.parametrize("name", ["clerk", "helper", "head", "catalog_admin", "applicant",
                                  "outsider"])
def test_others_cannot_change_the_layout(cast, name):
    hall = make_hall(cast["sysadmin"])
    window = hall["windows"]["1"]
    window.number = "99"
    with pytest.raises(HallError) as exc:
        layout_save(actor=cast[name], instance=window)
    assert exc.value.code == "not_sysadmin"
    window.refresh_from_db()
    assert window.number == "1"
    assert not Window.objects.filter(number="99").exists()
