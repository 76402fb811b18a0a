"""The audit chain in Django's admin: readable by a superuser, never addable, changeable or
deletable; closed to every member of the cast (none is admin staff)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.login_helpers import log_in

from .audit_helpers import fill, snapshot

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:core_auditevent_changelist")


@pytest.fixture
def superuser(cast):
    """The system administrator made a superuser (the admin site needs a verified TOTP)."""
    user = cast["sysadmin"]
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    return user


def test_superuser_reads_events_but_cannot_add_change_or_delete(client, superuser):
    events = fill(3)
    before = snapshot()
    log_in(client, superuser)
    listing = client.get(CHANGELIST)
    assert listing.status_code == 200
    assert "case:2" in listing.content.decode()
    change = reverse("admin:core_auditevent_change", args=[events[1].pk])
    assert client.get(change).status_code == 200  # a read-only view
    assert client.post(change, {"kind": "x", "subject": "y"}).status_code == 403
    assert client.get(reverse("admin:core_auditevent_add")).status_code == 403
    delete = reverse("admin:core_auditevent_delete", args=[events[1].pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert client.post(CHANGELIST, {"action": "delete_selected",
                                    "_selected_action": [events[0].pk]}).status_code != 302
    assert snapshot() == before


def test_every_member_of_the_cast_is_refused(client, cast):
    fill(1)
    for name, person in cast.items():
        log_in(client, person)
        response = client.get(CHANGELIST)
        assert response.status_code == 302, name
        assert reverse("admin:login") in response["Location"], name
        client.logout()
