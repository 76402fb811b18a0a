"""Every service guide of the demo prints on one A4 page (Debian's chromium, print CSS)."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from oneseal.catalog.demo import load_catalog
from oneseal.catalog.models import Item
from oneseal.org.seed import load_org_tree

pytestmark = pytest.mark.browser
CHROMIUM = "/usr/bin/chromium"
PAGE_RE = re.compile(rb"/Type\s*/Page(?!s)")


def _pdf_pages(urls: list[str]) -> dict[str, int]:
    """Print each page to an A4 PDF and count its pages. Runs in its own thread, so that it
    works beside another Playwright session of the test run (tests/browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(locale="zh-CN")
        counts = {}
        for url in urls:
            page.goto(url)
            page.emulate_media(media="print")
            pdf = page.pdf(format="A4", prefer_css_page_size=True)
            counts[page.locator("h1").inner_text()] = len(PAGE_RE.findall(pdf))
        browser.close()
    return counts


def test_every_demo_guide_prints_on_one_a4_page(live_server, transactional_db):
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"{CHROMIUM} 不存在：请运行 scripts/ensure-system-deps", pytrace=False)
    load_org_tree()
    load_catalog()
    urls = [f"{live_server.url}/items/{pk}/" for pk in Item.objects.values_list("pk", flat=True)]
    with ThreadPoolExecutor(max_workers=1) as pool:
        pages = pool.submit(_pdf_pages, urls).result()
    assert len(pages) == 29
    assert {name: n for name, n in pages.items() if n != 1} == {}
