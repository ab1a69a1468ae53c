"""The sidebar around every page: the language, the runtime line, the models used, the quiz score;
and how a page that ends early still gets its quiz and its sidebar."""

import json
import sys

import streamlit as st

from ganzoo.lessons import quiz
from ganzoo.runtime.i18n import LANGS
from ui.language import _pick_language, lang, t
from ui.quizzes import quiz_section


def sidebar() -> None:
    with st.sidebar:
        # A fixed bilingual label keeps the widget's identity when the language changes.
        st.radio("Language · Langue", list(LANGS), index=list(LANGS).index(lang()), format_func=LANGS.get,
                 key="lang_picker", horizontal=True, on_change=_pick_language)
        st.query_params["lang"] = lang()
        # Streamlit serves <html lang="en"> whatever the language; screen readers, hyphenation and the
        # browser's translation offer read it. The code is one of LANGS, never a visitor's text.
        st.html(f"<script>document.documentElement.lang = {json.dumps(lang())};</script>",
                unsafe_allow_javascript=True)
        st.subheader(t("sidebar.runtime"))
        runtime = st.empty()  # filled after the page, once it is known whether torch was needed
        st.subheader(t("sidebar.models"))
    st.session_state["_runtime_slot"] = runtime


def sidebar_after_page() -> None:
    if not st.session_state.get("_models_this_run"):
        st.sidebar.caption(t("sidebar.no_models"))
    right, answered = quiz.score(st.session_state)
    if answered:
        st.sidebar.caption(t("quiz.score", right=right, answered=answered))
    _fill_runtime()


def _fill_runtime() -> None:
    """The sidebar's device line, written after the page (or before it stops early): once torch is
    loaded in this process the policy is known; before that, reading it would load torch."""
    slot = st.session_state.pop("_runtime_slot", None)
    if slot is None:
        return
    if "torch" in sys.modules:
        from ganzoo.runtime.device import policy
        slot.caption(t("sidebar.device", policy=policy().describe()))
    else:
        slot.caption(t("sidebar.no_torch"))


def stop(page: str) -> None:
    """st.stop() for a page that ends early (nothing to show yet, a bad input): its quiz still
    comes last."""
    quiz_section(page)
    sidebar_after_page()
    st.stop()
