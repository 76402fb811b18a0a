"""Building the archival package of a closed case (归档, 国务院令第716号 第12条) and checking
its fixity; the package is written once, read-only, and names every damaged file."""

from __future__ import annotations

import json
import stat

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from oneseal.archives import services
from oneseal.archives.domain.bagit import validate_bag
from oneseal.archives.errors import ArchiveError
from oneseal.archives.models import ArchivePackage, RetentionRule
from oneseal.archives.storage import package_dir
from oneseal.cases.models import CaseFile
from oneseal.core.audit_verify import verify_chain
from oneseal.core.models import AuditEvent
from oneseal.seal.models import SealUse
from oneseal.seal.storage import read_signed
from tests.cases.helpers import submit

from .conftest import delivered_case, withdrawn_case

pytestmark = pytest.mark.django_db


def _payload(package: ArchivePackage) -> dict[str, bytes]:
    root = package_dir(package.path) / "data"
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*")
            if p.is_file()}


def test_withdrawn_case_package_holds_its_upload_events_and_audit_rows_art_716_12(
        cast, catalogue, person, media):
    case = withdrawn_case(cast, catalogue, person)
    package = services.build_package(case.pk, actor=None)
    assert package.archive_number == f"X001-2026-D10-{catalogue.bureau_item.basic_code}-0001"
    assert package.retention == "10y" and package.result == "withdrawn"
    files = _payload(package)
    upload = CaseFile.objects.get(case=case)
    material = upload.material
    name = f"materials/{material.sort:02d}-{material.name}/申请表.pdf"
    assert files[name] == upload.file.open("rb").read()
    events = json.loads(files["records/events.json"])
    assert [e["kind"] for e in events][-1] == "withdraw"
    audit = json.loads(files["records/audit-events.json"])
    chain = {e.seq: e.hash for e in AuditEvent.objects.filter(subject=f"case:{case.pk}")
             .exclude(kind="archive.package")}
    assert {e["seq"]: e["hash"] for e in audit} == chain
    meta = json.loads(files["metadata.json"])
    assert meta["档号"] == package.archive_number and meta["全宗号"] == "X001"
    assert meta["保管期限"] == "10年" and meta["办件编号"] == case.number
    case_json = json.loads(files["records/case.json"])
    assert case_json["applicant"]["id_number"] == person.id_number  # the record keeps it
    assert validate_bag(package_dir(package.path), package.bag_sha256).ok
    # recorded in the audit chain, which still verifies
    event = AuditEvent.objects.get(seq=package.audit_seq)
    assert event.kind == "archive.package" and package.archive_number in event.payload_json
    assert verify_chain(jobs=1).ok


def test_package_files_are_read_only_and_the_package_is_built_once(cast, catalogue, person,
                                                                    media):
    case = withdrawn_case(cast, catalogue, person)
    package = services.build_package(case.pk)
    root = package_dir(package.path)
    for path in root.rglob("*"):
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o500 if path.is_dir() else 0o400), (path, oct(mode))
    before = {p: p.stat().st_mtime_ns for p in root.rglob("*")}
    again = services.build_package(case.pk)
    assert again.pk == package.pk and ArchivePackage.objects.count() == 1
    assert {p: p.stat().st_mtime_ns for p in root.rglob("*")} == before
    assert AuditEvent.objects.filter(kind="archive.package").count() == 1


def test_sequence_runs_per_fonds_year_retention_item_and_rules_set_retention(
        cast, catalogue, person, media):
    first = services.build_package(withdrawn_case(cast, catalogue, person, with_file=False).pk)
    RetentionRule.objects.create(item=catalogue.bureau_item, result="withdrawn",
                                 retention="permanent", basis="本局档案分类方案第3条")
    second = services.build_package(
        withdrawn_case(cast, catalogue, person, with_file=False).pk)
    third = services.build_package(withdrawn_case(cast, catalogue, person, with_file=False).pk)
    code = catalogue.bureau_item.basic_code
    assert first.archive_number.endswith(f"-D10-{code}-0001")
    assert second.archive_number.endswith(f"-Y-{code}-0001")
    assert third.archive_number.endswith(f"-Y-{code}-0002")
    assert second.retention_basis == "本局档案分类方案第3条"


def test_open_case_is_not_archived(cast, catalogue, person, media):
    case = submit(cast, catalogue.bureau_item, person)
    with pytest.raises(ArchiveError) as caught:
        services.build_package(case.pk)
    assert caught.value.code == "case_open"
    assert not ArchivePackage.objects.exists()


def test_delivered_case_keeps_its_signed_pdfs_byte_for_byte(cast, catalogue, person, seals,
                                                            media):
    case = delivered_case(cast, catalogue, person)
    package = services.build_package(case.pk)
    assert package.result == "granted" and package.retention == "30y"
    files = _payload(package)
    signed = [u for u in SealUse.objects.filter(case=case, state="signed")]
    assert signed
    stored = {read_signed(u.signed_sha256) for u in signed}
    archived = {data for name, data in files.items()
                if name.startswith(("documents/", "licences/")) and "未签章" not in name}
    assert stored <= archived  # every signed PDF, as signed
    ledger = json.loads(files["records/seal-ledger.json"])
    assert {e["signed_sha256"] for e in ledger if e["state"] == "signed"} == \
        {u.signed_sha256 for u in signed}
    clocks = json.loads(files["records/clocks.json"])
    assert clocks and all(c["explanation"] for c in clocks)
    # the 送达回证 issued at delivery is not sealed: kept as rendered, named so
    assert any("送达回证" in n and "未签章" in n for n in files)


def test_closing_a_case_enqueues_its_package_after_commit(cast, catalogue, person, media,
                                                          django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = withdrawn_case(cast, catalogue, person, with_file=False)
    jobs = DBTaskResult.objects.filter(task_path="oneseal.archives.tasks.build_package")
    assert [j.args_kwargs["args"] for j in jobs] == [[case.pk]]


def test_catch_up_job_archives_every_closed_case_without_a_package(cast, catalogue, person,
                                                                   media):
    from oneseal.archives.tasks import archive_closed_cases

    a = withdrawn_case(cast, catalogue, person, with_file=False)
    b = withdrawn_case(cast, catalogue, person, with_file=False)
    submit(cast, catalogue.bureau_item, person)  # still open
    assert services.closed_without_package() == [a.pk, b.pk]
    assert archive_closed_cases.call() == {"built": 2, "failed": 0}
    assert services.closed_without_package() == []


def test_verify_command_reports_every_missing_changed_and_extra_file(cast, catalogue, person,
                                                                     media, capsys):
    good = services.build_package(withdrawn_case(cast, catalogue, person).pk)
    bad = services.build_package(withdrawn_case(cast, catalogue, person).pk)
    root = package_dir(bad.path)
    (root / "data").chmod(0o700)
    (root / "data" / "records").chmod(0o700)
    (root / "data" / "records" / "events.json").unlink()
    target = root / "data" / "metadata.json"
    target.chmod(0o600)
    target.write_bytes(target.read_bytes() + b" ")
    (root / "data" / "records" / "note.txt").write_text("x")
    with pytest.raises(SystemExit) as exited:
        call_command("archive", "verify", "--all")
    assert exited.value.code == 1
    out = capsys.readouterr().out
    assert f"OK    {good.archive_number}" in out and f"BAD   {bad.archive_number}" in out
    assert "missing: data/records/events.json" in out
    assert "changed: data/metadata.json" in out
    assert "extra: data/records/note.txt" in out
    bad.refresh_from_db()
    assert bad.last_verify_ok is False
    assert AuditEvent.objects.filter(kind="archive.fixity_failed").count() == 1
    call_command("archive", "verify", good.case_number)  # one intact package: exit 0
    assert "checked 1, intact 1, bad 0" in capsys.readouterr().out
