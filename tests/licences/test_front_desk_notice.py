"""The front desk's 下载打印 link for the 受理通知书 (issue 12, "Pages that mislead"): it
served the unsigned PDF. After accepting, the notice box offers the sealed copy once the
acceptance seal (受理专用章) is on it, and until then says plainly that it waits for the
seal — it never offers the unsigned draft for printing."""

from __future__ import annotations

import re

import pytest
import time_machine

from oneseal.licences.signing import authorise_document, sign_pending
from oneseal.seal.sign import verify_pdf
from tests.cases.helpers import submit
from tests.cases.test_pages_flow import act, check_all
from tests.login_helpers import log_in

from .conftest import at


@pytest.fixture
def accepted_at_the_desk(client, cast, catalogue, person):
    """The clerk accepts a case at the front desk on 2026-09-01 (行政许可法 第32条):
    (case, notice, the page the acceptance redirected to)."""
    with time_machine.travel(at("2026-09-01"), tick=False):
        case = submit(cast, catalogue.bureau_item, person)
        log_in(client, cast["clerk"])
        response = act(client, case, "check_materials", check_all(case, then="accept"))
        notice = case.documents.get(kind="acceptance_notice")
        yield case, notice, response["Location"]


def _notice_box(html: str) -> str:
    return html.split('class="notice notice--success doc-notice"', 1)[1].split("</div>", 1)[0]


def test_article_32_notice_waiting_for_the_seal_is_said_plainly_and_not_offered(
        client, accepted_at_the_desk):
    _case, notice, location = accepted_at_the_desk
    box = _notice_box(client.get(location).content.decode())
    assert "已出具《受理通知书》" in box
    assert "《受理通知书》正在等待加盖电子印章，盖章后方可打印交付" in box
    assert "下载打印" not in box
    assert f"/documents/{notice.pk}/" not in box  # neither the draft nor a signed copy


def test_article_32_sealed_notice_is_the_copy_offered_for_printing(
        client, cast, seals, accepted_at_the_desk):
    case, notice, location = accepted_at_the_desk
    with time_machine.travel(at("2026-09-01", 11), tick=False):
        authorise_document(actor=cast["head"], document=notice)
        sign_pending(case)
    box = _notice_box(client.get(location).content.decode())
    links = re.findall(r'href="([^"]+)"', box)
    assert links == [f"/workbench/cases/{case.pk}/documents/{notice.pk}/signed/"]
    assert "下载打印《受理通知书》（PDF）" in box and "已加盖电子印章" in box
    pdf = client.get(links[0])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    result = verify_pdf(pdf.content)
    assert result.valid_overall and result.seal_code == seals["acceptance"].code
