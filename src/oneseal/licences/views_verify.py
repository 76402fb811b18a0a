"""证照核验 (public, no login): upload a PDF or open a licence's QR link, and see whether
the signature is intact, whether it was made with one of our seals and with which
certificate, whether the document was changed after signing, and the licence's state today
(see `verification.py`). Tries are limited per address."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import verification
from .throttle import throttled


class VerifyForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("上传电子证照或文书（PDF）"), required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}))
    identifier = forms.CharField(label=gettext_lazy("或输入电子证照标识"), required=False,
                                 max_length=200,
                                 widget=forms.TextInput(attrs={
                                     "placeholder": "1.2.156.3005.2.…", "autocomplete": "off",
                                     "spellcheck": "false"}))

    def clean(self) -> dict:  # type: ignore[type-arg]
        data = super().clean() or {}
        upload = data.get("file")
        if not upload and not (data.get("identifier") or "").strip():
            raise forms.ValidationError(_("请上传 PDF 文件或填写电子证照标识。"))
        return data


def verify(request: HttpRequest) -> HttpResponse:
    bound = request.method == "POST"
    form = VerifyForm(request.POST if bound else None, request.FILES if bound else None)
    document = found = None
    error = ""
    status = 200
    if request.method == "POST":
        if throttled(request):
            error, status = _("核验过于频繁，请10分钟后再试。"), 429
        elif form.is_valid():
            upload = form.cleaned_data.get("file")
            try:
                if upload:
                    verification.check_uploaded_file(upload)  # cheap refusals first
                    document = verification.verify_document(upload.read())
                    document["filename"] = upload.name
                else:
                    found = verification.verify_identifier(form.cleaned_data["identifier"])
            except verification.Refused as refused:
                error, status = refused.message, refused.status
        else:
            status = 422
    return render(request, "licences/verify.html", {
        "form": form, "document": document, "found": found, "error": error}, status=status)


def verify_licence(request: HttpRequest, identifier: str) -> HttpResponse:
    """The QR code's link: the licence's catalogue facts and its state today."""
    if throttled(request):
        return render(request, "licences/verify.html", {
            "form": VerifyForm(), "error": _("核验过于频繁，请10分钟后再试。")}, status=429)
    found = verification.verify_identifier(identifier)
    return render(request, "licences/verify.html", {
        "form": VerifyForm(initial={"identifier": identifier}), "found": found},
        status=200 if found["found"] else 404)
