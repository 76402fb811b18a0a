"""Files in S3-compatible object storage (issue 19, "Production at province scale"): with
``ONESEAL_S3_BUCKET`` set, uploads and signed PDFs go to the bucket through django-storages
and every file is read back and served through the permission-checked views.

The S3 endpoint is moto's standalone server on a free loopback port (a real HTTP S3 API,
requests signed by boto3 as for MinIO); django-storages is pointed at it with the very
settings `config/settings.py` builds (`oneseal.config.env.object_storages`). Nothing leaves
the machine.

The signed documents carry the seal's legal force (国务院令第716号 第8–9条), so the tests
check the bytes served are exactly the bytes the seal ledger recorded."""

from __future__ import annotations

import hashlib
import io
import json
import secrets
from pathlib import Path

import boto3
import pytest
import time_machine
from botocore.config import Config
from django.core.files.storage import FileSystemStorage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from moto.server import ThreadedMotoServer

from oneseal.archives.backup import backup, check_backup
from oneseal.archives.domain.bagit import validate_bag
from oneseal.archives.services import build_package
from oneseal.archives.storage import package_dir
from oneseal.cases.models import CaseFile
from oneseal.config.env import object_storages
from oneseal.core.audit_deep import run_deep_checks
from oneseal.licences.models import Licence, LicenceType
from oneseal.licences.signing import sign_pending
from oneseal.seal import services as seal_services
from oneseal.seal.errors import SealRuleViolation
from oneseal.seal.models import SealUse
from oneseal.seal.storage import LocalSignedStorage, read_signed, signed_storage, store_signed
from tests.archives.conftest import withdrawn_case
from tests.cases.helpers import submit
from tests.login_helpers import log_in

from .conftest import at, granted

pytestmark = pytest.mark.django_db

KEY, SECRET, REGION = "oneseal-test", "oneseal-test-secret", "us-east-1"


@pytest.fixture(scope="module")
def endpoint():
    """moto's S3 server on 127.0.0.1 and a port the system chose."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def _client(endpoint: str):
    return boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=KEY,
                        aws_secret_access_key=SECRET, region_name=REGION,
                        config=Config(s3={"addressing_style": "path"}))


@pytest.fixture
def s3(endpoint):
    """A client of the server (to look into the bucket as an operator would)."""
    return _client(endpoint)


def _use_bucket(settings, endpoint: str, s3, *, versioning: bool = True) -> str:
    bucket = f"oneseal-{secrets.token_hex(4)}"
    s3.create_bucket(Bucket=bucket)
    if versioning:
        s3.put_bucket_versioning(Bucket=bucket,
                                 VersioningConfiguration={"Status": "Enabled"})
    settings.STORAGES = {**settings.STORAGES, **object_storages(
        bucket=bucket, endpoint_url=endpoint, access_key=KEY, secret_key=SECRET,
        region=REGION)}
    return bucket


@pytest.fixture
def bucket(settings, endpoint, s3, tmp_path) -> str:
    """A fresh versioned bucket, and the storages pointed at it (the local disk elsewhere:
    MEDIA_ROOT in a folder of its own, to show nothing lands there)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return _use_bucket(settings, endpoint, s3)


def _keys(s3, bucket: str, prefix: str = "") -> list[str]:
    listed = s3.list_objects_v2(Bucket=bucket, Prefix=prefix).get("Contents", [])
    return sorted(obj["Key"] for obj in listed)


def _object(s3, bucket: str, key: str) -> bytes:
    return s3.get_object(Bucket=bucket, Key=key)["Body"].read()


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _pdf() -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.drawString(72, 720, "site plan")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _local_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def long_type(catalogue) -> LicenceType:
    return LicenceType.objects.create(
        code="11100000000000042", name="排污许可证", item=catalogue.bureau_item,
        defining_authority="生态环境部", validity_months=36, scope_label="许可范围")


@pytest.fixture
def signed_case(cast, catalogue, person, long_type, seals, bucket):
    """A case granted by the head and signed by the real pipeline, into the bucket."""
    with time_machine.travel(at("2026-09-07", 11), tick=False):
        case = granted(cast, catalogue, person)
        sign_pending(case)
    return case


# --- the configuration ---------------------------------------------------------------------

def test_without_a_bucket_files_stay_on_the_local_disk_as_before(settings, tmp_path):
    assert type(storages["default"]) is FileSystemStorage
    assert isinstance(signed_storage(), LocalSignedStorage)
    settings.DATA_DIR = tmp_path / "data"
    digest = store_signed(b"%PDF-1.7 local")
    assert (tmp_path / "data" / "signed" / digest[:2] / f"{digest}.pdf").is_file()


def test_object_storages_are_private_and_keep_the_naming():
    built = object_storages(bucket="b", endpoint_url="http://minio:9000", access_key="k",
                            secret_key="s", region="cn-south-1")
    media, signed = built["default"]["OPTIONS"], built["signed"]["OPTIONS"]
    assert media["location"] == "media" and signed["location"] == "signed"
    assert media["default_acl"] is None and media["querystring_auth"] is True
    assert media["file_overwrite"] is False and signed["file_overwrite"] is True
    assert media["endpoint_url"] == "http://minio:9000" and media["addressing_style"] == "path"


# --- uploads --------------------------------------------------------------------------------

def test_a_case_file_uploaded_on_the_page_is_in_the_bucket_and_downloads_through_the_view(
        client, cast, catalogue, person, bucket, s3, settings, endpoint):
    with time_machine.travel(at("2026-09-01"), tick=False):
        case = submit(cast, catalogue.bureau_item, person)
        material = case.materials.get(name="申请表")
        data = _pdf()
        log_in(client, cast["clerk"])
        response = client.post(f"/workbench/cases/{case.pk}/do/attach_file/", {
            "attach_file-material": material.pk,
            "attach_file-upload": SimpleUploadedFile("申请表.pdf", data, "application/pdf")})
        assert response.status_code == 302
        row = CaseFile.objects.get(case=case)
        key = f"media/{row.file.name}"
        assert _keys(s3, bucket) == [key] and _object(s3, bucket, key) == data
        assert _local_files(Path(settings.MEDIA_ROOT)) == []
        page = client.get(f"/workbench/cases/{case.pk}/").content.decode()
        assert f"/workbench/cases/{case.pk}/files/{row.pk}/" in page
        assert endpoint.split("//")[1] not in page and bucket not in page  # no store URL

        log_in(client, cast["reviewer"])
        download = client.get(f"/workbench/cases/{case.pk}/files/{row.pk}/")
        assert download.status_code == 200 and _body(download) == data
        assert download["Content-Type"] == "application/pdf"
        assert download["Content-Length"] == str(len(data))
        assert "attachment" in download["Content-Disposition"]
        assert download["Cache-Control"] == "private, no-store"
        log_in(client, cast["outsider"])
        assert client.get(f"/workbench/cases/{case.pk}/files/{row.pk}/").status_code == 404


def test_a_case_file_whose_object_is_gone_is_404_not_500(client, cast, catalogue, person,
                                                          bucket, s3):
    with time_machine.travel(at("2026-09-01"), tick=False):
        case = submit(cast, catalogue.bureau_item, person)
        log_in(client, cast["clerk"])
        client.post(f"/workbench/cases/{case.pk}/do/attach_file/", {
            "attach_file-upload": SimpleUploadedFile("a.pdf", _pdf(), "application/pdf")})
        row = CaseFile.objects.get(case=case)
        s3.delete_object(Bucket=bucket, Key=f"media/{row.file.name}")
        assert client.get(f"/workbench/cases/{case.pk}/files/{row.pk}/").status_code == 404


# --- signed PDFs ----------------------------------------------------------------------------

def test_signing_stores_the_signed_pdf_in_the_bucket_once_by_its_sha256(signed_case, bucket,
                                                                        s3, settings):
    uses = list(SealUse.objects.filter(case=signed_case, state="signed"))
    assert len(uses) == 2  # the decision and the licence
    expected = sorted(f"signed/{u.signed_sha256[:2]}/{u.signed_sha256}.pdf" for u in uses)
    assert _keys(s3, bucket, "signed/") == expected
    for use in uses:
        data = _object(s3, bucket, f"signed/{use.signed_sha256[:2]}/{use.signed_sha256}.pdf")
        assert hashlib.sha256(data).hexdigest() == use.signed_sha256
        assert seal_services.signed_pdf(use) == data
    assert not (Path(settings.DATA_DIR) / "signed").exists()
    # content addressed: the same bytes again are found, not written a second time
    use = uses[0]
    key = f"signed/{use.signed_sha256[:2]}/{use.signed_sha256}.pdf"
    assert store_signed(seal_services.signed_pdf(use)) == use.signed_sha256
    assert len(s3.list_object_versions(Bucket=bucket, Prefix=key)["Versions"]) == 1
    other = store_signed(b"%PDF-1.7 other bytes")
    assert _keys(s3, bucket, "signed/") == sorted([*expected, f"signed/{other[:2]}/{other}.pdf"])


def test_signed_decision_and_licence_download_through_the_views_and_verify_publicly(
        client, cast, signed_case):
    document = signed_case.documents.get(kind="grant_decision")
    licence = Licence.objects.select_related("seal_use").get(case=signed_case)
    decision_use = SealUse.objects.get(case=signed_case, key=f"document:{document.pk}")
    with time_machine.travel(at("2026-09-25"), tick=False):
        log_in(client, cast["reviewer"])
        response = client.get(f"/workbench/cases/{signed_case.pk}/documents/{document.pk}"
                              "/signed/")
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert hashlib.sha256(_body(response)).hexdigest() == decision_use.signed_sha256
        assert response["Cache-Control"] == "private, no-store"
        log_in(client, cast["supervisor"])
        response = client.get(f"/workbench/licences/{licence.pk}/pdf/")
        assert response.status_code == 200
        assert hashlib.sha256(_body(response)).hexdigest() == licence.seal_use.signed_sha256
        log_in(client, cast["applicant"])
        assert client.get(f"/licences/mine/{licence.pk}/pdf/").status_code == 200
        log_in(client, cast["outsider"])
        assert client.get(f"/workbench/licences/{licence.pk}/pdf/").status_code == 403
        client.logout()  # public verification (证照核验) of the bytes fetched from the bucket
        data = seal_services.signed_pdf(licence.seal_use)
        response = client.post("/verify/", {"file": SimpleUploadedFile(
            "licence.pdf", data, "application/pdf")})
        html = response.content.decode()
        assert response.status_code == 200 and 'data-valid="true"' in html
        assert licence.identifier in html


def test_an_altered_object_is_refused_as_the_seal_ledger_disagrees(signed_case, bucket, s3):
    use = SealUse.objects.filter(case=signed_case, state="signed").first()
    key = f"signed/{use.signed_sha256[:2]}/{use.signed_sha256}.pdf"
    s3.put_object(Bucket=bucket, Key=key, Body=b"%PDF-1.7 not what was signed")
    assert read_signed(use.signed_sha256) is None
    with pytest.raises(SealRuleViolation) as err:
        seal_services.signed_pdf(use)
    assert err.value.code == "signed_file_missing"
    newest = s3.list_object_versions(Bucket=bucket, Prefix=key)["Versions"][0]
    assert newest["IsLatest"]
    s3.delete_object(Bucket=bucket, Key=key, VersionId=newest["VersionId"])
    assert read_signed(use.signed_sha256) is not None  # versioning brings the signed one back


def test_deep_audit_reads_the_signed_pdfs_from_the_bucket(signed_case, bucket, s3):
    assert run_deep_checks() == []
    use = SealUse.objects.filter(case=signed_case, state="signed").first()
    s3.delete_object(Bucket=bucket,
                     Key=f"signed/{use.signed_sha256[:2]}/{use.signed_sha256}.pdf")
    assert ("seal_ledger", f"seal_use:{use.pk}") in {(f.check, f.subject)
                                                     for f in run_deep_checks()}


def test_archiving_a_case_copies_its_upload_from_the_bucket_art_716_12(
        cast, catalogue, person, bucket, s3):
    """The archival package (国务院令第716号 第12条) is local (BagIt folders), its contents
    read from the bucket through the storage."""
    case = withdrawn_case(cast, catalogue, person)
    row = CaseFile.objects.get(case=case)
    package = build_package(case.pk, actor=None)
    root = package_dir(package.path) / "data" / "materials"
    archived = [p.read_bytes() for p in root.rglob("*.pdf")]
    assert archived == [_object(s3, bucket, f"media/{row.file.name}")]
    assert validate_bag(package_dir(package.path), package.bag_sha256).ok


# --- backup ---------------------------------------------------------------------------------

def test_backup_names_the_bucket_and_its_versioning_instead_of_copying_it(
        signed_case, bucket, tmp_path, capsys):
    result = backup(dest=tmp_path / "backups")
    check = check_backup(result.path)
    assert check.ok
    stores = check.manifest["object_stores"]
    assert {(s["storage"], s["bucket"], s["prefix"], s["versioning"]) for s in stores} == {
        ("default", bucket, "media", "Enabled"), ("signed", bucket, "signed", "Enabled")}
    assert not [f for f in check.manifest["files"] if f.endswith(".pdf")]  # none copied
    assert json.loads((result.path / "manifest.json").read_text())["object_stores"] == stores


def test_backup_warns_when_the_bucket_keeps_no_versions(settings, endpoint, s3, tmp_path,
                                                        capsys, caplog):
    bucket = _use_bucket(settings, endpoint, s3, versioning=False)
    call_command("backup", dest=tmp_path / "backups")
    out = capsys.readouterr()
    assert f"对象存储 {bucket}/signed" in out.out
    assert f"存储桶 {bucket} 未开启版本控制" in out.err
    assert any(bucket in r.getMessage() and "keeps no versions" in r.getMessage()
               for r in caplog.records)  # the scheduled backup's log


def test_local_backup_records_no_object_store(settings, tmp_path):
    assert type(storages["signed"]) is LocalSignedStorage
    result = backup(dest=tmp_path / "backups")
    assert check_backup(result.path).manifest["object_stores"] == []
