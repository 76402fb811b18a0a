"""`POST /api/v1/verify` (证照核验接口): public, no login, offline.

Send a PDF as the multipart field `file`, or a licence identifier as the form field
`identifier` (the QR code's identifier). The answer's `valid` is true only when the PDF's
signature is intact, made with one of our seals, and nothing was changed after signing; for
an identifier, `valid` is true when the licence exists, is signed, and is in force today.
The details behind the verdict come with it (see `verification.py`).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from . import verification
from .throttle import throttled

router = Router(tags=["verify"])


class VerifyErrorOut(Schema):
    detail: str
    code: str


class VerifyOut(Schema):
    valid: bool
    kind: str  # "document" | "identifier"
    problems: list[str]
    details: dict[str, Any]


@router.post("/verify", auth=None,
             response={200: VerifyOut, 413: VerifyErrorOut, 422: VerifyErrorOut,
                       429: VerifyErrorOut, 503: VerifyErrorOut},
             summary="核验电子证照或文书 / verify a licence or document")
def verify(
    request: HttpRequest,
    file: UploadedFile | None = File(None, description="PDF 文件 / the PDF"),  # noqa: B008
    identifier: str | None = Form(None, max_length=200,
                                  description="电子证照标识 / licence identifier"),
) -> Any:
    """上传 PDF（字段 `file`）或提交电子证照标识（字段 `identifier`），二者择一。
    `valid` 仅在签名完整、由本局印章签署且签署后未被改动时为 true。
    超过 20 MB 答 413；末尾没有 `%%EOF` 的文件或解析超时答 422；核验进程全忙答 503。"""
    if throttled(request):
        return Status(429, {"detail": _("核验过于频繁，请10分钟后再试。"), "code": "throttled"})
    if file is None and not (identifier or "").strip():
        return Status(422, {"detail": _("请上传 PDF 文件或填写电子证照标识。"),
                            "code": "nothing_to_verify"})
    if file is not None:
        try:
            verification.check_uploaded_file(file)  # cheap refusals before reading it all
            answer = verification.verify_document(file.read())
        except verification.Refused as refused:
            return Status(refused.status, {"detail": refused.message, "code": refused.code})
        return Status(200, {"valid": bool(answer.get("valid")), "kind": "document",
                            "problems": list(answer.get("problems", [])), "details": answer})
    found = verification.verify_identifier(identifier or "")
    licence = found.get("licence")
    valid = bool(found["found"] and licence and licence["signed"] and licence["in_force"])
    return Status(200, {"valid": valid, "kind": "identifier",
                        "problems": list(found.get("problems", [])), "details": found})
