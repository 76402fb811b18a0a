"""Public verification (证照核验): is this PDF one of ours, intact and unchanged, and what is
the licence's state today? Pure software and offline (no login, no outside call):

- the signature is checked by `oneseal.seal.sign.verify_pdf` against our own seal makers
  (trust anchors) and our seals' certificates (电子印章与实物印章具有同等法律效力,
  国务院令第716号 第8–9条; GB/T 38540: a signing binds the document's hash, the seal, the
  time and the signer's certificate);
- the seal ledger (用印登记) is looked up by the hash of the signed revision — the bytes up
  to the end of the signature's byte range — so a file changed or extended after signing is
  still recognised as the document we signed, and reported as changed;
- for a licence, its state today (有效 / 暂扣 / 撤销 / 注销 / 失效 / 吊销, GB/T 36901–36905);
  a licence that is not 有效 can still carry an intact signature: `valid` speaks about the
  signature only, `licence.state` about the licence.

What is shown about a licence is what the licence itself shows publicly: the holder's name,
the item, the number, the validity; the holder's identity number is masked.
"""

from __future__ import annotations

import datetime as dt
import threading
import zoneinfo
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from oneseal.core.isolate import IsolatedPool, PoolBusy, PoolFailed, PoolTimeout
from oneseal.seal import pdf_analysis
from oneseal.seal.services import use_for_signed_hash
from oneseal.seal.sign import verify_pdf

from .domain.identifier import InvalidIdentifier, parse_identifier
from .models import Licence, LicenceState
from .services import state_today

MAX_BYTES = 20 * 1024 * 1024  # the default of settings.ONESEAL_VERIFY_MAX_BYTES


def licence_facts(licence: Licence, today: dt.date | None = None) -> dict[str, Any]:
    """What the verification answer says about a licence (public, masked)."""
    today = today or timezone.localdate()
    state = state_today(licence, today)
    use = licence.seal_use
    return {
        "identifier": licence.identifier,
        "type_name": licence.type.name,
        "number": licence.number,
        "name": licence.name,
        "version": licence.version,
        "holder_name": licence.holder_name,
        "holder_id": licence.holder_id_masked,
        "item_name": licence.item_name,
        "issuer_name": licence.issuer_name,
        "issued_on": licence.issued_on.isoformat(),
        "valid_from": licence.valid_from.isoformat() if licence.valid_from else "",
        "valid_to": licence.valid_to.isoformat() if licence.valid_to else "",
        "state": state,
        "state_label": str(LicenceState(state).label),
        "in_force": state == LicenceState.VALID,
        "signed": bool(use and use.state == "signed"),
        "signed_sha256": use.signed_sha256 if use else "",
    }


def _subject_of(use: Any) -> dict[str, Any]:
    """What the ledger says was sealed with this use."""
    licence = Licence.objects.select_related("type", "seal_use").filter(seal_use=use).first()
    found: dict[str, Any] = {
        "title": use.title,
        "seal_name": use.seal.name,
        "signed_at": use.signed_at.isoformat() if use.signed_at else "",
        "case_number": use.case.number if use.case_id else "",
        "licence": licence_facts(licence) if licence is not None else None,
    }
    return found


def verify_document(data: bytes) -> dict[str, Any]:
    """Verify an uploaded PDF. The answer's boolean `valid` is true only when the
    signature is intact, made with one of our seals, and nothing was changed after
    signing; `problems` says in Chinese what failed; `ledger` is what our seal ledger
    recorded for that signed document (None when we never signed it).

    Raises `Refused` (see `check_upload`) for a file not worth parsing, and when the
    parsing passed its deadline or every verification slot stayed busy (`_isolated`)."""
    size = len(data)
    check_upload(size=size, head=data[:pdf_analysis.HEAD_BYTES],
                 tail=data[-pdf_analysis.TAIL_BYTES:])
    try:
        result = verify_pdf(data, analyser=_isolated)
    except PoolBusy as exc:
        raise Refused(503, "busy", _("核验服务繁忙，请稍后再试。")) from exc
    except PoolTimeout as exc:
        raise Refused(422, "verify_timeout", _(
            "文件结构异常，%(s)s 秒内未能完成核验，未予核验。请上传本局出具的原始 PDF 文件。")
            % {"s": f"{_timeout():g}"}) from exc
    answer = result.as_dict()
    answer["certificate_shown"] = certificate_shown(result.certificate, result.signing_time)
    use = None
    if result.signed and result.signed_revision_sha256:
        use = use_for_signed_hash(result.signed_revision_sha256)
    answer["ledger"] = _subject_of(use) if use is not None else None
    if result.valid_overall and use is None:
        # Signed with our seal but absent from the ledger: say so, it needs looking into.
        answer["problems"] = [*answer.get("problems", []),
                              _("用印登记中没有这份文件的记录，请联系行政审批局核实。")]
    return answer


NAME_LABELS = {
    "common_name": gettext_lazy("名称"),
    "organization_name": gettext_lazy("单位"),
    "organizational_unit_name": gettext_lazy("部门"),
    "country_name": gettext_lazy("国家或地区"),
    "state_or_province_name": gettext_lazy("省"),
    "locality_name": gettext_lazy("市县"),
    "serial_number": gettext_lazy("序列号"),
    "email_address": gettext_lazy("电子邮箱"),
}
BEIJING = zoneinfo.ZoneInfo("Asia/Shanghai")


def beijing_time(iso: str) -> str:
    """An ISO date-time as the page shows it: Beijing time, to the second."""
    if not iso:
        return ""
    try:
        moment = dt.datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return _("%(when)s（北京时间）") % {
        "when": moment.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S")}


def _name_shown(parts: list[list[str]]) -> str:
    return "；".join(f"{NAME_LABELS.get(key, key)}：{value}" for key, value in parts)


def certificate_shown(cert: dict[str, Any], signing_time: str = "") -> dict[str, str]:
    """The certificate block of the page in Chinese, dates in Beijing time."""
    if not cert:
        return {}
    return {
        "subject": _name_shown(cert.get("subject_parts") or []) or cert.get("subject", ""),
        "issuer": _name_shown(cert.get("issuer_parts") or []) or cert.get("issuer", ""),
        "serial": cert.get("serial", ""),
        "fingerprint": cert.get("fingerprint", ""),
        "not_before": beijing_time(cert.get("not_before", "")),
        "not_after": beijing_time(cert.get("not_after", "")),
        "signing_time": beijing_time(signing_time),
    }


def verify_identifier(identifier: str) -> dict[str, Any]:
    """Look a licence up by its electronic licence identifier (the QR code's link)."""
    text = (identifier or "").strip()
    try:
        parse_identifier(text)
    except InvalidIdentifier as exc:
        return {"found": False, "identifier": text, "problems": [str(exc)], "licence": None}
    licence = (Licence.objects.select_related("type", "seal_use").filter(identifier=text)
               .first())
    if licence is None:
        return {"found": False, "identifier": text,
                "problems": [_("电子证照库中没有此标识的证照。")], "licence": None}
    facts = licence_facts(licence)
    problems = []
    if not facts["in_force"]:
        problems.append(_("该证照当前状态为“%(state)s”，不再有效。")
                        % {"state": facts["state_label"]})
    if not facts["signed"]:
        problems.append(_("该证照尚未加盖电子印章。"))
    return {"found": True, "identifier": text, "problems": problems, "licence": facts}


# --- refusing cheaply, and parsing with a deadline -------------------------------------------

class Refused(Exception):
    """A verification refused before or while parsing: `status` is the HTTP status to
    answer (413 too large, 422 not checkable, 503 busy), `code` a stable word, `message`
    the Chinese explanation."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def max_bytes() -> int:
    return int(getattr(settings, "ONESEAL_VERIFY_MAX_BYTES", MAX_BYTES))


def too_large_message() -> str:
    return _("文件超过 %(mb)s MB，无法核验。") % {"mb": max_bytes() // (1024 * 1024)}


def check_upload(*, size: int, head: bytes, tail: bytes) -> None:
    """Refuse without parsing (`pdf_analysis.precheck`): too large → 413; no ``%%EOF``
    in the last kilobyte → 422. A file that does not start like a PDF is not refused here:
    the verdict says so, and it costs nothing to find out."""
    answer = pdf_analysis.precheck(size=size, head=head, tail=tail, max_bytes=max_bytes())
    if answer == pdf_analysis.TOO_LARGE:
        raise Refused(413, "too_large", too_large_message())
    if answer == pdf_analysis.NO_EOF:
        raise Refused(422, "not_a_complete_pdf", _(
            "文件末尾没有 PDF 结束标记（%%EOF），不是完整的 PDF 文件，未予核验。"
            "请上传本局出具的原始 PDF 文件。"))


def check_uploaded_file(upload: Any) -> None:
    """`check_upload` for a Django UploadedFile, reading only its first and last kilobyte
    (a large upload stays in its temporary file)."""
    size = int(upload.size or 0)
    upload.seek(0)
    head = upload.read(pdf_analysis.HEAD_BYTES)
    upload.seek(max(0, size - pdf_analysis.TAIL_BYTES))
    tail = upload.read(pdf_analysis.TAIL_BYTES)
    upload.seek(0)
    check_upload(size=size, head=head, tail=tail)


_pool_lock = threading.Lock()
_pool: IsolatedPool | None = None


def pool() -> IsolatedPool:
    """This process's verification helpers (settings.ONESEAL_VERIFY_WORKERS of them, each
    limited to ONESEAL_VERIFY_MEMORY_MB of address space)."""
    global _pool
    with _pool_lock:
        if _pool is None:
            memory_mb = int(getattr(settings, "ONESEAL_VERIFY_MEMORY_MB", 1024))
            _pool = IsolatedPool(int(getattr(settings, "ONESEAL_VERIFY_WORKERS", 2)),
                                 preload=("oneseal.seal.pdf_analysis", "pyhanko.sign"),
                                 memory_bytes=memory_mb * 1024 * 1024 if memory_mb else None)
        return _pool


def _isolated(data: bytes, roots: list[bytes], moment: str) -> dict[str, Any]:
    """Run `pdf_analysis.analyse` in a helper process with a deadline
    (settings.ONESEAL_VERIFY_TIMEOUT seconds), waiting at most ONESEAL_VERIFY_WAIT seconds
    for a free helper; PoolBusy and PoolTimeout reach `verify_document`."""
    if b"%PDF-" not in data[:pdf_analysis.HEAD_BYTES]:
        return {"status": pdf_analysis.NOT_PDF}  # no need to start anything
    try:
        result: dict[str, Any] = pool().run(
            "oneseal.seal.pdf_analysis:analyse", data, roots, moment, timeout=_timeout(),
            wait=float(getattr(settings, "ONESEAL_VERIFY_WAIT", 3)))
    except PoolFailed:  # the helper died (e.g. out of memory): not a PDF we can read
        return {"status": pdf_analysis.UNPARSEABLE}
    return result


def _timeout() -> float:
    return float(getattr(settings, "ONESEAL_VERIFY_TIMEOUT", 5))
