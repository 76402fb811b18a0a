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
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from oneseal.core.masking import mask_id_number
from oneseal.seal.services import use_for_signed_hash
from oneseal.seal.sign import verify_pdf

from .domain.identifier import InvalidIdentifier, parse_identifier
from .models import Licence, LicenceState
from .services import state_today

MAX_BYTES = 20 * 1024 * 1024


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
        "holder_id": mask_id_number(licence.holder_id) if licence.holder_id_type == "111"
        else licence.holder_id,
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
    recorded for that signed document (None when we never signed it)."""
    if len(data) > MAX_BYTES:
        return {"valid": False, "is_pdf": False, "signed": False,
                "problems": [_("文件超过 20 MB，无法核验。")], "ledger": None}
    result = verify_pdf(data)
    answer = result.as_dict()
    use = None
    if result.signed and result.signed_revision_sha256:
        use = use_for_signed_hash(result.signed_revision_sha256)
    answer["ledger"] = _subject_of(use) if use is not None else None
    if result.valid_overall and use is None:
        # Signed with our seal but absent from the ledger: say so, it needs looking into.
        answer["problems"] = [*answer.get("problems", []),
                              _("用印登记中没有这份文件的记录，请联系行政审批局核实。")]
    return answer


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
