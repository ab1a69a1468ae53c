"""Visitors' own input in a real browser: a digit drawn with the mouse on the canvas, read, judged and
searched for, in English and in French."""

import pytest
from playwright.sync_api import expect

from tests.browser import open_page, wait_idle
from tests.browser.test_pages import SHOTS, check_page


def draw_a_one(page):
    """A vertical stroke down the middle of the canvas, with the real mouse."""
    canvas = page.locator("canvas.upper-canvas").first
    expect(canvas).to_be_visible(timeout=60_000)
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    x = box["x"] + box["width"] / 2
    page.mouse.move(x, box["y"] + box["height"] * 0.15)
    page.mouse.down()
    for i in range(1, 21):
        page.mouse.move(x + i * 0.5, box["y"] + box["height"] * (0.15 + 0.035 * i))
    page.mouse.up()


@pytest.mark.parametrize("lang,title,reads,button,nearest", [
    ("en", "Draw a digit", "The classifier reads", "Search z", "nearest to yours"),
    ("fr", "Dessinez un chiffre", "Le classifieur lit", "Chercher z", "plus proches du vôtre"),
])
def test_a_drawn_stroke_is_read_judged_and_found(server, browser, lang, title, reads, button, nearest):
    page = open_page(browser, f"{server}/draw-digit?lang={lang}&seed=2", height=2200)
    check_page(page, title, f"draw-digit_empty_{lang}")
    expect(page.get_by_text(reads)).to_have_count(0)  # nothing drawn, nothing read
    draw_a_one(page)
    metric = page.get_by_test_id("stMetric").filter(has_text=reads)
    expect(metric).to_be_visible(timeout=30_000)
    assert metric.get_by_test_id("stMetricValue").inner_text().startswith("1"), metric.inner_text()
    page.get_by_role("button", name=button).click()
    expect(page.get_by_text(nearest)).to_be_visible(timeout=60_000)
    wait_idle(page)
    assert page.get_by_test_id("stException").count() == 0
    assert "seed=2" in page.url
    page.screenshot(path=str(SHOTS / f"draw-digit_{lang}.png"), full_page=True)
    page.close()
