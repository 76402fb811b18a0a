"""The 部门协同 demo's 审核转报 cases (行政许可法 第43条): the demo catalogue's 审核转报 item
(建设项目使用林地) has a case reviewed and forwarded by the head with its package sealed with
the bureau's 受理专用章 and verifiable on the public page, and an older one whose receipt and
upper decision are recorded; a second load changes nothing."""

from __future__ import annotations

import pytest
from django.utils.module_loading import autodiscover_modules

from oneseal.cases.demo import at
from oneseal.catalog.models import TransferMemo
from oneseal.coordination import sealing
from oneseal.coordination.models import Forwarding, ForwardState
from oneseal.core import demo
from oneseal.core.models import AuditEvent
from oneseal.licences.verification import verify_document
from oneseal.seal.models import SealUse

# what the coordination demo stands on; the case demo and the others are not needed
NEEDED = ("workcalendar", "org", "applicants", "catalog", "seal", "coordination-depts")


def _load() -> None:
    autodiscover_modules("demo")
    ctx = demo.DemoContext(write=lambda *_: None)
    for name, loader in demo.registered():
        if name in NEEDED:
            loader(ctx)


@pytest.fixture
def loaded(db, settings, seal_keys):
    settings.ONESEAL_SEAL_DIR = seal_keys
    settings.ONESEAL_SEAL_PASSPHRASE = ""
    _load()


def test_demo_forwarded_case_package_sealed_and_verifies_art_43(loaded):
    rows = {r.state: r for r in Forwarding.objects.select_related("case", "case__version")}
    assert set(rows) == {ForwardState.FORWARDED, ForwardState.DECIDED}
    sent = rows[ForwardState.FORWARDED]
    assert sent.case.version.item_type == "review_forward"
    assert sent.upper_authority == "云南省林业和草原局"
    assert sent.forwarded_on == at("11-25").date() <= sent.review_due  # within 20 working days
    memo = TransferMemo.objects.get(item=sent.case.item)
    assert str(memo.effective_on) == "2021-06-30"
    use = SealUse.objects.get(key=sealing.forwarding_key(sent.pk))
    assert use.state == "signed" and use.seal.kind == sealing.SEAL_KIND
    assert use.authorised_by.username == "head"
    answer = verify_document(sealing.signed_record(use.key))
    assert answer["valid"] and answer["ledger"]["title"].startswith("审核转报材料包")
    done = rows[ForwardState.DECIDED]
    assert done.upper_outcome == "granted" and done.upper_document
    assert done.forwarded_on <= done.received_on <= done.upper_decided_on
    assert SealUse.objects.get(key=sealing.forwarding_key(done.pk)).state == "signed"


def test_demo_forwarding_loaded_twice_changes_nothing(loaded):
    before = (Forwarding.objects.count(), SealUse.objects.count(), AuditEvent.objects.count())
    _load()
    assert (Forwarding.objects.count(), SealUse.objects.count(),
            AuditEvent.objects.count()) == before
