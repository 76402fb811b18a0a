"""The archive pages: every refused role on every page (anonymous to the login page, the
others 403, nothing written), the index's search and masking, the fixity button, holds,
transfer lists with their exports and receipt, destruction lists, the backup alert."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io

import pytest
from django.urls import reverse

from oneseal.archives import appraisal, services
from oneseal.archives.models import (
    ArchivePackage,
    BackupRecord,
    DestructionList,
    PackageState,
    RetentionRule,
    TransferList,
)
from oneseal.archives.storage import package_dir
from oneseal.core.models import AuditEvent
from tests.login_helpers import log_in

from .conftest import withdrawn_case

pytestmark = pytest.mark.django_db

VIEWERS = {"head", "chief", "supervisor", "sysadmin"}
BACKUP_VIEWERS = {"supervisor", "sysadmin"}
EVERYONE = ["applicant", "company", "clerk", "reviewer", "chief", "head", "dept", "supervisor",
            "catalog_admin", "sysadmin", "helper", "outsider"]


@pytest.fixture
def package(cast, catalogue, person, media):
    return services.build_package(withdrawn_case(cast, catalogue, person).pk)


@pytest.fixture
def transfer(cast, package):
    return appraisal.create_transfer(actor=cast["sysadmin"], year=package.year)


def _pages(package, transfer):
    return {
        "index": (reverse("archives_workbench:index"), VIEWERS),
        "detail": (reverse("archives_workbench:detail", args=[package.pk]), VIEWERS),
        "transfers": (reverse("archives_workbench:transfers"), VIEWERS),
        "transfer": (reverse("archives_workbench:transfer", args=[transfer.pk]), VIEWERS),
        "export": (reverse("archives_workbench:transfer_export", args=[transfer.pk, "csv"]),
                   VIEWERS),
        "destructions": (reverse("archives_workbench:destructions"), VIEWERS),
        "backups": (reverse("archives_workbench:backups"), BACKUP_VIEWERS),
    }


def test_every_page_refuses_anonymous_and_every_role_without_access(client, cast, package,
                                                                    transfer):
    for name, (url, allowed) in _pages(package, transfer).items():
        client.logout()
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], name
        for who in EVERYONE:
            log_in(client, cast[who])
            status = client.get(url).status_code
            assert status == (200 if who in allowed else 403), (name, who, status)


def test_posts_are_refused_to_roles_without_access_and_change_nothing(client, cast, package,
                                                                      transfer):
    seq = AuditEvent.objects.order_by("-seq").first().seq
    posts = [
        (reverse("archives_workbench:verify", args=[package.pk]), {}, VIEWERS),
        (reverse("archives_workbench:hold", args=[package.pk]), {"reason": "诉讼"},
         {"head", "sysadmin"}),
        (reverse("archives_workbench:transfers"), {"year": package.year}, {"head", "sysadmin"}),
        (reverse("archives_workbench:transfer", args=[transfer.pk]),
         {"office": "区档案馆", "received_by": "王五"}, {"head", "sysadmin"}),
        (reverse("archives_workbench:destructions"), {"reason": "期满", "packages": [package.pk]},
         {"sysadmin"}),
    ]
    for url, data, allowed in posts:
        for who in EVERYONE:
            if who in allowed:
                continue
            log_in(client, cast[who])
            assert client.post(url, data).status_code == 403, (url, who)
    assert AuditEvent.objects.order_by("-seq").first().seq == seq
    package.refresh_from_db()
    assert not package.hold and package.last_verified_at is None
    assert TransferList.objects.get().received_at is None
    assert not DestructionList.objects.exists()


def test_index_searches_by_case_applicant_item_year_retention_and_masks_persons(
        client, cast, catalogue, person, company, media):
    mine = services.build_package(withdrawn_case(cast, catalogue, person).pk)
    theirs = services.build_package(withdrawn_case(cast, catalogue, company).pk)
    log_in(client, cast["supervisor"])
    url = reverse("archives_workbench:index")
    page = client.get(url).content.decode()
    assert mine.archive_number in page and theirs.archive_number in page
    assert person.name not in page  # a person's name is masked in the list ...
    assert person.name[0] + "*" in page
    assert company.name in page  # ... an organisation's is public
    assert theirs.archive_number not in client.get(url, {"q": mine.case_number}).content.decode()
    hit = client.get(url, {"q": company.name}).content.decode()
    assert theirs.archive_number in hit and mine.archive_number not in hit
    assert mine.archive_number in client.get(url, {"item": mine.item_name[:2]}) \
        .content.decode()
    assert "没有符合条件的档案" in client.get(url, {"year": 1999}).content.decode()
    assert "没有符合条件的档案" in client.get(url, {"retention": "permanent"}).content.decode()
    assert mine.archive_number in client.get(url, {"retention": "10y", "year": mine.year}) \
        .content.decode()


def test_index_is_paginated_by_25(client, cast, catalogue, person, media):
    case = withdrawn_case(cast, catalogue, person, with_file=False)
    template = ArchivePackage.objects.get(pk=services.build_package(case.pk).pk)
    for n in range(2, 28):  # rows only: the page reads the index, not the bags
        template.pk = None
        template.case = withdrawn_case(cast, catalogue, person, with_file=False)
        template.archive_number, template.sequence = f"X001-2026-D10-T-{n:04d}", n
        template.save()
    log_in(client, cast["head"])
    first = client.get(reverse("archives_workbench:index")).content.decode()
    assert first.count('href="/workbench/archives/') - first.count("transfers/") \
        - first.count("destructions/") >= 25
    assert "第 1 / 2 页，共 27 条" in first
    second = client.get(reverse("archives_workbench:index"), {"page": 2}).content.decode()
    assert "第 2 / 2 页" in second


def test_fixity_button_names_the_changed_file(client, cast, package):
    log_in(client, cast["chief"])
    url = reverse("archives_workbench:verify", args=[package.pk])
    ok = client.post(url).content.decode()
    assert "全部完好" in ok
    target = package_dir(package.path) / "data" / "metadata.json"
    (target.parent).chmod(0o700)
    target.chmod(0o600)
    target.write_bytes(b"{}")
    bad = client.post(url).content.decode()
    assert "被改动" in bad and "data/metadata.json" in bad
    package.refresh_from_db()
    assert package.last_verify_ok is False


def test_transfer_list_exports_csv_with_its_recorded_checksum_and_records_receipt(
        client, cast, package, transfer):
    log_in(client, cast["sysadmin"])
    response = client.get(reverse("archives_workbench:transfer_export",
                                  args=[transfer.pk, "csv"]))
    body = response.content
    assert hashlib.sha256(body).hexdigest() == transfer.csv_sha256 == \
        response["X-Content-SHA256"]
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][1] == "档号" and rows[1][1] == package.archive_number
    assert rows[1][10] == package.bag_sha256
    xlsx = client.get(reverse("archives_workbench:transfer_export", args=[transfer.pk, "xlsx"]))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    client.post(reverse("archives_workbench:transfer", args=[transfer.pk]),
                {"office": "西山区档案馆", "received_by": "王五", "note": "电子档案 1 件"})
    transfer.refresh_from_db()
    package.refresh_from_db()
    assert transfer.received_by_name == "王五" and package.state == PackageState.TRANSFERRED
    assert AuditEvent.objects.filter(kind="archive.transfer_received").count() == 1


def test_backup_page_alerts_when_the_last_good_backup_is_too_old(client, cast):
    from django.utils import timezone

    log_in(client, cast["supervisor"])
    url = reverse("archives_workbench:backups")
    assert "尚无成功的备份" in client.get(url).content.decode()
    now = timezone.now()
    BackupRecord.objects.create(started_at=now - dt.timedelta(hours=50), ok=True,
                                finished_at=now - dt.timedelta(hours=50), path="/b/old")
    assert "超过 36 小时" in client.get(url).content.decode()
    BackupRecord.objects.create(started_at=now - dt.timedelta(hours=2), ok=True,
                                finished_at=now - dt.timedelta(hours=2), path="/b/new")
    page = client.get(url).content.decode()
    assert "备份正常" in page and "/b/new" in page


def test_retention_page_sets_a_rule_with_its_basis_and_refuses_other_roles(
        client, cast, catalogue, person, media):
    url = reverse("archives_workbench:retention")
    client.logout()
    assert client.get(url).status_code == 302
    for who in EVERYONE:
        log_in(client, cast[who])
        allowed = who in ("catalog_admin", "sysadmin")
        assert client.get(url).status_code == (200 if allowed else 403), who
        if not allowed:
            assert client.post(url, {"item": catalogue.bureau_item.pk, "result": "granted",
                                     "retention": "permanent", "basis": "x"}).status_code == 403
    assert not RetentionRule.objects.exists()
    log_in(client, cast["catalog_admin"])
    page = client.post(url, {"item": catalogue.bureau_item.pk, "result": "withdrawn",
                             "retention": "permanent", "basis": " "})
    assert page.status_code == 200 and not RetentionRule.objects.exists()  # basis required
    client.post(url, {"item": catalogue.bureau_item.pk, "result": "withdrawn",
                      "retention": "permanent", "basis": "本局档案分类方案第3条"})
    rule = RetentionRule.objects.get()
    assert (rule.retention, rule.basis) == ("permanent", "本局档案分类方案第3条")
    assert AuditEvent.objects.filter(kind="archive.retention_rule").count() == 1
    package = services.build_package(withdrawn_case(cast, catalogue, person).pk)
    assert package.retention == "permanent" and package.archive_number.split("-")[2] == "Y"


def test_destruction_page_two_approvals_through_the_page_and_refusals(client, cast, package):
    listed = appraisal.propose_destruction(actor=cast["sysadmin"], reason="期满",
                                           package_ids=[package.pk],
                                           today=dt.date(package.year + 11, 1, 1))
    url = reverse("archives_workbench:destruction", args=[listed.pk])
    client.logout()
    assert client.get(url).status_code == 302
    for who in EVERYONE:
        log_in(client, cast[who])
        assert client.get(url).status_code == (200 if who in VIEWERS else 403), who
        if who not in ("head", "sysadmin"):
            assert client.post(url, {"action": "approve", "as_role": "head"}).status_code == 403
    assert not listed.approvals.exists()
    log_in(client, cast["head"])
    client.post(url, {"action": "approve", "as_role": "head"})
    assert client.post(url, {"action": "execute"}).status_code == 403  # head cannot execute
    log_in(client, cast["sysadmin"])
    page = client.get(url).content.decode()
    assert "同意销毁" in page
    client.post(url, {"action": "approve", "as_role": "sysadmin"})
    listed.refresh_from_db()
    assert listed.state == "approved" and listed.approvals.count() == 2
    # executed only once retention has ended on the real date: today it has not
    page = client.post(url, {"action": "execute"}, follow=True).content.decode()
    assert "保管期限未满" in page
    package.refresh_from_db()
    assert package.state == PackageState.ARCHIVED and package_dir(package.path).is_dir()
