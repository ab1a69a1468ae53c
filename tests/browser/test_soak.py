"""Twenty visitors one after another, each through every page, on one server: no exception box,
and the server's memory settles (after the last within 1.2x of after the fifth)."""

from playwright.sync_api import expect

from tests.browser import rss_mb, wait_rendered

SESSIONS, SETTLED_AFTER = 20, 5
PAGES = [("2x2 slanted faces", "The 2x2 slanted-faces GAN"), ("Training lab (2D)", "Training lab"),
         ("MNIST sampling", "MNIST sampling"), ("Conditional digits", "Conditional digit picking"),
         ("Latent walks", "Latent interpolation"), ("Photo ↔ painting (CycleGAN)", "Photo ↔ painting"),
         ("What is a GAN?", "What is a GAN?")]


def test_twenty_sessions_in_a_row_leave_memory_flat(server, browser, server_pid):
    memory = []
    for session in range(SESSIONS):
        context = browser.new_context(viewport={"width": 1300, "height": 1000})
        page = context.new_page()
        page.goto(server, wait_until="domcontentloaded")
        expect(page.locator("h1").first).to_be_visible(timeout=120_000)
        for label, title in PAGES:
            page.get_by_test_id("stSidebarNav").get_by_role("link", name=label).click()
            expect(page.locator("h1").first).to_contain_text(title, timeout=120_000)
            wait_rendered(page, timeout=120_000)
            assert page.get_by_test_id("stException").count() == 0, (session, label)
        context.close()
        memory.append(rss_mb(server_pid))
    assert memory[-1] <= 1.2 * memory[SETTLED_AFTER - 1], [round(m) for m in memory]
