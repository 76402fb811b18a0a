"""Signing a PDF with a seal (签章) and verifying a signed PDF (验章).

A signing is a PAdES signature (ETSI.CAdES.detached, SHA-256) added as an incremental
update, in a visible field "OneSealSeal" whose appearance is the seal picture: the
document's hash, the seal (its certificate), the time and the picture bound together as
GB/T 38540 describes (law.md §12). Any PDF reader and any third party can check it with
the maker's certificate (e.g. poppler's ``pdfsig`` or ``pyhanko sign validate``).

Verification is pure software and works offline (no fetching of revocation data): the
trust roots are the SealMakers in the database, and a signature counts as made with one of
our seals only if its certificate is a SealCertificate that was not revoked.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import hashlib
import io
import logging
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from django.utils.translation import gettext as _

from . import pdf_analysis
from .models import SealCertificate, SealMaker
from .picture import stamp_pdf

logger = logging.getLogger(__name__)

FIELD_NAME = "OneSealSeal"
T = TypeVar("T")


def outside_event_loop(fn: Callable[[], T]) -> T:
    """Run `fn` where pyHanko's synchronous API works: its wrappers call asyncio.run(),
    which refuses to start inside a running event loop (an ASGI server, a browser test's
    loop); there, `fn` runs in a worker thread. `fn` must not touch the database."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return fn()
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn).result()

# --- signing -----------------------------------------------------------------------------

class _StampPage:
    """Factory of pyHanko content importing the seal's stamp PDF from memory (pyHanko's
    ImportedPdfPage reads a file). A pyHanko content object collects resources while it
    renders, so each signing gets a fresh one; the stamp bytes are cached (picture.py)."""

    _cls: Any = None

    @classmethod
    def make(cls, data: bytes) -> Any:
        if cls._cls is None:
            from pyhanko.pdf_utils.content import ImportedPdfPage

            class StampPage(ImportedPdfPage):  # type: ignore[misc]
                def __init__(self, data: bytes) -> None:
                    super().__init__("seal-stamp.pdf")
                    self.data = data

                def render(self) -> bytes:
                    import binascii
                    import uuid

                    from pyhanko.pdf_utils.layout import BoxConstraints
                    from pyhanko.pdf_utils.reader import PdfFileReader

                    xobj = self._ensure_writer.import_page_as_xobject(
                        PdfFileReader(io.BytesIO(self.data)), page_ix=0)
                    name = b"/Import" + binascii.hexlify(uuid.uuid4().bytes)
                    self.resources.xobject[name.decode("ascii")] = xobj
                    x1, y1, x2, y2 = xobj.get_object()["/BBox"]
                    self.box = BoxConstraints(width=abs(x1 - x2), height=abs(y1 - y2))
                    return name + b" Do"

            cls._cls = StampPage
        return cls._cls(data)


def _stamp_style(seal: Any) -> Any:
    """The pyHanko stamp style showing the seal picture: no border, no text."""
    from pyhanko.stamp import StaticStampStyle

    return StaticStampStyle(background=_StampPage.make(stamp_pdf(seal)), border_width=0,
                            background_opacity=1)


def sign_pdf(pdf: bytes, *, seal: Any, signer: Any, box: tuple[int, float, float, float],
             reason: str, location: str, signing_time: datetime | None = None) -> bytes:
    """Sign `pdf` with `signer` under `seal`: PAdES, SHA-256, incremental update, visible
    field "OneSealSeal" on page box[0] at (x, y, x+size, y+size) showing the seal."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    page, x, y, size = box
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    name = _free_field_name(writer, pdf)
    meta = signers.PdfSignatureMetadata(
        field_name=name, subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256",
        reason=reason, location=location, name=seal.name)

    class _Signer(signers.PdfSigner):
        def init_signing_session(self, pdf_out: Any, existing_fields_only: bool = False
                                 ) -> Any:
            session = super().init_signing_session(pdf_out, existing_fields_only)
            if signing_time is not None:
                session.system_time = signing_time
            return session

    pdf_signer = _Signer(
        meta, signer=signer, stamp_style=_stamp_style(seal),
        new_field_spec=fields.SigFieldSpec(name, on_page=int(page),
                                           box=(x, y, x + size, y + size)))
    reserve = _reserved_bytes(signer)
    out = io.BytesIO()
    try:
        outside_event_loop(lambda: pdf_signer.sign_pdf(writer, output=out,
                                                       bytes_reserved=reserve))
    except Exception:
        if reserve is None:
            raise
        # our estimate was too small after all: let pyHanko measure with a trial signature
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        out = io.BytesIO()
        outside_event_loop(lambda: pdf_signer.sign_pdf(writer, output=out))
    return out.getvalue()


def _reserved_bytes(signer: Any) -> int | None:
    """Room for the CMS signature container: the certificates it carries plus 4 KB for the
    signed attributes and the signature value (ECDSA ~72 bytes, RSA-4096 512). Without it
    pyHanko makes a whole trial signature to measure, which doubles the cost of signing.
    None (let pyHanko measure) when the signer's certificates cannot be read up front."""
    try:
        certs = [signer.signing_cert, *list(signer.cert_registry or [])]
        size = sum(len(cert.dump()) for cert in certs if cert is not None) + 4096
    except Exception:  # e.g. a PKCS#11 signer that loads its certificate lazily
        return None
    return -(-size // 512) * 512  # a whole number of 512-byte blocks (pyHanko wants even)


def _free_field_name(writer: Any, pdf: bytes) -> str:
    """"OneSealSeal", or "OneSealSeal2", "OneSealSeal3"... when the document already
    carries our seal (a countersigned or re-sealed document)."""
    if FIELD_NAME.encode("ascii") not in pdf:
        return FIELD_NAME
    from pyhanko.sign.fields import enumerate_sig_fields

    taken = {name for name, _value, _ref in enumerate_sig_fields(writer)}
    number = 2
    while f"{FIELD_NAME}{number}" in taken:
        number += 1
    return FIELD_NAME if FIELD_NAME not in taken else f"{FIELD_NAME}{number}"


# --- verification ------------------------------------------------------------------------

@dataclass(frozen=True)
class Verification:
    """The answer of `verify_pdf`; `valid_overall` is the one yes/no."""

    is_pdf: bool = False
    signed: bool = False
    intact: bool = False
    valid: bool = False
    trusted: bool = False
    our_seal: bool = False
    unmodified: bool = False
    seal_code: str = ""
    seal_name: str = ""
    certificate: dict[str, Any] = field(default_factory=dict)
    signing_time: str = ""
    coverage: str = ""
    modification_level: str = ""
    signed_revision_sha256: str = ""
    problems: tuple[str, ...] = ()
    signatures: int = 0

    @property
    def valid_overall(self) -> bool:
        return (self.is_pdf and self.signed and self.intact and self.valid and self.trusted
                and self.our_seal and self.unmodified)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["problems"] = list(self.problems)
        data["valid"] = self.valid_overall
        data["signature_valid"] = self.valid
        return data


_roots_lock = threading.Lock()
_roots: dict[str, bytes] = {}  # maker fingerprint -> DER


def _trust_roots() -> list[bytes]:
    """The SealMakers' certificates (DER): one small query for the fingerprints; the DER is
    read only for makers not seen before in this process."""
    fps = set(SealMaker.objects.values_list("fingerprint", flat=True))
    with _roots_lock:
        missing = fps - _roots.keys()
    if missing:
        for fp, der in SealMaker.objects.filter(fingerprint__in=missing).values_list(
                "fingerprint", "der"):
            with _roots_lock:
                _roots[fp] = bytes(der)
    with _roots_lock:
        return [_roots[fp] for fp in fps if fp in _roots]


Analyser = Callable[[bytes, list[bytes], str], dict[str, Any]]


def _in_process(data: bytes, roots: list[bytes], moment: str) -> dict[str, Any]:
    return outside_event_loop(lambda: pdf_analysis.analyse(data, roots, moment))


def verify_pdf(data: bytes, *, analyser: Analyser | None = None) -> Verification:
    """Verify the last signature of a PDF (see `Verification`). Never raises on bad
    input: whatever fails becomes a problem in the answer. `analyser` runs the parsing
    (`pdf_analysis.analyse`) elsewhere, e.g. in a helper process with a deadline; the
    errors of that runner (`oneseal.core.isolate.PoolError`) reach the caller."""
    from django.utils import timezone

    from oneseal.core.isolate import PoolError

    data = bytes(data)
    try:
        facts = (analyser or _in_process)(data, _trust_roots(), timezone.now().isoformat())
    except PoolError:
        raise
    except Exception as exc:  # a malformed file must never become a 500
        logger.info("verify_pdf failed: %r", exc)
        facts = {"status": pdf_analysis.UNPARSEABLE}
    return _judge(data, facts)


def _judge(data: bytes, facts: dict[str, Any]) -> Verification:
    """What the analysis means, with our seals' certificates from the database.

    Nothing is claimed that the signature did not prove: when the signed bytes no longer
    match the signature (not intact), the certificate in the file says nothing about who
    signed these bytes, so neither "our seal" nor "unchanged since signing" is affirmed or
    denied — the one problem reported is that the signature no longer matches."""
    status = facts.get("status")
    if status == pdf_analysis.NOT_PDF:
        return Verification(is_pdf=False, problems=(_("文件不是 PDF。"),))
    if status == pdf_analysis.UNPARSEABLE:
        return Verification(is_pdf=False, problems=(_("文件无法解析为 PDF。"),))
    if status == pdf_analysis.UNSIGNED:
        return Verification(is_pdf=True, problems=(_("文件没有电子签章。"),))
    if status != pdf_analysis.CHECKED:
        return Verification(is_pdf=True, signed=True, signatures=facts.get("signatures", 0),
                            problems=(_("签章数据已损坏，无法校验。"),))
    cert_info: dict[str, Any] = facts["certificate"]
    row = (SealCertificate.objects.select_related("seal")
           .filter(fingerprint=cert_info["fingerprint"]).first())
    intact, valid, trusted = facts["intact"], facts["valid"], facts["trusted"]
    proven = intact and valid
    our_seal = proven and trusted and row is not None and row.revoked_at is None
    unmodified = proven and (facts["coverage"] == "entire_file"
                             and facts["modification_level"] == "none")
    problems: list[str] = []
    if not intact:
        problems.append(_("签名与文件内容不再相符：签署之后，签名所覆盖的文件内容被改动过。"
                          "因此无法证明本文件由哪枚印章签署。"))
    elif not valid:
        problems.append(_("签名值校验未通过：签名与文件内容不相符。"))
    else:
        if not trusted:
            problems.append(_("签章证书不是由本局的印章制作机构签发的。"))
        elif row is None:
            problems.append(_("签章证书不是本局印章的证书。"))
        elif row.revoked_at is not None:
            problems.append(_("签章证书已停用。"))
        if not unmodified:
            problems.append(_("签章之后文件又被追加或修改过。"))
    _start, _length_a, offset_b, length_b = facts["byte_range"]
    return Verification(
        is_pdf=True, signed=True, intact=intact, valid=valid, trusted=trusted,
        our_seal=our_seal, unmodified=unmodified,
        seal_code=row.seal.code if proven and row is not None else "",
        seal_name=row.seal.name if proven and row is not None else "",
        certificate=cert_info,
        signing_time=facts["signing_time"],
        coverage=facts["coverage"], modification_level=facts["modification_level"],
        signed_revision_sha256=hashlib.sha256(data[:offset_b + length_b]).hexdigest(),
        problems=tuple(problems), signatures=facts["signatures"],
    )
