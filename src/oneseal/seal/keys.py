"""The seal keys (印章密钥): where they are, how `oneseal seal init` makes the demo ones,
and the pyHanko signer that signs with them.

Which key store signs is chosen by settings alone (law.md §12: the software key must be
replaceable by a hardware device without code changes):

``ONESEAL_SEAL_BACKEND = "pkcs12"`` (default)
    ``ONESEAL_SEAL_DIR/<key_label>.p12`` holds the key, its certificate and the maker's
    certificate, encrypted with ``ONESEAL_SEAL_PASSPHRASE`` or, when that is empty, with
    the random passphrase `init_seals` keeps in ``ONESEAL_SEAL_DIR/passphrase`` (0600).
``ONESEAL_SEAL_BACKEND = "pkcs11"``
    the key and certificate labelled ``seal.key_label`` on the token
    ``ONESEAL_SEAL_PKCS11_TOKEN`` of the module ``ONESEAL_SEAL_PKCS11_MODULE``, logged in
    with ``ONESEAL_SEAL_PKCS11_PIN`` (needs the ``pkcs11`` extra: python-pkcs11).

The private keys never enter the database; the database holds the certificates only.
Loaded signers are cached per process (loading a PKCS#12 file costs about 10 ms).
"""

from __future__ import annotations

import os
import secrets
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from oneseal.core.audit import append_event

from .certs import cert_fields, fingerprint, maker_sign
from .errors import SealRuleViolation
from .models import PictureKind, Seal, SealCertificate, SealKind, SealMaker

MAKER_NAME = "OneSeal 电子印章制作机构（演示）"
MAKER_KEY_FILE = "maker.key.pem"
MAKER_CERT_FILE = "maker.pem"
PASSPHRASE_FILE = "passphrase"  # noqa: S105 - a file name, not a secret
SEAL_YEARS = 5
# Serial part of the seal code (印章编码 = 6-digit division code + 8-digit serial).
KIND_SERIAL = {SealKind.APPROVAL: 1, SealKind.ACCEPTANCE: 2}
KIND_SUFFIX = {SealKind.APPROVAL: "行政审批专用章", SealKind.ACCEPTANCE: "受理专用章"}
# A department that keeps its items accepts and decides them under its own seals.
UNIT_KIND_SUFFIX = {SealKind.APPROVAL: "行政许可专用章", SealKind.ACCEPTANCE: "受理专用章"}
UNIT_SERIAL_BASE = 100  # seal codes of other units: 100 + unit id × 10 + the kind's serial


# --- files -------------------------------------------------------------------------------

def seal_dir() -> Path:
    return Path(settings.ONESEAL_SEAL_DIR)


def _write_private(path: Path, data: bytes) -> None:
    """Write a secret file with mode 0600, atomically."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, path)


def passphrase(directory: Path | None = None, *, create: bool = False) -> bytes:
    """The PKCS#12 passphrase: ONESEAL_SEAL_PASSPHRASE, else the passphrase file (made
    with a random value when `create`)."""
    configured = settings.ONESEAL_SEAL_PASSPHRASE
    if configured:
        return configured.encode("utf-8")
    path = (directory or seal_dir()) / PASSPHRASE_FILE
    if path.is_file():
        return path.read_bytes().strip()
    if not create:
        raise SealRuleViolation(_("印章密钥口令文件不存在，请运行 oneseal seal init。"),
                                code="seal_not_initialised")
    value = secrets.token_urlsafe(24).encode("ascii")
    _write_private(path, value + b"\n")
    return value


def _name(common_name: str, organisation: str) -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ])


def _usage(*, sign_certs: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not sign_certs, content_commitment=not sign_certs,
        key_encipherment=False, data_encipherment=False, key_agreement=False,
        key_cert_sign=sign_certs, crl_sign=sign_certs, encipher_only=False,
        decipher_only=False,
    )


def make_maker(organisation: str, not_before: datetime
               ) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    """A demo seal maker: a self-signed CA, ECDSA P-256, 20 years."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name(MAKER_NAME, organisation)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(not_before).not_valid_after(not_before + timedelta(days=365 * 20))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_usage(sign_certs=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                       critical=False)
        .sign(key, hashes.SHA256())
    )
    return key, cert


def make_seal_certificate(
    maker_key: ec.EllipticCurvePrivateKey, maker_cert: x509.Certificate, *, common_name: str,
    organisation: str, not_before: datetime,
) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    """A seal key and its certificate issued by the maker: ECDSA P-256 with SHA-256,
    KeyUsage digitalSignature + nonRepudiation, five years."""
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder().subject_name(_name(common_name, organisation))
        .issuer_name(maker_cert.subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(not_before)
        .not_valid_after(not_before + timedelta(days=365 * SEAL_YEARS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(sign_certs=False), critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
            maker_key.public_key()), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                       critical=False)
        .sign(maker_key, hashes.SHA256())
    )
    return key, cert


def default_not_before() -> datetime:
    """Demo certificates start on 1 January of the previous year, so that demo cases dated
    in the past can be signed with their decision time (a real CA does not backdate; then
    the certificates come from it)."""
    return datetime(datetime.now(UTC).year - 1, 1, 1, tzinfo=UTC)


@dataclass
class KeyMaterial:
    """What is on disk after `ensure_key_material`: the maker and one certificate per
    seal kind (the private keys stay in the files)."""

    directory: Path
    maker_key: ec.EllipticCurvePrivateKey
    maker_cert: x509.Certificate
    seal_certs: dict[str, x509.Certificate]
    created: list[str] = field(default_factory=list)


def ensure_key_material(
    *, organisation: str, directory: Path | None = None, force: bool = False,
    not_before: datetime | None = None, extra: Sequence[tuple[str, str, str]] = (),
) -> KeyMaterial:
    """Create what is missing under the seal directory (0700): the passphrase file, the
    maker's key (PEM, encrypted with the passphrase, 0600) and certificate, and one
    PKCS#12 file per seal kind (key + certificate + maker chain, 0600), and one per
    `extra` (key label, certificate common name, organisation): the seals of other units.
    Existing files are kept; `force` makes new seal keys (the maker stays). No database
    access."""
    directory = directory or seal_dir()
    directory.mkdir(parents=True, exist_ok=True)
    os.chmod(directory, 0o700)
    secret = passphrase(directory, create=True)
    start = not_before or default_not_before()
    created: list[str] = []
    key_path, cert_path = directory / MAKER_KEY_FILE, directory / MAKER_CERT_FILE
    if key_path.is_file() and cert_path.is_file():
        maker_key = serialization.load_pem_private_key(key_path.read_bytes(), secret)
        assert isinstance(maker_key, ec.EllipticCurvePrivateKey)
        maker_cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    else:
        maker_key, maker_cert = make_maker(organisation, start)
        _write_private(key_path, maker_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(secret)))
        _write_private(cert_path, maker_cert.public_bytes(serialization.Encoding.PEM))
        created.append(MAKER_CERT_FILE)
    seal_certs: dict[str, x509.Certificate] = {}
    wanted = [(kind.value, f"{organisation}{KIND_SUFFIX[kind]}", organisation)
              for kind in SealKind] + list(extra)
    for label, common_name, org_name in wanted:
        path = directory / f"{label}.p12"
        if path.is_file() and not force:
            loaded = pkcs12.load_pkcs12(path.read_bytes(), secret)
            assert loaded.cert is not None
            seal_certs[label] = loaded.cert.certificate
            continue
        key, cert = make_seal_certificate(
            maker_key, maker_cert, common_name=common_name, organisation=org_name,
            not_before=start)
        _write_private(path, pkcs12.serialize_key_and_certificates(
            label.encode("ascii"), key, cert, [maker_cert],
            serialization.BestAvailableEncryption(secret)))
        seal_certs[label] = cert
        created.append(path.name)
    return KeyMaterial(directory, maker_key, maker_cert, seal_certs, created)


# --- database rows -----------------------------------------------------------------------

@dataclass
class InitReport:
    """What `init_seals` did; `changed` is False on a second run."""

    directory: Path
    maker_fingerprint: str
    created: list[str] = field(default_factory=list)
    seals: list[Seal] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created)

    def lines(self) -> list[str]:
        out = [_("印章目录：%(dir)s") % {"dir": self.directory},
               _("制章者证书指纹：%(fp)s") % {"fp": self.maker_fingerprint}]
        out += [_("新建：%(what)s") % {"what": what} for what in self.created]
        if not self.changed:
            out.append(_("印章已初始化，没有任何改动。"))
        out += [f"{seal.code}  {seal.name}  {seal.valid_from}–{seal.valid_to}"
                for seal in self.seals]
        return out


def _bureau_unit(bureau_code: str) -> Any:
    from oneseal.org.models import Unit
    from oneseal.org.selectors import bureau

    unit = Unit.objects.filter(credit_code=bureau_code).first() or bureau()
    if unit is None:
        raise SealRuleViolation(_("未找到行政审批局单位，请先载入组织机构。"),
                                code="no_bureau")
    return unit


def seal_code(bureau_code: str, kind: str) -> str:
    """印章编码: the 6-digit administrative division code (characters 3–8 of the unified
    social credit code) and an 8-digit serial per seal."""
    division = bureau_code[2:8] if len(bureau_code) >= 8 else "000000"
    return f"{division}{KIND_SERIAL[SealKind(kind)]:08d}"


def _unit_seal_code(unit: Any, bureau_code: str, kind: str) -> str:
    """印章编码 of another unit's seal: its division code (from its credit code, else the
    bureau's) and a serial of its own (100 + unit id × 10 + the kind's serial)."""
    source = unit.credit_code or bureau_code
    division = source[2:8] if len(source) >= 8 else "000000"
    serial = UNIT_SERIAL_BASE + unit.pk * 10 + KIND_SERIAL[SealKind(kind)]
    return f"{division}{serial:08d}"


def build_seal_data(seal: Seal, fingerprints: list[str], picture_sha256: str) -> dict[str, Any]:
    """The GB/T 38540-like seal structure (SES_SealInfo): header, esID, property, picture."""
    return {
        "header": {"ID": "ES", "version": 4, "vid": "OneSeal"},
        "esID": seal.code,
        "property": {
            "type": 1,  # 1 = unit seal (单位印章), 2 = personal seal
            "kind": seal.kind,
            "name": seal.name,
            "unit": seal.unit.name,
            "certListType": 2,  # a list of certificate digests
            "certList": sorted(fingerprints),
            "createDate": seal.valid_from.isoformat(),
            "validStart": seal.valid_from.isoformat(),
            "validEnd": seal.valid_to.isoformat(),
        },
        "picture": {"type": "svg" if seal.picture_kind == PictureKind.VECTOR else "png",
                    "sha256": picture_sha256, "width_mm": 42, "height_mm": 42},
    }


def refresh_seal_data(seal: Seal, maker_key: ec.EllipticCurvePrivateKey | None) -> None:
    """Rebuild `seal_data` from the seal's certificates and picture; re-sign it when the
    maker's key is at hand (it is, for the demo maker)."""
    from .picture import picture_sha256

    fps = list(seal.certificates.values_list("fingerprint", flat=True))
    seal.seal_data = build_seal_data(seal, fps, picture_sha256(seal))
    if maker_key is not None:
        seal.maker_signature = maker_sign(maker_key, seal.seal_data)
    seal.save(update_fields=["seal_data", "maker_signature"])


def _x509_text(text: str, limit: int = 64) -> str:
    """`text` cut to what an X.509 name attribute holds (64, counted in UTF-8 bytes by
    cryptography): a long unit name keeps its beginning."""
    while len(text.encode("utf-8")) > limit:
        text = text[:-1]
    return text


def unit_key_label(unit: Any, kind: str) -> str:
    """The key label (and PKCS#12 file name) of a unit's seal of `kind`."""
    return f"{unit.code}-{kind}"


def init_seals(*, bureau_name: str, bureau_code: str, force: bool = False,
               not_before: datetime | None = None, units: Sequence[Any] = ()) -> InitReport:
    """Create (if missing) the demo maker, the seal keys and the Seal rows with their
    certificates, seal data and maker signature: the bureau's two seals, and the two seals
    (行政许可专用章, 受理专用章) of each of `units` — the departments that accept and decide
    their own items in the hall under their own seals. Idempotent: a second run changes
    nothing and says so. `force` makes new seal keys; the old certificates stay listed so
    that documents signed before still verify. An audit event "seal.init" records changes."""
    extra = [(unit_key_label(unit, kind.value),
              _x509_text(f"{unit.name}{UNIT_KIND_SUFFIX[kind]}"), _x509_text(unit.name))
             for unit in units for kind in SealKind]
    material = ensure_key_material(organisation=bureau_name, force=force,
                                   not_before=not_before, extra=extra)
    created = list(material.created)
    maker_der = material.maker_cert.public_bytes(serialization.Encoding.DER)
    with transaction.atomic():
        maker, made = SealMaker.objects.get_or_create(
            fingerprint=fingerprint(maker_der), defaults={"name": MAKER_NAME, "der": maker_der})
        if made:
            created.append(_("制章者 %(name)s") % {"name": maker.name})
        unit = _bureau_unit(bureau_code)
        wanted = [(unit, kind, kind.value, seal_code(bureau_code, kind.value),
                   f"{bureau_name}{KIND_SUFFIX[kind]}") for kind in SealKind]
        wanted += [(other, kind, unit_key_label(other, kind.value),
                    _unit_seal_code(other, bureau_code, kind.value),
                    f"{other.name}{UNIT_KIND_SUFFIX[kind]}")
                   for other in units for kind in SealKind]
        seals = []
        for owner, kind, label, code, name in wanted:
            cert = material.seal_certs[label]
            der = cert.public_bytes(serialization.Encoding.DER)
            fields = cert_fields(der)
            seal = Seal.objects.filter(key_label=label).order_by("id").first()
            changed = False
            if seal is None:
                seal = Seal.objects.create(
                    code=code, kind=kind.value, name=name, unit=owner,
                    valid_from=fields["not_before"].date(),
                    valid_to=fields["not_after"].date(), maker=maker, key_label=label)
                created.append(_("印章 %(name)s") % {"name": seal.name})
                changed = True
            if not SealCertificate.objects.filter(fingerprint=fields["fingerprint"]).exists():
                SealCertificate.objects.create(seal=seal, **fields)
                created.append(_("证书 %(fp)s") % {"fp": fields["fingerprint"][:16]})
                changed = True
                if seal.valid_to < fields["not_after"].date():
                    seal.valid_to = fields["not_after"].date()
                    seal.save(update_fields=["valid_to"])
            if changed or not seal.seal_data:
                refresh_seal_data(seal, material.maker_key if seal.maker_id == maker.pk else None)
                append_event(actor=None, kind="seal.init", subject=f"seal:{seal.pk}", payload={
                    "code": seal.code, "name": seal.name,
                    "certificates": seal.seal_data["property"]["certList"]})
            seals.append(seal)
    return InitReport(material.directory, maker.fingerprint, created, seals)


def maker_key_for(maker: SealMaker | None) -> ec.EllipticCurvePrivateKey | None:
    """The maker's private key when it is the demo maker whose key file is at hand (to
    re-sign a seal's data after a change), else None."""
    path = seal_dir() / MAKER_KEY_FILE
    if maker is None or not path.is_file():
        return None
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), passphrase())
    except (ValueError, TypeError, SealRuleViolation):
        return None
    cert = x509.load_der_x509_certificate(bytes(maker.der))
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.public_key() != cert.public_key():
        return None
    return key


# --- signers -----------------------------------------------------------------------------

_signer_lock = threading.Lock()
_signers: dict[tuple[Any, ...], Any] = {}


def signer_for(seal: Seal) -> Any:
    """The pyHanko signer of `seal`'s key, from the key store the settings name (see the
    module docstring). Cached per process: by file and modification time for PKCS#12, by
    module, token and label for PKCS#11."""
    backend = settings.ONESEAL_SEAL_BACKEND
    if backend == "pkcs12":
        path = seal_dir() / f"{seal.key_label}.p12"
        try:
            mtime = path.stat().st_mtime_ns
        except FileNotFoundError:
            raise SealRuleViolation(
                _("印章密钥文件 %(path)s 不存在，请运行 oneseal seal init。") % {"path": path},
                code="seal_not_initialised") from None
        secret = passphrase()
        cache_key: tuple[Any, ...] = ("pkcs12", str(path), mtime, secret)
        with _signer_lock:
            signer = _signers.get(cache_key)
            if signer is None:
                signer = _load_pkcs12(path, secret)
                _signers[cache_key] = signer
        return signer
    if backend == "pkcs11":
        cache_key = ("pkcs11", settings.ONESEAL_SEAL_PKCS11_MODULE,
                     settings.ONESEAL_SEAL_PKCS11_TOKEN, seal.key_label)
        with _signer_lock:
            signer = _signers.get(cache_key)
            if signer is None:
                signer = _load_pkcs11(seal)
                _signers[cache_key] = signer
        return signer
    raise SealRuleViolation(_("不支持的印章密钥存储：%(backend)s（可选 pkcs12 或 pkcs11）。")
                            % {"backend": backend}, code="bad_backend")


def clear_signer_cache() -> None:
    with _signer_lock:
        _signers.clear()


def _load_pkcs12(path: Path, secret: bytes) -> Any:
    from pyhanko.sign import signers

    signer = signers.SimpleSigner.load_pkcs12(str(path), passphrase=secret)
    if signer is None:  # pyHanko logs the reason and returns None (e.g. a wrong passphrase)
        raise SealRuleViolation(_("无法读取印章密钥文件 %(path)s（口令错误或文件损坏）。")
                                % {"path": path}, code="bad_key_file")
    return signer


def _load_pkcs11(seal: Seal) -> Any:
    try:
        from pyhanko.keys import load_cert_from_pemder  # noqa: F401
        from pyhanko.sign import pkcs11
    except ImportError as exc:  # python-pkcs11 missing
        raise SealRuleViolation(_("未安装 PKCS#11 支持（pip install 'oneseal[pkcs11]'）。"),
                                code="pkcs11_missing") from exc
    from asn1crypto import x509 as asn1_x509

    module = settings.ONESEAL_SEAL_PKCS11_MODULE
    if not module:
        raise SealRuleViolation(_("未配置 ONESEAL_SEAL_PKCS11_MODULE。"), code="pkcs11_config")
    try:
        session = pkcs11.open_pkcs11_session(
            module, token_criteria=pkcs11.TokenCriteria(
                label=settings.ONESEAL_SEAL_PKCS11_TOKEN or None),
            user_pin=settings.ONESEAL_SEAL_PKCS11_PIN or None)
    except Exception as exc:
        raise SealRuleViolation(_("无法打开 PKCS#11 设备：%(error)s") % {"error": exc},
                                code="pkcs11_unavailable") from exc
    chain = [asn1_x509.Certificate.load(bytes(der))
             for der in SealMaker.objects.values_list("der", flat=True)]
    # ECDSA keys sign with the raw CKM_ECDSA mechanism over a digest computed here: every
    # token supports it, while hash-and-sign CKM_ECDSA_SHA256 is missing on many (SoftHSM).
    ders = seal.certificates.filter(revoked_at__isnull=True).values_list("der", flat=True)
    is_ec = any(asn1_x509.Certificate.load(bytes(der)).public_key.algorithm == "ec"
                for der in ders)
    return pkcs11.PKCS11Signer(session, cert_label=seal.key_label, key_label=seal.key_label,
                               ca_chain=chain, use_raw_mechanism=is_ec)

