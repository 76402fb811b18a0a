"""A signed licence on the pages and in the API: the decider (the head) may use the approval
seal, so the licence is sealed; the library page and the holder's page then serve the signed
bytes the seal ledger recorded, and the API reports the seal."""

from __future__ import annotations

import hashlib

import pytest
import time_machine

from oneseal.licences.models import Licence
from oneseal.licences.signing import sign_pending
from tests.login_helpers import log_in

from .conftest import at, granted


@pytest.fixture
def signed(cast, catalogue, person, licence_type, seals):
    with time_machine.travel(at("2026-09-07", 11), tick=False):
        case = granted(cast, catalogue, person)
        sign_pending(case)
    licence = Licence.objects.select_related("seal_use").get(case=case)
    assert licence.seal_use is not None and licence.seal_use.state == "signed"
    return licence


def test_signed_licence_downloads_for_readers_and_the_holder(client, cast, signed):
    with time_machine.travel(at("2026-09-25"), tick=False):
        log_in(client, cast["supervisor"])
        page = client.get(f"/workbench/licences/{signed.pk}/").content.decode()
        assert signed.seal_use.signed_sha256 in page
        response = client.get(f"/workbench/licences/{signed.pk}/pdf/")
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert hashlib.sha256(body).hexdigest() == signed.seal_use.signed_sha256
        log_in(client, cast["applicant"])
        assert client.get(f"/licences/mine/{signed.pk}/pdf/").status_code == 200
        log_in(client, cast["company"])
        assert client.get(f"/licences/mine/{signed.pk}/pdf/").status_code == 404
        log_in(client, cast["outsider"])
        assert client.get(f"/workbench/licences/{signed.pk}/pdf/").status_code == 403


def test_api_reports_the_seal(client, cast, signed):
    with time_machine.travel(at("2026-09-25"), tick=False):
        log_in(client, cast["clerk"])
        seal = client.get(f"/api/v1/licences/{signed.identifier}").json()["seal"]
    assert seal["signed"] is True and seal["signed_sha256"] == signed.seal_use.signed_sha256
