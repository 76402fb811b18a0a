"""证照核验 in a real browser (Debian's chromium): a citizen uploads the licence PDF the
bureau signed and reads the verdict; then uploads a copy changed after signing; then opens
the licence's QR link. Screenshots go to /tmp/oneseal-pages-shots/."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from oneseal.licences.models import LicenceType
from oneseal.licences.signing import sign_pending
from oneseal.seal.services import signed_pdf
from tests.cases import conftest as case_fixtures
from tests.licences.conftest import granted
from tests.seal.helpers import append_page_content

pytestmark = pytest.mark.browser

SHOTS = Path(tempfile.gettempdir()) / "oneseal-pages-shots"
org, bureau, department, catalogue, person = (
    case_fixtures.org, case_fixtures.bureau, case_fixtures.department,
    case_fixtures.catalogue, case_fixtures.person)


def test_a_citizen_verifies_a_signed_licence_and_a_changed_copy(page, live_server, cast,
                                                                catalogue, person, seals,
                                                                tmp_path):
    LicenceType.objects.create(code="11100000000000042", name="排污许可证",
                               item=catalogue.bureau_item, defining_authority="生态环境部",
                               validity_months=36, scope_label="许可范围")
    case = granted(cast, catalogue, person)
    sign_pending(case)
    licence = case.licences.get()
    pdf = signed_pdf(licence.seal_use)
    good = tmp_path / "许可证.pdf"
    good.write_bytes(pdf)
    changed = tmp_path / "改过的许可证.pdf"
    changed.write_bytes(append_page_content(pdf))
    SHOTS.mkdir(parents=True, exist_ok=True)

    page.goto(f"{live_server.url}/verify/")
    page.set_input_files("input[type=file]", str(good))
    page.get_by_role("button", name="核验").click()
    verdict = page.locator(".verify-result")
    assert verdict.get_attribute("data-valid") == "true"
    assert "核验通过" in verdict.locator("h2").inner_text()
    assert licence.identifier in verdict.inner_text()
    page.screenshot(path=str(SHOTS / "verify-good.png"), full_page=True)

    page.set_input_files("input[type=file]", str(changed))
    page.get_by_role("button", name="核验").click()
    verdict = page.locator(".verify-result")
    assert verdict.get_attribute("data-valid") == "false"
    assert "✘ 签署后未被改动或追加内容" in verdict.inner_text()
    page.screenshot(path=str(SHOTS / "verify-changed.png"), full_page=True)

    page.goto(f"{live_server.url}/verify/l/{licence.identifier}/")
    assert "有效" in page.locator(".verify-licence").inner_text()
    assert licence.holder_id not in page.content()
    page.screenshot(path=str(SHOTS / "verify-qr.png"), full_page=True)
