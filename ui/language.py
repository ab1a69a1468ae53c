"""The visitor's language: picked on arrival (`?lang=fr`), changed in the sidebar, used by every string."""

import streamlit as st

from ganzoo.runtime.i18n import DEFAULT_LANG, LANGS, tr
from ui.memory import release_freed_memory


def lang() -> str:
    return st.session_state.get("lang", DEFAULT_LANG)


def t(key: str, **fields) -> str:
    return tr(key, lang(), **fields)


def init_language() -> None:
    """`?lang=fr` picks the language on arrival; the sidebar selector changes it after."""
    if "lang" not in st.session_state:  # a new visitor
        release_freed_memory()
        wanted = st.query_params.get("lang", DEFAULT_LANG)
        st.session_state.lang = wanted if wanted in LANGS else DEFAULT_LANG
    st.session_state["_models_this_run"] = []


def _pick_language():
    st.session_state.lang = st.session_state.lang_picker
