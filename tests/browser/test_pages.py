"""End to end: `streamlit run app.py` on a free port, every page opened in headless Chromium.

Needs Debian's chromium at /usr/bin/chromium (the README's test command installs it); this
test fails rather than skips without it. Screenshots land in tests/screenshots/.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser import ROOT, open_page, wait_idle

SHOTS = ROOT / "tests" / "screenshots"

PAGES = [  # url path, text of the page's title in English
    ("", "What is a GAN?"),
    ("slanted-faces", "The 2x2 slanted-faces GAN"),
    ("mnist-sampling", "MNIST sampling"),
    ("conditional-digits", "Conditional digit picking"),
    ("latent-walks", "Latent interpolation and control"),
    ("cyclegan", "Photo ↔ painting with CycleGAN"),
    ("training-lab", "Training lab: a GAN on the plane"),
    ("upsampling", "Upsampling: transposed convolution and the checkerboard"),
    ("draw-digit", "Draw a digit"),
    ("gan-vs-vae", "GAN versus VAE"),
    ("stylegan", "StyleGAN: style mixing, truncation and noise"),
    ("stylegan?data=fashion&lang=fr", "StyleGAN : mélange de styles, troncature et bruit"),
    ("mnist-sampling?data=fashion&lang=fr", "Échantillons Fashion-MNIST"),
    ("conditional-digits?data=fashion&lang=fr", "Choisir son vêtement"),
]


def check_page(page, title, name):
    expect(page.get_by_test_id("stMain")).to_be_visible(timeout=60_000)
    expect(page.locator("h1").first).to_contain_text(title, timeout=90_000)
    wait_idle(page)
    assert page.get_by_test_id("stException").count() == 0, page.get_by_test_id("stException").first.inner_text()
    assert page.get_by_text("Page not found").count() == 0
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("path,title", PAGES)
def test_every_page_renders(server, browser, path, title):
    page = open_page(browser, f"{server}/{path}", height=2600)
    check_page(page, title, re.sub(r"\W+", "_", path) or "home")
    page.close()


def test_home_in_french_from_the_url(server, browser):
    page = open_page(browser, f"{server}/?lang=fr", height=2600)
    check_page(page, "Qu'est-ce qu'un GAN ?", "home_fr")
    expect(page.get_by_text("Le faussaire (générateur)")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "fr")  # for screen readers and translators
    # The selector switches back, and the URL and the page's language follow.
    page.get_by_test_id("stSidebar").get_by_text("English").click()
    expect(page.locator("h1").first).to_contain_text("What is a GAN?", timeout=30_000)
    assert "lang=en" in page.url
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.close()


def test_toy_step_button_in_the_browser(server, browser):
    page = open_page(browser, f"{server}/slanted-faces?seed=5", height=2600)
    check_page(page, "The 2x2 slanted-faces GAN", "slanted-faces_before")
    page.get_by_role("button", name="One SGD step").click()
    expect(page.get_by_text("Largest |hand − autograd| difference")).to_be_visible(timeout=30_000)
    wait_idle(page)
    page.get_by_text("Step 1").first.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "slanted-faces_step.png"), full_page=True)
    assert "seed=5" in page.url
    for tab, shot in (("Training", "slanted-faces_training"), ("Seed sweep", "slanted-faces_sweep")):
        page.get_by_role("tab", name=tab).click()
        wait_idle(page)
        page.get_by_role("tab", name=tab).scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / f"{shot}.png"))
    expect(page.get_by_text("Runs that draw faces")).to_be_visible()
    page.close()


def test_mnist_pages_respond_to_one_control_each(server, browser):
    page = open_page(browser, f"{server}/mnist-sampling?seed=3&n=36", height=1600)
    check_page(page, "MNIST sampling", "mnist-sampling_seed3")
    expect(page.get_by_text("36 samples, seed 3")).to_be_visible()
    page.get_by_role("button", name="New batch (next seed)").click()
    expect(page.get_by_text("36 samples, seed 4")).to_be_visible(timeout=30_000)
    wait_idle(page)
    assert "seed=4" in page.url and "n=36" in page.url
    page.close()

    page = open_page(browser, f"{server}/conditional-digits?number=1789", height=1600)
    check_page(page, "Conditional digit picking", "conditional-digits_1789")
    box = page.get_by_label("Digits to write")
    box.fill("2026")
    box.press("Enter")
    expect(page.get_by_text(re.compile(r"^The classifier reads \d{4}: \d of 4 digits agree"))).to_be_visible(
        timeout=30_000
    )
    wait_idle(page)
    page.screenshot(path=str(SHOTS / "conditional-digits_2026.png"), full_page=True)
    assert "number=2026" in page.url
    page.close()

    page = open_page(browser, f"{server}/latent-walks?model=mnist-cgan&da=3&db=8", height=1600)
    check_page(page, "Latent interpolation and control", "latent-walks_cgan")
    expect(page.get_by_text("only the label moves from 3 to 8")).to_be_visible()
    page.close()


def test_cyclegan_upload_bad_then_good(server, browser, tmp_path):
    page = open_page(browser, f"{server}/cyclegan", height=2200)
    check_page(page, "Photo ↔ painting with CycleGAN", "cyclegan_sample")
    uploader = page.get_by_test_id("stFileUploaderDropzoneInput")
    bad = tmp_path / "fake.png"
    bad.write_text("this is not an image")
    uploader.set_input_files(str(bad))
    expect(page.get_by_text("This image cannot be used")).to_be_visible(timeout=30_000)
    wait_idle(page)
    assert page.get_by_test_id("stException").count() == 0
    from PIL import Image
    good = tmp_path / "photo.png"
    Image.open(ROOT / "assets" / "samples" / "synthetic_landscape.png").rotate(10).save(good)
    uploader.set_input_files(str(good))
    expect(page.get_by_text("This image cannot be used")).to_have_count(0, timeout=30_000)
    expect(page.get_by_text("What the generator sees")).to_be_visible(timeout=60_000)
    wait_idle(page)  # a click while the upload's run is still drawing can land on tabs being replaced
    # The cycle check runs when its tab is opened: a click reruns the page with that tab's pass.
    page.get_by_role("tab", name="The cycle: there and back").click()
    expect(page.get_by_text("mean L1 error")).to_be_visible(timeout=60_000)
    wait_idle(page)
    expect(page.locator(".stPlotlyChart")).to_have_count(2)  # the error map, and the losses over training
    page.screenshot(path=str(SHOTS / "cyclegan_upload.png"), full_page=True)
    page.close()


def test_training_lab_plays_live(server, browser):
    page = open_page(browser, f"{server}/training-lab", height=1800)
    check_page(page, "Training lab: a GAN on the plane", "training-lab_start")
    page.get_by_role("button", name="▶ Play").click()
    expect(page.get_by_role("button", name="⏸ Pause")).to_be_visible(timeout=30_000)
    first = int(page.get_by_test_id("stMetricValue").first.inner_text())
    page.wait_for_timeout(4000)
    later = int(page.get_by_test_id("stMetricValue").first.inner_text())
    assert later > first  # the view refreshes while training runs
    page.get_by_role("button", name="⏸ Pause").click()
    wait_idle(page)
    page.screenshot(path=str(SHOTS / "training-lab_playing.png"), full_page=True)
    page.close()


def test_training_lab_canvas_points_by_click_and_box(server, browser):
    page = open_page(browser, f"{server}/training-lab?target=custom", height=1800)
    check_page(page, "Training lab: a GAN on the plane", "training-lab_custom_empty")
    expect(page.get_by_text("Add at least two points to train on.")).to_be_visible()
    chart = page.get_by_test_id("stPlotlyChart").first
    chart.scroll_into_view_if_needed()
    chart.locator(".nsewdrag").first.wait_for()

    def at(x, y):  # data coordinates to page pixels, through plotly's own axis mapping
        return chart.locator(".js-plotly-plot").first.evaluate(
            """(gd, [x, y]) => {
                const r = gd.getBoundingClientRect(), xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
                return [r.left + xa._offset + xa.l2p(x), r.top + ya._offset + ya.l2p(y)];
            }""", [x, y])

    page.mouse.move(*at(2.0, 2.0))  # plotly picks the clicked point from its hover state
    page.wait_for_timeout(300)
    page.mouse.down()
    page.mouse.up()  # one grid point
    expect(page.get_by_text("1 points")).to_be_visible(timeout=30_000)
    wait_idle(page)
    page.mouse.move(*at(-3.0, 2.0))
    page.wait_for_timeout(300)
    page.mouse.down()
    page.mouse.up()
    expect(page.get_by_text("2 points")).to_be_visible(timeout=30_000)
    wait_idle(page)
    # The box tool; a box from (-1.1, -1.1) to (1.1, 1.1) holds the 9x9 grid points from -1 to 1.
    chart.hover()
    chart.locator('[data-title="Box Select"]').click()
    page.mouse.move(*at(-1.1, -1.1))
    page.mouse.down()
    page.mouse.move(*at(0.0, 0.0), steps=5)
    page.mouse.move(*at(1.1, 1.1), steps=5)
    page.mouse.up()
    expect(page.get_by_text("83 points")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Add at least two points to train on.")).to_have_count(0)
    wait_idle(page)
    page.get_by_role("button", name="+100 steps").click()
    expect(page.get_by_test_id("stMetricValue").first).to_have_text("100", timeout=30_000)
    wait_idle(page)
    assert page.get_by_test_id("stException").count() == 0
    page.screenshot(path=str(SHOTS / "training-lab_custom_points.png"), full_page=True)
    page.close()
