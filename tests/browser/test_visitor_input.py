"""Visitors' own input in a real browser: a digit drawn with the mouse on the canvas, read, judged and
searched for; the CycleGAN page's before/after slider; a batch of photos back as one ZIP."""

import io
import zipfile

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from tests.browser import draw_a_one, open_page, wait_idle
from tests.browser.test_pages import SHOTS, check_page


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


def photo(color, size) -> bytes:
    buf = io.BytesIO()
    img = Image.new("RGB", size, color)
    ImageDraw.Draw(img).ellipse([size[0] // 4, size[1] // 4, size[0] // 2, size[1] // 2], fill=(250, 250, 250))
    img.save(buf, "PNG")
    return buf.getvalue()


@pytest.mark.parametrize("lang,tab,photo_tag,painting_tag", [
    ("en", "Before / after slider", "photo", "painting"),
    ("fr", "Curseur avant / après", "photo", "peinture"),
])
def test_the_before_after_slider_moves_the_line(server, browser, lang, tab, photo_tag, painting_tag):
    page = open_page(browser, f"{server}/cyclegan?lang={lang}", height=1800)
    expect(page.locator("h1").first).to_be_visible(timeout=90_000)
    wait_idle(page)
    page.get_by_role("tab", name=tab).click()
    figure = page.locator("figure.ba")
    expect(figure).to_be_visible(timeout=30_000)
    # Both images decoded, at the same size, and the tags name the two sides in the page's language.
    sizes = figure.locator("img").evaluate_all("imgs => imgs.map(i => [i.naturalWidth, i.naturalHeight])")
    assert len(sizes) == 2 and sizes[0] == sizes[1] and sizes[0][0] > 100, sizes
    expect(figure.locator(".tag.left")).to_have_text(photo_tag)
    expect(figure.locator(".tag.right")).to_have_text(painting_tag)
    after = figure.locator(".after")
    assert "50%" in after.evaluate("e => e.style.clipPath")
    box = figure.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.2, box["y"] + box["height"] / 2)  # a click sets the line there
    clip = after.evaluate("e => e.style.clipPath")
    assert abs(float(clip.split()[-1].rstrip("%)")) - 20) < 3, clip
    page.keyboard.press("End")  # the keyboard moves it too
    assert "100%" in after.evaluate("e => e.style.clipPath")
    page.mouse.click(box["x"] + box["width"] * 0.5, box["y"] + box["height"] / 2)
    figure.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / f"cyclegan_slider_{lang}.png"))
    page.close()


@pytest.mark.parametrize("lang,uploader_label,go,failed,unreadable,download_label", [
    ("en", "Your images (JPEG, PNG or WebP)", "Translate the images (3)", "1 file(s) could not be used",
     "broken.png: This file is not an image we can read", "Download every translation (ZIP)"),
    ("fr", "Vos images (JPEG, PNG ou WebP)", "Traduire les images (3)", "1 fichier(s) inutilisable(s)",
     "broken.png: Ce fichier n'est pas une image lisible", "Télécharger toutes les traductions (ZIP)"),
])
def test_a_batch_of_photos_comes_back_as_one_zip(server, browser, tmp_path, lang, uploader_label, go, failed,
                                                 unreadable, download_label):
    page = open_page(browser, f"{server}/cyclegan?mode=batch&lang={lang}", height=1600)
    expect(page.locator("h1").first).to_be_visible(timeout=90_000)
    wait_idle(page)
    uploader = page.get_by_test_id("stFileUploader").filter(has_text=uploader_label)
    uploader.locator("input[type=file]").set_input_files([
        {"name": "sea.png", "mimeType": "image/png", "buffer": photo((30, 90, 160), (320, 240))},
        {"name": "field.png", "mimeType": "image/png", "buffer": photo((60, 140, 50), (300, 300))},
        {"name": "broken.png", "mimeType": "image/png", "buffer": b"\x89PNG not really"},
    ])
    page.get_by_role("button", name=go).click()
    expect(page.get_by_text(failed)).to_be_visible(timeout=90_000)
    expect(page.get_by_text(unreadable)).to_be_visible()
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name=download_label).click()
    path = tmp_path / "batch.zip"
    download.value.save_as(path)
    with zipfile.ZipFile(path) as archive:
        assert sorted(archive.namelist()) == ["field.png", "sea.png"]
        # The page's default is the 256 centre crop: every translation is 256x256 RGB.
        for name in archive.namelist():
            img = Image.open(io.BytesIO(archive.read(name)))
            assert img.size == (256, 256) and img.mode == "RGB"
    wait_idle(page)
    page.screenshot(path=str(SHOTS / f"cyclegan_batch_{lang}.png"), full_page=True)
    page.close()
