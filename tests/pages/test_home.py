"""The home page (What is a GAN?) under AppTest."""


from streamlit.testing.v1 import AppTest

from tests.pages.apptest import APP, TIMEOUT


def test_home_teaches_the_game_in_english():
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert not at.exception
    assert at.title[0].value == "What is a GAN?"
    latex = " ".join(x.body for x in at.latex)
    assert r"\min_G \max_D V(D, G)" in latex and r"\log D(G(z))" in latex
    assert any("2.3" in m.value for m in at.markdown)


def test_home_log_loss_curves_open_on_demand():
    """The first page after a cold start sends no plotly chart (the browser would parse plotly.js
    before the page counts as drawn); opening the explorer draws the curves."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert not at.get("plotly_chart") and not at.slider
    at.session_state["logloss_open"] = True
    at.run()
    assert not at.exception
    assert len(at.get("plotly_chart")) == 1 and at.slider(key="p").value == 0.1


def test_home_log_loss_slider_updates_the_readout():
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["logloss_open"] = True
    at.run()
    at.slider(key="p").set_value(0.9).run()
    assert not at.exception
    readout = [m.value for m in at.markdown if "error is" in m.value][0]
    assert "**0.11**" in readout and "**2.30**" in readout
