"""The server's peak memory with every page visited (every model loaded), on the CPU policy this
machine picks and on the ordinary-CPU path (GANZOO_PRECISION=fp32 GANZOO_INT8=0), each in a fresh
`streamlit run` driven by Chromium, against a one-line Streamlit app's peak in the same run.

python -m benchmarks.memory [--readme]   (--readme writes the table between benchmarks/README.md's memory markers)
"""

import argparse
import os
import tempfile
import time
from pathlib import Path

from benchmarks.timing import REPORT, Row, machine, markdown, print_rows
from ganzoo.io.marked_blocks import replace_block
from ganzoo.runtime.i18n import tr

HELLO_APP = 'import streamlit as st\nst.title("Hello")\n'
ORDINARY_CPU = {"GANZOO_PRECISION": "fp32", "GANZOO_INT8": "0"}
# Sidebar label and page title (h1) of every page but the home page, in English.
PAGES = [("nav.toy", "The 2x2 slanted-faces GAN"), ("nav.lab", "Training lab: a GAN on the plane"),
         ("nav.mnist", "MNIST sampling"), ("nav.cond", "Conditional digit picking"),
         ("nav.interp", "Latent interpolation and control"), ("nav.draw", "Draw a digit"),
         ("nav.cycle", "Photo ↔ painting with CycleGAN"), ("nav.vae", "GAN versus VAE")]


def visit_every_page(page, pages=PAGES):
    """Each page once from the sidebar, as a visitor would; the draw page with a stroke drawn."""
    from playwright.sync_api import expect

    from harness import wait_rendered
    for key, title in pages:
        page.get_by_test_id("stSidebarNav").get_by_role("link", name=tr(key, "en")).click()
        expect(page.locator("h1").first).to_contain_text(title, timeout=120_000)
        wait_rendered(page, 120_000)
        if key == "nav.draw":
            from harness import draw_a_one
            draw_a_one(page)
            expect(page.get_by_text("The classifier reads")).to_be_visible(timeout=60_000)
            wait_rendered(page, 120_000)


def peak_after_every_page(browser, script, env=None) -> float:
    from harness import open_page, peak_rss_mb, start_server, stop_server, wait_rendered
    url, proc = start_server(script, env={**os.environ, **(env or {})})
    try:
        page = open_page(browser, url)
        wait_rendered(page, 120_000)
        if Path(script).name == "app.py":
            visit_every_page(page)
        page.close()
        return peak_rss_mb(proc.pid)
    finally:
        stop_server(proc)


def measure():
    from playwright.sync_api import sync_playwright

    from harness import ROOT, launch
    with sync_playwright() as p, tempfile.TemporaryDirectory() as tmp:
        browser = launch(p)
        hello = Path(tmp) / "hello_app.py"
        hello.write_text(HELLO_APP)
        hello_mb = peak_after_every_page(browser, hello)
        rows = [Row("server peak memory, every page visited and every model loaded",
                    peak_after_every_page(browser, str(ROOT / "app.py")), "one-line Streamlit app", hello_mb, "MB"),
                Row("server peak memory, every page visited, ordinary-CPU path (fp32, no int8)",
                    peak_after_every_page(browser, str(ROOT / "app.py"), ORDINARY_CPU), "one-line Streamlit app",
                    hello_mb, "MB")]
        browser.close()
    return rows


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--readme", action="store_true")
    args = p.parse_args(argv)
    rows = measure()
    print_rows(rows)
    if args.readme:
        replace_block(REPORT, "memory", f"Measured by `python -m benchmarks.memory` on {time.strftime('%Y-%m-%d')}: "
                      f"{machine()}.\n\n{markdown(rows)}")


if __name__ == "__main__":
    main()
