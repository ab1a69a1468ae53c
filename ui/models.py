"""Models loaded once per server process and shared by every session, with their source in the sidebar."""

import streamlit as st

from ui.language import t
from ui.sidebar import sidebar_after_page


@st.cache_resource(show_spinner=False, max_entries=32)
def _load(name: str, repo: str | None):
    # One copy per process, shared by every session: models are only read after loading.
    from ganzoo.io import checkpoints
    from ganzoo.runtime.device import policy
    return checkpoints.load(name, repo, policy())


def load_model(name: str, repo: str | None = None):
    """The registered model, loaded once per process; shows its source in the sidebar.

    A Hub failure shows one warning and uses the embedded copy; a missing embedded checkpoint
    shows one error and stops the page (the rest of the app keeps working).
    """
    from ganzoo.io import checkpoints
    try:
        loaded = _load(name, repo or None)
    except checkpoints.CheckpointError as exc:
        st.error(t("model.missing", name=name, error=str(exc)))
        sidebar_after_page()
        st.stop()
    if loaded.warning:
        st.warning(loaded.warning)
    used = st.session_state.setdefault("_models_this_run", [])
    if name not in used:
        used.append(name)
        st.sidebar.caption(t("sidebar.source", name=name, source=loaded.source))
    return loaded.model
