"""The lab's Play trained in the visitor's browser, end to end: a real server that hands every Play to
the browser (GANZOO_LAB_SERVER_PLAYERS=0), Chromium running ganzoo/lessons/lab.js in the component,
and the run handed back to the page on Pause."""

import os

import pytest
from playwright.sync_api import expect, sync_playwright

from ganzoo.runtime.i18n import tr
from tests.browser import ROOT, launch, open_page, start_server, stop_server, wait_rendered

SHOTS = ROOT / "tests" / "screenshots"


@pytest.fixture(scope="module")
def browser_players_server():
    env = dict(os.environ, GANZOO_LAB_SERVER_PLAYERS="0")
    url, proc = start_server("app.py", ROOT / "tests" / ".streamlit-lab-browser.log", env=env)
    yield url
    stop_server(proc)


def browser_steps(frame) -> int:
    return int(frame.locator(".counter .value").first.inner_text())


@pytest.mark.parametrize("lang, query", [("en", "preset=mode-collapse"), ("fr", "preset=mode-collapse"),
                                         ("en", "target=moons")])  # moons: NaN in the run's metrics
def test_play_trains_in_the_browser_and_pause_hands_the_run_back(browser_players_server, lang, query):
    with sync_playwright() as p:
        browser = launch(p)
        page = open_page(browser, f"{browser_players_server}/training-lab?{query}&lang={lang}", height=1800)
        wait_rendered(page)
        if "preset" not in query:  # a preset link opens playing; otherwise Play is pressed
            page.get_by_role("button", name=tr("lab.play", lang)).click()
        frame = page.frame_locator("iframe[title*=lab_live]")
        expect(frame.locator("#pause")).to_be_enabled(timeout=60_000)
        expect(page.get_by_role("button", name=tr("lab.browser.stop", lang))).to_be_enabled()
        first = browser_steps(frame)
        page.wait_for_timeout(3000)
        later = browser_steps(frame)
        assert later > first, "the browser trains: the step count it shows grows"
        expect(frame.locator("#plane .heatmaplayer")).to_have_count(1)  # D's surface, drawn by plotly.js
        page.screenshot(path=str(SHOTS / f"training-lab_browser-play_{lang}_{query.split('=')[1]}.png"),
                        full_page=True)
        frame.locator("#pause").click()
        expect(page.locator("iframe[title*=lab_live]")).to_have_count(0, timeout=60_000)
        wait_rendered(page)
        handed_back = int(page.get_by_test_id("stMetricValue").first.inner_text())
        assert handed_back >= later, "the page took the browser's run back, with every step it trained"
        expect(page.get_by_role("button", name=tr("lab.play", lang))).to_be_enabled()
        expect(page.get_by_role("heading", name=tr("lab.timeline", lang))).to_be_visible()  # a paused run's timeline
        page.wait_for_timeout(1500)
        assert int(page.get_by_test_id("stMetricValue").first.inner_text()) == handed_back, \
            "paused: nothing trains on"
        browser.close()
