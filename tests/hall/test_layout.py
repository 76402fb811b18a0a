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


def test_map_picture_judged_by_its_first_bytes_and_size(cast):
    from oneseal.hall.models import Hall
    from oneseal.hall.services.setup import MAP_MAX_BYTES, hall_update, picture_type

    jpeg = b"\xff\xd8\xff\xe0" + b"\x00" * 16
    assert picture_type(jpeg) == "image/jpeg"
    assert picture_type(b"GIF89a") == "" and picture_type(b"\x89PNG") == ""
    make_hall(cast["sysadmin"])
    hall_update(actor=cast["sysadmin"], values={}, hours={}, map_picture=jpeg)
    assert Hall.objects.get().map_content_type == "image/jpeg"
    too_big = b"\x89PNG\r\n\x1a\n" + b"\x00" * MAP_MAX_BYTES
    with pytest.raises(HallError) as exc:
        hall_update(actor=cast["sysadmin"], values={}, hours={}, map_picture=too_big)
    assert exc.value.code == "bad_picture"
    hall = Hall.objects.get()
    assert hall.map_content_type == "image/jpeg" and bytes(hall.map_image) == jpeg
