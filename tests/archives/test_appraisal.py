"""Appraisal and destruction (《档案法》第二十八条; 国家档案局令第8号): only packages whose
retention has ended, two named approvers (局长 and the archivist), executed by the system
with a tombstone kept; a package under a hold is never destroyed."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from oneseal.archives import appraisal, services
from oneseal.archives.errors import ArchiveError
from oneseal.archives.models import DestructionState, PackageState
from oneseal.archives.storage import package_dir
from oneseal.core.audit_verify import verify_chain
from oneseal.core.models import AuditEvent

from .conftest import withdrawn_case

pytestmark = pytest.mark.django_db
DUE = dt.date(2037, 1, 1)  # closed in 2026, 10 years: appraisal from 2037-01-01


@pytest.fixture
def package(cast, catalogue, person, media):
    return services.build_package(withdrawn_case(cast, catalogue, person).pk)


def _code(fn, *args, **kwargs) -> str:
    with pytest.raises(ArchiveError) as caught:
        fn(*args, **kwargs)
    return caught.value.code


def test_not_proposed_before_retention_ends_order_8_art_8(cast, package):
    assert appraisal.due_for_destruction(dt.date(2036, 12, 31)) == []
    assert _code(appraisal.propose_destruction, actor=cast["sysadmin"], reason="期满",
                 package_ids=[package.pk], today=dt.date(2036, 12, 31)) == "not_due"
    assert appraisal.due_for_destruction(DUE) == [package]


def test_destruction_needs_two_named_approvers_then_removes_the_files_keeps_tombstone(
        cast, package, django_capture_on_commit_callbacks):
    sysadmin, head = cast["sysadmin"], cast["head"]
    listed = appraisal.propose_destruction(actor=sysadmin, reason="保管期限已满，无继续保存价值。",
                                           package_ids=[package.pk], today=DUE)
    assert _code(appraisal.execute_destruction, actor=sysadmin, destruction=listed,
                 today=DUE) == "not_approved"
    assert _code(appraisal.approve_destruction, actor=cast["supervisor"], destruction=listed,
                 as_role="head") == "forbidden"
    appraisal.approve_destruction(actor=sysadmin, destruction=listed, as_role="sysadmin")
    assert _code(appraisal.approve_destruction, actor=sysadmin, destruction=listed,
                 as_role="head") in ("forbidden", "same_approver")
    listed.refresh_from_db()
    assert listed.state == DestructionState.PROPOSED
    appraisal.approve_destruction(actor=head, destruction=listed, as_role="head")
    listed.refresh_from_db()
    assert listed.state == DestructionState.APPROVED
    root = package_dir(package.path)
    assert _code(appraisal.execute_destruction, actor=sysadmin, destruction=listed,
                 today=dt.date(2036, 12, 31)) == "not_due"  # executed only once due
    with django_capture_on_commit_callbacks(execute=True):
        appraisal.execute_destruction(actor=sysadmin, destruction=listed, today=DUE)
    assert not root.exists()
    package.refresh_from_db()
    assert package.state == PackageState.DESTROYED  # the tombstone
    listed.refresh_from_db()
    assert listed.snapshot[0]["archive_number"] == package.archive_number
    kinds = list(AuditEvent.objects.filter(subject=f"destruction:{listed.pk}")
                 .values_list("kind", flat=True))
    assert kinds == ["archive.destruction_proposed", "archive.destruction_approved",
                     "archive.destruction_approved", "archive.destroyed"]
    assert verify_chain(jobs=1).ok
    assert _code(services.verify_package, package) == "destroyed"


def test_held_package_cannot_be_proposed_approved_or_destroyed(
        cast, package, django_capture_on_commit_callbacks):
    sysadmin, head = cast["sysadmin"], cast["head"]
    services.set_hold(actor=head, package=package, hold=True, reason="行政诉讼")
    assert appraisal.due_for_destruction(DUE) == []
    assert _code(appraisal.propose_destruction, actor=sysadmin, reason="期满",
                 package_ids=[package.pk], today=DUE) == "on_hold"
    services.set_hold(actor=head, package=package, hold=False)
    listed = appraisal.propose_destruction(actor=sysadmin, reason="期满",
                                           package_ids=[package.pk], today=DUE)
    appraisal.approve_destruction(actor=sysadmin, destruction=listed, as_role="sysadmin")
    appraisal.approve_destruction(actor=head, destruction=listed, as_role="head")
    # a hold placed after approval still stops the execution
    services.set_hold(actor=head, package=package, hold=True, reason="行政复议")
    with django_capture_on_commit_callbacks(execute=True):
        assert _code(appraisal.execute_destruction, actor=sysadmin, destruction=listed,
                     today=DUE) == "on_hold"
    package.refresh_from_db()
    assert package.state == PackageState.ARCHIVED
    assert package_dir(package.path).is_dir()
    assert services.check_package(package).ok


def test_hold_needs_a_reason(cast, package):
    assert _code(services.set_hold, actor=cast["head"], package=package, hold=True,
                 reason="  ") == "reason_required"


def test_transfer_list_takes_each_package_once(cast, package):
    first = appraisal.create_transfer(actor=cast["sysadmin"], year=package.year)
    assert list(first.packages.all()) == [package]
    assert _code(appraisal.create_transfer, actor=cast["sysadmin"], year=package.year) == \
        "nothing_to_transfer"
    with time_machine.travel(dt.datetime(2026, 9, 2, 10, tzinfo=dt.UTC)):
        assert first.number.startswith(f"YJ-{package.year}-")
