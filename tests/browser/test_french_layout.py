"""Every page in French at 1024 px wide: no button label, input, selector text or formula is cut.

French labels run longer than English ones; a label that no longer fits its box gets clipped or
ends in an ellipsis ("Pas de ..." for both step buttons of the lab). Screenshots land in
tests/screenshots/ as fr_1024_<page>.png.
"""

import pytest
from playwright.sync_api import expect

from tests.browser import ROOT, wait_idle

SHOTS = ROOT / "tests" / "screenshots"
PAGES = ["", "slanted-faces", "training-lab", "upsampling", "gan-vs-vae", "mnist-sampling", "conditional-digits",
         "latent-walks", "draw-digit", "stylegan", "cyclegan"]

# Elements whose text must fit: button labels, the text inside inputs, a selector's shown value.
CUT_TEXT = """() => {
  const main = document.querySelector('[data-testid=stMain]');
  const cut = [];
  const check = (el, what) => {
    const style = getComputedStyle(el);
    if (el.offsetParent === null || style.visibility === 'hidden') return;
    const source = el.querySelector('annotation');  // a formula's LaTeX
    const text = source ? source.textContent : (el.value || el.innerText);
    if (el.scrollWidth > el.clientWidth + 4) {  // a few pixels of sub-pixel rounding are not a cut
      cut.push(`${what}: ${text.slice(0, 60)} (${el.scrollWidth}/${el.clientWidth} px)`);
    }
  };
  main.querySelectorAll('[data-testid^=stBaseButton] [data-testid=stMarkdownContainer], [data-testid^=stBaseButton] p')
    .forEach(el => check(el, 'button'));
  main.querySelectorAll('[data-testid=stMetricLabel] [data-testid=stMarkdownContainer]')
    .forEach(el => check(el, 'metric'));
  main.querySelectorAll('.katex-display').forEach(el => check(el, 'formula'));  // a formula wider than the page
  main.querySelectorAll('input[type=text], input[type=number]').forEach(el => {
    // An input's text is cut when its value is wider than the box (scrollWidth grows with it).
    check(el, 'input');
  });
  main.querySelectorAll('[data-baseweb=select] [value], [data-baseweb=select] div[title]').forEach(
    el => check(el, 'select'));
  return cut;
}"""


@pytest.mark.parametrize("path", PAGES)
def test_french_page_fits_at_1024_pixels(server, browser, path):
    page = browser.new_page(viewport={"width": 1024, "height": 1400})
    page.goto(f"{server}/{path}?lang=fr", wait_until="domcontentloaded")
    expect(page.locator("h1").first).to_be_visible(timeout=120_000)
    wait_idle(page, timeout=120_000)
    for expander in page.get_by_test_id("stExpander").all():  # settings hidden in expanders count too
        summary = expander.locator("summary")
        if summary.get_attribute("aria-expanded") == "false":
            summary.click()
    wait_idle(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"fr_1024_{path or 'home'}.png"), full_page=True)
    cut = page.evaluate(CUT_TEXT)
    page.close()
    assert not cut, cut
