"""Site visits (现场勘察, 行政许可法 第34条: two or more staff) with content-checked photos and a
signed record; forwarding upward (审核转报, 第43条: the lower agency reviews within 20 working
days of acceptance and forwards all the materials directly) with a zip package, its manifest
and SHA-256, the receipt and the upper decision."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from oneseal.catalog.models import ItemVersion
from oneseal.coordination import forwarding, visits
from oneseal.coordination.common import Forbidden, Refused
from oneseal.coordination.domain.clocks import forward_due
from oneseal.core.audit_verify import verify_chain
from oneseal.core.models import AuditEvent
from oneseal.core.workcalendar.selectors import get_work_calendar
from tests.cases.conftest import at
from tests.cases.helpers import accepted
from tests.cases.test_uploads import make_pdf, make_png

D = dt.date.fromisoformat


@pytest.fixture
def case(cast, catalogue, person):
    return accepted(cast, catalogue.bureau_item, person)


def test_visit_needs_two_staff_art_34(cast, case):
    with pytest.raises(Refused) as err:
        visits.schedule_visit(actor=cast["chief"], case_id=case.pk, scheduled_on=D("2026-09-03"),
                              place="西山区某厂区", staff_ids=[cast["reviewer"].pk])
    assert err.value.code == "site_staff_required"
    with pytest.raises(Refused):  # a department officer is not the bureau's staff
        visits.schedule_visit(actor=cast["chief"], case_id=case.pk, scheduled_on=D("2026-09-03"),
                              place="厂区", staff_ids=[cast["reviewer"].pk, cast["dept"].pk])
    visit = visits.schedule_visit(actor=cast["chief"], case_id=case.pk,
                                  scheduled_on=D("2026-09-03"), place="厂区",
                                  staff_ids=[cast["reviewer"].pk, cast["chief"].pk])
    assert visit.staff.count() == 2 and not visit.contracted


def test_contracted_provider_is_named_and_marked(cast, case):
    with pytest.raises(Refused):
        visits.schedule_visit(actor=cast["chief"], case_id=case.pk, scheduled_on=D("2026-09-03"),
                              place="厂区", staff_ids=[cast["reviewer"].pk, cast["chief"].pk],
                              contracted=True)
    visit = visits.schedule_visit(actor=cast["chief"], case_id=case.pk,
                                  scheduled_on=D("2026-09-03"), place="厂区",
                                  staff_ids=[cast["reviewer"].pk, cast["chief"].pk],
                                  contracted=True, provider_name="云南某测绘公司")
    assert visit.contracted and visit.provider_name == "云南某测绘公司"


def test_photos_checked_by_content_and_record_signed(cast, case):
    visit = visits.schedule_visit(actor=cast["chief"], case_id=case.pk,
                                  scheduled_on=D("2026-09-03"), place="厂区",
                                  staff_ids=[cast["reviewer"].pk, cast["chief"].pk])
    with pytest.raises(Refused) as err:  # a PDF is no photo
        visits.add_photo(actor=cast["reviewer"], visit_id=visit.pk,
                         upload=SimpleUploadedFile("p.jpg", make_pdf()))
    assert err.value.code == "not_a_photo"
    with pytest.raises(Refused) as err:  # text named .png
        visits.add_photo(actor=cast["reviewer"], visit_id=visit.pk,
                         upload=SimpleUploadedFile("p.png", b"not an image at all"))
    assert err.value.code == "upload_rejected"
    visits.add_photo(actor=cast["reviewer"], visit_id=visit.pk,
                     upload=SimpleUploadedFile("治污设施.png", make_png()), caption="治污设施")
    with pytest.raises(Forbidden):  # only a member of the visit signs
        visits.sign_record(actor=cast["head"], visit_id=visit.pk, findings="x",
                           at=at("2026-09-03", 16))
    with pytest.raises(Refused):  # not before the visit
        visits.sign_record(actor=cast["reviewer"], visit_id=visit.pk, findings="x",
                           at=at("2026-09-02", 16))
    visit = visits.sign_record(actor=cast["reviewer"], visit_id=visit.pk,
                               findings="治污设施与申报一致。", at=at("2026-09-03", 16))
    data = visit.record_pdf.read()
    assert data.startswith(b"%PDF-")
    assert hashlib.sha256(data).hexdigest() == visit.record_sha256
    event = AuditEvent.objects.filter(kind="coordination.visit_signed").get()
    assert event.payload["sha256"] == visit.record_sha256 and event.payload["photos"] == 1
    with pytest.raises(Refused):
        visits.add_photo(actor=cast["reviewer"], visit_id=visit.pk,
                         upload=SimpleUploadedFile("b.png", make_png()))
    assert verify_chain().ok


@pytest.mark.parametrize("name", ["dept", "clerk", "supervisor", "applicant", "outsider",
                                  "helper", "sysadmin"])
def test_visit_refused_roles(cast, case, name):
    with pytest.raises(Forbidden):
        visits.schedule_visit(actor=cast[name], case_id=case.pk, scheduled_on=D("2026-09-03"),
                              place="厂区", staff_ids=[cast["reviewer"].pk, cast["chief"].pk])


def test_forward_review_due_20_working_days_over_mid_autumn_art_43(db):
    # from 2026-09-01: Sunday 09-20 is a 调休 working day, 09-25..27 中秋 not counted
    assert forward_due(get_work_calendar(), D("2026-09-01")) == D("2026-09-29")
    # from 2026-09-28: 09-29, 09-30 (2); 国庆 10-01..07 not counted; 10-08, 10-09 (4);
    # Saturday 10-10 a 调休 working day (5); then 15 weekdays 10-12 .. 10-30 (20)
    assert forward_due(get_work_calendar(), D("2026-09-28")) == D("2026-10-30")


@pytest.fixture
def forward_case(cast, catalogue, case):
    ItemVersion.objects.filter(item=catalogue.bureau_item).update(item_type="review_forward")
    case.refresh_from_db()
    return case


def test_forwarding_package_receipt_and_upper_decision_art_43(cast, catalogue, case,
                                                               forward_case):
    with pytest.raises(Refused):
        forwarding.start(actor=cast["chief"], case_id=case.pk)  # upper authority missing
    row = forwarding.start(actor=cast["chief"], case_id=case.pk,
                           upper_authority="昆明市生态环境局")
    assert row.review_due == D("2026-09-29")
    assert forwarding.light(row, D("2026-09-30")) == "red"
    assert forwarding.light(row, D("2026-09-10")) == "green"
    with pytest.raises(Refused):
        forwarding.record_receipt(actor=cast["chief"], forwarding_id=row.pk,
                                  receipt_number="R1", received_on=D("2026-09-20"))
    row = forwarding.forward(actor=cast["chief"], forwarding_id=row.pk,
                             opinion="经初审，材料齐全，符合条件。", at=at("2026-09-15"))
    assert forwarding.light(row, D("2026-10-30")) == "green"  # forwarded in time
    data = row.package.read()
    assert hashlib.sha256(data).hexdigest() == row.package_sha256
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        manifest = json.loads(z.read("manifest.json"))
        for entry in manifest["files"]:
            assert hashlib.sha256(z.read(entry["path"])).hexdigest() == entry["sha256"]
        assert json.loads(z.read("case.json"))["review_opinion"].startswith("经初审")
        assert any(e["path"].startswith("documents/") for e in manifest["files"])
    assert AuditEvent.objects.get(kind="coordination.forward").payload["sha256"] \
        == row.package_sha256
    row = forwarding.record_receipt(actor=cast["chief"], forwarding_id=row.pk,
                                    receipt_number="昆环收〔2026〕88号",
                                    received_on=D("2026-09-16"))
    with pytest.raises(Refused):
        forwarding.record_upper_decision(actor=cast["chief"], forwarding_id=row.pk,
                                         outcome="granted", document="x",
                                         decided_on=D("2026-09-10"))
    row = forwarding.record_upper_decision(actor=cast["chief"], forwarding_id=row.pk,
                                           outcome="granted", document="昆环审〔2026〕12号",
                                           decided_on=D("2026-10-09"))
    assert row.state == "decided"
    assert verify_chain().ok


def test_forwarding_only_for_review_forward_items(cast, case):
    with pytest.raises(Refused) as err:
        forwarding.start(actor=cast["chief"], case_id=case.pk, upper_authority="市局")
    assert err.value.code == "not_forwarded_item"


@pytest.mark.parametrize("name", ["dept", "reviewer", "clerk", "supervisor", "applicant",
                                  "outsider"])
def test_forwarding_refused_roles(cast, forward_case, name):
    with pytest.raises(Forbidden):
        forwarding.start(actor=cast[name], case_id=forward_case.pk, upper_authority="市局")
