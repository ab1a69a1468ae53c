"""`./serve --processes 2`: two Streamlit processes behind Caddy, as the Docker image runs it.

Several browser sessions, landing on both processes, open every page through the proxy: every
image (held in memory by the process that made it) and every chart must load. The small load
benchmark (simulated visitors, no browser) runs through the same proxy: no error, every visitor
served. SIGTERM, or killing ./serve outright, leaves no process behind.
"""

import os
import signal
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from benchmarks import load
from benchmarks.served import Server, process_tree
from tests.browser import free_port, launch, wait_rendered
from tests.browser.test_pages import PAGES

BACKEND_COOKIE = "ganzoo_backend"
SESSIONS = 3


@pytest.fixture(scope="module")
def proxy():
    with Server(free_port(), processes=2, env=load.SERVER_ENV) as server:
        yield server


def backend_of(context, url) -> str:
    context.request.get(url + "/_stcore/health")
    return next(c["value"] for c in context.cookies() if c["name"] == BACKEND_COOKIE)


def sessions_on_both_processes(browser, url) -> list:
    """Browser contexts (each its own cookies: a student's browser) until both processes have one.
    Caddy picks a new visitor's process at random, so a handful of tries finds both."""
    contexts, backends = [], set()
    while len(contexts) < SESSIONS or len(backends) < 2:
        assert len(contexts) < 30, "every session landed on the same process"
        contexts.append(browser.new_context(viewport={"width": 1400, "height": 2600}))
        backends.add(backend_of(contexts[-1], url))
    return contexts


def assert_images_and_charts_loaded(page, path):
    wait_rendered(page, timeout=120_000)
    assert page.get_by_test_id("stException").count() == 0, path
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")  # lazy images below the fold
    # Every image of the page decoded: a /media/ file asked of the wrong process would be a 404.
    page.wait_for_function("() => [...document.querySelectorAll('[data-testid=stMain] img')]"
                           ".every(i => i.complete && i.naturalWidth > 0)", timeout=60_000)
    broken = page.evaluate("() => [...document.querySelectorAll('img')].filter(i => i.complete && "
                           "i.naturalWidth === 0).map(i => i.src)")
    assert broken == [], f"{path}: {broken}"
    charts = page.get_by_test_id("stPlotlyChart")
    for i in range(charts.count()):
        if charts.nth(i).is_visible():
            expect(charts.nth(i).locator(".main-svg").first).to_be_attached(timeout=30_000)


def test_every_page_loads_its_images_and_charts_through_the_proxy(proxy):
    with sync_playwright() as p:
        browser = launch(p)
        contexts = sessions_on_both_processes(browser, proxy.url)
        pages = [context.new_page() for context in contexts]
        for path, title in PAGES:
            for page in pages:  # every session asks at once, then each is checked
                page.goto(f"{proxy.url}/{path}", wait_until="commit")
            for page in pages:
                expect(page.locator("h1").first).to_contain_text(title, timeout=120_000)
                assert_images_and_charts_loaded(page, path)
        browser.close()


def assert_all_served(row, visitors):
    main, extra = row["main"], row["extra"]
    assert main.errors == [] and extra.errors == []
    assert main.served == {f"{row['scenario']}{i}" for i in range(visitors)}


def test_load_a_few_visitors_click_around(proxy):
    row = load.scenario("click", proxy.url, visitors=3, seed=1, seconds=0, limit=2)
    assert_all_served(row, 3)
    assert len(row["main"].latencies) == 6  # 3 visitors x 2 clicks, each a finished run with its images fetched


def test_load_lab_players_see_their_view_move_while_others_click(proxy):
    """Three players on two processes: each process trains one itself, the third plays in its browser
    and hands its run back; a clicker is served meanwhile."""
    row = load.scenario("lab", proxy.url, visitors=3, seed=1, seconds=0, clickers=1, limit=2)
    assert_all_served(row, 3)
    assert row["extra"].served == {"clicker0"}
    main = row["main"]
    assert 1 <= len(main.in_browser) and len(main.updates) <= 2 and len(main.in_browser) + len(main.updates) == 3
    assert len(main.hand_backs) == len(main.in_browser)
    for first, last in main.steps.values():
        assert last > first  # the step count shown grew: training went on between updates
    assert all(n == 2 for n in main.updates.values())


def test_load_a_few_visitors_upload_photos_to_cyclegan(proxy):
    row = load.scenario("upload", proxy.url, visitors=2, seed=1, seconds=0, limit=1)
    assert_all_served(row, 2)


def alive(pids) -> list:
    """Those of pids still running (a zombie has exited: only its exit status is left to collect)."""
    running = []
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            running.append(pid)
    return running


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL])
def test_serve_leaves_no_process_behind(how):
    server = Server(free_port(), processes=2).__enter__()
    try:
        pids = process_tree(server.proc.pid)
        assert len(pids) >= 4  # ./serve, two Streamlit processes, Caddy
        os.kill(server.proc.pid, how)
        server.proc.wait(timeout=30)
        deadline = time.monotonic() + 30
        while alive(pids) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert alive(pids) == []
    finally:
        server.__exit__(None, None, None)
