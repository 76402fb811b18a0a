"""Rendering the legal documents (法律文书) of a case to PDF with reportlab: `fonts` (the
embedded CJK font), `texts` (the wording of each kind, citing the statute) and `layout` (the
A4 page with the seal area). `oneseal.cases.documents` is the entry point."""
