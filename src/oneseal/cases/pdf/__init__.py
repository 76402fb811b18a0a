"""Rendering the legal documents (法律文书) of a case to PDF with reportlab: `texts` (the
wording of each kind, citing the statute) and `layout` (the A4 page with the seal area), in
the bureau's CJK font (`oneseal.core.fonts`). `oneseal.cases.documents` is the entry
point."""
