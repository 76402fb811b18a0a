"""The report a case received from the marketplace (中介超市共享获取), opened from the case's
material table: to whoever may see the case (`cases.permissions.access_case`: the bureau's
staff, the competent department's officers, the applicant and his agent); to anyone else
"not found", as the case's own files are."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest

from oneseal.accounts.permissions import verified_login_required
from oneseal.cases.errors import CaseNotFound
from oneseal.cases.permissions import access_case

from .models import SuppliedReport

CONTENT_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "jpeg": "image/jpeg",
                 "png": "image/png", "ofd": "application/ofd"}


@verified_login_required
def case_report(request: HttpRequest, material_id: int) -> FileResponse:
    supplied = (SuppliedReport.objects.select_related("material", "contract")
                .filter(material_id=material_id).first())
    if supplied is None:
        raise Http404
    try:
        access_case(user=request.user, case_id=supplied.material.case_id)
    except CaseNotFound as exc:
        raise Http404(exc.message) from exc
    try:
        handle = supplied.contract.report.open("rb")
    except (FileNotFoundError, ValueError) as exc:  # no file, or the row outlived it
        raise Http404 from exc
    suffix = supplied.report_name.rsplit(".", 1)[-1].lower()
    response = FileResponse(handle, as_attachment=True, filename=supplied.report_name,
                            content_type=CONTENT_TYPES.get(suffix, "application/octet-stream"))
    response["Cache-Control"] = "private, no-store"
    return response
