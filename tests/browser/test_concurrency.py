"""Many visitors at once: 8 browser sessions against one `streamlit run app.py` server.

Each session samples MNIST with its own seed and translates its own upload with CycleGAN, all
in flight together. Every session must see only its own results, no exception, and the models
must be loaded once for everyone: the server's memory with 8 sessions stays within 1.5x of one.
"""


from PIL import Image
from playwright.sync_api import expect

from tests.browser import rss_mb, wait_idle

SESSIONS = 8




def session_image(tmp_path, i):
    """A distinct upload per session: its size encodes the session number."""
    path = tmp_path / f"upload_{i}.png"
    Image.new("RGB", (200 + 8 * i, 160), (30 * i, 120, 255 - 30 * i)).save(path)
    return path


def test_eight_sessions_at_once(server, browser, tmp_path, request):
    pid = request.getfixturevalue("server_pid")
    contexts = [browser.new_context(viewport={"width": 1200, "height": 1400}) for _ in range(SESSIONS)]
    pages = [c.new_page() for c in contexts]
    # One session first, to know what one costs.
    pages[0].goto(f"{server}/mnist-sampling?seed=100&n=64")
    expect(pages[0].get_by_text("64 samples, seed 100")).to_be_visible(timeout=90_000)
    pages[0].goto(f"{server}/cyclegan?size_policy=keep")
    expect(pages[0].get_by_text("What the generator sees")).to_be_visible(timeout=90_000)
    one = rss_mb(pid)

    # Then all of them together: start every navigation before waiting for any.
    for i, page in enumerate(pages):
        page.goto(f"{server}/mnist-sampling?seed={100 + i}&n=64", wait_until="commit")
    for i, page in enumerate(pages):
        expect(page.get_by_text(f"64 samples, seed {100 + i}")).to_be_visible(timeout=120_000)
        assert page.get_by_test_id("stException").count() == 0
    for i, page in enumerate(pages):
        page.goto(f"{server}/cyclegan", wait_until="commit")
    for page in pages:
        expect(page.get_by_test_id("stFileUploaderDropzoneInput")).to_be_attached(timeout=120_000)
    for i, page in enumerate(pages):
        page.get_by_text("keep size", exact=True).click()
    for page in pages:  # the size policy's rerun has finished everywhere before the uploads start
        wait_idle(page, timeout=120_000)
    for i, page in enumerate(pages):
        page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(session_image(tmp_path, i)))
    for i, page in enumerate(pages):
        # keep size snaps each side down to a multiple of 4: the caption shows this session's own size.
        width = (200 + 8 * i) // 4 * 4
        expect(page.get_by_text(f"What the generator sees ({width}x160)")).to_be_visible(timeout=120_000)
        wait_idle(page)
        assert page.get_by_test_id("stException").count() == 0
    many = rss_mb(pid)
    for c in contexts:
        c.close()
    assert many <= 1.5 * one, f"{SESSIONS} sessions: {many:.0f} MB, one session: {one:.0f} MB"
