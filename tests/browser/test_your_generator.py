"""A visitor's own generator through Chromium's file picker on a real server: a hostile file refused with
its one message, then the course's Keras generator (saved by real Keras) drawn, counted and given its
report card; a second visitor at the same time sees none of it."""

from playwright.sync_api import expect

from harness.keras_course import keras_files  # noqa: F401
from tests.browser import open_page, wait_idle
from tests.browser.test_pages import SHOTS


def test_a_keras_generator_uploaded_in_the_browser(server, browser, keras_files):  # noqa: F811
    page = open_page(browser, f"{server}/mnist-sampling?model=yours&n=100", height=2000)
    expect(page.get_by_text("Upload a generator to see its batch")).to_be_visible(timeout=90_000)
    wait_idle(page)
    picker = page.get_by_test_id("stFileUploader").locator("input[type=file]")
    picker.set_input_files([{"name": "generator.weights.h5", "mimeType": "application/octet-stream",
                             "buffer": b"\x89HDF\r\n\x1a\n" + bytes(512)}])
    expect(page.get_by_text("The HDF5 file is truncated or damaged")).to_be_visible(timeout=60_000)
    assert page.get_by_test_id("stImage").count() == 0
    picker.set_input_files(str(keras_files / "dense.weights.h5"))
    expect(page.get_by_role("heading", name="Report card")).to_be_visible(timeout=120_000)
    wait_idle(page)
    assert page.get_by_test_id("stException").count() == 0
    assert page.get_by_text("The HDF5 file is truncated").count() == 0  # the new file replaced the refusal
    expect(page.get_by_test_id("stImage").first).to_be_visible()
    expect(page.get_by_text("What the classifier reads")).to_be_visible()
    expect(page.get_by_test_id("stTable")).to_contain_text("your generator")
    page.screenshot(path=str(SHOTS / "your-generator_keras.png"), full_page=True)

    other = open_page(browser, f"{server}/mnist-sampling?model=yours", height=1000)  # another visitor
    expect(other.get_by_text("Upload a generator to see its batch")).to_be_visible(timeout=90_000)
    wait_idle(other)
    assert other.get_by_test_id("stImage").count() == 0 and other.get_by_test_id("stTable").count() == 0
    other.close()
    page.close()
