"""A fresh server's very first visitors arrive by deep links, with no warm-up visit to `/`.

With the page scripts in a folder named `pages/`, Streamlit detected its legacy multipage mode and
the first session of a new server showed a "Page not found" box on a deep link. The scripts live
in `app_pages/` so that cannot happen; this test starts its own server to be the first visitor.
"""

from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.browser import ROOT, launch, open_page, start_server, stop_server, wait_idle

FIRST_VISITS = [("training-lab", "Training lab: a GAN on the plane"), ("mnist-sampling", "MNIST sampling")]


def test_first_visitors_deep_link_to_two_pages_on_a_fresh_server():
    try:
        url, proc = start_server("app.py", ROOT / "tests" / ".streamlit-cold-server.log")
    except RuntimeError as exc:
        pytest.fail(str(exc))
    try:
        with sync_playwright() as p:
            browser = launch(p)
            for path, title in FIRST_VISITS:
                page = open_page(browser, f"{url}/{path}")
                expect(page.locator("h1").first).to_contain_text(title, timeout=120_000)
                wait_idle(page, timeout=120_000)
                assert page.get_by_text("Page not found").count() == 0, path
                assert page.get_by_test_id("stException").count() == 0, path
                assert urlparse(page.url).path == f"/{path}"  # still the page asked for
                page.close()
            browser.close()
    finally:
        stop_server(proc)
