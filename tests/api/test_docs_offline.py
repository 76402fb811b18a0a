"""The API documentation page works offline (government intranets are closed): Swagger UI is
served from the project's own static files, never from a CDN, and with no inline script."""

from __future__ import annotations

import re


def test_api_docs_are_served_locally_without_a_cdn(client, db):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "cdn.jsdelivr" not in html and "unpkg" not in html
    assert "/static/ninja/swagger-ui-bundle.js" in html
    executable = [m for m in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
                  if "application/json" not in m[0] and m[1].strip()]
    assert executable == []  # no inline script: the Content-Security-Policy forbids it
