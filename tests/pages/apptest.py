"""AppTest helpers shared by the page tests: the app, a generous timeout, a page opened with state."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")

TIMEOUT = 120  # model loading and the first torch import take longer than AppTest's 3 s


def open_page(path, lang=None, **state):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if lang:
        at.query_params["lang"] = lang
    at.run()  # switch_page finds a page by its url_path only after a first run
    for key, value in state.items():
        at.session_state[key] = value
    at.switch_page(path)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def page_text(at):
    return " ".join(str(el.proto) for el in at.main if hasattr(el, "proto"))


def speak_french(monkeypatch):
    """Widgets whose options are labelled through a translated format_func call it again on the test
    side, outside any script run, where the session's language cannot be read: pin the UI to French
    for both sides."""
    from ui import language
    monkeypatch.setattr(language, "lang", lambda: "fr")
